//! Sign-in sessions and the login rate limit, both in the database so that every server
//! instance behind a load balancer knows them.
//!
//! A session token is 256 random bits; the database keeps its SHA-256 only. Failed logins
//! are counted per username and per client address over a sliding window; past the limit,
//! the password is not even checked until the window has moved on.

use super::{Result, Store, User, audit, now};
use crate::secret;
use sqlx::Row;

/// How long a session lasts.
pub const SESSION_SECONDS: i64 = 14 * 24 * 3600;
/// The window failed logins are counted over.
pub const FAILURE_WINDOW_SECONDS: i64 = 15 * 60;
/// Failed logins allowed per username in the window.
pub const FAILURES_PER_USER: i64 = 5;
/// Failed logins allowed per client address in the window.
pub const FAILURES_PER_ADDRESS: i64 = 20;

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
    /// Checks a username and password, within the rate limit, and opens a session.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        address: Option<&str>,
    ) -> Result<Login> {
        let at = now();
        let since = at - FAILURE_WINDOW_SECONDS;
        let user_subject = format!("user:{username}");
        let address_subject = address.map(|a| format!("ip:{a}"));
        let mut retry_after = 0;
        for (subject, limit) in [
            (Some(&user_subject), FAILURES_PER_USER),
            (address_subject.as_ref(), FAILURES_PER_ADDRESS),
        ] {
            let Some(subject) = subject else { continue };
            let row = sqlx::query(
                "SELECT COUNT(*), MIN(at) FROM login_failures WHERE subject = $1 AND at > $2",
            )
            .bind(subject)
            .bind(since)
            .fetch_one(&self.pool)
            .await?;
            let failures: i64 = row.try_get(0)?;
            if failures >= limit {
                let oldest: Option<i64> = row.try_get(1)?;
                let free_at = oldest.unwrap_or(at) + FAILURE_WINDOW_SECONDS;
                retry_after = retry_after.max((free_at - at).max(1));
            }
        }
        if retry_after > 0 {
            return Ok(Login::Throttled(retry_after));
        }
        let Some(user) = self.authenticate(username, password).await? else {
            let mut tx = self.pool.begin().await?;
            for subject in [Some(&user_subject), address_subject.as_ref()]
                .into_iter()
                .flatten()
            {
                sqlx::query("DELETE FROM login_failures WHERE subject = $1 AND at <= $2")
                    .bind(subject)
                    .bind(since)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO login_failures (subject, at) VALUES ($1, $2)")
                    .bind(subject)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            return Ok(Login::Refused);
        };
        let token = secret::new_token().map_err(super::StoreError::Invalid)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM login_failures WHERE subject = $1")
            .bind(&user_subject)
            .execute(&mut *tx)
            .await?;
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
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{} FROM users JOIN sessions ON sessions.user_id = users.id
             WHERE sessions.token_hash = $1 AND sessions.expires_at > $2",
            super::USER_COLUMNS
        )))
        .bind(secret::token_hash(token))
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(super::user_from).transpose()
    }

    /// Ends a session.
    pub async fn logout(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(secret::token_hash(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
