//! The store: users, API tokens, postmortems with every version, restricted membership and
//! the audit log, in SQLite or PostgreSQL.
//!
//! One SQL dialect serves both (sqlx's `Any` driver, `$1` placeholders, `RETURNING`), with a
//! migration directory per database under the same version numbers. Postmortems are stored
//! as the canonical Markdown of the core's document model, so an export is always exactly
//! what the reader and the writer agree on.
//!
//! No lost updates: every change names the version it was based on, and the row is updated
//! only if that is still the current version (`UPDATE ... WHERE version = $n`), which holds
//! across several server instances on one PostgreSQL.

use crate::secret;
use serde::Serialize;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, AssertSqlSafe, Row};
use std::path::Path;

static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

/// What can go wrong in the store.
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
    /// The caller's role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// Input the store refuses, with the reason.
    #[error("{0}")]
    Invalid(String),
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrations could not be applied.
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A result of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads what they may see.
    Viewer,
    /// Also writes postmortems and contributions.
    Contributor,
    /// Also manages users and sees every postmortem.
    Admin,
}

impl Role {
    /// The role's name, as stored and as written in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Contributor => "contributor",
            Role::Admin => "admin",
        }
    }

    /// Parses a role's name.
    pub fn parse(name: &str) -> Option<Role> {
        match name {
            "viewer" => Some(Role::Viewer),
            "contributor" => Some(Role::Contributor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// A user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Database id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown to people.
    pub display_name: String,
    /// Their function: Dev, Ops, Product, SRE, Security, ...
    pub function: String,
    /// What they may do.
    pub role: Role,
}

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
}

/// A postmortem as stored: its current version and canonical Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Postmortem {
    /// Database id.
    pub id: i64,
    /// The current version, starting at 1.
    pub version: i64,
    /// Its title.
    pub title: String,
    /// Its workflow state.
    pub status: String,
    /// Visible only to its members and to admins.
    pub restricted: bool,
    /// The canonical Markdown.
    pub markdown: String,
    /// Unix seconds of the last change.
    pub updated_at: i64,
}

/// One version in a postmortem's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Version {
    /// The version number.
    pub version: i64,
    /// Who made it.
    pub author: String,
    /// Unix seconds.
    pub created_at: i64,
    /// What changed, in the author's words or the server's.
    pub note: String,
}

/// An entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Unix seconds.
    pub at: i64,
    /// Who did it (`None`: the command line).
    pub actor: Option<String>,
    /// What was done: `user.add`, `token.create`, `postmortem.create`, ...
    pub action: String,
    /// What it was done to.
    pub target: String,
}

/// The store.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
}

impl Store {
    /// Connects to `url` (`sqlite://PATH` or `postgres://...`) and applies the migrations.
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let sqlite = url.starts_with("sqlite:");
        let url = if sqlite && !url.contains('?') {
            format!("{url}?mode=rwc")
        } else {
            url.to_string()
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 4 } else { 16 })
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
        Ok(Store { pool })
    }

    /// Waits for the connections in use to be returned, then closes them all.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Opens (creating it on first start) the SQLite store in a data directory.
    pub async fn open_dir(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Invalid(format!("cannot create {}: {e}", dir.display())))?;
        let file = dir.join("debrief.sqlite3");
        Store::connect(&format!("sqlite://{}", file.display())).await
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
        let hash = secret::hash_password(new.password).map_err(StoreError::Invalid)?;
        let mut tx = self.pool.begin().await?;
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
            "INSERT INTO users (username, display_name, function, role, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(new.username)
        .bind(new.display_name)
        .bind(new.function.trim())
        .bind(new.role.as_str())
        .bind(hash)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        audit(&mut tx, actor, "user.add", &format!("user:{id}")).await?;
        tx.commit().await?;
        Ok(User {
            id,
            username: new.username.to_string(),
            display_name: new.display_name.to_string(),
            function: new.function.trim().to_string(),
            role: new.role,
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

    /// A new API token for `user`. The token is returned once; the store keeps its hash.
    pub async fn create_token(&self, user: &User, name: &str) -> Result<String> {
        let token = secret::new_token().map_err(StoreError::Invalid)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(user.id)
        .bind(name)
        .bind(secret::token_hash(&token))
        .bind(now())
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            Some(user),
            "token.create",
            &format!("user:{}", user.id),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The user an API token belongs to.
    pub async fn user_by_token(&self, token: &str) -> Result<Option<User>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "{USER_COLUMNS} FROM users JOIN api_tokens ON api_tokens.user_id = users.id
             WHERE api_tokens.token_hash = $1"
        )))
        .bind(secret::token_hash(token))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from).transpose()
    }

    /// The user with this username.
    pub async fn user(&self, username: &str) -> Result<User> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "{USER_COLUMNS} FROM users WHERE username = $1"
        )))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        user_from(&row)
    }

    /// Stores a new postmortem from Markdown, as version 1. Its author is a member, so a
    /// restricted postmortem stays visible to the one who started it.
    pub async fn create_postmortem(&self, actor: &User, markdown: &str) -> Result<Postmortem> {
        require_writer(actor)?;
        let document = Document::read(markdown)?;
        let at = now();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO postmortems (version, title, status, restricted, markdown, created_by, created_at, updated_at)
             VALUES (1, $1, 'draft', $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(&document.title)
        .bind(i64::from(document.restricted))
        .bind(&document.markdown)
        .bind(actor.id)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        insert_version(&mut tx, id, 1, actor, at, "created", &document.markdown).await?;
        sqlx::query("INSERT INTO postmortem_members (postmortem_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(actor.id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(actor),
            "postmortem.create",
            &format!("postmortem:{id}"),
        )
        .await?;
        tx.commit().await?;
        Ok(Postmortem {
            id,
            version: 1,
            title: document.title,
            status: "draft".into(),
            restricted: document.restricted,
            markdown: document.markdown,
            updated_at: at,
        })
    }

    /// A postmortem the viewer may see; [`StoreError::NotFound`] otherwise.
    pub async fn postmortem(&self, viewer: &User, id: i64) -> Result<Postmortem> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "{POSTMORTEM_COLUMNS} FROM postmortems WHERE id = $1 AND {}",
            visible(2, 3)
        )))
        .bind(id)
        .bind(viewer.id)
        .bind(i64::from(viewer.role == Role::Admin))
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        postmortem_from(&row)
    }

    /// Every postmortem the viewer may see, most recently changed first.
    pub async fn postmortems(&self, viewer: &User) -> Result<Vec<Postmortem>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{POSTMORTEM_COLUMNS} FROM postmortems WHERE {} ORDER BY updated_at DESC, id DESC",
            visible(1, 2)
        )))
        .bind(viewer.id)
        .bind(i64::from(viewer.role == Role::Admin))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(postmortem_from).collect()
    }

    /// Replaces a postmortem's Markdown, based on version `based_on`. A write based on an
    /// older version is refused with [`StoreError::Conflict`] and changes nothing.
    pub async fn update_postmortem(
        &self,
        actor: &User,
        id: i64,
        based_on: i64,
        markdown: &str,
        note: &str,
    ) -> Result<Postmortem> {
        require_writer(actor)?;
        let current = self.postmortem(actor, id).await?;
        let document = Document::read(markdown)?;
        let at = now();
        let mut tx = self.pool.begin().await?;
        let updated = sqlx::query(
            "UPDATE postmortems SET version = version + 1, title = $1, restricted = $2,
             markdown = $3, updated_at = $4 WHERE id = $5 AND version = $6",
        )
        .bind(&document.title)
        .bind(i64::from(document.restricted))
        .bind(&document.markdown)
        .bind(at)
        .bind(id)
        .bind(based_on)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            tx.rollback().await?;
            let now_current = self.postmortem(actor, id).await?;
            return Err(StoreError::Conflict {
                based_on,
                current: now_current.version,
            });
        }
        let version = based_on + 1;
        let note = if note.trim().is_empty() {
            "edited"
        } else {
            note.trim()
        };
        insert_version(&mut tx, id, version, actor, at, note, &document.markdown).await?;
        tx.commit().await?;
        Ok(Postmortem {
            version,
            title: document.title,
            restricted: document.restricted,
            markdown: document.markdown,
            updated_at: at,
            ..current
        })
    }

    /// The versions of a postmortem, oldest first.
    pub async fn history(&self, viewer: &User, id: i64) -> Result<Vec<Version>> {
        self.postmortem(viewer, id).await?;
        let rows = sqlx::query(
            "SELECT v.version, u.username, v.created_at, v.note FROM postmortem_versions v
             JOIN users u ON u.id = v.author_id WHERE v.postmortem_id = $1 ORDER BY v.version",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Version {
                    version: row.try_get(0)?,
                    author: row.try_get(1)?,
                    created_at: row.try_get(2)?,
                    note: row.try_get(3)?,
                })
            })
            .collect()
    }

    /// The Markdown of one version of a postmortem.
    pub async fn version_markdown(&self, viewer: &User, id: i64, version: i64) -> Result<String> {
        self.postmortem(viewer, id).await?;
        let row = sqlx::query(
            "SELECT markdown FROM postmortem_versions WHERE postmortem_id = $1 AND version = $2",
        )
        .bind(id)
        .bind(version)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(row.try_get(0)?)
    }

    /// Makes `member` a member of a postmortem: they see it even when it is restricted.
    pub async fn add_member(&self, actor: &User, id: i64, member: &User) -> Result<()> {
        require_writer(actor)?;
        self.postmortem(actor, id).await?;
        let mut tx = self.pool.begin().await?;
        let exists = sqlx::query(
            "SELECT 1 FROM postmortem_members WHERE postmortem_id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(member.id)
        .fetch_optional(&mut *tx)
        .await?;
        if exists.is_none() {
            sqlx::query("INSERT INTO postmortem_members (postmortem_id, user_id) VALUES ($1, $2)")
                .bind(id)
                .bind(member.id)
                .execute(&mut *tx)
                .await?;
            let target = format!("postmortem:{id} user:{}", member.id);
            audit(&mut tx, Some(actor), "member.add", &target).await?;
        }
        tx.commit().await?;
        Ok(())
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
    "SELECT users.id, users.username, users.display_name, users.function, users.role";
const POSTMORTEM_COLUMNS: &str =
    "SELECT id, version, title, status, restricted, markdown, updated_at";
/// The visibility rule, with the viewer's id as parameter `viewer` and whether they are an
/// admin as parameter `admin`: everybody sees what is not restricted; members and admins see
/// the rest. Every query that returns postmortems goes through it.
fn visible(viewer: u8, admin: u8) -> String {
    format!(
        "(postmortems.restricted = 0 OR ${admin} = 1 OR EXISTS (SELECT 1 FROM postmortem_members m
         WHERE m.postmortem_id = postmortems.id AND m.user_id = ${viewer}))"
    )
}

fn user_from(row: &AnyRow) -> Result<User> {
    let role: String = row.try_get(4)?;
    Ok(User {
        id: row.try_get(0)?,
        username: row.try_get(1)?,
        display_name: row.try_get(2)?,
        function: row.try_get(3)?,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Invalid(format!("unknown role {role:?} in the store")))?,
    })
}

fn postmortem_from(row: &AnyRow) -> Result<Postmortem> {
    Ok(Postmortem {
        id: row.try_get(0)?,
        version: row.try_get(1)?,
        title: row.try_get(2)?,
        status: row.try_get(3)?,
        restricted: row.try_get::<i64, _>(4)? != 0,
        markdown: row.try_get(5)?,
        updated_at: row.try_get(6)?,
    })
}

fn require_writer(actor: &User) -> Result<()> {
    if actor.role == Role::Viewer {
        return Err(StoreError::Forbidden(
            "a viewer cannot change postmortems".into(),
        ));
    }
    Ok(())
}

/// A postmortem read from Markdown, ready to store.
struct Document {
    title: String,
    restricted: bool,
    markdown: String,
}

impl Document {
    fn read(markdown: &str) -> Result<Document> {
        let read = debrief_core::read(markdown);
        if !read.rewritable() {
            let reason = read
                .diagnostics
                .iter()
                .find(|d| d.severity == debrief_core::Severity::Error)
                .map_or_else(
                    || "the front matter cannot be read".to_string(),
                    |d| {
                        format!(
                            "line {}, column {}: {}",
                            d.span.line, d.span.column, d.message
                        )
                    },
                );
            return Err(StoreError::Invalid(reason));
        }
        let title = read.postmortem.meta.title.trim().to_string();
        if title.is_empty() {
            return Err(StoreError::Invalid(
                "a postmortem needs a title (front matter `title:` or `# Postmortem: ...`)".into(),
            ));
        }
        Ok(Document {
            title,
            restricted: read.postmortem.meta.restricted,
            markdown: debrief_core::write(&read.postmortem),
        })
    }
}

async fn insert_version(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    version: i64,
    author: &User,
    at: i64,
    note: &str,
    markdown: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO postmortem_versions (postmortem_id, version, author_id, created_at, note, markdown)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(version)
    .bind(author.id)
    .bind(at)
    .bind(note)
    .bind(markdown)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: Option<&User>,
    action: &str,
    target: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, target, detail) VALUES ($1, $2, $3, $4, '')",
    )
    .bind(now())
    .bind(actor.map(|a| a.id))
    .bind(action)
    .bind(target)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Unix seconds now. The server's one clock.
fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}
