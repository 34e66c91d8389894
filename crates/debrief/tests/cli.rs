//! End-to-end tests of the `debrief` binary: each test runs the real executable on files in a
//! temporary directory and checks what a user sees (exit code, stdout, stderr, files on disk).
//!
//! Exit codes: 0 fine, 1 findings or changes, 2 usage or I/O error.

mod common;

use assert_cmd::assert::Assert;
use common::{debrief, read, stderr, stdout, tempdir, write};
use serde_json::{Value, json};
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The canonical classic example shared with debrief-core's tests.
const CLASSIC: &str = include_str!("../../debrief-core/tests/fixtures/classic.md");

/// A copy of classic.md in a fresh temporary directory.
fn classic_copy() -> (TempDir, PathBuf) {
    let dir = tempdir();
    let path = dir.path().join("classic.md");
    write(&path, CLASSIC);
    (dir, path)
}

/// `debrief show --format json <path>`, parsed; the command must exit 0.
fn show_json(path: &Path) -> Value {
    let assert = debrief()
        .args(["show", "--format", "json"])
        .arg(path)
        .assert()
        .success();
    serde_json::from_str(&stdout(&assert)).expect("show --format json prints valid JSON")
}

/// The classic example, made messy: a table timeline, `Contributing Factors` as written by
/// hand, and CRLF line endings.
fn messy_classic() -> String {
    let text = "# Postmortem: Checkout 500 errors, 2026-06-14

## Summary

A schema migration removed a column still read by an old pod, causing 7%
of checkout requests to 500 for 23 minutes.

## Impact

- 4,812 failed checkouts
- Estimated revenue impact: $18,400
- Customer complaints: 37

## Timeline

| Time (UTC) | Event |
|------------|-------|
| 14:02 | Migration deploy starts |
| 14:05 | Error rate alert fires |
| 14:11 | On-call paged, starts investigation |
| 14:19 | Rollback initiated |
| 14:25 | Error rate returns to baseline |

## Contributing Factors

Migration dropped column `legacy_promo_id`. Two pods running the prior
release still SELECTed that column.

## Action items

- [ ] Adopt expand-contract migration policy (owner: A, due: 2 weeks)
- [ ] Add migration linter that flags drops (owner: B, due: 4 weeks)
- [ ] Update runbook (owner: C, due: 1 week)
";
    text.replace('\n', "\r\n")
}

// ---------------------------------------------------------------------------------------------
// debrief new

fn new_checkout(dir: &Path) -> Assert {
    debrief()
        .args([
            "new",
            "--title",
            "Checkout 500 errors",
            "--date",
            "2026-06-14",
            "--severity",
            "SEV2",
            "--dir",
        ])
        .arg(dir)
        .assert()
}

#[test]
fn new_creates_the_file_named_by_date_and_title_and_prints_its_path() {
    let dir = tempdir();
    let expected = dir.path().join("2026-06-14-checkout-500-errors.md");

    let assert = new_checkout(dir.path()).success();
    assert_eq!(stdout(&assert), format!("{}\n", expected.display()));
    assert!(expected.is_file(), "{} was not created", expected.display());

    let json = show_json(&expected);
    assert_eq!(json["title"], "Checkout 500 errors");
    assert_eq!(json["date"], "2026-06-14");
    assert_eq!(json["severity"], "SEV2");
}

#[test]
fn new_never_overwrites_an_existing_file() {
    let dir = tempdir();
    let path = dir.path().join("2026-06-14-checkout-500-errors.md");
    new_checkout(dir.path()).success();
    // Something the author wrote since.
    let mut edited = read(&path);
    edited.extend_from_slice(b"\nNotes written by hand.\n");
    write(&path, &edited);

    let assert = new_checkout(dir.path()).code(2);
    assert_eq!(stdout(&assert), "", "nothing is reported as created");
    assert!(
        stderr(&assert).contains(&path.display().to_string()),
        "the error names the file: {}",
        stderr(&assert)
    );
    assert_eq!(read(&path), edited, "the existing file was modified");
}

#[test]
fn new_writes_a_canonical_template() {
    let dir = tempdir();
    let path = dir.path().join("2026-06-14-checkout-500-errors.md");
    new_checkout(dir.path()).success();

    let assert = debrief()
        .args(["fmt", "--check"])
        .arg(&path)
        .assert()
        .success();
    assert_eq!(stdout(&assert), "");
}

/// Titles often name a service in a code span. The template must still be canonical.
#[test]
fn new_writes_a_canonical_template_when_the_title_has_inline_markdown() {
    let dir = tempdir();
    let path = dir.path().join("2026-06-14-payments-api-500-errors.md");
    debrief()
        .args([
            "new",
            "--title",
            "`payments-api` 500 errors",
            "--date",
            "2026-06-14",
            "--dir",
        ])
        .arg(dir.path())
        .assert()
        .success();
    assert!(path.is_file(), "{} was not created", path.display());
    assert_eq!(show_json(&path)["title"], "`payments-api` 500 errors");

    let assert = debrief().args(["fmt", "--check"]).arg(&path).assert();
    assert_eq!(
        stdout(&assert),
        "",
        "fmt --check wants to change the fresh template"
    );
    assert.code(0);
}

#[test]
fn new_rejects_an_empty_title() {
    let dir = tempdir();
    let assert = debrief()
        .args(["new", "--title", "   ", "--dir"])
        .arg(dir.path())
        .assert()
        .code(2);
    assert!(stderr(&assert).contains("--title"), "{}", stderr(&assert));
    assert_eq!(
        fs::read_dir(dir.path())
            .expect("list the directory")
            .count(),
        0,
        "no file is created"
    );
}

// ---------------------------------------------------------------------------------------------
// debrief fmt

#[test]
fn fmt_check_accepts_the_classic_example_silently() {
    let (_dir, path) = classic_copy();
    let assert = debrief()
        .args(["fmt", "--check"])
        .arg(&path)
        .assert()
        .success();
    assert_eq!(stdout(&assert), "");
    assert_eq!(stderr(&assert), "");
    assert_eq!(read(&path), CLASSIC.as_bytes());
}

#[test]
fn fmt_leaves_the_classic_example_alone() {
    let (_dir, path) = classic_copy();
    let assert = debrief().arg("fmt").arg(&path).assert().success();
    assert_eq!(stdout(&assert), "");
    assert_eq!(read(&path), CLASSIC.as_bytes());
}

#[test]
fn fmt_check_lists_a_messy_file_and_does_not_touch_it() {
    let dir = tempdir();
    let path = dir.path().join("messy.md");
    write(&path, messy_classic());

    let assert = debrief()
        .args(["fmt", "--check"])
        .arg(&path)
        .assert()
        .code(1);
    assert_eq!(stdout(&assert), format!("{}\n", path.display()));
    assert_eq!(read(&path), messy_classic().as_bytes());
}

#[test]
fn fmt_diff_shows_the_change_and_does_not_touch_the_file() {
    let dir = tempdir();
    let path = dir.path().join("dated.md");
    let text = "# January 23rd, 2019 Prow Outage\n\n## Root Cause\n\nA config change.\n";
    write(&path, text);

    let assert = debrief()
        .args(["fmt", "--diff"])
        .arg(&path)
        .assert()
        .code(1);
    let out = stdout(&assert);
    let name = path.display().to_string();
    assert!(
        out.starts_with(&format!("--- {name}\n+++ {name}\n")),
        "{out}"
    );
    assert!(
        out.contains(
            "-# January 23rd, 2019 Prow Outage\n+# Postmortem: January 23rd, 2019 Prow Outage\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("-## Root Cause\n+## Root cause analysis\n"),
        "{out}"
    );
    assert_eq!(read(&path), text.as_bytes());

    // Nothing to change: no output, exit 0.
    debrief().args(["fmt"]).arg(&path).assert().success();
    debrief()
        .args(["fmt", "--diff"])
        .arg(&path)
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn fmt_rewrites_a_messy_file_keeping_its_timeline_and_action_items() {
    let dir = tempdir();
    let path = dir.path().join("messy.md");
    write(&path, messy_classic());
    let before = show_json(&path);
    assert_eq!(
        before["timeline"].as_array().map(Vec::len),
        Some(5),
        "the table timeline is read: {before:#}"
    );

    let assert = debrief().arg("fmt").arg(&path).assert().success();
    assert_eq!(stdout(&assert), format!("formatted {}\n", path.display()));

    let text = String::from_utf8(read(&path)).expect("the rewritten file is UTF-8");
    assert!(!text.contains('\r'), "CRLF line endings remain:\n{text}");
    assert!(
        text.contains("## Timeline (UTC)\n\n- 14:02 Migration deploy starts\n"),
        "timeline not a list:\n{text}"
    );
    assert!(
        text.contains("\n## Contributing factors\n"),
        "heading not canonical:\n{text}"
    );

    debrief()
        .args(["fmt", "--check"])
        .arg(&path)
        .assert()
        .success()
        .stdout("");

    let after = show_json(&path);
    for key in ["title", "date", "timeline", "metrics", "action_items"] {
        assert_eq!(after[key], before[key], "`{key}` changed when formatting");
    }
}

#[test]
fn fmt_is_idempotent() {
    let dir = tempdir();
    let path = dir.path().join("messy.md");
    write(&path, messy_classic());
    debrief().arg("fmt").arg(&path).assert().success();
    let once = read(&path);

    let assert = debrief().arg("fmt").arg(&path).assert().success();
    assert_eq!(stdout(&assert), "", "a formatted file is formatted again");
    assert_eq!(read(&path), once);
}

/// A title with a code span in the front matter: `fmt` must not add a second title heading.
#[test]
fn fmt_is_idempotent_when_the_title_has_inline_markdown() {
    let dir = tempdir();
    let path = dir.path().join("2026-06-14-payments-api.md");
    let original = "---
title: \"`payments-api` 500 errors\"
date: 2026-06-14
severity: SEV2
---
# Postmortem: `payments-api` 500 errors, 2026-06-14

## Summary

The payments API returned 500s.
";
    write(&path, original);

    debrief().arg("fmt").arg(&path).assert().success();
    let once = String::from_utf8(read(&path)).expect("the rewritten file is UTF-8");
    debrief().arg("fmt").arg(&path).assert().success();
    let twice = String::from_utf8(read(&path)).expect("the rewritten file is UTF-8");

    let headings = |text: &str| text.lines().filter(|l| l.starts_with("# ")).count();
    assert_eq!(headings(&once), 1, "after one fmt:\n{once}");
    assert_eq!(headings(&twice), 1, "after two fmt runs:\n{twice}");
    assert_eq!(once, twice, "fmt is not idempotent");
    debrief()
        .args(["fmt", "--check"])
        .arg(&path)
        .assert()
        .success()
        .stdout("");
}

#[test]
fn fmt_walks_a_directory_and_checks_only_postmortems() {
    let dir = tempdir();
    let messy = dir.path().join("sub").join("messy.md");
    let classic = dir.path().join("classic.md");
    let license = dir.path().join("LICENSE");
    write(&messy, messy_classic());
    write(&classic, CLASSIC);
    write(
        &license,
        "MIT License\r\n\r\nPermission is hereby granted\r\n",
    );

    let assert = debrief()
        .args(["fmt", "--check"])
        .arg(dir.path())
        .assert()
        .code(1);
    assert_eq!(stdout(&assert), format!("{}\n", messy.display()));

    let assert = debrief().arg("fmt").arg(dir.path()).assert().success();
    assert_eq!(stdout(&assert), format!("formatted {}\n", messy.display()));
    assert_eq!(
        read(&license),
        b"MIT License\r\n\r\nPermission is hereby granted\r\n"
    );
    assert_eq!(read(&classic), CLASSIC.as_bytes());
}

#[test]
fn fmt_refuses_a_file_with_broken_front_matter() {
    let dir = tempdir();
    let path = dir.path().join("broken.md");
    let original = "---\ntitle: [unclosed\n---\n# x\n";
    write(&path, original);

    for check in [false, true] {
        let mut command = debrief();
        command.arg("fmt");
        if check {
            command.arg("--check");
        }
        let assert = command.arg(&path).assert().code(2);
        let err = stderr(&assert);
        // The `[` that is never closed: line 2, column 8.
        let location = format!("{}:2:8:", path.display());
        assert!(
            err.contains(&location),
            "--check={check}: no `{location}` in:\n{err}"
        );
        assert!(err.contains("front matter"), "--check={check}: {err}");
        assert_eq!(stdout(&assert), "", "--check={check}");
        assert_eq!(
            read(&path),
            original.as_bytes(),
            "--check={check}: the file was modified"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// debrief show

#[test]
fn show_json_contract_on_the_classic_example() {
    let (_dir, path) = classic_copy();
    let json = show_json(&path);

    assert_eq!(json["path"], path.display().to_string());
    assert_eq!(json["title"], "Checkout 500 errors");
    assert_eq!(json["date"], "2026-06-14");
    assert!(
        json.get("severity").is_some_and(Value::is_null),
        "classic.md has no severity: {json:#}"
    );

    let timeline = json["timeline"].as_array().expect("timeline is an array");
    assert_eq!(timeline.len(), 5, "{json:#}");
    for entry in timeline {
        let object = entry.as_object().expect("a timeline entry is an object");
        let keys: Vec<&str> = object.keys().map(String::as_str).collect();
        assert_eq!(keys, ["at", "text", "milestone"]);
    }
    assert_eq!(timeline[0]["at"], "2026-06-14T14:02:00Z");
    assert_eq!(timeline[0]["text"], "Migration deploy starts");
    assert_eq!(timeline[4]["at"], "2026-06-14T14:25:00Z");
    let milestones: Vec<&Value> = timeline.iter().map(|e| &e["milestone"]).collect();
    assert_eq!(
        milestones,
        [
            &json!("started"),
            &json!("detected"),
            &json!("acknowledged"),
            &Value::Null,
            &json!("resolved")
        ]
    );

    assert_eq!(
        json["metrics"],
        json!({
            "duration_s": 1380,
            "time_to_detect_s": 180,
            "time_to_acknowledge_s": 540,
            "time_to_mitigate_s": 1380,
            "time_to_resolve_s": 1380,
        })
    );

    let items = json["action_items"]
        .as_array()
        .expect("action_items is an array");
    assert_eq!(items.len(), 3, "{json:#}");
    let owners: Vec<&Value> = items.iter().map(|i| &i["owner"]).collect();
    assert_eq!(owners, [&json!("A"), &json!("B"), &json!("C")]);
    let due: Vec<&Value> = items.iter().map(|i| &i["due"]).collect();
    assert_eq!(
        due,
        [
            &json!("2026-06-28"),
            &json!("2026-07-12"),
            &json!("2026-06-21")
        ]
    );
    assert!(items.iter().all(|i| i["done"] == json!(false)), "{json:#}");
    assert_eq!(items[0]["text"], "Adopt expand-contract migration policy");
    assert_eq!(items[0]["due_written"], "2 weeks");

    assert!(json["diagnostics"].is_array(), "{json:#}");
}

#[test]
fn show_text_mentions_the_title_and_timeline() {
    let (_dir, path) = classic_copy();
    let assert = debrief().arg("show").arg(&path).assert().success();
    let out = stdout(&assert);
    assert!(out.starts_with("Checkout 500 errors\n"), "{out}");
    assert!(out.contains("Timeline (5 entries"), "{out}");
    assert!(out.contains("Action items (3)"), "{out}");
}

#[test]
fn show_reports_a_missing_file() {
    let dir = tempdir();
    let path = dir.path().join("no-such-postmortem.md");
    let assert = debrief().arg("show").arg(&path).assert().code(2);
    assert_eq!(stdout(&assert), "");
    let err = stderr(&assert);
    assert!(
        err.contains(&path.display().to_string()),
        "the error does not name the file:\n{err}"
    );
}

#[test]
fn show_reports_where_a_file_is_not_utf8() {
    let dir = tempdir();
    let path = dir.path().join("latin1.md");
    // Line 3, column 4: the Latin-1 byte 0xE9 ("é").
    write(&path, b"# Postmortem: Cafe\n\ncaf\xe9 down\n");
    let assert = debrief().arg("show").arg(&path).assert().code(2);
    let err = stderr(&assert);
    let location = format!("{}:3:4:", path.display());
    assert!(err.contains(&location), "no `{location}` in:\n{err}");
    assert!(err.contains("UTF-8"), "{err}");
}

/// Diagnostics count columns in characters (see `debrief_core::Span`); the UTF-8 error should
/// too, so that `path:line:column` means the same thing in every message.
#[test]
fn show_counts_the_not_utf8_column_in_characters() {
    let dir = tempdir();
    let path = dir.path().join("mixed.md");
    // Line 3 is "Über" and then an invalid byte: four characters (five bytes) before it.
    write(&path, b"# Postmortem: Outage\n\n\xc3\x9cber\xff\n");
    let assert = debrief().arg("show").arg(&path).assert().code(2);
    let err = stderr(&assert);
    let location = format!("{}:3:5:", path.display());
    assert!(err.contains(&location), "no `{location}` in:\n{err}");
}

// ---------------------------------------------------------------------------------------------
// debrief metrics

struct Tree {
    dir: TempDir,
    classic: PathBuf,
    dns: PathBuf,
    no_extension: PathBuf,
}

/// classic.md, a second postmortem in a subdirectory, a Markdown file without an extension, and
/// files that are not postmortems.
fn tree() -> Tree {
    let dir = tempdir();
    let classic = dir.path().join("classic.md");
    write(&classic, CLASSIC);
    let dns = dir.path().join("2026").join("2026-05-01-dns.md");
    write(
        &dns,
        "---
title: DNS outage
date: 2026-05-01
severity: SEV1
---
# Postmortem: DNS outage, 2026-05-01

## Timeline (UTC)

- 09:00 [started] Resolver config pushed
- 09:10 [detected] Synthetic checks fail
- 09:15 [acknowledged] On-call acknowledges the page
- 09:30 [mitigated] Config reverted
- 10:00 [resolved] All resolvers healthy
",
    );
    let no_extension = dir.path().join("PM2022-009 - Some title");
    // No extension, and no date: a timeline entry says it tells of an incident.
    write(
        &no_extension,
        "# Some title\n\nWhat happened.\n\n## Timeline\n\n- 10:00 The queue stalls\n",
    );
    write(
        &dir.path().join("LICENSE"),
        "MIT License\n\nPermission is hereby granted, free of charge.\n",
    );
    write(&dir.path().join("notes.txt"), "# Not a postmortem\n");
    Tree {
        dir,
        classic,
        dns,
        no_extension,
    }
}

#[test]
fn metrics_csv() {
    let tree = tree();
    let assert = debrief()
        .args(["metrics", "--format", "csv"])
        .arg(tree.dir.path())
        .assert()
        .success();
    let out = stdout(&assert);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some(
            "path,title,date,severity,time_to_detect_s,time_to_acknowledge_s,time_to_mitigate_s,time_to_resolve_s,duration_s"
        )
    );
    assert_eq!(lines.len(), 4, "a header and three rows:\n{out}");
    assert!(
        !out.contains("LICENSE") && !out.contains("notes.txt"),
        "{out}"
    );

    let row = |path: &Path| -> String {
        let prefix = format!("{},", path.display());
        lines
            .iter()
            .find(|l| l.starts_with(&prefix))
            .map(|l| (*l).to_string())
            .unwrap_or_else(|| panic!("no row for {prefix}\n{out}"))
    };
    assert_eq!(
        row(&tree.classic),
        format!(
            "{},Checkout 500 errors,2026-06-14,,180,540,1380,1380,1380",
            tree.classic.display()
        )
    );
    assert_eq!(
        row(&tree.dns),
        format!(
            "{},DNS outage,2026-05-01,SEV1,600,900,1800,3600,3600",
            tree.dns.display()
        )
    );
    assert!(
        row(&tree.no_extension)
            .starts_with(&format!("{},Some title,", tree.no_extension.display()))
    );
}

#[test]
fn metrics_json() {
    let tree = tree();
    let assert = debrief()
        .args(["metrics", "--format", "json"])
        .arg(tree.dir.path())
        .assert()
        .success();
    let rows: Vec<Value> =
        serde_json::from_str(&stdout(&assert)).expect("metrics --format json prints a JSON array");
    assert_eq!(rows.len(), 3, "{rows:#?}");

    let row = |path: &Path| -> &Value {
        let path = path.display().to_string();
        rows.iter()
            .find(|r| r["path"] == path.as_str())
            .unwrap_or_else(|| panic!("no row for {path}: {rows:#?}"))
    };
    assert_eq!(
        row(&tree.classic),
        &json!({
            "path": tree.classic.display().to_string(),
            "title": "Checkout 500 errors",
            "date": "2026-06-14",
            "severity": null,
            "duration_s": 1380,
            "time_to_detect_s": 180,
            "time_to_acknowledge_s": 540,
            "time_to_mitigate_s": 1380,
            "time_to_resolve_s": 1380,
        })
    );
    let dns = row(&tree.dns);
    assert_eq!(dns["title"], "DNS outage");
    assert_eq!(dns["date"], "2026-05-01");
    assert_eq!(dns["severity"], "SEV1");
    assert_eq!(dns["time_to_detect_s"], 600);
    assert_eq!(dns["time_to_acknowledge_s"], 900);
    assert_eq!(dns["time_to_mitigate_s"], 1800);
    assert_eq!(dns["time_to_resolve_s"], 3600);
    assert_eq!(dns["duration_s"], 3600);
    assert_eq!(row(&tree.no_extension)["title"], "Some title");
}

#[test]
fn metrics_table() {
    let tree = tree();
    let assert = debrief()
        .args(["metrics", "--format", "table"])
        .arg(tree.dir.path())
        .assert()
        .success();
    let out = stdout(&assert);
    assert_eq!(out.lines().count(), 4, "a header and three rows:\n{out}");
    assert!(
        out.lines().next().is_some_and(|h| h.starts_with("title")),
        "{out}"
    );
    assert!(out.contains("Checkout 500 errors"), "{out}");
    assert!(out.contains("DNS outage"), "{out}");
    assert!(out.contains("Some title"), "{out}");
    assert!(!out.contains("MIT License"), "{out}");

    // The table is the default format.
    debrief()
        .arg("metrics")
        .arg(tree.dir.path())
        .assert()
        .success()
        .stdout(out);
}

// ---------------------------------------------------------------------------------------------
// Help and usage errors

#[test]
fn every_subcommand_has_help_with_an_example() {
    for subcommand in ["new", "fmt", "show", "metrics"] {
        let assert = debrief().args([subcommand, "--help"]).assert().success();
        let out = stdout(&assert);
        assert!(
            out.contains("Example"),
            "`debrief {subcommand} --help` has no example:\n{out}"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempdir();
    let file = dir.path().join("f.md");
    write(&file, CLASSIC);
    let file = file.to_str().expect("the temporary path is UTF-8");
    let cases: [&[&str]; 8] = [
        &[],
        &["fmt"],
        &["metrics"],
        &["show"],
        &["show", "--format", "xml", file],
        &["metrics", "--format", "xml", file],
        &["new"],
        &["new", "--title", "x", "--date", "2026-13-01", "--dir", "."],
    ];
    for args in cases {
        let assert = debrief()
            .current_dir(dir.path())
            .args(args)
            .assert()
            .code(2);
        assert!(
            !stderr(&assert).is_empty(),
            "`debrief {}` printed no error",
            args.join(" ")
        );
    }
    assert_eq!(
        fs::read_dir(dir.path())
            .expect("list the directory")
            .count(),
        1,
        "a usage error created a file"
    );
}

#[test]
fn fmt_formats_a_document_whose_milestones_are_out_of_order() {
    // Milestones out of order are a finding to show, not a reason to refuse formatting.
    let dir = tempdir();
    let path = dir.path().join("order.md");
    write(
        &path,
        "# Postmortem: Order,   2026-01-02\n\n## Timeline (UTC)\n\n- 14:00 Deploy\n\
         - 14:10 [resolved] All clear\n- 14:20 [detected] Alert fires\n",
    );
    let shown = debrief().arg("show").arg(&path).assert().code(1);
    assert!(
        stdout(&shown).contains("milestone-order"),
        "{}",
        stdout(&shown)
    );
    debrief().arg("fmt").arg(&path).assert().success();
    let text = String::from_utf8(read(&path)).expect("utf-8");
    assert!(
        text.starts_with("# Postmortem: Order, 2026-01-02\n"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// What is a postmortem when walking a directory: templates, READMEs and index pages, `exclude`
// in debrief.toml, .gitignore and .ignore

/// A postmortem with a date, a timeline and a status.
fn incident(title: &str, date: &str, status: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nstatus: {status}\n---\n\n## Summary\n\nWhat happened to {title}.\n\n\
         ## Timeline (UTC)\n\n- 10:00 [started] Errors rise\n- 10:05 [detected] Alert fires\n\
         - 10:30 [resolved] Rollback completes\n"
    )
}

/// Two postmortems (one a Hugo page bundle's `index.md`), and a README, a template and an
/// index page listing them.
fn tree_with_pages() -> TempDir {
    let dir = tempdir();
    let root = dir.path();
    write(
        &root.join("2026-06-14-checkout.md"),
        incident("Checkout errors", "2026-06-14", "published"),
    );
    write(
        &root.join("2022-12-13-root-filesystem-full/index.md"),
        "---\ntitle: Root filesystem full\nstatus: published\n---\n\n## Timeline\n\n\
         - 18:53 [detected] Disk alert fires\n- 19:10 [resolved] Logs rotated\n",
    );
    write(
        &root.join("README.md"),
        "# Postmortems\n\nOne file per incident: copy the template.\n\n\
         - [Checkout errors](2026-06-14-checkout.md)\n",
    );
    write(
        &root.join("templates/postmortem.md"),
        "# Incident title - YYYY-MM-DD\n\n## Summary\n\n_What happened, in two sentences._\n\n\
         ## Timeline\n\n- HH:MM What happened\n\n## Action items\n\n- [ ] \n",
    );
    write(
        &root.join("incidents/index.md"),
        "---\ntitle: Incidents\n---\n\n# Incidents\n\n- [Root filesystem full](../2022-12-13-root-filesystem-full/)\n",
    );
    dir
}

fn metrics_paths(args: &[&Path]) -> (Vec<String>, String) {
    let assert = debrief()
        .args(["metrics", "--format", "json"])
        .args(args)
        .assert()
        .success();
    let rows: Value = serde_json::from_str(&stdout(&assert)).expect("JSON");
    let mut paths: Vec<String> = rows
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["path"].as_str().unwrap_or("").to_string())
        .collect();
    paths.sort();
    (paths, stderr(&assert))
}

#[test]
fn metrics_review_and_publish_leave_out_templates_readmes_and_index_pages() {
    let tree = tree_with_pages();
    let root = tree.path();
    let (paths, err) = metrics_paths(&[root]);
    assert_eq!(
        paths,
        [
            root.join("2022-12-13-root-filesystem-full/index.md")
                .display()
                .to_string(),
            root.join("2026-06-14-checkout.md").display().to_string(),
        ],
        "a page bundle's index.md is a postmortem"
    );
    assert_eq!(
        err,
        "left out 3 files that are not postmortems: 1 template, 2 pages that tell of no incident (READMEs, indexes, essays) \
         (name a file to take it anyway)\n"
    );

    let assert = debrief()
        .args(["review", "--format", "json", "--today", "2026-11-21"])
        .arg(root)
        .assert()
        .success();
    let review: Value = serde_json::from_str(&stdout(&assert)).expect("JSON");
    assert_eq!(review["postmortems"].as_array().map(Vec::len), Some(2));
    assert!(stderr(&assert).contains("left out 3 files that are not postmortems"));

    let site = root.join("site");
    let assert = debrief()
        .args(["publish", "--today", "2026-11-21", "--out"])
        .arg(&site)
        .arg(root)
        .assert()
        .success();
    assert!(stderr(&assert).contains("left out 3 files that are not postmortems"));
    assert!(
        stderr(&assert).contains("published 2 postmortems"),
        "{}",
        stderr(&assert)
    );
    let pages: Vec<String> = fs::read_dir(site.join("postmortems"))
        .expect("the pages")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(pages.len(), 2, "{pages:?}");

    // Named on the command line, a file is always taken.
    let (paths, err) = metrics_paths(&[
        &root.join("README.md"),
        &root.join("templates/postmortem.md"),
    ]);
    assert_eq!(paths.len(), 2);
    assert_eq!(err, "");
}

#[test]
fn lint_and_fmt_still_take_templates_and_readmes() {
    let tree = tree_with_pages();
    let root = tree.path();
    let assert = debrief()
        .args(["lint", "--format", "json"])
        .arg(root)
        .assert();
    let out = stdout(&assert);
    for file in ["README.md", "templates/postmortem.md", "incidents/index.md"] {
        assert!(
            out.contains(&root.join(file).display().to_string()),
            "lint checks {file}:\n{out}"
        );
    }
    assert!(!stderr(&assert).contains("left out"), "{}", stderr(&assert));
    let assert = debrief()
        .args(["fmt", "--check"])
        .arg(root)
        .assert()
        .code(1);
    assert!(
        stdout(&assert).contains(&root.join("templates/postmortem.md").display().to_string()),
        "{}",
        stdout(&assert)
    );
}

#[test]
fn exclude_in_debrief_toml_applies_to_every_command_that_walks() {
    let dir = tempdir();
    let root = dir.path();
    write(
        &root.join("debrief.toml"),
        "exclude = [\"drafts/\", \"*.wip.md\"]\n\n[lint]\nfail_on = \"error\"\n",
    );
    write(&root.join("a.md"), incident("A", "2026-06-01", "published"));
    write(
        &root.join("drafts/b.md"),
        incident("B", "2026-06-02", "published"),
    );
    write(
        &root.join("c.wip.md"),
        incident("C", "2026-06-03", "published"),
    );
    // A nearer debrief.toml adds its own patterns, relative to its directory, and `!` takes
    // a path back.
    write(
        &root.join("team/debrief.toml"),
        "exclude = [\"/old.md\", \"!keep.wip.md\"]\n",
    );
    write(
        &root.join("team/old.md"),
        incident("Old", "2026-01-01", "published"),
    );
    write(
        &root.join("team/new.md"),
        incident("New", "2026-06-04", "published"),
    );
    write(
        &root.join("team/keep.wip.md"),
        incident("Keep", "2026-06-05", "published"),
    );
    write(
        &root.join("team/sub/old.md"),
        incident("Sub", "2026-06-06", "published"),
    );
    let expected: Vec<String> = ["a.md", "team/keep.wip.md", "team/new.md", "team/sub/old.md"]
        .iter()
        .map(|f| root.join(f).display().to_string())
        .collect();

    let (paths, _) = metrics_paths(&[root]);
    assert_eq!(paths, expected);

    let assert = debrief()
        .args(["lint", "--format", "json"])
        .arg(root)
        .assert();
    let linted: Value = serde_json::from_str(&stdout(&assert)).expect("JSON");
    let mut linted: Vec<String> = linted["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().unwrap_or("").to_string())
        .collect();
    linted.sort();
    // lint lists the files it has something to say about; none of the excluded ones.
    assert!(!linted.is_empty());
    assert!(linted.iter().all(|p| expected.contains(p)), "{linted:?}");

    // fmt --check would rewrite every one of them (front matter becomes a title heading);
    // it lists only those it walked.
    let assert = debrief()
        .args(["fmt", "--check"])
        .arg(root)
        .assert()
        .code(1);
    let mut listed: Vec<String> = stdout(&assert).lines().map(str::to_string).collect();
    listed.sort();
    assert_eq!(listed, expected);

    // Named explicitly, an excluded file is taken.
    let (paths, _) = metrics_paths(&[&root.join("drafts/b.md")]);
    assert_eq!(paths.len(), 1);
    // So is an excluded directory given as the one to walk.
    let (paths, _) = metrics_paths(&[&root.join("drafts")]);
    assert_eq!(paths.len(), 1);
}

#[test]
fn a_bad_exclude_is_an_error_with_its_position() {
    let dir = tempdir();
    write(&dir.path().join("a.md"), CLASSIC);
    write(
        &dir.path().join("debrief.toml"),
        "[roster]\n\"A B\" = \"x\"\n",
    );
    debrief().arg("metrics").arg(dir.path()).assert().success();
    write(
        &dir.path().join("debrief.toml"),
        "\nexclude = \"drafts/\"\n",
    );
    let assert = debrief().arg("metrics").arg(dir.path()).assert().code(2);
    let config = dir.path().join("debrief.toml").display().to_string();
    assert!(
        stderr(&assert).contains(&format!("{config}:2:")),
        "{}",
        stderr(&assert)
    );
    write(
        &dir.path().join("debrief.toml"),
        "exclude = [\"ok/\",\n  \"a/{b\"]\n",
    );
    let assert = debrief().arg("metrics").arg(dir.path()).assert().code(2);
    assert!(
        stderr(&assert).contains(&format!(
            "{config}:2:3: `exclude` pattern \"a/{{b\" is not a glob"
        )),
        "{}",
        stderr(&assert)
    );
    // The postmortems are still measured.
    assert!(stdout(&assert).contains("Checkout 500 errors"));
}

#[test]
fn gitignore_and_ignore_files_and_hidden_directories_are_respected() {
    let dir = tempdir();
    let root = dir.path();
    write(&root.join(".gitignore"), "generated/\n");
    write(&root.join("team/.ignore"), "scratch.md\n");
    write(&root.join("a.md"), incident("A", "2026-06-01", "published"));
    write(
        &root.join("generated/b.md"),
        incident("B", "2026-06-02", "published"),
    );
    write(
        &root.join("team/scratch.md"),
        incident("C", "2026-06-03", "published"),
    );
    write(
        &root.join("team/d.md"),
        incident("D", "2026-06-04", "published"),
    );
    write(
        &root.join(".github/ISSUE_TEMPLATE/incident.md"),
        incident("E", "2026-06-05", "published"),
    );
    let (paths, _) = metrics_paths(&[root]);
    assert_eq!(
        paths,
        [
            root.join("a.md").display().to_string(),
            root.join("team/d.md").display().to_string()
        ],
        "a .gitignore applies outside a Git repository too"
    );
    let assert = debrief()
        .args(["fmt", "--check"])
        .arg(root)
        .assert()
        .code(1);
    assert_eq!(stdout(&assert).lines().count(), 2, "{}", stdout(&assert));
}

// ---------------------------------------------------------------------------------------------
// debrief publish: the status gate and images

#[test]
fn publish_leaves_out_drafts_unless_asked_and_copies_images_from_inside_the_tree() {
    let dir = tempdir();
    let tree = dir.path().join("postmortems");
    let outside = dir.path().join("outside.png");
    write(&outside, b"not in the tree");
    let checkout = tree.join("incidents/2026-06-14-checkout.md");
    write(
        &checkout,
        format!(
            "{}\n## Graphs\n\n![Error rate](images/error%20rate.png)\n\
             ![Diagram](../shared/diagram.svg) ![Secret](../../outside.png)\n\
             ![Gone](images/missing.png) ![Link](images/link.png)\n",
            incident("Checkout errors", "2026-06-14", "published")
        ),
    );
    write(
        &tree.join("incidents/images/error rate.png"),
        b"\x89PNG error rate",
    );
    write(&tree.join("shared/diagram.svg"), "<svg/>");
    std::os::unix::fs::symlink(&outside, tree.join("incidents/images/link.png"))
        .expect("a symbolic link");
    write(
        &tree.join("incidents/2026-06-15-queue.md"),
        format!(
            "{}\n![Queue](images/queue.png)\n",
            incident("Queue backlog", "2026-06-15", "in_review")
        ),
    );

    let site = dir.path().join("site");
    let assert = debrief()
        .args(["publish", "--today", "2026-11-21", "--out"])
        .arg(&site)
        .arg(&tree)
        .assert()
        .success();
    let err = stderr(&assert);
    let at = |line: u32, column: u32| {
        format!(
            "{}:{line}:{column}: warning[image]: image",
            checkout.display()
        )
    };
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            format!(
                "{} ../../outside.png is outside the input tree, not copied; the page shows it as written",
                at(20, 35)
            ),
            format!(
                "{} images/missing.png not found; the page shows it as written",
                at(21, 1)
            ),
            format!(
                "{} images/link.png is outside the input tree, not copied; the page shows it as written",
                at(21, 29)
            ),
            format!(
                "published 1 postmortem (7 files, 2 images) in {}; 1 draft left out (--include-drafts to publish them)",
                site.display()
            ),
        ],
        "{err}"
    );
    let page_dir = site.join("postmortems/2026-06-14-checkout-errors");
    assert_eq!(
        read(&page_dir.join("images/error rate.png")),
        b"\x89PNG error rate"
    );
    assert_eq!(read(&page_dir.join("_/shared/diagram.svg")), b"<svg/>");
    assert!(!page_dir.join("images/link.png").exists());
    let page = String::from_utf8(read(
        &site.join("postmortems/2026-06-14-checkout-errors.html"),
    ))
    .expect("UTF-8");
    assert!(
        page.contains("src=\"2026-06-14-checkout-errors/images/error%20rate.png\""),
        "{page}"
    );
    assert!(page.contains("src=\"2026-06-14-checkout-errors/_/shared/diagram.svg\""));
    assert!(
        !site
            .join("postmortems/2026-06-15-queue-backlog.html")
            .exists()
    );
    let index = String::from_utf8(read(&site.join("index.html"))).expect("UTF-8");
    assert!(!index.contains("Queue backlog"));

    // With --include-drafts the draft is published, marked, and its images are looked for.
    let assert = debrief()
        .args([
            "publish",
            "--include-drafts",
            "--today",
            "2026-11-21",
            "--out",
        ])
        .arg(&site)
        .arg(&tree)
        .assert()
        .success();
    let err = stderr(&assert);
    assert!(
        err.contains("published 2 postmortems, 1 of them drafts"),
        "{err}"
    );
    assert!(err.contains("images/queue.png not found"), "{err}");
    let draft = String::from_utf8(read(
        &site.join("postmortems/2026-06-15-queue-backlog.html"),
    ))
    .expect("UTF-8");
    assert!(draft.contains("<strong>Draft</strong>: not published yet (status: in_review)"));
    let index = String::from_utf8(read(&site.join("index.html"))).expect("UTF-8");
    assert!(index.contains("Queue backlog</a> <span class=\"draft\">draft</span>"));
    let feed = String::from_utf8(read(&site.join("feed.atom"))).expect("UTF-8");
    assert!(feed.contains("<title>[Draft] Queue backlog</title>"));
    // The review page scores write-ups with the lint, as `review` does: none is unchecked.
    let review = String::from_utf8(read(&site.join("review.html"))).expect("UTF-8");
    assert!(review.contains("Write-up"), "{review}");
    assert!(!review.contains("were not linted"), "{review}");
}

#[test]
fn completions_and_manual_pages_come_from_the_one_definition_of_the_arguments() {
    for (shell, expected) in [
        ("bash", "_debrief()"),
        ("zsh", "#compdef debrief"),
        ("fish", "complete -c debrief"),
    ] {
        let assert = debrief().args(["completions", shell]).assert().success();
        let script = stdout(&assert);
        assert!(script.contains(expected), "{shell}: {script}");
        // Every command is offered, the newest included.
        for command in ["lint", "timeline", "lsp", "man"] {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
    }
    let refused = debrief().args(["completions", "tcsh"]).assert().code(2);
    assert!(
        stderr(&refused).contains("invalid value 'tcsh'"),
        "{}",
        stderr(&refused)
    );

    let page = stdout(&debrief().arg("man").assert().success());
    assert!(page.contains(".TH debrief 1"), "{page}");
    assert!(page.contains("lsp"), "{page}");
    let dir = tempdir();
    debrief()
        .args(["man", "--out"])
        .arg(dir.path().join("man1"))
        .assert()
        .success();
    for page in [
        "debrief.1",
        "debrief-lint.1",
        "debrief-lsp.1",
        "debrief-timeline-import-slack.1",
    ] {
        let path = dir.path().join("man1").join(page);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.contains(".TH"), "{page}: {text}");
    }
}
