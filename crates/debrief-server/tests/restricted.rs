//! The restriction fails closed: a postmortem whose front matter says `restricted` in any
//! form other than a clear "no" (`1`, `"true"`, `'yes'`, or a value that is neither) is
//! stored restricted, and a viewer who is not a member neither reads nor finds it.

mod common;

use debrief_server::store::{Filters, Part};
use debrief_server::{Role, Store, StoreError};

async fn fails_closed(store: &Store) {
    let admin = common::user(store, "admin", "SRE", Role::Admin).await;
    let viewer = common::user(store, "viewer", "Product", Role::Viewer).await;
    for value in ["1", "\"true\"", "'yes'", "on", "maybe"] {
        let markdown = format!(
            "---\ntitle: Secret {value}\nrestricted: {value}\n---\n\n## Summary\n\nA signing key leaked.\n"
        );
        let created = store
            .create_postmortem(&admin, &markdown)
            .await
            .expect("created");
        assert!(created.restricted, "restricted: {value} is stored public");
        assert!(
            matches!(
                store.postmortem(&viewer, created.id).await,
                Err(StoreError::NotFound)
            ),
            "a viewer reads `restricted: {value}`"
        );
    }
    let public = store
        .create_postmortem(
            &admin,
            "---\ntitle: Public\nrestricted: no\n---\n\n## Summary\n\nA disk filled.\n",
        )
        .await
        .expect("created");
    assert!(!public.restricted);
    let listed: Vec<String> = store
        .postmortems(&viewer, &Filters::default())
        .await
        .expect("list")
        .into_iter()
        .map(|p| p.title)
        .collect();
    assert_eq!(listed, ["Public"]);
    let hits = store
        .search(&viewer, "signing key", &Filters::default())
        .await
        .expect("search");
    assert!(hits.is_empty(), "a viewer finds a restricted postmortem");
}

#[tokio::test]
async fn restriction_fails_closed_on_sqlite() {
    let test = common::sqlite().await;
    fails_closed(&test.store).await;
    test.finish().await;
}

#[tokio::test]
async fn restriction_fails_closed_on_postgres() {
    if let Some(test) = common::postgres("restriction_fails_closed_on_postgres").await {
        fails_closed(&test.store).await;
        test.finish().await;
    }
}

/// The facilitator suggestion on a public postmortem tells nothing of a restricted one:
/// its reasons ("ops1 last facilitated 2026-...") come only from postmortems the viewer may
/// see.
async fn suggestion_keeps_the_secret(store: &Store) {
    let admin = common::user(store, "admin", "SRE", Role::Admin).await;
    let ops = common::user(store, "ops1", "Ops", Role::Contributor).await;
    let dev = common::user(store, "dev1", "Dev", Role::Contributor).await;
    let secret = store
        .create_postmortem(
            &admin,
            "---\ntitle: Secret\nrestricted: true\n---\n\n## Summary\n\nA key leaked.\n",
        )
        .await
        .expect("secret");
    store
        .assign(
            &admin,
            secret.id,
            secret.version,
            Part::Facilitator,
            &ops.username,
        )
        .await
        .expect("assigned");
    let public = store
        .create_postmortem(
            &admin,
            "---\ntitle: Public\n---\n\n## Summary\n\nA disk filled.\n",
        )
        .await
        .expect("public");
    let seen_by_dev = store
        .suggest_facilitator(&dev, public.id)
        .await
        .expect("suggestion");
    assert!(
        seen_by_dev.ranking.iter().all(|r| !r.reason.contains("20")),
        "{:?}",
        seen_by_dev.ranking
    );
    // An admin sees every postmortem, and the facilitation counts for them.
    let seen_by_admin = store
        .suggest_facilitator(&admin, public.id)
        .await
        .expect("suggestion");
    assert!(
        seen_by_admin
            .ranking
            .iter()
            .any(|r| r.username == "ops1" && r.reason.contains("ops1 last facilitated 20")),
        "{:?}",
        seen_by_admin.ranking
    );
}

#[tokio::test]
async fn the_suggestion_keeps_the_secret_on_sqlite() {
    let test = common::sqlite().await;
    suggestion_keeps_the_secret(&test.store).await;
    test.finish().await;
}

#[tokio::test]
async fn the_suggestion_keeps_the_secret_on_postgres() {
    if let Some(test) = common::postgres("the_suggestion_keeps_the_secret_on_postgres").await {
        suggestion_keeps_the_secret(&test.store).await;
        test.finish().await;
    }
}
