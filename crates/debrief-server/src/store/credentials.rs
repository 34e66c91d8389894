//! Credentials: API tokens, sign-in sessions and the login rate limit, all in the database
//! so that every server instance behind a load balancer knows them.
//!
//! Tokens and session tokens are 256 random bits; the database keeps their SHA-256 only.
//! Failed logins are counted per username and per client address over a sliding window;
//! past the limit, the password is not even checked until the window has moved on.
//!
//! Every request presents a credential, so each instance remembers the ones it verified for
//! a few seconds ([`CACHE_SECONDS`]). Revoking a token or ending a session takes effect at
//! once on the instance that did it, and within those seconds on the others.

use super::{
    Backend, Result, Role, Store, StoreError, TokenInfo, USER_COLUMNS, User, UserRow, audit,
};
use crate::secret;
use sqlx::AssertSqlSafe;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an instance trusts a credential it verified.
pub const CACHE_SECONDS: u64 = 5;
/// The most credentials an instance remembers; past it, it forgets them all and starts over.
const CACHE_ENTRIES: usize = 10_000;

/// Credentials verified recently: the hash of a token or session ("t…" or "s…") and whom it
/// belongs to.
#[derive(Debug, Default)]
pub(super) struct Cache {
    entries: Mutex<HashMap<String, (User, Instant)>>,
}

impl Cache {
    fn get(&self, key: &str) -> Option<User> {
        let entries = self.entries.lock().ok()?;
        let (user, at) = entries.get(key)?;
        (at.elapsed() < Duration::from_secs(CACHE_SECONDS)).then(|| user.clone())
    }

    fn put(&self, key: String, user: &User) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CACHE_ENTRIES {
                entries.clear();
            }
            entries.insert(key, (user.clone(), Instant::now()));
        }
    }

    fn forget(&self, key: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(key);
        }
    }

    pub(super) fn forget_user(&self, user_id: i64) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|_, (user, _)| user.id != user_id);
        }
    }
}

/// How long a session lasts.
pub const SESSION_SECONDS: i64 = 14 * 24 * 3600;
/// The window failed logins are counted over.
pub const FAILURE_WINDOW_SECONDS: i64 = 15 * 60;
/// Failed logins per username after which each further attempt waits (see [`user_wait`]).
pub const FAILURES_PER_USER: i64 = 5;
/// The longest a username's attempts are made to wait.
pub const MAX_USER_WAIT_SECONDS: i64 = 60;
/// Failed logins allowed per client address in the window.
pub const FAILURES_PER_ADDRESS: i64 = 20;

/// An API token as its owner sees it (never its hash).
#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    name: String,
    created_at: i64,
}

impl From<TokenRow> for TokenInfo {
    fn from(row: TokenRow) -> TokenInfo {
        TokenInfo {
            id: row.id,
            name: row.name,
            created_at: row.created_at,
        }
    }
}

/// The failed logins of one subject in the window: how many, and when the oldest and the
/// newest were.
#[derive(sqlx::FromRow)]
struct FailuresRow {
    failures: i64,
    oldest: Option<i64>,
    newest: Option<i64>,
}

/// Seconds a username's next attempt must wait, after `failures` in the window, the latest
/// at `newest`: none up to [`FAILURES_PER_USER`], then 1, 2, 4... seconds after the latest,
/// up to [`MAX_USER_WAIT_SECONDS`]. Guessing slows to one try a minute, and the owner, who
/// knows the password, waits a minute at most instead of being locked out: anyone can make
/// five wrong guesses at a name.
pub fn user_wait(failures: i64, newest: Option<i64>, now: i64) -> i64 {
    if failures < FAILURES_PER_USER {
        return 0;
    }
    let exponent = (failures - FAILURES_PER_USER).min(6) as u32;
    let wait = (1i64 << exponent).min(MAX_USER_WAIT_SECONDS);
    (newest.unwrap_or(now) + wait - now).max(0)
}

/// The outcome of a login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    /// Signed in: the user and their new session token (returned once).
    Accepted(User, String),
    /// Wrong username or password (never told apart).
    Refused,
    /// Too many failures: try again after this many seconds.
    Throttled(i64),
}

impl Store {
    /// A new API token for `user`. The token is returned once; the store keeps its hash.
    pub async fn create_token(&self, user: &User, name: &str) -> Result<String> {
        let token = secret::new_token().map_err(StoreError::Invalid)?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(user.id)
        .bind(name)
        .bind(secret::token_hash(&token))
        .bind(self.clock.now())
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            self.clock.now(),
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
        let hash = secret::token_hash(token);
        self.remembered(format!("t{hash}"), async {
            let sql = format!(
                "{USER_COLUMNS} FROM users JOIN api_tokens ON api_tokens.user_id = users.id
                 WHERE api_tokens.token_hash = $1 AND users.deactivated_at IS NULL"
            );
            sqlx::query_as::<_, UserRow>(AssertSqlSafe(sql))
                .bind(&hash)
                .fetch_optional(&self.pool)
                .await
        })
        .await
    }

    /// The user a credential belongs to: remembered for [`CACHE_SECONDS`], or found by
    /// `fetch` (one row of [`USER_COLUMNS`]) and remembered.
    async fn remembered(
        &self,
        key: String,
        fetch: impl std::future::Future<Output = Result<Option<UserRow>, sqlx::Error>>,
    ) -> Result<Option<User>> {
        if let Some(user) = self.credentials.get(&key) {
            return Ok(Some(user));
        }
        let user = fetch.await?.map(User::try_from).transpose()?;
        if let Some(user) = &user {
            self.credentials.put(key, user);
        }
        Ok(user)
    }

    /// Changes the caller's password, given the current one, and ends every other session of
    /// theirs (`keep` is the session making the change): whoever else was signed in as them,
    /// with the old password, is signed out. API tokens stay; revoke them apart.
    pub async fn change_password(
        &self,
        user: &User,
        current: &str,
        new: &str,
        keep: Option<&str>,
    ) -> Result<()> {
        if new.chars().count() < 12 {
            return Err(StoreError::Invalid(
                "the new password must have at least 12 characters".into(),
            ));
        }
        if self.authenticate(&user.username, current).await?.is_none() {
            return Err(StoreError::Invalid("the current password is wrong".into()));
        }
        let hash = secret::hash_password(new).map_err(StoreError::Invalid)?;
        let kept = keep.map(secret::token_hash).unwrap_or_default();
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user.id)
            .bind(kept)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            self.clock.now(),
            Some(user),
            "user.password",
            &format!("user:{}", user.id),
        )
        .await?;
        tx.commit().await?;
        self.credentials.forget_user(user.id);
        Ok(())
    }

    /// The caller's API tokens, newest first.
    pub async fn tokens(&self, user: &User) -> Result<Vec<TokenInfo>> {
        let rows = sqlx::query_as::<_, TokenRow>(
            "SELECT id, name, created_at FROM api_tokens WHERE user_id = $1
             ORDER BY created_at DESC, id DESC",
        )
        .bind(user.id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(TokenInfo::from).collect())
    }

    /// Revokes a token: the caller's own, or anyone's for an admin. Someone else's token is
    /// "not found" to a non-admin, like a token that does not exist.
    pub async fn revoke_token(&self, actor: &User, id: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let owner: i64 = sqlx::query_scalar("SELECT user_id FROM api_tokens WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if owner != actor.id && actor.role != Role::Admin {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM api_tokens WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            self.clock.now(),
            Some(actor),
            "token.revoke",
            &format!("token:{id} user:{owner}"),
        )
        .await?;
        tx.commit().await?;
        // The hash is not at hand; forgetting the owner's cached credentials covers it.
        self.credentials.forget_user(owner);
        Ok(())
    }

    /// Checks a username and password, within the rate limit, and opens a session.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        address: Option<&str>,
    ) -> Result<Login> {
        let at = self.clock.now();
        let since = at - FAILURE_WINDOW_SECONDS;
        // A name no account can have is counted against the address only: it locks nobody
        // out, and a name of a megabyte is not written to the table (nor its index, which
        // PostgreSQL refuses past 2.7 KB).
        let user_subject =
            super::users::is_valid_username(username).then(|| format!("user:{username}"));
        let address_subject = address.map(|a| format!("ip:{a}"));
        let subjects: Vec<&String> = [user_subject.as_ref(), address_subject.as_ref()]
            .into_iter()
            .flatten()
            .collect();
        // The attempt is counted and recorded as a failure in one write transaction, before
        // the password is checked, so that attempts arriving together are counted one after
        // another: sixty wrong passwords at once get five checks, not forty.
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Postgres {
            // PostgreSQL's writers do not queue on a table as SQLite's do; a lock per
            // subject, in a fixed order, makes them.
            let mut ordered = subjects.clone();
            ordered.sort();
            for subject in ordered {
                sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
                    .bind(subject)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let mut retry_after = 0;
        for subject in &subjects {
            let row = sqlx::query_as::<_, FailuresRow>(
                "SELECT COUNT(*) AS failures, MIN(at) AS oldest, MAX(at) AS newest
                 FROM login_failures WHERE subject = $1 AND at > $2",
            )
            .bind(*subject)
            .bind(since)
            .fetch_one(&mut *tx)
            .await?;
            let wait = if Some(*subject) == user_subject.as_ref() {
                user_wait(row.failures, row.newest, at)
            } else if row.failures >= FAILURES_PER_ADDRESS {
                // An address that guesses at many names is stopped for the window.
                (row.oldest.unwrap_or(at) + FAILURE_WINDOW_SECONDS - at).max(1)
            } else {
                0
            };
            retry_after = retry_after.max(wait);
        }
        if retry_after > 0 {
            tx.commit().await?;
            return Ok(Login::Throttled(retry_after.max(1)));
        }
        for subject in &subjects {
            sqlx::query("DELETE FROM login_failures WHERE subject = $1 AND at <= $2")
                .bind(*subject)
                .bind(since)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO login_failures (subject, at) VALUES ($1, $2)")
                .bind(*subject)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        let Some(user) = self.authenticate(username, password).await? else {
            return Ok(Login::Refused);
        };
        let token = secret::new_token().map_err(StoreError::Invalid)?;
        let mut tx = self.begin_write().await?;
        // The attempt succeeded: the username's failures are forgiven, and the address's
        // record of this attempt is taken back (with any other of the same second).
        sqlx::query("DELETE FROM login_failures WHERE subject = $1")
            .bind(&user_subject)
            .execute(&mut *tx)
            .await?;
        if let Some(subject) = &address_subject {
            sqlx::query("DELETE FROM login_failures WHERE subject = $1 AND at = $2")
                .bind(subject)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(at)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(secret::token_hash(&token))
        .bind(user.id)
        .bind(at)
        .bind(at + SESSION_SECONDS)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            self.clock.now(),
            Some(&user),
            "session.create",
            &format!("user:{}", user.id),
        )
        .await?;
        tx.commit().await?;
        Ok(Login::Accepted(user, token))
    }

    /// The user a live session belongs to.
    pub async fn user_by_session(&self, token: &str) -> Result<Option<User>> {
        let hash = secret::token_hash(token);
        self.remembered(format!("s{hash}"), async {
            let sql = format!(
                "{USER_COLUMNS} FROM users JOIN sessions ON sessions.user_id = users.id
                 WHERE sessions.token_hash = $1 AND sessions.expires_at > $2
                 AND users.deactivated_at IS NULL"
            );
            sqlx::query_as::<_, UserRow>(AssertSqlSafe(sql))
                .bind(&hash)
                .bind(self.clock.now())
                .fetch_optional(&self.pool)
                .await
        })
        .await
    }

    /// Ends a session.
    pub async fn logout(&self, token: &str) -> Result<()> {
        let hash = secret::token_hash(token);
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&hash)
            .execute(&self.pool)
            .await?;
        self.credentials.forget(&format!("s{hash}"));
        Ok(())
    }
}
