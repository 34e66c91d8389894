//! Comments: at a place the current version has, by anyone who may change the postmortem,
//! resolved and reopened; an outsider neither reads nor writes those of a restricted one.

use crate::common::cast::{Cast, SECRET};
use debrief_server::Store;
use debrief_server::store::StoreError;

crate::on_both_stores!(comments_sit_at_places_and_are_resolved_and_reopened);

const DOC: &str = "---
title: Queue stalled
date: 2026-06-14
---

## Summary

The consumer stopped.

## Timeline

- 14:05 Alert fired for the queue depth
- 14:30 Consumer restarted
";

async fn comments_sit_at_places_and_are_resolved_and_reopened(store: &Store, backend: &str) {
    let cast = Cast::new(store).await;
    let id = store
        .create_postmortem(&cast.dev, DOC)
        .await
        .expect("created")
        .id;
    let entry = "entry:2026-06-14T14:05:00Z Alert fired for the queue depth";
    let first = store
        .comment(&cast.pm, id, entry, "  Which alert was it?  ")
        .await
        .expect("comment");
    assert_eq!(first.body, "Which alert was it?", "{backend}: trimmed");
    store
        .comment(&cast.dev, id, "section:Summary", "Add the customer impact.")
        .await
        .expect("comment");
    for (anchor, body, why) in [
        (
            "section:Nowhere",
            "text",
            "a place the document does not have",
        ),
        ("document", "   ", "no text"),
    ] {
        let refused = store.comment(&cast.pm, id, anchor, body).await;
        assert!(
            matches!(refused, Err(StoreError::Invalid(_))),
            "{backend}: {why}: {refused:?}"
        );
    }
    assert!(matches!(
        store.comment(&cast.outsider, id, "document", "hi").await,
        Err(StoreError::Forbidden(_))
    ));

    let resolved = store
        .resolve_comment(&cast.dev, id, first.id, true)
        .await
        .expect("resolve");
    assert_eq!(resolved.resolved_by.as_deref(), Some("dev"), "{backend}");
    assert!(resolved.resolved_at.is_some());
    // Resolving again keeps who resolved it first.
    let again = store
        .resolve_comment(&cast.pm, id, first.id, true)
        .await
        .expect("resolve again");
    assert_eq!(again.resolved_by.as_deref(), Some("dev"), "{backend}");
    let reopened = store
        .resolve_comment(&cast.pm, id, first.id, false)
        .await
        .expect("reopen");
    assert_eq!(reopened.resolved_at, None, "{backend}");

    let listed = store.comments(&cast.outsider, id).await.expect("list");
    assert_eq!(
        listed.iter().map(|c| c.anchor.as_str()).collect::<Vec<_>>(),
        [entry, "section:Summary"],
        "{backend}"
    );
    // A comment of another postmortem is not found through this one.
    let other = store
        .create_postmortem(&cast.dev, DOC)
        .await
        .expect("other")
        .id;
    assert!(matches!(
        store
            .resolve_comment(&cast.dev, other, first.id, true)
            .await,
        Err(StoreError::NotFound)
    ));

    let secret = store
        .create_postmortem(&cast.dev, SECRET)
        .await
        .expect("restricted")
        .id;
    store
        .comment(&cast.dev, secret, "document", "Rotate the rest too.")
        .await
        .expect("member comments");
    assert!(matches!(
        store.comments(&cast.pm, secret).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.comment(&cast.pm, secret, "document", "hi").await,
        Err(StoreError::NotFound)
    ));
}
