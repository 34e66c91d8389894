//! What people read, locked by snapshots: the linter's human output, `show`, `metrics`, the
//! review's Markdown and a page of the published site, over the documents of `tests/data`.
//! A change to any of them shows up as a diff to review (`cargo insta review`).

mod common;

use common::{debrief, stdout, tempdir};
use std::path::Path;

/// The directory of the documents, which the commands run in so that paths in their output
/// are the same on every machine.
fn data() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data"))
}

fn run(args: &[&str]) -> String {
    let assert = debrief()
        .current_dir(data())
        .env("NO_COLOR", "1")
        .args(args)
        .assert();
    stdout(&assert)
}

#[test]
fn lint_for_people() {
    insta::assert_snapshot!(run(&[
        "lint",
        "--today",
        "2026-07-01",
        "checkout-500s.md",
        "queue-backlog.md"
    ]));
}

#[test]
fn show_as_text() {
    insta::assert_snapshot!(run(&["show", "queue-backlog.md"]));
}

#[test]
fn show_as_json() {
    insta::assert_snapshot!(run(&["show", "--format", "json", "queue-backlog.md"]));
}

#[test]
fn metrics_table() {
    insta::assert_snapshot!(run(&["metrics", "checkout-500s.md", "queue-backlog.md"]));
}

#[test]
fn review_markdown() {
    insta::assert_snapshot!(run(&[
        "review",
        "--today",
        "2026-07-01",
        "checkout-500s.md",
        "queue-backlog.md"
    ]));
}

#[test]
fn a_page_of_the_site() {
    let out = tempdir();
    debrief()
        .current_dir(data())
        .args(["publish", "--today", "2026-07-01", "--out"])
        .arg(out.path())
        .arg("queue-backlog.md")
        .assert()
        .success();
    let page = std::fs::read_dir(out.path().join("postmortems"))
        .expect("the site's postmortems")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|e| e == "html"))
        .expect("a postmortem page");
    insta::assert_snapshot!(std::fs::read_to_string(page).expect("page"));
}
