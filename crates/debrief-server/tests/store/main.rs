//! The store, one concern per module, each test run against SQLite and PostgreSQL alike on
//! a fresh database of its own: accounts and sessions, postmortems written and revised,
//! restricted postmortems, the workflow and its gates, search, and the audit log.

#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod action_items;
mod audit;
mod comments;
mod jobs;
mod postmortems;
mod restricted;
mod search;
mod workflow;

use debrief_server::{Role, Store};

#[tokio::test]
async fn sqlite_store_reopens_with_its_data() {
    let dir = tempfile::tempdir().expect("temporary directory");
    {
        let store = Store::open_dir(dir.path()).await.expect("create");
        common::cast::user(&store, "admin", "SRE", Role::Admin, None).await;
    }
    let store = Store::open_dir(dir.path()).await.expect("reopen");
    assert_eq!(store.user("admin").await.expect("kept").role, Role::Admin);
}
