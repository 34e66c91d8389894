//! The same thing written twice at once, through two instances of the store on one
//! database: the same evidence file for two postmortems, the same member, the same
//! responders, the same new username. Each write either succeeds (it is idempotent) or is a
//! conflict (a username taken first by the other); none is a database failure, which the
//! API would answer with 500.

mod common;

use debrief_server::store::{ContributionKind, NewContribution, Upload};
use debrief_server::{NewUser, Role, Store, StoreError};

const ROUNDS: usize = 15;

async fn race(first: Store, second: Store) {
    let admin = common::user(&first, "admin", "SRE", Role::Admin).await;
    let dev = common::user(&first, "dev", "Dev", Role::Contributor).await;
    let mut ids = Vec::new();
    for i in 0..ROUNDS * 2 {
        let markdown = format!("# Postmortem: Outage {i}, 2026-06-14\n\n## Summary\n\nDisk.\n");
        ids.push(
            first
                .create_postmortem(&admin, &markdown)
                .await
                .expect("created")
                .id,
        );
    }
    for round in 0..ROUNDS {
        let content = format!("the same log excerpt, round {round}").into_bytes();
        let (a, b) = (ids[2 * round], ids[2 * round + 1]);
        let evidence = |store: Store, id: i64, content: Vec<u8>, admin| async move {
            store
                .contribute(
                    &admin,
                    id,
                    &NewContribution {
                        kind: ContributionKind::Evidence,
                        body: "",
                        happened_at: None,
                        url: None,
                        anonymous: false,
                        file: Some(Upload {
                            name: "log.txt",
                            media_type: "text/plain",
                            content: &content,
                        }),
                    },
                )
                .await
                .map(|_| ())
        };
        let member =
            |store: Store, id: i64, admin| async move { store.add_member(&admin, id, "dev").await };
        let responders = |store: Store, id: i64, admin| async move {
            store
                .set_responders(&admin, id, &["dev".to_string()])
                .await
                .map(|_| ())
        };
        let username = format!("new{round}");
        let add_user = |store: Store, username: String, admin| async move {
            store
                .add_user(
                    &NewUser {
                        username: &username,
                        display_name: "New",
                        function: "SRE",
                        role: Role::Viewer,
                        password: "a long enough password",
                        team: None,
                    },
                    Some(&admin),
                )
                .await
                .map(|_| ())
        };
        let results = [
            tokio::join!(
                evidence(first.clone(), a, content.clone(), admin.clone()),
                evidence(second.clone(), b, content.clone(), admin.clone())
            ),
            tokio::join!(
                member(first.clone(), a, admin.clone()),
                member(second.clone(), a, admin.clone())
            ),
            tokio::join!(
                responders(first.clone(), b, admin.clone()),
                responders(second.clone(), b, admin.clone())
            ),
        ];
        for (what, (x, y)) in ["evidence", "member", "responders"].iter().zip(results) {
            assert!(x.is_ok() && y.is_ok(), "round {round}, {what}: {x:?} {y:?}");
        }
        let (x, y) = tokio::join!(
            add_user(first.clone(), username.clone(), admin.clone()),
            add_user(second.clone(), username.clone(), admin.clone())
        );
        let taken = |r: &Result<(), StoreError>| matches!(r, Err(StoreError::Invalid(m)) | Err(StoreError::Exists(m)) if m.contains("taken"));
        assert!(
            (x.is_ok() && taken(&y)) || (taken(&x) && y.is_ok()),
            "round {round}, user: {x:?} {y:?}"
        );
    }
    let _ = dev;
}

#[tokio::test]
async fn duplicates_at_once_on_sqlite() {
    let test = common::sqlite().await;
    let url = test.url.clone().expect("a SQLite URL");
    let second = Store::connect(&url).await.expect("second instance");
    race(test.store.clone(), second.clone()).await;
    second.close().await;
    test.finish().await;
}

#[tokio::test]
async fn duplicates_at_once_on_postgres() {
    let Some(test) = common::postgres("duplicates_at_once_on_postgres").await else {
        return;
    };
    let url = test.url.clone().expect("a PostgreSQL URL");
    let second = Store::connect(&url).await.expect("second instance");
    race(test.store.clone(), second.clone()).await;
    second.close().await;
    test.finish().await;
}
