//! `kill -9` of `debrief serve` in the middle of creating issues, then a restart: every action
//! item ends with its issue, and none with two. The tracker is a slow local fake of GitHub's
//! issues API; the server imports a published postmortem with thirty open items and sends
//! them there.

mod common;

use common::serve::{Serve, add_admin, new_token};
use common::{debrief, tempdir, write};
use debrief_fakes::{FakeGitHub, GITHUB_TOKEN};
use std::time::{Duration, Instant};

const ITEMS: usize = 30;

fn postmortem() -> String {
    let mut text = String::from(
        "---\ntitle: Queue backlog\ndate: 2026-11-02\nstatus: published\n---\n\n# Queue backlog\n\n\
         ## Summary\n\nThe queue backed up.\n\n## Action items\n\n",
    );
    for n in 1..=ITEMS {
        text.push_str(&format!(
            "- [ ] Follow-up number {n} for the queue (owner: @sre, due: 2026-12-{:02})\n",
            n % 28 + 1
        ));
    }
    text
}

/// The references the server's copy of the postmortem has, by reading it over the API.
fn references(base: &str, token: &str) -> Vec<Option<String>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let list: serde_json::Value = client
            .get(format!("{base}/api/v1/postmortems"))
            .bearer_auth(token)
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("json");
        let id = list["postmortems"][0]["id"].as_i64().expect("an id");
        let one: serde_json::Value = client
            .get(format!("{base}/api/v1/postmortems/{id}"))
            .bearer_auth(token)
            .send()
            .await
            .expect("read")
            .json()
            .await
            .expect("json");
        let markdown = one["markdown"].as_str().expect("markdown");
        debrief_core::read(markdown)
            .postmortem
            .action_items()
            .map(|i| i.tracker.clone())
            .collect()
    })
}

#[test]
fn a_killed_server_leaves_no_item_without_its_issue_and_none_with_two() {
    let fake = FakeGitHub::start_in_background();
    fake.state().create_delay = Duration::from_millis(150);
    let dir = tempdir();
    let data = dir.path().join("data");
    let config = dir.path().join("debrief.toml");
    write(
        &config,
        format!(
            "[server]\njob_lease_seconds = 2\n\n[trackers.platform]\nkind = \"github\"\nurl = \"{}\"\n\
             project = \"acme/platform\"\ntoken_env = \"DEBRIEF_TEST_CRASH_TOKEN\"\ndefault = true\n",
            fake.base
        ),
    );
    add_admin(&data);
    let config_arg = config.to_str().expect("a UTF-8 path");
    let envs = [("DEBRIEF_TEST_CRASH_TOKEN", GITHUB_TOKEN)];
    let server = Serve::start_with(&data, &["--config", config_arg], &envs);
    let token = new_token(&server.base, "admin");
    let file = dir.path().join("queue-backlog.md");
    write(&file, postmortem());
    debrief()
        .arg("import")
        .arg(&file)
        .args(["--server", &server.base, "--token", &token])
        .assert()
        .success();

    // Some issues exist, not all: kill -9.
    let deadline = Instant::now() + Duration::from_secs(60);
    while fake.state().issues.len() < 5 {
        assert!(Instant::now() < deadline, "the server created no issues");
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut server = server;
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("reaped");
    let created_before = fake.state().issues.len();
    assert!(
        created_before < ITEMS,
        "the kill came after the work: {created_before}"
    );

    // Restarted on the same store, it finishes the work.
    let server = Serve::start_with(&data, &["--config", config_arg], &envs);
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let references = references(&server.base, &token);
        if references.iter().all(Option::is_some) {
            break;
        }
        if Instant::now() >= deadline {
            // What the queue and the intents say, for the failure's diagnosis (where the
            // sqlite3 shell is installed).
            let db = data.join("debrief.sqlite3");
            if let Ok(out) = std::process::Command::new("sqlite3")
                .arg(&db)
                .arg("SELECT * FROM jobs; SELECT * FROM tracker_intents;")
                .output()
            {
                eprintln!("{}", String::from_utf8_lossy(&out.stdout));
            }
        }
        assert!(
            Instant::now() < deadline,
            "items still without an issue: {}",
            references.iter().filter(|r| r.is_none()).count()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let markers = fake.markers();
    assert_eq!(markers.len(), ITEMS, "one issue per item");
    assert!(
        markers.values().all(|&n| n == 1),
        "an item has two issues: {markers:?}"
    );
    assert_eq!(fake.state().issues.len(), ITEMS);
    println!(
        "killed after {created_before} of {ITEMS} issues; after the restart: {ITEMS} issues, no duplicate"
    );
    server.stop();
}
