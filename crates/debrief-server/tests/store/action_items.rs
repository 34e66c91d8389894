//! Action items kept beside each postmortem: what a person owns across the postmortems they
//! may see, the earliest due first; teams as a filter; and both derived again for rows
//! written before the store derived them.

use crate::common::cast::user;
use debrief_server::store::Filters;
use debrief_server::{NewUser, Role, Store, User};

crate::on_both_stores!(
    owners_find_their_open_items_earliest_due_first_and_only_where_they_may_look
);
crate::on_both_stores!(a_team_filters_lists_by_the_front_matter);

const PUBLIC: &str = "---
title: Checkout errors
date: 2026-06-14
team: Payments
---

## Summary

Checkout failed for some customers.

## Action items

- [ ] Alert on connection saturation (owner: @dev, due: 2026-07-01)
- [ ] Document the cache limits (owner: Dev Example)
- [ ] Validate limits in the pipeline (owner: payments, due: 2026-06-20)
- [x] Revert the change (owner: @dev, due: 2026-06-15)
- [ ] Move to the new cache (owner: @dev, declined: the cache is being replaced)
- [ ] Page the secondary on-call too (owner: @someone-else, due: 2026-06-01)
";

const RESTRICTED: &str = "---
title: Leaked token
date: 2026-06-10
restricted: true
---

## Summary

A token was printed in a build log.

## Action items

- [ ] Mask secrets in build logs (owner: dev, due: 2026-06-25)
";

async fn dev_of_payments(store: &Store, admin: &User) -> User {
    store
        .add_user(
            &NewUser {
                username: "dev",
                display_name: "Dev Example",
                function: "Dev",
                role: Role::Contributor,
                password: "a long enough password",
                team: Some("payments"),
            },
            Some(admin),
        )
        .await
        .expect("dev")
}

fn texts(items: &[debrief_server::store::OwnedActionItem]) -> Vec<&str> {
    items.iter().map(|i| i.action_item.text.as_str()).collect()
}

async fn owners_find_their_open_items_earliest_due_first_and_only_where_they_may_look(
    store: &Store,
    backend: &str,
) {
    let admin = user(store, "admin", "SRE", Role::Admin, None).await;
    let dev = dev_of_payments(store, &admin).await;
    let public = store
        .create_postmortem(&admin, PUBLIC)
        .await
        .expect("public");
    let secret = store
        .create_postmortem(&admin, RESTRICTED)
        .await
        .expect("restricted");

    let items = store.owned_action_items(&dev, 50).await.expect("items");
    assert_eq!(
        texts(&items),
        [
            "Validate limits in the pipeline",
            "Alert on connection saturation",
            "Document the cache limits",
        ],
        "{backend}: by team, by @username, by name; done, declined, others' and the \
         restricted postmortem's items left out"
    );
    assert_eq!(items[0].postmortem_id, public.id, "{backend}");
    assert_eq!(items[0].postmortem_title, "Checkout errors", "{backend}");
    assert_eq!(items[0].action_item.due.as_deref(), Some("2026-06-20"));

    store
        .add_member(&admin, secret.id, "dev")
        .await
        .expect("member");
    let items = store.owned_action_items(&dev, 50).await.expect("items");
    assert_eq!(
        texts(&items)[..2],
        [
            "Validate limits in the pipeline",
            "Mask secrets in build logs"
        ],
        "{backend}: a member sees the restricted postmortem's item"
    );

    // A new version replaces the items: the alert is done now.
    let current = store.postmortem(&admin, public.id).await.expect("read");
    let done = current.markdown.replace(
        "- [ ] Alert on connection saturation",
        "- [x] Alert on connection saturation",
    );
    store
        .update_postmortem(&admin, public.id, current.version, &done, "done")
        .await
        .expect("update");
    let items = store.owned_action_items(&dev, 50).await.expect("items");
    assert!(
        !texts(&items).contains(&"Alert on connection saturation"),
        "{backend}: {:?}",
        texts(&items)
    );
    assert_eq!(items.len(), 3, "{backend}");
}

async fn a_team_filters_lists_by_the_front_matter(store: &Store, backend: &str) {
    let admin = user(store, "admin", "SRE", Role::Admin, None).await;
    let public = store
        .create_postmortem(&admin, PUBLIC)
        .await
        .expect("public");
    store
        .create_postmortem(&admin, RESTRICTED)
        .await
        .expect("restricted");
    let team = |name: &str| Filters {
        team: Some(name.into()),
        ..Filters::default()
    };
    let found = store
        .postmortems(&admin, &team("payments"))
        .await
        .expect("list");
    assert_eq!(
        found.iter().map(|p| p.id).collect::<Vec<_>>(),
        [public.id],
        "{backend}: matched without regard to case"
    );
    assert!(
        store
            .postmortems(&admin, &team("search"))
            .await
            .expect("list")
            .is_empty(),
        "{backend}"
    );
}

/// A store whose rows were written before it kept action items and teams (their derived
/// rows gone, their edition 0) derives them again when it opens.
async fn rows_written_before_are_derived_again_on_open(url: &str, backend: &str) {
    let store = Store::connect(url).await.expect("store");
    let admin = user(&store, "admin", "SRE", Role::Admin, None).await;
    let dev = dev_of_payments(&store, &admin).await;
    store
        .create_postmortem(&admin, PUBLIC)
        .await
        .expect("public");
    store.close().await;

    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(url)
        .await
        .expect("connect");
    for statement in [
        "DELETE FROM action_items",
        "DELETE FROM postmortem_labels",
        "UPDATE postmortems SET indexed_edition = 0",
    ] {
        sqlx::query(statement)
            .execute(&mut conn)
            .await
            .expect(statement);
    }
    sqlx::Connection::close(conn).await.expect("close");

    let store = Store::connect(url).await.expect("reopen");
    assert_eq!(
        store
            .owned_action_items(&dev, 50)
            .await
            .expect("items")
            .len(),
        3,
        "{backend}"
    );
    let filters = Filters {
        team: Some("payments".into()),
        ..Filters::default()
    };
    assert_eq!(
        store
            .postmortems(&admin, &filters)
            .await
            .expect("list")
            .len(),
        1,
        "{backend}"
    );
    store.close().await;
}

#[tokio::test]
async fn rows_written_before_are_derived_again_on_open_on_sqlite() {
    let test = crate::common::sqlite().await;
    test.store.close().await;
    let url = test.url.clone().expect("a URL");
    rows_written_before_are_derived_again_on_open(&url, "sqlite").await;
    test.finish().await;
}

#[tokio::test]
async fn rows_written_before_are_derived_again_on_open_on_postgres() {
    let name = "rows_written_before_are_derived_again_on_open_on_postgres";
    if let Some(test) = crate::common::postgres(name).await {
        let url = test.url.clone().expect("a URL");
        rows_written_before_are_derived_again_on_open(&url, "postgres").await;
        test.finish().await;
    }
}
