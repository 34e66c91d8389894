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
        assert!(out.contains(rule.id), "{} missing from the list", rule.id);
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
