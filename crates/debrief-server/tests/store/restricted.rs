//! A restricted postmortem: its author and admins see it, members once added; an outsider
//! gets "not found" for it, its history and in lists. Only an admin lifts the restriction.

use crate::common::cast::{Cast, DRAFT, SECRET};
use debrief_server::Store;
use debrief_server::store::{Filters, StoreError};

crate::on_both_stores!(
    a_restricted_postmortem_is_hidden_from_outsiders_and_shown_to_members,
    only_an_admin_lifts_a_restriction_and_anyone_restricts,
    ids_do_not_tell_how_many_postmortems_are_hidden,
);

/// Issue 12, 8: ids were sequential, so a viewer who saw postmortems 7 and 9 knew of a
/// hidden 8. Ids are now random below 2^53: neither consecutive nor in order of creation.
async fn ids_do_not_tell_how_many_postmortems_are_hidden(store: &Store, backend: &str) {
    let cast = Cast::new(store).await;
    let mut ids = Vec::new();
    for i in 0..12 {
        let author = if i % 2 == 0 { &cast.dev } else { &cast.pm };
        let created = store
            .create_postmortem(author, DRAFT)
            .await
            .expect("created");
        assert!(!created.restricted, "{backend}");
        ids.push(created.id);
    }
    assert!(
        ids.iter().all(|id| (1..1 << 53).contains(id)),
        "{backend}: {ids:?}"
    );
    let steps: Vec<i64> = ids.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(
        steps.iter().any(|s| *s < 0) && steps.iter().all(|s| s.abs() > 1),
        "{backend}: ids in order of creation: {ids:?}"
    );
    // Every one of them is found by its id.
    for id in ids {
        assert!(
            store.postmortem(&cast.admin, id).await.is_ok(),
            "{backend}: {id}"
        );
    }
}

async fn a_restricted_postmortem_is_hidden_from_outsiders_and_shown_to_members(
    store: &Store,
    backend: &str,
) {
    let cast = Cast::new(store).await;
    let (admin, dev, pm, outsider) = (&cast.admin, &cast.dev, &cast.pm, &cast.outsider);
    let created = cast.revised(store).await;
    let secret = store
        .create_postmortem(dev, SECRET)
        .await
        .expect("restricted");
    assert!(secret.restricted);
    assert!(store.postmortem(admin, secret.id).await.is_ok());
    assert!(matches!(
        store.postmortem(outsider, secret.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.history(outsider, secret.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.update_postmortem(pm, secret.id, 1, SECRET, "").await,
        Err(StoreError::NotFound)
    ));
    let listed: Vec<i64> = store
        .postmortems(outsider, &Filters::default())
        .await
        .expect("list")
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(listed, vec![created.id]);
    store
        .add_member(dev, secret.id, &pm.username)
        .await
        .expect("member");
    assert!(store.postmortem(pm, secret.id).await.is_ok());
    let listed = store
        .postmortems(pm, &Filters::default())
        .await
        .expect("list");
    assert_eq!(listed.len(), 2, "{backend}");
}

/// A member may not lift the restriction (it would expose a security incident); an admin
/// may (and it is audited: see `audit`); anyone may restrict again.
async fn only_an_admin_lifts_a_restriction_and_anyone_restricts(store: &Store, backend: &str) {
    let cast = Cast::new(store).await;
    let (admin, dev, pm, outsider) = (&cast.admin, &cast.dev, &cast.pm, &cast.outsider);
    let secret = store
        .create_postmortem(dev, SECRET)
        .await
        .expect("restricted");
    store
        .add_member(dev, secret.id, &pm.username)
        .await
        .expect("member");
    let public = SECRET.replace("restricted: true\n", "");
    let lifted = store
        .update_postmortem(pm, secret.id, 1, &public, "make it public")
        .await;
    assert!(
        matches!(lifted, Err(StoreError::Forbidden(_))),
        "{backend}: {lifted:?}"
    );
    assert!(store.postmortem(outsider, secret.id).await.is_err());
    let lifted = store
        .update_postmortem(admin, secret.id, 1, &public, "reviewed by security")
        .await
        .expect("an admin lifts it");
    assert!(!lifted.restricted);
    let restricted_again = store
        .update_postmortem(dev, secret.id, lifted.version, SECRET, "restrict again")
        .await
        .expect("anyone restricts");
    assert!(restricted_again.restricted);
}
