//! One error type for the API, one JSON shape for every error:
//!
//! ```json
//! {"error": {"status": 409, "message": "the postmortem changed since version 3; ...",
//!            "current_version": 4}}
//! ```
//!
//! Store errors map to their status here and nowhere else. Database failures are logged
//! with their detail and answered with a plain 500 that leaks nothing; a database that is
//! unreachable or too busy is a 503 with `Retry-After`, since the same request may succeed.

use crate::StoreError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// An error answered to the client.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    /// Extra fields of the error object: `missing`, `current_version`, ...
    extra: Map<String, Value>,
    /// Seconds for a `Retry-After` header.
    retry_after: Option<i64>,
}

impl ApiError {
    /// An error with a status and a message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            extra: Map::new(),
            retry_after: None,
        }
    }

    /// 400: the request cannot be understood.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401: nobody is signed in.
    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "sign in first: a session cookie or an `Authorization: Bearer` token is required",
        )
    }

    /// 403: signed in, but not allowed.
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, message)
    }

    /// 404.
    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not found")
    }

    /// Adds a field to the error object.
    pub fn with(mut self, key: &str, value: Value) -> ApiError {
        self.extra.insert(key.to_string(), value);
        self
    }

    /// Asks the client to retry after this many seconds.
    pub fn retry_after(mut self, seconds: i64) -> ApiError {
        self.retry_after = Some(seconds);
        self
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => ApiError::not_found(),
            StoreError::Conflict { current, .. } => {
                ApiError::new(StatusCode::CONFLICT, error.to_string())
                    .with("current_version", json!(current))
            }
            StoreError::Refused(refusal) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, refusal.message)
                    .with("missing", json!(refusal.missing))
            }
            StoreError::Forbidden(message) => ApiError::forbidden(message),
            StoreError::Exists(message) => ApiError::new(StatusCode::CONFLICT, message),
            StoreError::Invalid(message) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
            }
            StoreError::Unavailable(_) => {
                tracing::warn!(%error, "database unavailable");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the database is unavailable; nothing was changed, try again shortly",
                )
                .retry_after(5)
            }
            StoreError::Corrupt(_) | StoreError::Database(_) | StoreError::Migrate(_) => {
                tracing::error!(%error, "store failure");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the server could not complete the request; it is logged",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = Map::new();
        body.insert("status".into(), json!(self.status.as_u16()));
        body.insert("message".into(), json!(self.message));
        body.extend(self.extra);
        let mut response = (self.status, Json(json!({ "error": body }))).into_response();
        if let Some(seconds) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// A result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
