//! The restriction fails closed: a postmortem whose front matter says `restricted` in any
//! form other than a clear "no" (`1`, `"true"`, `'yes'`, or a value that is neither) is
//! stored restricted, and a viewer who is not a member neither reads nor finds it.

mod common;

use debrief_server::store::Filters;
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
