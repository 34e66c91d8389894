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
pub mod webhooks;

pub use config::{Kind, TrackerConfig, Trackers};

use github::GitHub;
use gitlab::GitLab;
use jira::Jira;

/// Where an issue stands, in the terms of an action item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteState {
    /// Open, or reopened.
    Open,
    /// Closed as completed.
    Done,
    /// Closed without being done (not planned, won't do, a duplicate), with the tracker's
    /// reason.
    Declined(String),
}

/// What a tracker says of an issue that an action item cares about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Open, done or declined.
    pub state: RemoteState,
    /// The tracker's user it is assigned to (a login, an account id, a user id).
    pub assignee: Option<String>,
    /// The day it is due, `YYYY-MM-DD`, where the tracker keeps one.
    pub due: Option<String>,
}

/// One configured tracker, whatever its kind: what the job queue and the command line use.
#[derive(Debug, Clone)]
pub struct Tracker {
    /// Its configuration.
    pub config: TrackerConfig,
    client: Client,
}

#[derive(Debug, Clone)]
enum Client {
    GitHub(GitHub),
    Jira(Jira),
    GitLab(GitLab),
}

impl Tracker {
    /// A client for `config`, with its credential read from its environment variable now.
    pub fn connect(config: &TrackerConfig) -> Result<Tracker, TrackerError> {
        let token = config.token().map_err(TrackerError::Permanent)?;
        let client = match config.kind {
            Kind::GitHub => Client::GitHub(GitHub::new(&config.url, &config.project, &token)?),
            Kind::GitLab => Client::GitLab(GitLab::new(&config.url, &config.project, &token)?),
            Kind::Jira => {
                let user = config.user.as_deref().ok_or_else(|| {
                    TrackerError::Permanent(format!(
                        "tracker {}: Jira needs `user`, the account its token belongs to",
                        config.name
                    ))
                })?;
                Client::Jira(Jira::new(&config.url, &config.project, user, &token)?)
            }
        };
        Ok(Tracker {
            config: config.clone(),
            client,
        })
    }

    /// Creates an issue.
    pub async fn create(&self, issue: &NewIssue) -> Result<IssueRef, TrackerError> {
        match &self.client {
            Client::GitHub(c) => c.create(issue).await,
            Client::Jira(c) => c.create(issue).await,
            Client::GitLab(c) => c.create(issue).await,
        }
    }

    /// The issue an earlier attempt created for `marker`, if any; `since` (Unix seconds) is
    /// when the intent to create it was recorded.
    pub async fn find(&self, marker: &str, since: i64) -> Result<Option<IssueRef>, TrackerError> {
        match &self.client {
            Client::GitHub(c) => c.find(marker, since).await,
            Client::Jira(c) => c.find(marker).await,
            Client::GitLab(c) => c.find(marker).await,
        }
    }

    /// The issue's status, for a reference as [`Tracker::issue_id`] reads it.
    pub async fn status(&self, reference: &str) -> Result<Status, TrackerError> {
        let id = self.issue_id(reference).ok_or_else(|| {
            TrackerError::Permanent(format!(
                "{reference:?} is not an issue of tracker {}",
                self.config.name
            ))
        })?;
        match &self.client {
            Client::GitHub(c) => c.status(id.parse().unwrap_or_default()).await,
            Client::Jira(c) => c.status(&id).await,
            Client::GitLab(c) => c.status(id.parse().unwrap_or_default()).await,
        }
    }

    /// The issue a reference written in a postmortem names in this tracker: GitHub's or
    /// GitLab's number (from `#12`, `owner/repo#12` or the issue's page), Jira's key (from
    /// `OPS-42` or its `/browse/OPS-42` page). `None` for another tracker's issue.
    pub fn issue_id(&self, reference: &str) -> Option<String> {
        issue_id(&self.config, reference)
    }
}

/// See [`Tracker::issue_id`].
pub fn issue_id(config: &TrackerConfig, reference: &str) -> Option<String> {
    let reference = reference.trim().trim_matches(['<', '>', '[', ']']);
    let number =
        |s: &str| (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.to_string());
    match config.kind {
        Kind::GitHub => {
            if let Some(n) = reference.strip_prefix('#') {
                return number(n);
            }
            if let Some((repo, n)) = reference.split_once('#') {
                return repo
                    .eq_ignore_ascii_case(&config.project)
                    .then(|| number(n))?;
            }
            let path = format!("/{}/issues/", config.project.to_lowercase());
            let lower = reference.to_lowercase();
            let at = lower.find(&path)?;
            number(reference[at + path.len()..].trim_end_matches('/'))
        }
        Kind::GitLab => {
            if let Some(n) = reference.strip_prefix('#') {
                return number(n);
            }
            // `https://gitlab.example.com/group/project/-/issues/12`: the host must be the
            // tracker's (the project may be configured by id, which the page does not show).
            let host = |url: &str| {
                url.split("://")
                    .nth(1)?
                    .split('/')
                    .next()
                    .map(str::to_lowercase)
            };
            let (_, n) = reference.split_once("/-/issues/")?;
            (host(reference) == host(&config.url)).then(|| number(n.trim_end_matches('/')))?
        }
        Kind::Jira => {
            let key = reference.rsplit("/browse/").next().unwrap_or(reference);
            let (project, n) = key.split_once('-')?;
            (project.eq_ignore_ascii_case(&config.project) && number(n).is_some())
                .then(|| key.to_ascii_uppercase())
        }
    }
}

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

/// An HTTP client for a tracker or a webhook (`name` says which, in errors): a 30-second timeout, debrief's user agent. HTTPS goes
/// through rustls with ring's crypto provider, installed here for the process if nothing
/// installed one before (reqwest is built without a default: aws-lc needs a C toolchain),
/// with certificates checked against the system's roots.
pub fn client(tracker: &str) -> Result<reqwest::Client, TrackerError> {
    let _ = rustls::crypto::ring::default_provider().install_default();
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

/// The marker of an action item: what finds its issue again, however often creating it is
/// tried. `postmortem` names the postmortem (the server's id, a file's name); the item is
/// known by its words, so that an item keeps its marker when others are added above it.
/// Letters, digits and `-` only, so that every tracker takes it as a label.
pub fn marker(postmortem: &str, item: &debrief_core::model::ActionItem) -> String {
    // FNV-1a: stable across builds and platforms, unlike the standard library's hasher.
    let words = item.text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in words.to_lowercase().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let name: String = postmortem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{}-{:012x}", name.trim_matches('-'), hash >> 16)
}

/// The issue for an action item of the postmortem `meta` describes, in `config`'s tracker:
/// the item's words as the title, a body that says where it comes from (`link`, the
/// postmortem's page or file, when known), owner, due date and priority, and its details.
pub fn issue_for(
    config: &TrackerConfig,
    item: &debrief_core::model::ActionItem,
    meta: &debrief_core::model::Metadata,
    link: Option<&str>,
    marker: &str,
) -> NewIssue {
    let mut title: String = item.text.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.chars().count() > 240 {
        title = title.chars().take(239).collect::<String>() + "\u{2026}";
    }
    let mut body = format!("An action item of the postmortem **{}**", meta.title.trim());
    if let Some(date) = meta.date {
        body.push_str(&format!(" ({date})"));
    }
    body.push('.');
    if let Some(link) = link {
        body.push_str(&format!("\n\n{link}"));
    }
    let mut facts = Vec::new();
    if let Some(owner) = &item.owner {
        facts.push(format!("Owner: {owner}"));
    }
    if let Some(due) = &item.due {
        facts.push(format!("Due: {}", due.written));
    }
    if let Some(priority) = &item.priority {
        facts.push(format!("Priority: {priority}"));
    }
    if !facts.is_empty() {
        body.push_str(&format!("\n\n{}", facts.join(" \u{b7} ")));
    }
    if !item.details.trim().is_empty() {
        body.push_str(&format!("\n\n{}", item.details.trim()));
    }
    NewIssue {
        title,
        body,
        assignee: item
            .owner
            .as_deref()
            .and_then(|owner| config.assignee(owner))
            .map(str::to_string),
        labels: vec!["postmortem".to_string()],
        due: item
            .due
            .as_ref()
            .and_then(|d| d.date)
            .map(|d| d.to_string()),
        marker: marker.to_string(),
    }
}

/// The hidden line an issue's body carries so that it can be found again.
pub fn marker_line(marker: &str) -> String {
    format!("<!-- debrief:{marker} -->")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).expect("a header value"));
        }
        map
    }

    /// A tracker for tests.
    pub(crate) fn config(kind: Kind, url: &str, project: &str) -> TrackerConfig {
        TrackerConfig {
            name: "t".into(),
            kind,
            url: url.into(),
            project: project.into(),
            token_env: "T".into(),
            user: None,
            owners: Default::default(),
            default: false,
            webhook_secret_env: None,
            environment: None,
        }
    }

    #[test]
    fn references_name_issues_of_their_own_tracker_only() {
        let github = config(Kind::GitHub, "https://api.github.com", "acme/platform");
        let id = |c: &TrackerConfig, r: &str| issue_id(c, r);
        assert_eq!(id(&github, "#12").as_deref(), Some("12"));
        assert_eq!(id(&github, "acme/platform#12").as_deref(), Some("12"));
        assert_eq!(
            id(&github, "https://github.com/Acme/Platform/issues/12").as_deref(),
            Some("12")
        );
        assert_eq!(id(&github, "https://github.com/acme/other/issues/12"), None);
        assert_eq!(id(&github, "OPS-12"), None);
        let jira = config(Kind::Jira, "https://acme.atlassian.net", "OPS");
        assert_eq!(id(&jira, "OPS-42").as_deref(), Some("OPS-42"));
        assert_eq!(
            id(&jira, "https://acme.atlassian.net/browse/OPS-42").as_deref(),
            Some("OPS-42")
        );
        assert_eq!(id(&jira, "SEC-42"), None);
        let gitlab = config(Kind::GitLab, "https://gitlab.acme.dev", "7");
        assert_eq!(
            id(&gitlab, "https://gitlab.acme.dev/ops/platform/-/issues/3").as_deref(),
            Some("3")
        );
        assert_eq!(
            id(&gitlab, "https://gitlab.com/ops/platform/-/issues/3"),
            None
        );
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
