//! Rows the store cannot read: a postmortem whose state is unknown or whose labels are not
//! JSON is a corrupt row (a 500 that names it in the log), on SQLite and PostgreSQL alike,
//! whether it is read alone or in a list.

mod common;

use common::TestStore;
use debrief_server::Role;
use debrief_server::store::{Filters, StoreError};
use sqlx::Connection;

const DRAFT: &str =
    "---\ntitle: Checkout outage\ndate: 2026-06-14\n---\n\n## Summary\n\nCheckout failed.\n";

/// Runs one statement on the test's database behind the store's back.
async fn tamper(test: &TestStore, sql: &'static str, id: i64) {
    sqlx::any::install_default_drivers();
    let url = test.url.as_deref().expect("the test database's URL");
    let mut conn = sqlx::AnyConnection::connect(url)
        .await
        .expect("a second connection");
    sqlx::query(sql)
        .bind(id)
        .execute(&mut conn)
        .await
        .expect("tamper");
    conn.close().await.expect("close");
}

async fn corrupt_rows(test: &TestStore) {
    let store = &test.store;
    let backend = test.name;
    let admin = common::user(store, "admin", "SRE", Role::Admin).await;
    let id = store
        .create_postmortem(&admin, DRAFT)
        .await
        .expect("create")
        .id;

    tamper(
        test,
        "UPDATE postmortems SET status = 'bogus' WHERE id = $1",
        id,
    )
    .await;
    let read = store.postmortem(&admin, id).await;
    assert!(
        matches!(&read, Err(StoreError::Corrupt(m)) if m.contains("unknown state \"bogus\"")),
        "{backend}: {read:?}"
    );
    let listed = store.postmortems(&admin, &Filters::default()).await;
    assert!(
        matches!(&listed, Err(StoreError::Corrupt(m)) if m.contains("unknown state")),
        "{backend}: {listed:?}"
    );

    tamper(
        test,
        "UPDATE postmortems SET status = 'draft', labels = 'not JSON' WHERE id = $1",
        id,
    )
    .await;
    let read = store.postmortem(&admin, id).await;
    assert!(
        matches!(&read, Err(StoreError::Corrupt(m)) if m.starts_with("unreadable labels")),
        "{backend}: {read:?}"
    );
}

#[tokio::test]
async fn corrupt_rows_on_sqlite() {
    let test = common::sqlite().await;
    corrupt_rows(&test).await;
    test.finish().await;
}

#[tokio::test]
async fn corrupt_rows_on_postgres() {
    if let Some(test) = common::postgres("corrupt_rows_on_postgres").await {
        corrupt_rows(&test).await;
        test.finish().await;
    }
}
