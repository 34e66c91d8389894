//! The workflow: overdue assignments, contributions and evidence files, facilitator and
//! scribe with the rotation, and the gates from draft to closed.

use crate::common::cast::{Cast, READY, declined, evidence};
use debrief_server::Store;
use debrief_server::store::{ContributionKind, Filters, NewContribution, Part, StoreError};
use debrief_server::workflow::State;

crate::on_both_stores!(
    a_resolved_postmortem_nobody_is_assigned_to_is_overdue_everywhere,
    evidence_is_kept_under_a_safe_name_and_type_and_timeline_entries_need_a_time,
    the_rotation_suggests_ops_and_refuses_a_responder_or_the_scribe,
    the_gates_refuse_with_reasons_and_settling_the_last_item_closes,
);

/// Resolved on 2026-06-14 with nobody assigned: overdue, in a read, a list and a search.
async fn a_resolved_postmortem_nobody_is_assigned_to_is_overdue_everywhere(
    store: &Store,
    backend: &str,
) {
    let cast = Cast::new(store).await;
    let (sre, _) = cast.sre_and_ops(store).await;
    let id = cast.revised(store).await.id;
    let ready = cast.ready(store, &sre, id).await;
    assert!(
        ready.assignment.overdue,
        "{backend}: {:?}",
        ready.assignment
    );
    assert_eq!(
        ready.assignment.resolved_at,
        Some(1_781_446_980),
        "the resolved milestone: 14:23 UTC on 2026-06-14"
    );
    let listed = store
        .postmortems(&cast.outsider, &Filters::default())
        .await
        .expect("list");
    assert!(listed.iter().any(|p| p.id == id && p.assignment.overdue));
    let found = store
        .search(&cast.outsider, "rollback", &Filters::default())
        .await
        .expect("search");
    assert!(
        found
            .iter()
            .any(|h| h.postmortem.id == id && h.postmortem.assignment.overdue)
    );
}

/// Contributions carry their author's function; evidence files are stored by content,
/// under a name that stays in its place and a type that is never HTML.
async fn evidence_is_kept_under_a_safe_name_and_type_and_timeline_entries_need_a_time(
    store: &Store,
    _backend: &str,
) {
    let cast = Cast::new(store).await;
    let (sre, _) = cast.sre_and_ops(store).await;
    let id = cast.revised(store).await.id;
    let file = store
        .contribute(&sre, id, &evidence())
        .await
        .expect("evidence");
    let info = file.file.as_ref().expect("file");
    assert_eq!(
        (info.name.as_str(), info.media_type.as_str()),
        ("graph.html", "application/octet-stream")
    );
    let served = store.evidence(&cast.pm, id, file.id).await.expect("served");
    assert_eq!(served.content, b"<script>alert(1)</script>");
    let timeline_without_time = store
        .contribute(
            &sre,
            id,
            &NewContribution {
                kind: ContributionKind::Timeline,
                body: "Pager fires",
                happened_at: None,
                url: None,
                anonymous: false,
                file: None,
            },
        )
        .await;
    assert!(matches!(timeline_without_time, Err(StoreError::Invalid(_))));
}

/// The rotation suggests Ops (no Ops person has facilitated; Dev and Product are not
/// eligible: dev responded, pm is about to be the scribe).
async fn the_rotation_suggests_ops_and_refuses_a_responder_or_the_scribe(
    store: &Store,
    backend: &str,
) {
    let cast = Cast::new(store).await;
    let dev = &cast.dev;
    let (sre, _) = cast.sre_and_ops(store).await;
    let revised = cast.revised(store).await;
    let (id, current) = (revised.id, revised.version);
    let ready = cast.ready(store, &sre, id).await;
    let stale = store.assign(dev, id, current, Part::Scribe, "pm").await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { .. })),
        "{backend}: {stale:?}"
    );
    let scribed = store
        .assign(dev, id, ready.version, Part::Scribe, "pm")
        .await
        .expect("scribe");
    let suggestion = store.suggest_facilitator(dev, id).await.expect("suggest");
    let ranked: Vec<&str> = suggestion
        .ranking
        .iter()
        .map(|r| r.username.as_str())
        .collect();
    assert_eq!(ranked, ["ops"], "{backend}: {suggestion:?}");
    let responder = store
        .assign(dev, id, scribed.version, Part::Facilitator, "dev")
        .await;
    assert!(matches!(responder, Err(StoreError::Invalid(m)) if m.contains("responders")));
    let same = store
        .assign(dev, id, scribed.version, Part::Facilitator, "pm")
        .await;
    assert!(matches!(same, Err(StoreError::Invalid(m)) if m.contains("two different")));
    let assigned = store
        .assign(dev, id, scribed.version, Part::Facilitator, "ops")
        .await
        .expect("facilitator");
    assert!(
        assigned.markdown.contains("facilitator: ops"),
        "{}",
        assigned.markdown
    );
    assert!(!assigned.assignment.overdue);
}

/// Publishing is two steps away; closing is refused until every action item is settled;
/// declined with a reason settles an item as well as done does, the edit that settles the
/// last one closes the postmortem by itself, and a closed postmortem's text no longer
/// changes.
async fn the_gates_refuse_with_reasons_and_settling_the_last_item_closes(
    store: &Store,
    backend: &str,
) {
    let cast = Cast::new(store).await;
    let dev = &cast.dev;
    let (sre, ops) = cast.sre_and_ops(store).await;
    let id = cast.revised(store).await.id;
    let ready = cast.ready(store, &sre, id).await;
    let scribed = store
        .assign(dev, id, ready.version, Part::Scribe, "pm")
        .await
        .expect("scribe");
    let assigned = store
        .assign(dev, id, scribed.version, Part::Facilitator, "ops")
        .await
        .expect("facilitator");
    let skipped = store
        .transition(dev, id, assigned.version, State::Published)
        .await;
    assert!(matches!(skipped, Err(StoreError::Refused(_))));
    let in_review = store
        .transition(dev, id, assigned.version, State::InReview)
        .await
        .expect("review");
    let reviewed = store
        .transition(&ops, id, in_review.version, State::Reviewed)
        .await
        .expect("reviewed");
    let view = store.workflow(dev, id).await.expect("workflow");
    assert_eq!(
        view.roles.missing,
        Vec::<String>::new(),
        "{backend}: dev and pm edited, sre gave evidence"
    );
    let refused = store
        .transition(dev, id, reviewed.version, State::Closed)
        .await;
    assert!(
        matches!(refused, Err(StoreError::Refused(r)) if r.message.starts_with("cannot go from reviewed"))
    );
    let published = store
        .transition(dev, id, reviewed.version, State::Published)
        .await
        .expect("publish");
    assert_eq!(published.status, State::Published);
    assert!(published.markdown.contains("status: published"));
    let refused = store
        .transition(dev, id, published.version, State::Closed)
        .await;
    let Err(StoreError::Refused(refusal)) = refused else {
        panic!("{backend}: closing with an open action item: {refused:?}")
    };
    assert_eq!(
        refusal.message,
        "cannot close: 1 action item is neither done nor declined"
    );
    let closed = store
        .update_postmortem(
            dev,
            id,
            published.version,
            &declined(),
            "decline the CI step",
        )
        .await
        .expect("decline");
    assert_eq!(closed.status, State::Closed, "{backend}");
    assert!(matches!(
        store
            .transition(dev, id, closed.version, State::Closed)
            .await,
        Err(StoreError::Refused(_))
    ));
    assert!(
        closed
            .markdown
            .contains("declined: the schema registry now refuses DROP COLUMN"),
        "{}",
        closed.markdown
    );
    let after = store
        .update_postmortem(dev, id, closed.version, READY, "reopen")
        .await;
    assert!(matches!(after, Err(StoreError::Invalid(m)) if m.contains("closed")));
}
