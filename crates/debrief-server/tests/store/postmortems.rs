//! Postmortems: stored canonical, revised with every version kept; a stale write conflicts
//! and changes nothing; viewers do not write; bad Markdown is refused with its position.

use crate::common::cast::{Cast, DRAFT};
use debrief_server::store::StoreError;
use debrief_server::workflow::State;
use debrief_server::{Role, Store};

crate::on_both_stores!(
    a_postmortem_is_stored_canonical_and_revised_with_both_versions_kept,
    a_stale_write_conflicts_and_changes_nothing,
    viewers_read_but_do_not_write,
    bad_markdown_is_refused_with_its_line_and_nothing_is_stored,
);

async fn a_postmortem_is_stored_canonical_and_revised_with_both_versions_kept(
    store: &Store,
    _backend: &str,
) {
    let cast = Cast::new(store).await;
    let created = store
        .create_postmortem(&cast.dev, DRAFT)
        .await
        .expect("create");
    assert_eq!(
        (created.version, created.title.as_str()),
        (1, "Checkout outage")
    );
    assert_eq!(created.status, State::Draft);
    assert!(
        created
            .markdown
            .contains("status: draft\n---\n# Postmortem: Checkout outage, 2026-06-14\n"),
        "stored canonical: {}",
        created.markdown
    );
    let revised = cast.revised_from(store, created.id).await;
    assert_eq!(revised.version, 2);
    let first = store
        .version_markdown(&cast.pm, created.id, 1)
        .await
        .expect("v1");
    assert!(
        first.contains("Checkout failed for 23 minutes.\n"),
        "{first}"
    );
    assert!(
        store
            .version_markdown(&cast.pm, created.id, 3)
            .await
            .is_err()
    );
}

async fn a_stale_write_conflicts_and_changes_nothing(store: &Store, backend: &str) {
    let cast = Cast::new(store).await;
    let revised = cast.revised(store).await;
    let stale = store
        .update_postmortem(&cast.dev, revised.id, 1, DRAFT, "stale")
        .await;
    assert!(
        matches!(
            stale,
            Err(StoreError::Conflict {
                based_on: 1,
                current: 2
            })
        ),
        "{backend}: {stale:?}"
    );
    let history = store
        .history(&cast.outsider, revised.id)
        .await
        .expect("history");
    let notes: Vec<(i64, &str, &str)> = history
        .iter()
        .map(|v| (v.version, v.author.as_str(), v.note.as_str()))
        .collect();
    assert_eq!(
        notes,
        vec![(1, "dev", "created"), (2, "pm", "add the cause")]
    );
}

async fn viewers_read_but_do_not_write(store: &Store, _backend: &str) {
    let cast = Cast::new(store).await;
    let revised = cast.revised(store).await;
    assert!(store.postmortem(&cast.outsider, revised.id).await.is_ok());
    let viewer_write = store
        .update_postmortem(&cast.outsider, revised.id, 2, DRAFT, "")
        .await;
    assert!(matches!(viewer_write, Err(StoreError::Forbidden(_))));
}

async fn bad_markdown_is_refused_with_its_line_and_nothing_is_stored(store: &Store, backend: &str) {
    let dev = crate::common::cast::user(store, "dev", "Dev", Role::Contributor, None).await;
    let broken = store
        .create_postmortem(&dev, "---\ntitle: [unclosed\n---\n\n## Summary\n")
        .await;
    assert!(
        matches!(&broken, Err(StoreError::Invalid(m)) if m.starts_with("line ")),
        "{backend}: {broken:?}"
    );
    let listed = store
        .postmortems(&dev, &Default::default())
        .await
        .expect("list");
    assert!(listed.is_empty(), "{backend}: {listed:?}");
}
