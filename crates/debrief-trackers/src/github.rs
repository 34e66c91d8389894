//! GitHub Issues (REST API v3, github.com or GitHub Enterprise): create an issue, find the
//! one an earlier attempt created by its marker, read an issue's state.

use crate::{IssueRef, NewIssue, RemoteState, Status, TrackerError, marker_line};
use serde::Deserialize;

/// The label every issue debrief creates carries: the issues [`GitHub::find`] looks among.
pub const LABEL: &str = "debrief";

/// A GitHub repository's issues.
#[derive(Debug, Clone)]
pub struct GitHub {
    http: reqwest::Client,
    /// The API's base URL, `https://api.github.com` or `https://HOST/api/v3`.
    base: String,
    /// `owner/repo`.
    project: String,
    token: String,
}

/// An issue as GitHub's answers and its webhook deliveries write it.
#[derive(Deserialize)]
pub(crate) struct Issue {
    pub(crate) number: u64,
    pub(crate) html_url: String,
    #[serde(default)]
    body: Option<String>,
    state: String,
    #[serde(default)]
    state_reason: Option<String>,
    #[serde(default)]
    assignees: Vec<Login>,
}

#[derive(Deserialize)]
struct Login {
    login: String,
}

impl Issue {
    fn reference(&self) -> IssueRef {
        IssueRef {
            key: format!("#{}", self.number),
            url: self.html_url.clone(),
        }
    }
}

impl GitHub {
    /// The issues of `project` (`owner/repo`) at `base`, with a token. HTTPS goes through
    /// rustls with the process's crypto provider, which the binary installs (ring's).
    pub fn new(base: &str, project: &str, token: &str) -> Result<GitHub, TrackerError> {
        let http = crate::client("GitHub")?;
        Ok(GitHub {
            http,
            base: base.trim_end_matches('/').to_string(),
            project: project.to_string(),
            token: token.to_string(),
        })
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(
                method,
                format!("{}/repos/{}{path}", self.base, self.project),
            )
            .bearer_auth(&self.token)
            .header("accept", "application/vnd.github+json")
            .header("x-github-api-version", "2022-11-28")
    }

    /// Sends a request and reads a JSON answer, or tells what went wrong.
    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        what: &str,
    ) -> Result<T, TrackerError> {
        crate::send_json(request, what, "GitHub").await
    }

    /// Creates the issue, with its marker at the end of its body and the `debrief` label.
    pub async fn create(&self, issue: &NewIssue) -> Result<IssueRef, TrackerError> {
        let mut labels = issue.labels.clone();
        if !labels.iter().any(|l| l == LABEL) {
            labels.push(LABEL.to_string());
        }
        let body = serde_json::json!({
            "title": issue.title,
            "body": format!("{}\n\n{}\n", issue.body.trim_end(), marker_line(&issue.marker)),
            "labels": labels,
            "assignees": issue.assignee.iter().collect::<Vec<_>>(),
        });
        let created: Issue = self
            .send(
                self.request(reqwest::Method::POST, "/issues").json(&body),
                "creating a GitHub issue",
            )
            .await?;
        Ok(created.reference())
    }

    /// The issue carrying `marker` among those with the `debrief` label changed since
    /// `since` (Unix seconds: when the intent to create it was recorded), newest first, a
    /// hundred at a time. The list is read directly, not searched: GitHub's search index
    /// lags behind, and an issue created a second ago must be found.
    pub async fn find(&self, marker: &str, since: i64) -> Result<Option<IssueRef>, TrackerError> {
        let line = marker_line(marker);
        let since = jiff::Timestamp::from_second(since - 60)
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        for page in 1..=10 {
            let issues: Vec<Issue> = self
                .send(
                    self.request(reqwest::Method::GET, "/issues").query(&[
                        ("labels", LABEL),
                        ("state", "all"),
                        ("since", since.as_str()),
                        ("sort", "created"),
                        ("direction", "desc"),
                        ("per_page", "100"),
                        ("page", &page.to_string()),
                    ]),
                    "listing GitHub issues",
                )
                .await?;
            if let Some(found) = issues
                .iter()
                .find(|i| i.body.as_deref().is_some_and(|b| b.contains(&line)))
            {
                return Ok(Some(found.reference()));
            }
            if issues.len() < 100 {
                break;
            }
        }
        Ok(None)
    }

    /// The state of issue `number`: closed as completed is done; closed as not planned or
    /// as a duplicate is declined with that reason. GitHub issues keep no due date.
    pub async fn status(&self, number: u64) -> Result<Status, TrackerError> {
        let issue: Issue = self
            .send(
                self.request(reqwest::Method::GET, &format!("/issues/{number}")),
                "reading a GitHub issue",
            )
            .await?;
        Ok(issue.status())
    }
}

impl Issue {
    pub(crate) fn status(&self) -> Status {
        status_of(
            &self.state,
            self.state_reason.as_deref(),
            self.assignees.first().map(|a| a.login.clone()),
        )
    }
}

/// An issue's status from its `state` and `state_reason`: closed as completed is done;
/// closed as not planned or as a duplicate is declined with that reason. GitHub issues
/// keep no due date.
pub(crate) fn status_of(state: &str, reason: Option<&str>, assignee: Option<String>) -> Status {
    let state = match (state, reason) {
        ("closed", Some("not_planned")) => RemoteState::Declined("not planned".into()),
        ("closed", Some("duplicate")) => RemoteState::Declined("a duplicate".into()),
        ("closed", _) => RemoteState::Done,
        _ => RemoteState::Open,
    };
    Status {
        state,
        assignee,
        due: None,
    }
}
