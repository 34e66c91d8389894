//! Stores for tests: a fresh SQLite file, and a fresh PostgreSQL database when
//! `DEBRIEF_TEST_POSTGRES` names a server (`.ci/run` sets it).

#![allow(dead_code)]

pub mod api;
pub mod cast;
pub mod openapi;
pub mod server;

use debrief_server::{NewUser, Role, Store, User};
use sqlx::Connection;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A store under test and what keeps it alive.
pub struct TestStore {
    pub store: Store,
    pub name: &'static str,
    /// The URL of the test's database, for a second store on it.
    pub url: Option<String>,
    _dir: Option<tempfile::TempDir>,
    /// The PostgreSQL database made for the test, dropped by [`TestStore::finish`].
    database: Option<(String, String)>,
}

impl TestStore {
    /// Closes the store and drops its PostgreSQL database (a SQLite directory goes with
    /// the value). A failed test leaves its database behind for a look.
    pub async fn finish(self) {
        self.store.close().await;
        if let Some((base, name)) = self.database {
            let mut admin = sqlx::PgConnection::connect(&base)
                .await
                .expect("connect to DEBRIEF_TEST_POSTGRES");
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name}")))
                .execute(&mut admin)
                .await
                .expect("drop the test database");
        }
    }
}

/// A new, empty SQLite store in a temporary directory.
pub async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = Store::sqlite_url(dir.path()).expect("SQLite URL");
    let store = Store::connect(&url).await.expect("SQLite store");
    TestStore {
        store,
        name: "sqlite",
        url: Some(url),
        _dir: Some(dir),
        database: None,
    }
}

/// A new, empty PostgreSQL database on the server `DEBRIEF_TEST_POSTGRES` names, as that URL
/// and the new database's name; `None` (with a line saying so) when it is unset.
pub async fn postgres_url(test: &str) -> Option<(String, String)> {
    let Ok(base) = std::env::var("DEBRIEF_TEST_POSTGRES") else {
        eprintln!("SKIPPED {test} on PostgreSQL: DEBRIEF_TEST_POSTGRES is not set");
        return None;
    };
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "debrief_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        jiff::Timestamp::now().as_millisecond()
    );
    let mut admin = sqlx::PgConnection::connect(&base)
        .await
        .expect("connect to DEBRIEF_TEST_POSTGRES");
    // The name is made here of digits and underscores, never of input.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create a test database");
    Some((base, name))
}

/// A new, empty PostgreSQL store, or `None` when `DEBRIEF_TEST_POSTGRES` is unset.
pub async fn postgres(test: &str) -> Option<TestStore> {
    let (base, name) = postgres_url(test).await?;
    let (prefix, _) = base
        .rsplit_once('/')
        .expect("a database URL ends with /DATABASE");
    let url = format!("{prefix}/{name}");
    let store = Store::connect(&url).await.expect("PostgreSQL store");
    Some(TestStore {
        store,
        name: "postgres",
        url: Some(url),
        _dir: None,
        database: Some((base, name)),
    })
}

/// A user added from the command line (no actor), with a password tests share.
pub async fn user(store: &Store, username: &str, function: &str, role: Role) -> User {
    store
        .add_user(
            &NewUser {
                username,
                display_name: username,
                function,
                role,
                password: "a long enough password",
                team: None,
            },
            None,
        )
        .await
        .expect("a user")
}

/// Runs each named `async fn name(store: &Store, backend: &str)` as two tests,
/// `name::on_sqlite` and `name::on_postgres`, each on a fresh database of its own.
#[macro_export]
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn on_sqlite() {
                    let test = $crate::common::sqlite().await;
                    super::$name(&test.store, test.name).await;
                    test.finish().await;
                }

                #[tokio::test]
                async fn on_postgres() {
                    let name = concat!(module_path!(), "::on_postgres");
                    if let Some(test) = $crate::common::postgres(name).await {
                        super::$name(&test.store, test.name).await;
                        test.finish().await;
                    }
                }
            }
        )*
    };
}

/// [`on_both_stores`] for tests that open a second instance on the same database: the
/// test gets the database's URL too.
#[macro_export]
macro_rules! on_both_stores_with_url {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn on_sqlite() {
                    let test = $crate::common::sqlite().await;
                    let url = test.url.clone().expect("a URL");
                    super::$name(&test.store, &url, test.name).await;
                    test.finish().await;
                }

                #[tokio::test]
                async fn on_postgres() {
                    let name = concat!(module_path!(), "::on_postgres");
                    if let Some(test) = $crate::common::postgres(name).await {
                        let url = test.url.clone().expect("a URL");
                        super::$name(&test.store, &url, test.name).await;
                        test.finish().await;
                    }
                }
            }
        )*
    };
}

/// Two instances of the server's job queue on one database: a worker on `store` and one on
/// a second connection to `url` with the same policy and clock. Close the second store
/// (the third value) at the end.
pub async fn two_workers(
    store: &Store,
    url: &str,
) -> (
    debrief_server::tracking::Worker,
    debrief_server::tracking::Worker,
    Store,
) {
    let other = Store::connect(url)
        .await
        .expect("a second instance")
        .with_policy(store.policy().clone())
        .with_clock(store.clock().clone());
    let link = Some("https://debrief.example".to_string());
    let a = debrief_server::tracking::Worker::new(store.clone(), link.clone()).named("a");
    let b = debrief_server::tracking::Worker::new(other.clone(), link).named("b");
    (a, b, other)
}

/// Both workers drain the queue at once.
pub async fn drain_both(
    a: &debrief_server::tracking::Worker,
    b: &debrief_server::tracking::Worker,
) {
    let (x, y) = tokio::join!(a.drain(), b.drain());
    x.expect("worker a drains");
    y.expect("worker b drains");
}

/// The fixture Slack export, zipped as Slack makes it.
pub fn slack_export() -> Vec<u8> {
    use std::io::Write;
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../debrief-import/tests/data/slack");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut pending = vec![root.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("the fixture") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let name = path
                .strip_prefix(&root)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            zip.start_file(name, options).expect("a member");
            zip.write_all(&std::fs::read(&path).expect("read"))
                .expect("write");
        }
    }
    zip.finish().expect("finished").into_inner()
}
