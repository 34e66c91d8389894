//! `debrief actions sync|status` against a local fake of GitHub's issues API, on postmortems
//! in a temporary directory: only the items' lines change, a second run changes nothing,
//! and the tracker's states come back.

mod common;

use common::{debrief, stderr, stdout, tempdir, write};
use debrief_fakes::{FakeGitHub, GITHUB_TOKEN};
use std::path::Path;

const TOKEN_ENV: &str = "DEBRIEF_TEST_ACTIONS_TOKEN";

fn config(dir: &Path, fake: &FakeGitHub) {
    write(
        &dir.join("debrief.toml"),
        format!(
            "[trackers.platform]\nkind = \"github\"\nurl = \"{}\"\nproject = \"acme/platform\"\n\
             token_env = \"{TOKEN_ENV}\"\ndefault = true\n\n[trackers.platform.owners]\n\"@sre\" = \"sre-gh\"\n",
            fake.base
        ),
    );
}

fn actions(args: &[&str], path: &Path) -> assert_cmd::assert::Assert {
    debrief()
        .arg("actions")
        .args(args)
        .arg(path)
        .env(TOKEN_ENV, GITHUB_TOKEN)
        .assert()
}

/// The lines that differ between two texts of the same number of lines.
fn changed_lines(before: &str, after: &str) -> Vec<usize> {
    let (a, b): (Vec<&str>, Vec<&str>) =
        (before.split('\n').collect(), after.split('\n').collect());
    assert_eq!(a.len(), b.len(), "lines were added or removed");
    a.iter()
        .zip(&b)
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .map(|(n, _)| n + 1)
        .collect()
}

/// The 1-based lines of the open, untracked items of a document.
fn open_item_lines(text: &str) -> Vec<usize> {
    let read = debrief_core::read(text);
    let normalised = debrief_core::normalise(text);
    let index = debrief_core::LineIndex::new(&normalised);
    read.postmortem
        .action_items()
        .zip(&read.source_map.action_items)
        .filter(|(item, _)| item.tracker.is_none() && !item.is_settled())
        .map(|(_, range)| index.position(range.start).0 as usize)
        .collect()
}

const WRITTEN: &str = "---
title: Checkout errors
date: 2026-06-14
---

# Checkout errors

## Action items

- [ ] Alert on cache connection saturation (owner: @sre, due: 2026-07-01)
- [x] Roll back the client library (owner: @sre)
- [ ] Add a canary stage to the deploy. Owner: @platform
- [ ] Rotate the cache credentials (owner: @sec, tracker: https://github.example/acme/platform/issues/99)

Notes below the list stay as they are.
";

#[test]
fn sync_then_status_on_a_written_postmortem() {
    let fake = FakeGitHub::start_in_background();
    let dir = tempdir();
    config(dir.path(), &fake);
    let path = dir.path().join("2026-06-14-checkout.md");
    write(&path, WRITTEN);

    // A dry run says what it would do and changes nothing.
    let dry = actions(&["sync", "--dry-run"], &path).success();
    assert!(
        stdout(&dry).contains(
            "would create an issue in platform for \"Alert on cache connection saturation\""
        ),
        "{}",
        stdout(&dry)
    );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), WRITTEN);
    assert!(fake.state().issues.is_empty());

    let run = actions(&["sync"], &path).success();
    let out = stdout(&run);
    assert!(
        out.contains("2 issues created, 0 found from an earlier run"),
        "{out}"
    );
    let synced = std::fs::read_to_string(&path).expect("read");
    assert_eq!(changed_lines(WRITTEN, &synced), [10, 12], "{synced}");
    assert!(synced.contains(
        "- [ ] Alert on cache connection saturation (owner: @sre, due: 2026-07-01, tracker: https://github.example/acme/platform/issues/1)"
    ), "{synced}");
    assert!(synced.contains(
        "- [ ] Add a canary stage to the deploy. (owner: @platform, tracker: https://github.example/acme/platform/issues/2)"
    ), "{synced}");
    {
        let state = fake.state();
        let first = &state.issues[0];
        assert_eq!(first["title"], "Alert on cache connection saturation");
        assert_eq!(first["assignees"][0]["login"], "sre-gh");
        let body = first["body"].as_str().expect("a body");
        assert!(body.contains("**Checkout errors** (2026-06-14)"), "{body}");
        assert!(body.contains("Due: 2026-07-01"), "{body}");
    }

    // Again: nothing to do.
    let again = actions(&["sync"], &path).success();
    assert!(
        stdout(&again).contains("0 issues created"),
        "{}",
        stdout(&again)
    );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), synced);
    assert_eq!(fake.state().issues.len(), 2);

    // The tracker closes one as completed and one as not planned.
    fake.close(1, "completed");
    fake.close(2, "not_planned");
    // Issue 99 is the tracker's but does not exist: an error for that item, said, and the
    // others go on.
    let status = actions(&["status"], &path).code(2);
    assert!(
        stdout(&status).contains("2 items changed, 0 unchanged, 1 failed"),
        "{}",
        stdout(&status)
    );
    assert!(
        stderr(&status).contains(":13: reading a GitHub issue: 404 Not Found: Not Found"),
        "{}",
        stderr(&status)
    );
    let settled = std::fs::read_to_string(&path).expect("read");
    assert_eq!(changed_lines(&synced, &settled), [10, 12], "{settled}");
    assert!(
        settled.contains("- [x] Alert on cache connection saturation"),
        "{settled}"
    );
    assert!(settled.contains("(owner: @platform, tracker: https://github.example/acme/platform/issues/2, declined: not planned)"), "{settled}");

    // Reopened: open again.
    fake.reopen(1);
    actions(&["status"], &path);
    let reopened = std::fs::read_to_string(&path).expect("read");
    assert!(
        reopened.contains("- [ ] Alert on cache connection saturation"),
        "{reopened}"
    );
}

#[test]
fn a_missing_token_or_tracker_is_a_clear_error_and_changes_nothing() {
    let fake = FakeGitHub::start_in_background();
    let dir = tempdir();
    config(dir.path(), &fake);
    let path = dir.path().join("pm.md");
    write(&path, WRITTEN);
    let run = debrief()
        .args(["actions", "sync"])
        .arg(&path)
        .env_remove(TOKEN_ENV)
        .assert()
        .code(2);
    assert!(
        stderr(&run).contains(&format!(
            "the environment variable {TOKEN_ENV} holding its token is not set"
        )),
        "{}",
        stderr(&run)
    );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), WRITTEN);

    let named = WRITTEN.replace("date: 2026-06-14", "date: 2026-06-14\ntracker: jira-ops");
    write(&path, &named);
    let run = actions(&["sync"], &path).code(2);
    assert!(
        stderr(&run).contains("names tracker \"jira-ops\", which debrief.toml does not configure"),
        "{}",
        stderr(&run)
    );
    assert!(fake.state().issues.is_empty());
}

/// A real postmortem from another team: only its open items' lines change, and a second
/// run changes nothing.
#[test]
fn sync_on_a_copy_of_a_corpus_postmortem_changes_only_item_lines() {
    let Some(corpus) = std::env::var_os("DEBRIEF_CORPUS") else {
        println!("SKIPPED: DEBRIEF_CORPUS is not set; set it to ../shared/corpus to run this test");
        return;
    };
    let source = Path::new(&corpus).join("posthog-post-mortems/2025-10-03-surveys-sdk-bug.md");
    let original = std::fs::read_to_string(&source).expect("the corpus postmortem");
    let expected = open_item_lines(&original);
    assert!(expected.len() >= 3, "open items: {expected:?}");
    let fake = FakeGitHub::start_in_background();
    let dir = tempdir();
    config(dir.path(), &fake);
    let path = dir.path().join("surveys-sdk-bug.md");
    write(&path, &original);
    actions(&["sync"], &path).success();
    let synced = std::fs::read_to_string(&path).expect("read");
    assert_eq!(changed_lines(&original, &synced), expected);
    assert_eq!(fake.state().issues.len(), expected.len());
    assert!(fake.markers().values().all(|&n| n == 1));
    assert!(
        open_item_lines(&synced).is_empty(),
        "every open item is tracked"
    );
    actions(&["sync"], &path).success();
    assert_eq!(std::fs::read_to_string(&path).expect("read"), synced);
    assert_eq!(fake.state().issues.len(), expected.len());
}
