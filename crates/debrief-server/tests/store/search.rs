//! Search: found by a stemmed word, with a highlighted snippet, filtered by service and
//! state; a restricted postmortem is never found by an outsider, nor its workflow read.

use crate::common::cast::{Cast, SECRET};
use debrief_server::Store;
use debrief_server::store::{Filters, StoreError};
use debrief_server::workflow::State;

crate::on_both_stores!(search_finds_by_stem_and_filters_and_never_shows_outsiders_a_secret);

async fn search_finds_by_stem_and_filters_and_never_shows_outsiders_a_secret(
    store: &Store,
    backend: &str,
) {
    let cast = Cast::new(store).await;
    let (pm, outsider) = (&cast.pm, &cast.outsider);
    let (sre, ops) = cast.sre_and_ops(store).await;
    let id = cast.revised(store).await.id;
    let ready = cast.ready(store, &sre, id).await;
    cast.closed(store, &ops, &ready).await;
    let secret = store
        .create_postmortem(&cast.dev, SECRET)
        .await
        .expect("restricted")
        .id;
    store
        .add_member(&cast.dev, secret, &pm.username)
        .await
        .expect("member");

    let hits = store
        .search(outsider, "migrations", &Filters::default())
        .await
        .expect("search");
    assert_eq!(
        hits.iter().map(|h| h.postmortem.id).collect::<Vec<_>>(),
        [id],
        "{backend}"
    );
    assert!(
        hits[0].snippet.iter().any(|f| f.highlight),
        "{backend}: {:?}",
        hits[0].snippet
    );
    let filtered = Filters {
        service: Some("checkout".into()),
        status: Some(State::Closed),
        ..Filters::default()
    };
    assert_eq!(
        store
            .search(outsider, "checkout", &filtered)
            .await
            .expect("search")
            .len(),
        1
    );
    let elsewhere = Filters {
        service: Some("payments".into()),
        ..Filters::default()
    };
    assert!(
        store
            .search(outsider, "checkout", &elsewhere)
            .await
            .expect("search")
            .is_empty()
    );
    assert!(
        store
            .search(outsider, "key exposed", &Filters::default())
            .await
            .expect("search")
            .is_empty()
    );
    assert_eq!(
        store
            .search(pm, "key exposed", &Filters::default())
            .await
            .expect("search")
            .len(),
        1
    );
    assert_eq!(
        store
            .postmortems(outsider, &filtered)
            .await
            .expect("list")
            .len(),
        1
    );
    assert!(matches!(
        store.workflow(outsider, secret).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.contributions(outsider, secret).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.search(outsider, "", &Filters::default()).await,
        Err(StoreError::Invalid(_))
    ));
    let diff = store.diff(outsider, id, 2, 3).await.expect("diff");
    assert!(
        diff.added > 0 && diff.unified.contains("+++ version 3"),
        "{}",
        diff.unified
    );
}
