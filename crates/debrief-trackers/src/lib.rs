//! Issue trackers for action items: the clients that create an issue for an item, find the
//! one an earlier attempt created, and read an issue's state back; and their configuration,
//! the `[trackers.NAME]` tables of `debrief.toml`.
//!
//! A client only speaks HTTP to its tracker. Which items to send, when, and how often to try
//! is the job queue's business (the server) or the command line's; what a client answers
//! says enough to decide: an issue, a failure worth retrying (with the time the tracker
//! named, from `Retry-After` or `X-RateLimit-Reset`), or one that trying again cannot fix.
//!
//! Exactly once: every issue carries a marker (`debrief:KEY` in a hidden comment of its
//! body on GitHub, a label on Jira), and each client's `find` looks for it before a retry
//! creates anything.

pub mod config;
pub mod github;
pub mod gitlab;
pub mod jira;

pub use config::{Kind, TrackerConfig, Trackers};

/// An issue to create for an action item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIssue {
    /// The item's text.
    pub title: String,
    /// Markdown: what the item is, a link back to the postmortem, its due date.
    pub body: String,
    /// The tracker's user to assign, when the owner maps to one.
    pub assignee: Option<String>,
    /// Labels to put on it.
    pub labels: Vec<String>,
    /// The day it is due, `YYYY-MM-DD`, for trackers that keep one (Jira, GitLab).
    pub due: Option<String>,
    /// What identifies the item across attempts: written into the body, found again by
    /// [`github::GitHub::find`].
    pub marker: String,
}

/// An issue in a tracker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueRef {
    /// Its key as people write it: `#123`, `OPS-42`.
    pub key: String,
    /// Its page.
    pub url: String,
}

/// Why a request to a tracker did not give an answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrackerError {
    /// Worth trying again later: the tracker is unreachable, failed (5xx), or limits the
    /// rate; `retry_at` (Unix seconds) is when it said to come back, if it did.
    #[error("{message}")]
    Retry {
        /// What happened.
        message: String,
        /// When to come back, as the tracker said.
        retry_at: Option<i64>,
    },
    /// Trying again cannot help: a refused credential, a project that does not exist, a
    /// request the tracker finds invalid.
    #[error("{0}")]
    Permanent(String),
}

/// When a refused request may be tried again, from the answer's headers: `Retry-After` (in
/// seconds, or an HTTP date), or `X-RateLimit-Reset` (GitHub) or `RateLimit-Reset` (GitLab),
/// Unix seconds, once the matching `…-Remaining` is 0. `now` is Unix seconds.
pub fn retry_at(headers: &reqwest::header::HeaderMap, now: i64) -> Option<i64> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(after) = text("retry-after") {
        if let Ok(seconds) = after.parse::<i64>() {
            return Some(now + seconds.max(0));
        }
        // An HTTP date: `Wed, 21 Oct 2026 07:28:00 GMT`.
        if let Ok(at) = jiff::fmt::rfc2822::parse(after) {
            return Some(at.timestamp().as_second());
        }
    }
    // GitHub writes `X-RateLimit-*`, GitLab `RateLimit-*`.
    let header = |name: &str| text(&format!("x-{name}")).or_else(|| text(name));
    let exhausted = header("ratelimit-remaining").is_some_and(|r| r == "0");
    match header("ratelimit-reset").and_then(|r| r.parse::<i64>().ok()) {
        Some(reset) if exhausted => Some(reset.max(now)),
        _ => None,
    }
}

/// The error an answer means, with `what` naming the request for the message.
pub(crate) fn error_of(
    status: reqwest::StatusCode,
    headers: &reqwest::header::HeaderMap,
    body: &str,
    what: &str,
    now: i64,
) -> TrackerError {
    // Trackers say why in a JSON `message` (GitHub, GitLab) or `errorMessages` (Jira).
    let said = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            v.get("message")
                .and_then(|m| m.as_str().map(str::to_string))
                .or_else(|| {
                    v.get("errorMessages")
                        .and_then(|m| m.as_array())
                        .map(|list| {
                            list.iter()
                                .filter_map(|m| m.as_str())
                                .collect::<Vec<_>>()
                                .join("; ")
                        })
                })
        })
        .unwrap_or_default();
    let message = if said.is_empty() {
        format!("{what}: {status}")
    } else {
        format!("{what}: {status}: {said}")
    };
    let limited = retry_at(headers, now);
    match status.as_u16() {
        // GitHub answers a rate limit with 403 and the rate-limit headers.
        429 => TrackerError::Retry {
            message,
            retry_at: limited,
        },
        403 if limited.is_some() => TrackerError::Retry {
            message,
            retry_at: limited,
        },
        500..=599 | 408 => TrackerError::Retry {
            message,
            retry_at: limited,
        },
        _ => TrackerError::Permanent(message),
    }
}

/// A failure to reach the tracker at all: worth trying again.
pub(crate) fn unreachable(what: &str, error: &reqwest::Error) -> TrackerError {
    TrackerError::Retry {
        message: format!("{what}: {error}"),
        retry_at: None,
    }
}

/// An HTTP client for a tracker: a 30-second timeout, debrief's user agent. HTTPS goes
/// through rustls with the process's crypto provider, which the binary installs (ring's).
pub(crate) fn client(tracker: &str) -> Result<reqwest::Client, TrackerError> {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .user_agent(concat!("debrief/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| TrackerError::Permanent(format!("{tracker} client: {e}")))
}

/// Sends a request and reads its JSON answer, or tells what went wrong (`what` names the
/// request, `tracker` the tracker, for the messages).
pub(crate) async fn send_json<T: serde::de::DeserializeOwned>(
    request: reqwest::RequestBuilder,
    what: &str,
    tracker: &str,
) -> Result<T, TrackerError> {
    let answer = request.send().await.map_err(|e| unreachable(what, &e))?;
    let status = answer.status();
    let headers = answer.headers().clone();
    let body = answer.text().await.map_err(|e| unreachable(what, &e))?;
    if !status.is_success() {
        let now = jiff::Timestamp::now().as_second();
        return Err(error_of(status, &headers, &body, what, now));
    }
    serde_json::from_str(&body).map_err(|e| TrackerError::Retry {
        message: format!("{what}: an answer {tracker} does not give: {e}"),
        retry_at: None,
    })
}

/// The hidden line an issue's body carries so that it can be found again.
pub fn marker_line(marker: &str) -> String {
    format!("<!-- debrief:{marker} -->")
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).expect("a header value"));
        }
        map
    }

    #[test]
    fn a_rate_limit_says_when_to_come_back() {
        let now = 1_800_000_000;
        assert_eq!(
            retry_at(&headers(&[("retry-after", "120")]), now),
            Some(now + 120)
        );
        assert_eq!(
            retry_at(
                &headers(&[("retry-after", "Fri, 15 Jan 2027 08:00:00 GMT")]),
                now
            ),
            Some(
                "2027-01-15T08:00:00Z"
                    .parse::<jiff::Timestamp>()
                    .expect("a time")
                    .as_second()
            )
        );
        let reset = (now + 600).to_string();
        assert_eq!(
            retry_at(
                &headers(&[
                    ("x-ratelimit-remaining", "0"),
                    ("x-ratelimit-reset", &reset)
                ]),
                now
            ),
            Some(now + 600)
        );
        assert_eq!(
            retry_at(
                &headers(&[
                    ("x-ratelimit-remaining", "12"),
                    ("x-ratelimit-reset", &reset)
                ]),
                now
            ),
            None,
            "requests left: no limit yet"
        );
        assert_eq!(retry_at(&headers(&[]), now), None);
    }

    #[test]
    fn answers_are_retried_or_not_by_what_they_mean() {
        let now = 1_800_000_000;
        let limited = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1800000060"),
        ]);
        let code = |n: u16| reqwest::StatusCode::from_u16(n).expect("a status");
        assert_eq!(
            error_of(
                code(403),
                &limited,
                r#"{"message":"API rate limit exceeded"}"#,
                "create",
                now
            ),
            TrackerError::Retry {
                message: "create: 403 Forbidden: API rate limit exceeded".into(),
                retry_at: Some(now + 60)
            }
        );
        assert!(matches!(
            error_of(code(403), &headers(&[]), "{}", "create", now),
            TrackerError::Permanent(_)
        ));
        assert!(matches!(
            error_of(code(502), &headers(&[]), "", "create", now),
            TrackerError::Retry { retry_at: None, .. }
        ));
        assert!(matches!(
            error_of(code(422), &headers(&[]), r#"{"errorMessages":["bad field"]}"#, "create", now),
            TrackerError::Permanent(m) if m.ends_with("bad field")
        ));
    }
}
