//! Many writers racing on one postmortem through two server instances on one PostgreSQL:
//! every accepted write is in the history, every rejected one got 409 with the current
//! version, and nothing is lost. The two instances share nothing but the database: each has
//! its own store, pool and HTTP server.

mod common;

use common::server::{Server, read};
use debrief_server::store::Part;
use debrief_server::{NewUser, Role, Store, StoreError};
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

const ROUNDS: usize = 40;

/// "The facilitator is not one of the responders" holds when one instance assigns a person
/// as facilitator while another names the same person a responder: each use case checks and
/// writes in one transaction that locks the postmortem, so one of the two waits for the other
/// and then refuses. Before, each read the other's fact outside its write and both succeeded.
#[tokio::test]
async fn assigning_a_facilitator_and_naming_responders_race_without_breaking_the_rule() {
    let test_name = "assigning_a_facilitator_and_naming_responders_race_without_breaking_the_rule";
    let Some(test) = common::postgres(test_name).await else {
        return;
    };
    let url = test.url.clone().expect("a PostgreSQL URL");
    let mut people = Vec::new();
    for (username, role) in [("lead", Role::Admin), ("dana", Role::Contributor)] {
        let user = test
            .store
            .add_user(
                &NewUser {
                    username,
                    display_name: username,
                    function: "Dev",
                    role,
                    password: "a long enough password",
                    team: None,
                },
                None,
            )
            .await
            .expect("user");
        people.push(user);
    }
    let lead = &people[0];
    let first = test.store.clone();
    let second = Store::connect(&url).await.expect("second instance");
    let (mut assigned, mut named) = (0, 0);
    for round in 0..ROUNDS {
        let created = first
            .create_postmortem(
                lead,
                &format!("# Postmortem: Round {round}\n\n## Summary\n\nS.\n"),
            )
            .await
            .expect("postmortem");
        let id = created.id;
        let responders = vec!["lead".to_string(), "dana".to_string()];
        let (assignment, naming) = tokio::join!(
            first.assign(lead, id, created.version, Part::Facilitator, "dana"),
            second.set_responders(lead, id, &responders),
        );
        // Exactly one of the two wins; the other is refused with the rule, not a failure.
        match (&assignment, &naming) {
            (Ok(_), Err(StoreError::Invalid(reason))) => {
                assert!(reason.contains("facilitator"), "{reason}");
                assigned += 1;
            }
            (Err(StoreError::Invalid(reason)), Ok(_)) => {
                assert!(reason.contains("responded"), "{reason}");
                named += 1;
            }
            other => panic!("round {round}: both or neither took effect: {other:?}"),
        }
        let stored = second.postmortem(lead, id).await.expect("read back");
        let responders = first.responders(id).await.expect("responders");
        let facilitator = stored.assignment.facilitator.clone();
        assert!(
            !facilitator.as_ref().is_some_and(|f| responders.contains(f)),
            "round {round}: the facilitator {facilitator:?} is among the responders {responders:?}"
        );
    }
    println!(
        "{ROUNDS} races through two instances: the assignment won {assigned}, the responders {named}"
    );
    second.close().await;
    test.finish().await;
}
