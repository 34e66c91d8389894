//! Many writers racing on one postmortem through two server instances on one PostgreSQL:
//! every accepted write is in the history, every rejected one got 409 with the current
//! version, and nothing is lost. The two instances share nothing but the database: each has
//! its own store, pool and HTTP server.

mod common;

use common::server::{Server, read};
use debrief_server::{NewUser, Role, Store};
use reqwest::StatusCode;
use serde_json::json;
use std::collections::HashSet;

const WRITERS: usize = 12;
const ATTEMPTS: usize = 8;

#[tokio::test]
async fn racing_writers_on_two_instances_lose_nothing() {
    let Some(test) = common::postgres("racing_writers_on_two_instances_lose_nothing").await else {
        return;
    };
    let url = test.url.clone().expect("a PostgreSQL URL");
    let user = test
        .store
        .add_user(
            &NewUser {
                username: "writer",
                display_name: "Writer",
                function: "SRE",
                role: Role::Contributor,
                password: "a long enough password",
                team: None,
            },
            None,
        )
        .await
        .expect("user");
    let token = test.store.create_token(&user, "race").await.expect("token");
    let created = test
        .store
        .create_postmortem(&user, "# Postmortem: Race\n\n## Summary\n\nStart.\n")
        .await
        .expect("postmortem");
    let id = created.id;
    let first = Server::start(test.store.clone()).await;
    let second = Server::start(Store::connect(&url).await.expect("second instance")).await;
    let servers = [&first, &second];

    // Each writer reads the current version from one instance and writes through the
    // other, so reads and writes cross instances all the time.
    let mut tasks = Vec::new();
    for writer in 0..WRITERS {
        let read_from = servers[writer % 2].base.clone();
        let write_to = servers[(writer + 1) % 2].base.clone();
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let client = common::server::client();
            let mut outcomes = Vec::new();
            for attempt in 0..ATTEMPTS {
                let response = client
                    .get(format!("{read_from}/api/v1/postmortems/{id}"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .expect("read");
                let (_, current) = read(response).await;
                let version = current["version"].as_i64().expect("version");
                let note = format!("writer {writer} attempt {attempt}");
                let markdown = format!("# Postmortem: Race\n\n## Summary\n\nWritten by {note}.\n");
                let response = client
                    .put(format!("{write_to}/api/v1/postmortems/{id}"))
                    .bearer_auth(&token)
                    .header("if-match", format!("\"{version}\""))
                    .json(&json!({"markdown": markdown, "note": note}))
                    .send()
                    .await
                    .expect("write");
                let (status, body) = read(response).await;
                outcomes.push((note, version, status, body));
            }
            outcomes
        }));
    }
    let mut accepted = Vec::new();
    let mut rejected = 0;
    for task in tasks {
        for (note, based_on, status, body) in task.await.expect("writer") {
            match status {
                StatusCode::OK => {
                    assert_eq!(body["version"], based_on + 1, "{body}");
                    accepted.push((note, body["version"].as_i64().expect("version")));
                }
                StatusCode::CONFLICT => {
                    let current = body["error"]["current_version"].as_i64().expect("current");
                    assert!(current > based_on, "409 names a newer version: {body}");
                    rejected += 1;
                }
                other => panic!("a write got {other}: {body}"),
            }
        }
    }
    assert_eq!(accepted.len() + rejected, WRITERS * ATTEMPTS);
    assert!(
        !accepted.is_empty() && rejected > 0,
        "the writers did race: {} accepted, {rejected} rejected",
        accepted.len()
    );

    // The history holds exactly the accepted writes, each once, at the version it was given.
    let response = first
        .client
        .get(format!("{}/api/v1/postmortems/{id}/versions", second.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("history");
    let (_, history) = read(response).await;
    let versions = history["versions"].as_array().expect("versions");
    assert_eq!(
        versions.len(),
        1 + accepted.len(),
        "version 1 and every accepted write"
    );
    let in_history: HashSet<(String, i64)> = versions[1..]
        .iter()
        .map(|v| {
            (
                v["note"].as_str().expect("note").to_string(),
                v["version"].as_i64().expect("n"),
            )
        })
        .collect();
    let accepted: HashSet<(String, i64)> = accepted.into_iter().collect();
    assert_eq!(in_history, accepted);
    let numbers: Vec<i64> = versions
        .iter()
        .map(|v| v["version"].as_i64().expect("n"))
        .collect();
    assert_eq!(
        numbers,
        (1..=numbers.len() as i64).collect::<Vec<_>>(),
        "no gaps, no repeats"
    );
    println!(
        "{} writes through two instances: {} accepted, {rejected} refused with 409",
        WRITERS * ATTEMPTS,
        versions.len() - 1
    );
    first.stop().await;
    second.stop().await;
    test.finish().await;
}
