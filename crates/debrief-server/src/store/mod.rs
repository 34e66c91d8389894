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

mod contributions;
mod credentials;
mod postmortems;
mod search;
mod workflow;

pub use contributions::{Evidence, MAX_UPLOAD_BYTES, NewContribution, Upload, safe_media_type};
pub use credentials::{Login, SESSION_SECONDS};
pub use postmortems::Filters;
pub use workflow::Part;
// What the store answers with are the API's shapes: one definition, owned by the wire crate.
pub use debrief_wire::api::{
    Assignment, AuditEntry, Contribution, ContributionKind, Diff, FileInfo, Fragment, Gate, Hit,
    Postmortem, Role, RoleCoverage, Suggestion, Team, TokenInfo, User, Version, WorkflowView,
};

use crate::secret;
use crate::workflow::{Refusal, Settings};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, AssertSqlSafe, Row};
use std::path::Path;
use std::sync::Arc;

static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

/// What can go wrong in the store. Each variant says what happened, so that the API can
/// answer with the right status: not found (404), conflict (409), refused or invalid (422),
/// forbidden (403), a corrupt row or another database failure (500), the database
/// unavailable (503, try again).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such record, or one the caller may not see (the two are never told apart).
    #[error("not found")]
    NotFound,
    /// A write based on a version that is no longer the current one.
    #[error("the postmortem changed since version {based_on}; the current version is {current}")]
    Conflict {
        /// The version the write was based on.
        based_on: i64,
        /// The current version.
        current: i64,
    },
    /// A record that must be unique exists already (a username), or a concurrent request
    /// created it first.
    #[error("{0}")]
    Exists(String),
    /// The workflow refused a transition; everything missing is listed.
    #[error("{}", .0.message)]
    Refused(Refusal),
    /// The caller's role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// Input the store refuses, with the reason.
    #[error("{0}")]
    Invalid(String),
    /// A stored row the store cannot read back: an unknown state or role, unreadable labels.
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// The database cannot be reached, is shutting down, or is too busy to answer in time;
    /// nothing was written, and the same request may succeed later.
    #[error("database unavailable: {0}")]
    Unavailable(sqlx::Error),
    /// The database failed.
    #[error("database: {0}")]
    Database(sqlx::Error),
    /// Migrations could not be applied.
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    /// Tells an unreachable or overloaded database (worth a retry) and a duplicate from
    /// other failures.
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => StoreError::Unavailable(error),
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Exists(
                "it exists already: another request created it at the same time".into(),
            ),
            sqlx::Error::Database(db) if db.code().as_deref().is_some_and(is_transient) => {
                StoreError::Unavailable(error)
            }
            _ => StoreError::Database(error),
        }
    }
}

/// Database error codes that mean "not now" rather than "never": SQLite busy or locked
/// (after its busy timeout), PostgreSQL shutting down, refusing connections, out of
/// connections, or a connection failure (class 08).
fn is_transient(code: &str) -> bool {
    matches!(
        code,
        "5" | "6" | "261" | "262" | "517" | "57P01" | "57P02" | "57P03" | "53300"
    ) || code.starts_with("08")
}

/// A result of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    /// Login name: letters, digits, `.`, `-` and `_`.
    pub username: &'a str,
    /// Name shown to people.
    pub display_name: &'a str,
    /// Their function.
    pub function: &'a str,
    /// What they may do.
    pub role: Role,
    /// Their password, at least 12 characters.
    pub password: &'a str,
    /// Their team, if any.
    pub team: Option<&'a str>,
}

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
}

/// The server's one clock: Unix seconds now. Every time the store writes or compares (a
/// version's time, the 48-hour assignment window, a session's expiry, today's date for
/// overdue action items) comes from it, so a test or a demonstration can set the time.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> i64 + Send + Sync>);

impl Clock {
    /// The system's clock.
    pub fn system() -> Clock {
        Clock(Arc::new(|| jiff::Timestamp::now().as_second()))
    }

    /// A clock that always says `at` (Unix seconds).
    pub fn fixed(at: i64) -> Clock {
        Clock(Arc::new(move || at))
    }

    /// A clock that runs from `now`, through a function the caller controls.
    pub fn from_fn(now: impl Fn() -> i64 + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(now))
    }

    /// Unix seconds now.
    pub fn now(&self) -> i64 {
        (self.0)()
    }

    /// Today's date in UTC.
    pub fn today(&self) -> jiff::civil::Date {
        jiff::Timestamp::from_second(self.now())
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({})", self.now())
    }
}

/// The store.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    policy: Arc<Policy>,
    credentials: Arc<credentials::Cache>,
    clock: Clock,
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
        Ok(Store {
            pool,
            backend: if sqlite {
                Backend::Sqlite
            } else {
                Backend::Postgres
            },
            policy: Arc::new(Policy::default()),
            credentials: Arc::default(),
            clock: Clock::system(),
        })
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
        self.pool.close().await;
    }

    /// Opens (creating it on first start) the SQLite store in a data directory.
    pub async fn open_dir(dir: &Path) -> Result<Store> {
        Store::connect(&Store::sqlite_url(dir)?).await
    }

    /// The URL of the SQLite store in a data directory, creating the directory.
    pub fn sqlite_url(dir: &Path) -> Result<String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Invalid(format!("cannot create {}: {e}", dir.display())))?;
        Ok(format!(
            "sqlite://{}",
            dir.join("debrief.sqlite3").display()
        ))
    }

    /// Creates a user. `actor` is the admin doing it (`None`: the command line).
    pub async fn add_user(&self, new: &NewUser<'_>, actor: Option<&User>) -> Result<User> {
        if actor.is_some_and(|a| a.role != Role::Admin) {
            return Err(StoreError::Forbidden("only an admin can add users".into()));
        }
        let valid_name = !new.username.is_empty()
            && new.username.len() <= 64
            && new
                .username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if !valid_name {
            return Err(StoreError::Invalid(format!(
                "username {:?}: use 1 to 64 letters, digits, '.', '-' or '_'",
                new.username
            )));
        }
        if new.password.chars().count() < 12 {
            return Err(StoreError::Invalid(
                "the password must have at least 12 characters".into(),
            ));
        }
        if new.function.trim().is_empty() {
            return Err(StoreError::Invalid(
                "a user needs a function (Dev, Ops, Product, SRE, ...)".into(),
            ));
        }
        let team = new
            .team
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        let hash = secret::hash_password(new.password).map_err(StoreError::Invalid)?;
        let mut tx = self.begin_write().await?;
        let taken = sqlx::query("SELECT 1 FROM users WHERE username = $1")
            .bind(new.username)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Invalid(format!(
                "the username {:?} is taken",
                new.username
            )));
        }
        let id: i64 = sqlx::query(
            "INSERT INTO users (username, display_name, function, role, password_hash, created_at, team)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.username)
        .bind(new.display_name)
        .bind(new.function.trim())
        .bind(new.role.as_str())
        .bind(hash)
        .bind(self.clock.now())
        .bind(team.clone())
        .fetch_one(&mut *tx)
        .await
        // On PostgreSQL a concurrent request may have taken the name since the check above.
        .map_err(|e| match StoreError::from(e) {
            StoreError::Exists(_) => {
                StoreError::Invalid(format!("the username {:?} is taken", new.username))
            }
            other => other,
        })?
        .try_get(0)?;
        audit(
            &mut tx,
            self.clock.now(),
            actor,
            "user.add",
            &format!("user:{id}"),
        )
        .await?;
        tx.commit().await?;
        Ok(User {
            id,
            username: new.username.to_string(),
            display_name: new.display_name.to_string(),
            function: new.function.trim().to_string(),
            role: new.role,
            team,
        })
    }

    /// The user with this username and password.
    pub async fn authenticate(&self, username: &str, password: &str) -> Result<Option<User>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "{USER_COLUMNS}, password_hash FROM users WHERE username = $1"
        )))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let hash: String = row.try_get("password_hash")?;
        if secret::verify_password(password, &hash) {
            Ok(Some(user_from(&row)?))
        } else {
            Ok(None)
        }
    }

    /// Every user, by username: people to pick as facilitator, scribe, responder or member.
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{USER_COLUMNS} FROM users ORDER BY username"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_from).collect()
    }

    /// The teams and their people, by name.
    pub async fn teams(&self) -> Result<Vec<Team>> {
        let mut teams: Vec<Team> = Vec::new();
        for user in self.users().await? {
            let Some(name) = user.team else { continue };
            let at = match teams.iter().position(|t| t.name == name) {
                Some(at) => at,
                None => {
                    teams.push(Team {
                        name,
                        functions: Vec::new(),
                        members: Vec::new(),
                    });
                    teams.len() - 1
                }
            };
            let team = &mut teams[at];
            team.members.push(user.username);
            if !team.functions.contains(&user.function) {
                team.functions.push(user.function);
            }
        }
        for team in &mut teams {
            team.functions.sort();
        }
        teams.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(teams)
    }

    /// The user with this username.
    pub async fn user(&self, username: &str) -> Result<User> {
        user_named(&mut *self.pool.acquire().await?, username).await
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

    /// The audit log, oldest first. Admins only.
    pub async fn audit_log(&self, viewer: &User) -> Result<Vec<AuditEntry>> {
        if viewer.role != Role::Admin {
            return Err(StoreError::Forbidden(
                "only an admin can read the audit log".into(),
            ));
        }
        let rows = sqlx::query(
            "SELECT a.at, u.username, a.action, a.target FROM audit_log a
             LEFT JOIN users u ON u.id = a.actor_id ORDER BY a.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AuditEntry {
                    at: row.try_get(0)?,
                    actor: row.try_get(1)?,
                    action: row.try_get(2)?,
                    target: row.try_get(3)?,
                })
            })
            .collect()
    }
}

// Queries are built with `format!` only from the constants and the `visible` rule below,
// never from input: input is always bound as a parameter (hence `AssertSqlSafe`).
const USER_COLUMNS: &str =
    "SELECT users.id, users.username, users.display_name, users.function, users.role, users.team";

/// A transaction of the store.
pub(crate) type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// The user with this username, on a connection or in a transaction.
async fn user_named(conn: &mut sqlx::AnyConnection, username: &str) -> Result<User> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "{USER_COLUMNS} FROM users WHERE username = $1"
    )))
    .bind(username)
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    user_from(&row)
}

/// The user someone named to take a part: a name nobody has is the caller's mistake (422),
/// while a database failure stays what it is.
async fn person_named(conn: &mut sqlx::AnyConnection, username: &str) -> Result<User> {
    user_named(conn, username).await.map_err(|e| match e {
        StoreError::NotFound => StoreError::Invalid(format!("there is no user named {username:?}")),
        other => other,
    })
}

fn user_from(row: &AnyRow) -> Result<User> {
    let role: String = row.try_get(4)?;
    Ok(User {
        id: row.try_get(0)?,
        username: row.try_get(1)?,
        display_name: row.try_get(2)?,
        function: row.try_get(3)?,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown role {role:?}")))?,
        team: row.try_get(5)?,
    })
}

async fn audit(
    tx: &mut Tx,
    at: i64,
    actor: Option<&User>,
    action: &str,
    target: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, target, detail) VALUES ($1, $2, $3, $4, '')",
    )
    .bind(at)
    .bind(actor.map(|a| a.id))
    .bind(action)
    .bind(target)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn default_pool_size(sqlite: bool) -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    if sqlite {
        4
    } else {
        u32::try_from(cores * 2).unwrap_or(u32::MAX).max(4)
    }
}

fn require_writer(actor: &User) -> Result<()> {
    if actor.role == Role::Viewer {
        return Err(StoreError::Forbidden(
            "a viewer cannot change postmortems".into(),
        ));
    }
    Ok(())
}
