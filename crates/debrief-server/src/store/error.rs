//! What can go wrong in the store, told apart so that the API can answer with the right
//! status.

use crate::workflow::Refusal;

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

impl From<std::sync::Arc<StoreError>> for StoreError {
    /// An error that several waiters share (a page computed once for everybody who asked for
    /// it at once): the last holder takes it as it is, the others an equal one, with the
    /// database's error as its message.
    fn from(shared: std::sync::Arc<StoreError>) -> Self {
        std::sync::Arc::try_unwrap(shared).unwrap_or_else(|shared| {
            let said = |error: &dyn std::fmt::Display| sqlx::Error::Protocol(error.to_string());
            match &*shared {
                StoreError::NotFound => StoreError::NotFound,
                StoreError::Conflict { based_on, current } => StoreError::Conflict {
                    based_on: *based_on,
                    current: *current,
                },
                StoreError::Exists(message) => StoreError::Exists(message.clone()),
                StoreError::Refused(refusal) => StoreError::Refused(refusal.clone()),
                StoreError::Forbidden(message) => StoreError::Forbidden(message.clone()),
                StoreError::Invalid(message) => StoreError::Invalid(message.clone()),
                StoreError::Corrupt(message) => StoreError::Corrupt(message.clone()),
                StoreError::Unavailable(error) => StoreError::Unavailable(said(error)),
                StoreError::Database(error) => StoreError::Database(said(error)),
                StoreError::Migrate(error) => StoreError::Database(said(error)),
            }
        })
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
