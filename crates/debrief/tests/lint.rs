//! `debrief lint` and `debrief explain` end to end: the pitfalls the product names, every
//! output format, fixes, configuration, suppression and exit codes.

mod common;

use common::{debrief, read, stderr, stdout, tempdir, write};
use serde_json::Value;

/// A postmortem with the four pitfalls of the product description.
const PITFALLS: &str = "# Postmortem: Checkout 500 errors, 2026-06-14

## Summary

Priya saved us.

Who missed this step?

## Impact

- 4,812 failed checkouts

## Timeline (UTC)

- 14:02 Migration deploy starts
- 14:05 Error rate alert fires
- 14:25 Error rate returns to baseline

## Root cause analysis

The deploy job assumed instant pod rotation.

## Action items

- [ ] Be more careful with migrations (owner: SRE, due: 2 weeks)
- [ ] Add a CI step that fails on DROP COLUMN
";

fn lint_json(args: &[&str], path: &std::path::Path) -> (i32, Value) {
    let assert = debrief()
        .arg("lint")
        .args(["--format", "json", "--today", "2026-06-20"])
        .args(args)
        .arg(path)
        .assert();
    let code = assert.get_output().status.code().unwrap_or(-1);
    (
        code,
        serde_json::from_str(&stdout(&assert)).expect("lint --format json prints valid JSON"),
    )
}

/// (rule, line) of every diagnostic of the first file.
fn rules(json: &Value) -> Vec<(String, u64)> {
    json["files"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn the_pitfalls_behave_as_described() {
    let dir = tempdir();
    let path = dir.path().join("pm.md");
    write(&path, PITFALLS);
    let (code, json) = lint_json(&[], &path);
    assert_eq!(code, 1);
    let found = rules(&json);
    assert!(found.contains(&("named-individual".into(), 5)), "{found:?}");
    assert!(found.contains(&("who-question".into(), 7)), "{found:?}");
    assert!(found.contains(&("vague-action".into(), 25)), "{found:?}");
    assert!(
        !found.contains(&("vague-action".into(), 26)),
        "a specific step is not vague: {found:?}"
    );
    assert!(found.contains(&("missing-owner".into(), 26)), "{found:?}");
    assert!(found.contains(&("missing-due".into(), 26)), "{found:?}");

    let who = json["files"][0]["diagnostics"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["rule"] == "who-question"))
        .expect("who-question");
    assert_eq!(who["suggestion"], "\"How was this step missed?\"");
    assert_eq!(who["category"], "blame");
    for key in [
        "rule",
        "category",
        "severity",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "suggestion",
    ] {
        assert!(who.get(key).is_some(), "missing {key}");
    }
    let priya = json["files"][0]["diagnostics"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["rule"] == "named-individual"))
        .expect("named");
    assert_eq!(
        (
            priya["line"].as_u64(),
            priya["column"].as_u64(),
            priya["end_column"].as_u64()
        ),
        (Some(5), Some(1), Some(6))
    );
}

#[test]
fn a_clean_postmortem_exits_zero() {
    let dir = tempdir();
    let path = dir.path().join("clean.md");
    let clean = PITFALLS
        .replace(
            "Priya saved us.",
            "The on-call engineer rolled back within minutes.",
        )
        .replace("Who missed this step?", "How was this step missed?")
        .replace(
            "Be more careful with migrations",
            "Require expand-contract migrations in the deploy checklist",
        )
        .replace(
            "fails on DROP COLUMN",
            "fails on DROP COLUMN (owner: Platform, due: 2026-07-01)",
        );
    write(&path, &clean);
    let assert = debrief()
        .args(["lint", "--today", "2026-06-20"])
        .arg(&path)
        .assert();
    assert_eq!(
        assert.get_output().status.code(),
        Some(0),
        "{}",
        stdout(&assert)
    );
    assert!(stdout(&assert).contains("no findings"));
}

#[test]
fn human_output_points_at_the_words() {
    let dir = tempdir();
    let path = dir.path().join("pm.md");
    write(&path, PITFALLS);
    let assert = debrief()
        .args(["lint", "--today", "2026-06-20"])
        .arg(&path)
        .assert()
        .code(1);
    let out = stdout(&assert);
    assert!(out.contains("warning[named-individual]"), "{out}");
    assert!(out.contains(&format!("{}:5:1", path.display())), "{out}");
    assert!(out.contains("5 | Priya saved us.\n  | ^^^^^"), "{out}");
    assert!(out.contains("= help:"), "{out}");
    assert!(
        !out.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn sarif_is_2_1_0_with_every_rule() {
    let dir = tempdir();
    let path = dir.path().join("pm.md");
    write(&path, PITFALLS);
    let assert = debrief()
        .args(["lint", "--format", "sarif", "--today", "2026-06-20"])
        .arg(&path)
        .assert()
        .code(1);
    let sarif: Value = serde_json::from_str(&stdout(&assert)).expect("valid JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), debrief_lint::RULES.len());
    for result in run["results"].as_array().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(matches!(
            result["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        let region = &result["locations"][0]["physicalLocation"]["region"];
        let number = |key: &str| region[key].as_u64().expect("region numbers");
        assert!(number("startLine") >= 1);
        assert!(
            number("endLine") > number("startLine") || number("endColumn") > number("startColumn"),
            "SARIF regions are never empty"
        );
    }
}

#[test]
fn github_annotations() {
    let dir = tempdir();
    let path = dir.path().join("pm.md");
    write(&path, PITFALLS);
    let assert = debrief()
        .args(["lint", "--format", "github", "--today", "2026-06-20"])
        .arg(&path)
        .assert()
        .code(1);
    let out = stdout(&assert);
    assert!(
        out.lines().all(|l| l.starts_with("::error ")
            || l.starts_with("::warning ")
            || l.starts_with("::notice ")),
        "{out}"
    );
    assert!(
        out.contains(
            ",line=5,col=1,endLine=5,endColumn=6,title=debrief named-individual::names Priya"
        ),
        "{out}"
    );
}

#[test]
fn fix_rewrites_roster_names_and_who_questions_only() {
    let dir = tempdir();
    write(
        &dir.path().join("debrief.toml"),
        "[roster]\n\"Priya\" = \"the on-call engineer\"\n",
    );
    let path = dir.path().join("team").join("pm.md");
    write(&path, PITFALLS);
    let assert = debrief()
        .args(["lint", "--fix", "--today", "2026-06-20"])
        .arg(&path)
        .assert()
        .code(1);
    let log = stderr(&assert);
    assert!(
        log.contains("named-individual: \"Priya\" -> \"The on-call engineer\""),
        "{log}"
    );
    assert!(
        log.contains("who-question: \"Who missed this step?\" -> \"How was this step missed?\""),
        "{log}"
    );
    let after = String::from_utf8(read(&path)).expect("utf-8");
    let expected = PITFALLS
        .replace("Priya saved us.", "The on-call engineer saved us.")
        .replace("Who missed this step?", "How was this step missed?");
    assert_eq!(after, expected, "nothing else changes");
    // Fixed findings are gone; the rest remain.
    let (_, json) = lint_json(&[], &path);
    let found = rules(&json);
    assert!(
        !found
            .iter()
            .any(|(r, _)| r == "named-individual" || r == "who-question"),
        "{found:?}"
    );
    assert!(found.iter().any(|(r, _)| r == "vague-action"));
}

#[test]
fn configuration_is_found_by_walking_up_and_applies() {
    let dir = tempdir();
    write(
        &dir.path().join("debrief.toml"),
        "[lint]\nfail_on = \"error\"\nrequired_sections = [\"summary\"]\n[lint.severity]\nnamed-individual = \"off\"\nvague-action = \"info\"\n",
    );
    let path = dir.path().join("a").join("b").join("pm.md");
    write(&path, PITFALLS);
    let (code, json) = lint_json(&[], &path);
    let found = rules(&json);
    assert!(
        !found.iter().any(|(r, _)| r == "named-individual"),
        "turned off: {found:?}"
    );
    let vague = json["files"][0]["diagnostics"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["rule"] == "vague-action"))
        .expect("vague");
    assert_eq!(vague["severity"], "info");
    // missing-owner is an error by default, and errors fail.
    assert_eq!(code, 1);
}

#[test]
fn an_unknown_rule_in_configuration_is_an_error_with_file_and_line() {
    let dir = tempdir();
    let config = dir.path().join("debrief.toml");
    write(
        &config,
        "[lint.severity]\nhindsight = \"info\"\nblame-langauge = \"off\"\n",
    );
    let path = dir.path().join("pm.md");
    write(&path, PITFALLS);
    let assert = debrief().arg("lint").arg(&path).assert().code(2);
    assert!(
        stderr(&assert).contains(&format!(
            "{}:3:1: unknown rule `blame-langauge`",
            config.display()
        )),
        "{}",
        stderr(&assert)
    );
    let assert = debrief()
        .arg("lint")
        .arg("--config")
        .arg(&config)
        .arg(&path)
        .assert()
        .code(2);
    assert!(stderr(&assert).contains(":3:1:"), "{}", stderr(&assert));
}

#[test]
fn a_comment_disables_the_next_line() {
    let dir = tempdir();
    let path = dir.path().join("pm.md");
    write(
        &path,
        PITFALLS.replace(
            "Priya saved us.",
            "<!-- debrief-disable-next-line named-individual -->\nPriya saved us.",
        ),
    );
    let (_, json) = lint_json(&[], &path);
    assert!(!rules(&json).iter().any(|(r, _)| r == "named-individual"));
}

#[test]
fn overdue_is_measured_against_today() {
    let dir = tempdir();
    let path = dir.path().join("pm.md");
    write(&path, PITFALLS);
    let assert = debrief()
        .args(["lint", "--format", "json", "--today", "2026-07-01"])
        .arg(&path)
        .assert();
    let json: Value = serde_json::from_str(&stdout(&assert)).expect("json");
    assert!(
        json["files"][0]["diagnostics"]
            .as_array()
            .expect("array")
            .iter()
            .any(|d| d["rule"] == "overdue" && d["line"] == 25)
    );
    let (_, json) = lint_json(&[], &path);
    assert!(
        !rules(&json).iter().any(|(r, _)| r == "overdue"),
        "due 2026-06-28 is not overdue on 2026-06-20"
    );
}

#[test]
fn standard_input_and_directories() {
    let assert = debrief()
        .args(["lint", "--format", "json", "-"])
        .write_stdin("# Postmortem: X\n\nWho broke the build?\n")
        .assert()
        .code(1);
    let json: Value = serde_json::from_str(&stdout(&assert)).expect("json");
    assert_eq!(json["files"][0]["path"], "<stdin>");
    assert!(
        json["files"][0]["diagnostics"]
            .as_array()
            .expect("array")
            .iter()
            .any(|d| d["rule"] == "who-question")
    );

    let dir = tempdir();
    for i in 0..12 {
        write(
            &dir.path()
                .join(format!("t{}", i % 3))
                .join(format!("{i:02}.md")),
            PITFALLS,
        );
    }
    write(&dir.path().join("LICENSE"), "MIT License\n");
    let assert = debrief()
        .args(["lint", "--format", "json", "--jobs", "3"])
        .arg(dir.path())
        .assert()
        .code(1);
    let json: Value = serde_json::from_str(&stdout(&assert)).expect("json");
    let paths: Vec<&str> = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(paths.len(), 12);
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "files are reported in a stable order");
}

#[test]
fn fix_refuses_standard_input_and_missing_files_exit_2() {
    debrief()
        .args(["lint", "--fix", "-"])
        .write_stdin("x")
        .assert()
        .code(2);
    let assert = debrief()
        .args(["lint", "/nonexistent/pm.md"])
        .assert()
        .code(2);
    assert!(stderr(&assert).contains("/nonexistent/pm.md"));
}

#[test]
fn explain_lists_and_explains_rules() {
    let assert = debrief().arg("explain").assert().success();
    let out = stdout(&assert);
    for rule in debrief_lint::RULES {
        assert!(
            out.contains(rule.id.as_str()),
            "{} missing from the list",
            rule.id
        );
    }
    let assert = debrief()
        .args(["explain", "who-question"])
        .assert()
        .success();
    let out = stdout(&assert);
    assert!(
        out.contains("Who missed this step?") && out.contains("How was this step missed?"),
        "{out}"
    );
    assert!(out.contains("debrief-disable-next-line who-question"));
    debrief().args(["explain", "no-such-rule"]).assert().code(2);
}

/// A second postmortem whose one finding sits in a paragraph that can be moved.
const STORY: &str = "# Postmortem: Search latency, 2026-05-02

## Summary

Search was slow for an hour.

The engineer should have checked the dashboard.

## Impact

- 1,200 slow searches

## Timeline (UTC)

- 09:00 [detected] Latency alert fires
- 10:00 Cache warmed, latency back to normal

## Root cause analysis

The cache was cold after a deploy.

## Action items

- [ ] Warm the cache before traffic shifts (owner: Search, due: 2026-07-01)
";

/// `debrief lint` run in `dir` with `args`, on 2026-06-20.
fn lint_in(dir: &std::path::Path, args: &[&str]) -> assert_cmd::assert::Assert {
    debrief()
        .current_dir(dir)
        .args(["lint", "--today", "2026-06-20"])
        .args(args)
        .assert()
}

fn exit_code(assert: &assert_cmd::assert::Assert) -> i32 {
    assert.get_output().status.code().unwrap_or(-1)
}

/// Every diagnostic of a JSON report as (path, rule, line).
fn diagnostics(json: &Value) -> Vec<(String, String, u64)> {
    let mut out = Vec::new();
    for file in json["files"].as_array().expect("files") {
        for d in file["diagnostics"].as_array().expect("diagnostics") {
            out.push((
                file["path"].as_str().unwrap_or("").to_string(),
                d["rule"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
            ));
        }
    }
    out
}

#[test]
fn a_baseline_reports_only_new_findings() {
    let dir = tempdir();
    write(&dir.path().join("postmortems/a.md"), PITFALLS);
    write(&dir.path().join("postmortems/b.md"), STORY);
    let assert = lint_in(
        dir.path(),
        &["--write-baseline", "lint-baseline.json", "postmortems"],
    );
    assert_eq!(exit_code(&assert), 0, "{}", stderr(&assert));
    assert_eq!(stdout(&assert), "", "writing a baseline reports nothing");
    assert!(
        stderr(&assert).contains("in 2 files to the baseline lint-baseline.json"),
        "{}",
        stderr(&assert)
    );
    let baseline: Value =
        serde_json::from_slice(&read(&dir.path().join("lint-baseline.json"))).expect("JSON");
    assert_eq!(baseline["version"], 1);
    let entries = baseline["files"]["postmortems/b.md"]
        .as_array()
        .expect("b.md by its path relative to the baseline, with /");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["rule"], "counterfactual");
    assert_eq!(entries[0]["count"], 1);
    let recorded: u64 = baseline["files"]
        .as_object()
        .expect("files")
        .values()
        .flat_map(|e| e.as_array().expect("entries"))
        .map(|e| e["count"].as_u64().expect("count"))
        .sum();

    // Nothing new: clean, from another directory and with another spelling of the paths.
    let elsewhere = tempdir();
    let baseline_path = dir.path().join("lint-baseline.json");
    let assert = debrief()
        .current_dir(elsewhere.path())
        .args(["lint", "--today", "2026-06-20", "--baseline"])
        .arg(&baseline_path)
        .arg(dir.path().join("postmortems/./a.md"))
        .arg(dir.path().join("postmortems/b.md"))
        .assert();
    assert_eq!(exit_code(&assert), 0, "{}", stdout(&assert));
    assert!(
        stdout(&assert).contains("no findings"),
        "{}",
        stdout(&assert)
    );
    assert!(
        stderr(&assert).contains(&format!(
            "{recorded} findings suppressed by the baseline {}",
            baseline_path.display()
        )),
        "{}",
        stderr(&assert)
    );

    // A new blame sentence at the top of a.md shifts every line after it; the paragraph with
    // b.md's finding moves to another section.
    write(
        &dir.path().join("postmortems/a.md"),
        PITFALLS.replace(
            "Priya saved us.",
            "The on-call engineer was careless with the rollout.\n\nPriya saved us.",
        ),
    );
    write(
        &dir.path().join("postmortems/b.md"),
        STORY
            .replace("The engineer should have checked the dashboard.\n\n", "")
            .replace(
                "The cache was cold after a deploy.\n",
                "The cache was cold after a deploy.\n\nThe engineer should have checked the dashboard.\n",
            ),
    );
    let assert = lint_in(
        dir.path(),
        &[
            "--format",
            "json",
            "--baseline",
            "lint-baseline.json",
            "postmortems",
        ],
    );
    assert_eq!(exit_code(&assert), 1);
    let json: Value = serde_json::from_str(&stdout(&assert)).expect("valid JSON");
    assert_eq!(
        diagnostics(&json),
        [(
            "postmortems/a.md".to_string(),
            "blame-language".to_string(),
            5
        )]
    );
    assert_eq!(json["baseline"]["suppressed"], recorded);
    assert_eq!(json["baseline"]["stale"], serde_json::json!([]));

    // Human output: the new finding on standard output, the baseline's part on standard error.
    let assert = lint_in(
        dir.path(),
        &["--baseline", "lint-baseline.json", "postmortems"],
    );
    assert_eq!(exit_code(&assert), 1);
    let out = stdout(&assert);
    assert!(out.contains("error[blame-language]"), "{out}");
    assert!(
        out.contains("1 finding (1 error, 0 warnings, 0 info) in 2 files"),
        "{out}"
    );
    assert!(!out.contains("named-individual"), "{out}");
    assert!(
        stderr(&assert).contains(&format!(
            "{recorded} findings suppressed by the baseline lint-baseline.json"
        )),
        "{}",
        stderr(&assert)
    );

    // Findings under fail_on are new too, but do not fail.
    write(
        &dir.path().join("postmortems/debrief.toml"),
        "[lint.severity]\nblame-language = \"info\"\n",
    );
    let assert = lint_in(
        dir.path(),
        &["--baseline", "lint-baseline.json", "postmortems"],
    );
    assert_eq!(exit_code(&assert), 0, "{}", stdout(&assert));
    assert!(stdout(&assert).contains("info[blame-language]"));
}

#[test]
fn stale_baseline_entries_are_noted() {
    let dir = tempdir();
    write(&dir.path().join("a.md"), PITFALLS);
    write(&dir.path().join("b.md"), STORY);
    lint_in(
        dir.path(),
        &["--write-baseline", "baseline.json", "a.md", "b.md"],
    )
    .code(0);
    // The who-question is rewritten, and b.md is deleted.
    write(
        &dir.path().join("a.md"),
        PITFALLS.replace("Who missed this step?", "How was this step missed?"),
    );
    std::fs::remove_file(dir.path().join("b.md")).expect("remove b.md");
    let assert = lint_in(dir.path(), &["--baseline", "baseline.json", "a.md"]);
    assert_eq!(exit_code(&assert), 0, "{}", stdout(&assert));
    let log = stderr(&assert);
    assert!(
        log.contains("note: 2 baseline entries no longer match a finding"),
        "{log}"
    );
    assert!(log.contains("--write-baseline baseline.json"), "{log}");
    assert!(
        log.contains(
            "  a.md: who-question: \"Who missed this step?\" in \"Who missed this step?\""
        ),
        "{log}"
    );
    assert!(
        log.contains("  b.md: counterfactual: \"should have\""),
        "{log}"
    );

    let assert = lint_in(
        dir.path(),
        &["--format", "json", "--baseline", "baseline.json", "a.md"],
    );
    let json: Value = serde_json::from_str(&stdout(&assert)).expect("valid JSON");
    let stale = json["baseline"]["stale"].as_array().expect("stale");
    let stale: Vec<(&str, &str)> = stale
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap_or(""),
                s["rule"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        stale,
        [("a.md", "who-question"), ("b.md", "counterfactual")]
    );

    // Writing the baseline again drops them.
    lint_in(dir.path(), &["--write-baseline", "baseline.json", "a.md"]).code(0);
    let assert = lint_in(dir.path(), &["--baseline", "baseline.json", "a.md"]);
    assert!(!stderr(&assert).contains("note:"), "{}", stderr(&assert));
}

#[test]
fn identical_findings_are_counted() {
    let dir = tempdir();
    let twice = PITFALLS.replace("Priya saved us.", "Priya saved us.\n\nPriya saved us.");
    write(&dir.path().join("pm.md"), &twice);
    lint_in(dir.path(), &["--write-baseline", "baseline.json", "pm.md"]).code(0);
    let baseline: Value =
        serde_json::from_slice(&read(&dir.path().join("baseline.json"))).expect("JSON");
    let named: Vec<&Value> = baseline["files"]["pm.md"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["rule"] == "named-individual")
        .collect();
    assert_eq!(named.len(), 1, "one entry with a count: {named:?}");
    assert_eq!(named[0]["count"], 2);
    assert_eq!(named[0]["text"], "Priya");
    assert_eq!(named[0]["context"], "Priya saved us.");

    // A third is new.
    write(
        &dir.path().join("pm.md"),
        twice.replace(
            "Priya saved us.\n\nPriya saved us.",
            "Priya saved us.\n\nPriya saved us.\n\nPriya saved us.",
        ),
    );
    let assert = lint_in(
        dir.path(),
        &["--format", "json", "--baseline", "baseline.json", "pm.md"],
    );
    assert_eq!(exit_code(&assert), 1);
    let json: Value = serde_json::from_str(&stdout(&assert)).expect("valid JSON");
    let found = diagnostics(&json);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "named-individual");

    // Fixing one of the two leaves one known finding and one stale count.
    write(&dir.path().join("pm.md"), PITFALLS);
    let assert = lint_in(dir.path(), &["--baseline", "baseline.json", "pm.md"]);
    assert_eq!(exit_code(&assert), 0, "{}", stdout(&assert));
    let log = stderr(&assert);
    assert!(
        log.contains("note: 1 baseline entry no longer matches a finding"),
        "{log}"
    );
    assert!(
        log.contains("pm.md: named-individual: \"Priya\" in \"Priya saved us.\"\n"),
        "{log}"
    );
}

#[test]
fn a_bad_baseline_file_is_an_error_with_its_position() {
    let dir = tempdir();
    write(&dir.path().join("pm.md"), PITFALLS);
    let assert = lint_in(dir.path(), &["--baseline", "missing.json", "pm.md"]).code(2);
    assert!(
        stderr(&assert).contains("missing.json: cannot read the baseline"),
        "{}",
        stderr(&assert)
    );

    write(
        &dir.path().join("broken.json"),
        "{\n  \"version\": 1,\n  \"files\": {\n    \"pm.md\": [\n      {\"rule\": \"who-question\" \"text\": \"\"}\n",
    );
    let assert = lint_in(dir.path(), &["--baseline", "broken.json", "pm.md"]).code(2);
    assert!(
        stderr(&assert).contains("broken.json:5:31: not a debrief baseline: expected `,` or `}`"),
        "{}",
        stderr(&assert)
    );
    assert_eq!(stdout(&assert), "", "nothing is linted");

    write(
        &dir.path().join("shape.json"),
        "{\"version\": 1, \"files\": {\"pm.md\": [{\"rule\": 7}]}}",
    );
    let assert = lint_in(dir.path(), &["--baseline", "shape.json", "pm.md"]).code(2);
    assert!(
        stderr(&assert).contains("shape.json:1:45: not a debrief baseline: invalid type"),
        "{}",
        stderr(&assert)
    );

    write(
        &dir.path().join("future.json"),
        "{\"version\": 9, \"files\": {}}",
    );
    let assert = lint_in(dir.path(), &["--baseline", "future.json", "pm.md"]).code(2);
    assert!(
        stderr(&assert).contains("future.json: baseline version 9 is not supported"),
        "{}",
        stderr(&assert)
    );
}

#[test]
fn write_baseline_refuses_fix_and_standard_input() {
    let dir = tempdir();
    write(&dir.path().join("pm.md"), PITFALLS);
    let assert = lint_in(
        dir.path(),
        &["--fix", "--write-baseline", "baseline.json", "pm.md"],
    )
    .code(2);
    let log = stderr(&assert);
    assert!(
        log.contains("--fix") && log.contains("--write-baseline"),
        "{log}"
    );
    assert!(!dir.path().join("baseline.json").exists());
    assert_eq!(
        String::from_utf8(read(&dir.path().join("pm.md"))).expect("utf-8"),
        PITFALLS,
        "nothing fixed"
    );
    let assert = debrief()
        .args(["lint", "--write-baseline", "baseline.json", "-"])
        .write_stdin("Who broke it?\n")
        .assert()
        .code(2);
    assert!(
        stderr(&assert).contains("standard input"),
        "{}",
        stderr(&assert)
    );
}

#[test]
fn sarif_marks_baselined_results_as_suppressed() {
    let dir = tempdir();
    write(&dir.path().join("pm.md"), PITFALLS);
    lint_in(dir.path(), &["--write-baseline", "baseline.json", "pm.md"]).code(0);
    write(
        &dir.path().join("pm.md"),
        PITFALLS.replace(
            "Priya saved us.",
            "Priya saved us. The on-call engineer was careless.",
        ),
    );
    let assert = lint_in(
        dir.path(),
        &["--format", "sarif", "--baseline", "baseline.json", "pm.md"],
    )
    .code(1);
    let sarif: Value = serde_json::from_str(&stdout(&assert)).expect("valid JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let new: Vec<&str> = results
        .iter()
        .filter(|r| r["baselineState"] == "new")
        .map(|r| r["ruleId"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        new,
        ["blame-language"],
        "the new sentence on a known finding's line"
    );
    assert!(
        results
            .iter()
            .filter(|r| r["baselineState"] == "new")
            .all(|r| r.get("suppressions").is_none())
    );
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r["baselineState"] == "unchanged")
        .collect();
    assert!(
        suppressed.len() >= 5,
        "the recorded findings stay, suppressed"
    );
    for result in suppressed {
        let suppression = &result["suppressions"][0];
        assert_eq!(suppression["kind"], "external");
        assert_eq!(suppression["status"], "accepted");
        assert_eq!(
            suppression["location"]["physicalLocation"]["artifactLocation"]["uri"],
            "baseline.json"
        );
    }
}

#[test]
fn a_baseline_applies_after_fixes() {
    let dir = tempdir();
    write(
        &dir.path().join("debrief.toml"),
        "[roster]\n\"Priya\" = \"the on-call engineer\"\n",
    );
    write(&dir.path().join("pm.md"), PITFALLS);
    lint_in(dir.path(), &["--write-baseline", "baseline.json", "pm.md"]).code(0);
    let assert = lint_in(
        dir.path(),
        &["--fix", "--baseline", "baseline.json", "pm.md"],
    );
    assert_eq!(exit_code(&assert), 0, "{}", stdout(&assert));
    let log = stderr(&assert);
    assert!(log.contains("fixed pm.md:5: named-individual"), "{log}");
    // What was fixed is gone from the file, so its entries are stale.
    assert!(
        log.contains("  pm.md: named-individual: \"Priya\" in \"Priya saved us.\""),
        "{log}"
    );
    assert!(log.contains("  pm.md: who-question:"), "{log}");
}
