//! The store: users, API tokens and sessions, postmortems with every version, the workflow,
//! contributions and evidence, search, restricted membership and the audit log, in SQLite or
//! PostgreSQL.
//!
//! One SQL dialect serves both (sqlx's `Any` driver, `$1` placeholders, `RETURNING`), with a
//! migration directory per database under the same version numbers. Postmortems are stored
//! as the canonical Markdown of the core's document model, so an export is always exactly
//! what the reader and the writer agree on.
//!
//! No lost updates: every change names the version it was based on, and the row is updated
//! only if that is still the current version (`UPDATE ... WHERE version = $n`), which holds
//! across several server instances on one PostgreSQL.

mod action_items;
mod comments;
mod contributions;
mod credentials;
mod document;
mod error;
mod generation;
mod incidents;
mod jobs;
mod live;
mod meetings;
mod members;
mod postmortems;
mod query;
pub mod reminders;
mod search;
mod trackers;
mod users;
mod versions;
pub use versions::{DIFF_DEADLINE, diff_versions};
mod workflow;

pub use crate::clock::Clock;
pub use contributions::{Evidence, MAX_UPLOAD_BYTES, NewContribution, Upload, safe_media_type};
pub use credentials::{
    FAILURE_WINDOW_SECONDS, FAILURES_PER_ADDRESS, FAILURES_PER_USER, Login, MAX_USER_WAIT_SECONDS,
    SESSION_SECONDS, user_wait,
};
pub use document::MAX_DOCUMENT_BYTES;
pub use error::StoreError;
pub use jobs::{Failure, Job, JobCounts, MAX_ATTEMPTS, backoff};
pub use query::Filters;
pub use trackers::{CREATE_JOB, CreateIssue, Intent, ItemAt, SYSTEM_USERNAME, item_marker};
pub use users::NewUser;
pub use workflow::{Offer, Part, PostmortemView};

use users::{USER_COLUMNS, UserRow, audit, person_named, require_writer};
// What the store answers with are the API's shapes: one definition, owned by the wire crate.
pub use debrief_wire::api::{
    Assignment, AuditEntry, Comment, Contribution, ContributionKind, Diff, FileInfo, Fragment,
    Gate, Hit, OwnedActionItem, Postmortem, Role, RoleCoverage, Suggestion, Team, TokenInfo, User,
    UserChange, Version, WorkflowView,
};

use crate::workflow::Settings;
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use std::path::Path;
use std::sync::Arc;

static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

/// A result of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database the store runs on, for the few statements that differ (search).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

/// What the store enforces besides its data: the workflow's settings and the lint
/// configuration the publishing gate applies.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Required roles, the facilitator rotation, the assignment window.
    pub workflow: Settings,
    /// The linter's configuration (`debrief.toml`).
    pub lint: debrief_lint::Config,
    /// Where action items go (`[trackers]` of `debrief.toml`).
    pub trackers: debrief_trackers::Trackers,
    /// How reminders and digests are delivered (`[notify]`), and the teams' leads.
    pub notify: crate::notify::NotifyConfig,
    /// How the alerting's webhooks prove their sender, and the zone of the drafts they open
    /// (`[hooks]`).
    pub hooks: crate::hooks::HooksConfig,
}

/// The store.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    policy: Arc<Policy>,
    credentials: Arc<credentials::Cache>,
    clock: Clock,
    /// Word of meetings' changes, for the rooms open on this instance.
    feed: Arc<live::Feed>,
}

impl Store {
    /// Connects to `url` (`sqlite://PATH` or `postgres://...`) and applies the migrations.
    pub async fn connect(url: &str) -> Result<Store> {
        Store::connect_with(url, None).await
    }

    /// Connects with at most `pool_size` database connections. By default: 4 for SQLite,
    /// whose writers take turns anyway; for PostgreSQL twice the cores, at least 4. More
    /// connections than that only make requests queue inside the database instead of the
    /// pool: with 16 on two cores, reads at 64 concurrent requests had a p99 of 12.7 ms,
    /// with 4 of 7.5 ms (`scripts/bench-server.sh`).
    pub async fn connect_with(url: &str, pool_size: Option<u32>) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let sqlite = url.starts_with("sqlite:");
        let url = if sqlite && !url.contains('?') {
            format!("{url}?mode=rwc")
        } else {
            url.to_string()
        };
        let pool = AnyPoolOptions::new()
            .max_connections(
                pool_size
                    .unwrap_or_else(|| default_pool_size(sqlite))
                    .max(1),
            )
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        // Several connections of one process share the file: let a writer
                        // wait for another instead of failing at once.
                        sqlx::query("PRAGMA busy_timeout = 5000")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA foreign_keys = ON")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        if sqlite {
            // WAL lets readers go on while one connection writes; it is kept in the file.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
            SQLITE.run(&pool).await?;
        } else {
            POSTGRES.run(&pool).await?;
        }
        let store = Store {
            pool,
            backend: if sqlite {
                Backend::Sqlite
            } else {
                Backend::Postgres
            },
            policy: Arc::new(Policy::default()),
            credentials: Arc::default(),
            clock: Clock::system(),
            feed: live::Feed::new((!sqlite).then(|| url.clone())),
        };
        let reindexed = store.reindex_stale().await?;
        if reindexed > 0 {
            tracing::info!(reindexed, "postmortems indexed again for this version");
        }
        Ok(store)
    }

    /// The same store under another policy.
    pub fn with_policy(self, policy: Policy) -> Store {
        Store {
            policy: Arc::new(policy),
            ..self
        }
    }

    /// The policy the store enforces.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The same store on another clock.
    pub fn with_clock(self, clock: Clock) -> Store {
        Store { clock, ..self }
    }

    /// The store's clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Waits for the connections in use to be returned, then closes them all.
    pub async fn close(&self) {
        self.feed.close().await;
        self.pool.close().await;
    }

    /// Opens (creating it on first start) the SQLite store in a data directory.
    pub async fn open_dir(dir: &Path) -> Result<Store> {
        Store::connect(&Store::sqlite_url(dir)?).await
    }

    /// The URL of the SQLite store in a data directory, creating the directory.
    /// The database file is created readable by its owner only (SQLite gives its WAL and
    /// shared-memory files the same permissions), since it holds every restricted
    /// postmortem and every session.
    pub fn sqlite_url(dir: &Path) -> Result<String> {
        let failed = |e: std::io::Error| {
            StoreError::Invalid(format!("cannot create {}: {e}", dir.display()))
        };
        std::fs::create_dir_all(dir).map_err(failed)?;
        let file = dir.join("debrief.sqlite3");
        if !file.exists() {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            options.open(&file).map_err(failed)?;
        }
        Ok(format!("sqlite://{}", file.display()))
    }

    /// Begins a transaction that writes. It takes the database's write lock before it
    /// reads, so that nothing it reads changes before it writes: on SQLite, writers take
    /// turns from the start (`BEGIN IMMEDIATE`, waiting up to the busy timeout) instead of
    /// failing when a read turns into a write; on PostgreSQL, the postmortem it changes is
    /// read `FOR UPDATE` ([`Store::current_in`]). Every use case that writes runs in one of
    /// these, its checks included.
    pub(crate) async fn begin_write(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }
}

// Queries are built with `format!` only from the constants and the `visible` rule below,
// never from input: input is always bound as a parameter (hence `AssertSqlSafe`).

/// A transaction of the store.
pub(crate) type Tx = sqlx::Transaction<'static, sqlx::Any>;

fn default_pool_size(sqlite: bool) -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    if sqlite {
        4
    } else {
        u32::try_from(cores * 2).unwrap_or(u32::MAX).max(4)
    }
}
