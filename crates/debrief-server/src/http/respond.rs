//! Answers that carry more than a JSON body: the version as an ETag, Markdown, files to
//! download and the session cookie. A header value that cannot be built is a logged 500,
//! never a header silently left out.

use super::error::{ApiError, ApiResult};
use super::extract::SESSION_COOKIE;
use axum::Json;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cookie::{Cookie, SameSite};
use serde::Serialize;

/// A header value from text this server wrote.
pub fn header_value(text: &str) -> ApiResult<HeaderValue> {
    HeaderValue::from_str(text).map_err(|error| {
        tracing::error!(%error, text, "cannot write a header");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the server could not write the response; it is logged",
        )
    })
}

/// Adds a header to a response.
pub fn with_header(mut response: Response, name: HeaderName, value: &str) -> ApiResult<Response> {
    response.headers_mut().insert(name, header_value(value)?);
    Ok(response)
}

/// A JSON answer with the postmortem's version as its ETag.
pub fn tagged(status: StatusCode, version: i64, body: &impl Serialize) -> ApiResult<Response> {
    with_header(
        (status, Json(body)).into_response(),
        header::ETAG,
        &format!("\"{version}\""),
    )
}

/// Markdown, with the version it is as its ETag when it is the current one.
pub fn markdown(text: String, version: Option<i64>) -> ApiResult<Response> {
    let response = (
        [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
        text,
    )
        .into_response();
    match version {
        Some(version) => with_header(response, header::ETAG, &format!("\"{version}\"")),
        None => Ok(response),
    }
}

/// Every byte of `text` but RFC 3986's unreserved characters, percent-encoded: for a header's
/// `filename*` and for a query value.
pub fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                encoded.push(char::from(byte));
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

/// This server's address as the client reached it (`https://host` when it came over https),
/// for links in what leaves the server (the feed, an invitation); a `Host` that is not a
/// plain host name is taken as `localhost`.
pub fn base_url(config: &super::HttpConfig, headers: &axum::http::HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = if secure_cookies(config, headers) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// Whether the session cookie must be `Secure`: configured so, or the request came over
/// https through a proxy that says so.
pub fn secure_cookies(config: &super::HttpConfig, headers: &axum::http::HeaderMap) -> bool {
    config.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .is_some_and(|p| p.as_bytes() == b"https")
}

/// `Content-Disposition: attachment` for a file name as its uploader gave it: an ASCII
/// `filename` that every client reads and, when that is not the exact name, the exact name
/// as `filename*` (RFC 6266, RFC 8187). No name can break the header or inject another.
pub fn attachment(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    if fallback == name {
        return format!("attachment; filename=\"{name}\"");
    }
    let encoded = percent_encode(name);
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// The session cookie: HTTP only, same-site (lax), for `seconds`; `Secure` when the client
/// reaches the server over https.
pub fn session_cookie(token: &str, seconds: i64, secure: bool) -> String {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(seconds))
        .secure(secure)
        .build()
        .to_string()
}

/// The session cookie, expired: signs the browser out.
pub fn expired_session_cookie() -> String {
    session_cookie("", 0, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_file_name_makes_a_valid_header() {
        for name in [
            "report.pdf",
            "naïve plan.txt",
            "a\"b\r\nSet-Cookie: x=1",
            "日志.log",
        ] {
            let value = attachment(name);
            assert!(HeaderValue::from_str(&value).is_ok(), "{value}");
            assert!(!value.contains('\n'), "{value}");
        }
        assert_eq!(
            attachment("naïve plan.txt"),
            "attachment; filename=\"na_ve plan.txt\"; filename*=UTF-8''na%C3%AFve%20plan.txt"
        );
    }

    #[test]
    fn the_session_cookie_says_what_it_is() {
        assert_eq!(
            session_cookie("abc", 60, true),
            "debrief_session=abc; HttpOnly; SameSite=Lax; Secure; Path=/; Max-Age=60"
        );
        assert!(expired_session_cookie().contains("Max-Age=0"));
    }
}
