//! What handlers take from a request: the caller (a bearer token, or a session cookie with
//! the CSRF check), a JSON body whose every fault is a clear 4xx, and the version a write is
//! based on.
//!
//! CSRF: a cookie rides along on every request a browser sends, even one a hostile page
//! started, so a write authenticated by cookie must come from this site: `Sec-Fetch-Site`
//! is `same-origin` (or `none`, typed by the user), or else `Origin` names this host. A
//! request with neither is refused; scripts use tokens, which no page can send for them.
//! Together with `SameSite=Lax` cookies this is the defence OWASP lists first.

use super::AppState;
use super::error::ApiError;
use crate::User;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use cookie::Cookie;
use serde::de::DeserializeOwned;
use std::net::SocketAddr;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "debrief_session";

/// The signed-in user making the request.
#[derive(Debug, Clone)]
pub struct Caller(pub User);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or_else(|| {
                    ApiError::new(
                        StatusCode::UNAUTHORIZED,
                        "the Authorization header must be `Bearer <token>`",
                    )
                })?;
            return match state.store.user_by_token(token.trim()).await? {
                Some(user) => Ok(Caller(user)),
                None => Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "the token is not valid",
                )),
            };
        }
        let Some(session) = session_cookie(&parts.headers) else {
            return Err(ApiError::unauthorized());
        };
        if !is_safe(&parts.method) {
            same_site(&parts.headers)?;
        }
        match state.store.user_by_session(session).await? {
            Some(user) => Ok(Caller(user)),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "the session has ended; sign in again",
            )),
        }
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The session token in the `Cookie` header, if any.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE && !c.value().is_empty())
        .and_then(|c| c.value_raw())
}

/// Refuses a cookie-authenticated write that may come from another site.
pub fn same_site(headers: &HeaderMap) -> Result<(), ApiError> {
    let refuse = || {
        Err(ApiError::forbidden(
            "cross-site request refused: a write signed in by cookie must come from this site \
             (use a token for scripts)",
        ))
    };
    if let Some(site) = headers.get("sec-fetch-site") {
        return match site.to_str() {
            Ok("same-origin" | "none") => Ok(()),
            _ => refuse(),
        };
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some(origin), Some(host))
            if origin
                .split_once("://")
                .is_some_and(|(_, authority)| authority == host) =>
        {
            Ok(())
        }
        _ => refuse(),
    }
}

/// A JSON body. Malformed JSON, a wrong content type, unknown fields (request types deny
/// them), missing fields and an oversized body are each a 4xx with the reason.
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let axum::Json(value) = axum::Json::<serde_json::Value>::from_request(request, state)
            .await
            .map_err(json_error)?;
        if let Some(at) = nul_in(&value, String::new()) {
            return Err(nul_refused(&at));
        }
        serde_json::from_value(value).map(Body).map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Failed to deserialize the JSON body into the target type: {e}"),
            )
        })
    }
}

/// Where a JSON value holds a NUL character, if it does: `markdown`, `usernames[2]`. No
/// text debrief keeps may contain one (PostgreSQL cannot store it), so every store refuses
/// it alike, before anything is written.
fn nul_in(value: &serde_json::Value, at: String) -> Option<String> {
    match value {
        serde_json::Value::String(s) => s.contains('\0').then_some(at),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_in(item, format!("{at}[{i}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(key, item)| {
            let at = if at.is_empty() {
                key.clone()
            } else {
                format!("{at}.{key}")
            };
            // A key may hold the NUL too.
            if key.contains('\0') {
                Some(at)
            } else {
                nul_in(item, at)
            }
        }),
        _ => None,
    }
}

fn nul_refused(at: &str) -> ApiError {
    let field = if at.is_empty() { "the body" } else { at };
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!("`{field}` contains a NUL character, which debrief does not store"),
    )
}

fn json_error(rejection: JsonRejection) -> ApiError {
    let status = match &rejection {
        JsonRejection::JsonDataError(_) => StatusCode::UNPROCESSABLE_ENTITY,
        JsonRejection::MissingJsonContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        _ => rejection.status(),
    };
    ApiError::new(status, rejection.body_text())
}

/// The version a write is based on: `If-Match: "N"` or the body's `version` field. A write
/// that names neither is refused with 428: the server never guesses.
pub fn based_on(headers: &HeaderMap, field: Option<i64>) -> Result<i64, ApiError> {
    if let Some(value) = headers.get(header::IF_MATCH) {
        let text = value.to_str().unwrap_or("");
        let tag = text.trim().trim_start_matches("W/").trim_matches('"');
        return tag.parse().map_err(|_| {
            ApiError::bad_request(format!(
                "If-Match must be an ETag this server gave, such as \"3\"; got {text:?}"
            ))
        });
    }
    field.ok_or_else(|| {
        ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "name the version this write is based on: an If-Match header or a `version` field",
        )
    })
}

/// Path parameters; a malformed one is "not found", like any other unknown id.
pub struct Ids<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Ids<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(ids)| Ids(ids))
            .map_err(|_: PathRejection| ApiError::not_found())
    }
}

/// Query parameters; unknown or malformed ones are a 400 that says which.
pub struct Args<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Args<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        // A NUL is written %00 in a query; no parameter may hold one.
        if parts
            .uri
            .query()
            .is_some_and(|q| q.as_bytes().windows(3).any(|w| w == b"%00"))
        {
            return Err(nul_refused("the query"));
        }
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(args)| Args(args))
            .map_err(|e: QueryRejection| ApiError::bad_request(e.body_text()))
    }
}

/// The client's address, when the server was started with connection info (tests that call
/// the router directly have none).
pub struct ClientAddress(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip().to_string());
        Ok(ClientAddress(address))
    }
}

/// `{id}`: a postmortem.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct PostmortemId {
    /// The postmortem's id.
    pub id: i64,
}

/// `If-Match`: the version a write is based on. Documentation only: [`based_on`] reads the
/// header, since the body's `version` field may stand in for it.
#[derive(Debug, utoipa::IntoParams)]
#[expect(dead_code, reason = "describes the header for the OpenAPI document")]
#[into_params(parameter_in = Header)]
pub struct IfMatch {
    /// The version this write is based on, as the ETag gave it (`"3"`); or the body's
    /// `version` field.
    #[param(rename = "If-Match")]
    pub if_match: Option<String>,
}
