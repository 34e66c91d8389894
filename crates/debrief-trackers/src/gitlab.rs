//! GitLab issues (REST API v4, gitlab.com or self-hosted): create an issue, find the one an
//! earlier attempt created by its marker, read an issue's state.
//!
//! The marker is a label, `debrief-MARKER`, as on Jira; GitLab creates labels as they are
//! first used, and lists issues by label from its database, so an issue created a moment ago
//! is found.

use crate::{IssueRef, NewIssue, RemoteState, Status, TrackerError};
use serde::Deserialize;

/// The label every issue debrief creates carries.
pub const LABEL: &str = "debrief";

/// A GitLab project's issues.
#[derive(Debug, Clone)]
pub struct GitLab {
    http: reqwest::Client,
    /// `https://gitlab.com` or the instance's address (the API is under `/api/v4`).
    base: String,
    /// The project's id or `group/project` path, encoded for a URL.
    project: String,
    token: String,
}

#[derive(Deserialize)]
struct Issue {
    iid: u64,
    web_url: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    assignees: Vec<Assignee>,
    #[serde(default)]
    due_date: Option<String>,
}

#[derive(Deserialize)]
struct Assignee {
    id: u64,
}

impl Issue {
    fn reference(&self) -> IssueRef {
        IssueRef {
            key: format!("#{}", self.iid),
            url: self.web_url.clone(),
        }
    }
}

/// The label that marks an issue as the one for `marker`.
pub fn marker_label(marker: &str) -> String {
    crate::jira::marker_label(marker)
}

impl GitLab {
    /// The issues of `project` (an id, or a `group/project` path) at `base`, with a
    /// personal, group or project access token. HTTPS goes through rustls with the process's
    /// crypto provider, which the binary installs.
    pub fn new(base: &str, project: &str, token: &str) -> Result<GitLab, TrackerError> {
        let http = crate::client("GitLab")?;
        let base = base.trim_end_matches('/');
        Ok(GitLab {
            http,
            base: base.strip_suffix("/api/v4").unwrap_or(base).to_string(),
            project: project.replace('/', "%2F"),
            token: token.to_string(),
        })
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(
                method,
                format!("{}/api/v4/projects/{}{path}", self.base, self.project),
            )
            .header("private-token", &self.token)
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        what: &str,
    ) -> Result<T, TrackerError> {
        crate::send_json(request, what, "GitLab").await
    }

    /// Creates the issue, labelled `debrief` and with its marker's label, due on
    /// `issue.due`, assigned to `issue.assignee` when that is a GitLab user id (a number).
    pub async fn create(&self, issue: &NewIssue) -> Result<IssueRef, TrackerError> {
        let mut labels = issue.labels.clone();
        labels.push(LABEL.to_string());
        labels.push(marker_label(&issue.marker));
        let mut body = serde_json::json!({
            "title": issue.title,
            "description": issue.body,
            "labels": labels.join(","),
        });
        if let Some(due) = &issue.due {
            body["due_date"] = serde_json::json!(due);
        }
        if let Some(id) = issue
            .assignee
            .as_deref()
            .and_then(|a| a.parse::<u64>().ok())
        {
            body["assignee_ids"] = serde_json::json!([id]);
        }
        let created: Issue = self
            .send(
                self.request(reqwest::Method::POST, "/issues").json(&body),
                "creating a GitLab issue",
            )
            .await?;
        Ok(created.reference())
    }

    /// The issue carrying `marker`'s label in the project, if any.
    pub async fn find(&self, marker: &str) -> Result<Option<IssueRef>, TrackerError> {
        let label = marker_label(marker);
        let found: Vec<Issue> = self
            .send(
                self.request(reqwest::Method::GET, "/issues").query(&[
                    ("labels", label.as_str()),
                    ("state", "all"),
                    ("per_page", "1"),
                ]),
                "listing GitLab issues",
            )
            .await?;
        Ok(found.first().map(Issue::reference))
    }

    /// The state of issue `iid` (the project's own number, `#iid`). GitLab keeps no reason
    /// for closing: a closed issue is done, unless a label says it will not be done
    /// ([`declined_by_label`]). The assignee is a GitLab user id.
    pub async fn status(&self, iid: u64) -> Result<Status, TrackerError> {
        let issue: Issue = self
            .send(
                self.request(reqwest::Method::GET, &format!("/issues/{iid}")),
                "reading a GitLab issue",
            )
            .await?;
        let state = if issue.state != "closed" {
            RemoteState::Open
        } else if let Some(label) = issue.labels.iter().find(|l| declined_by_label(l)) {
            RemoteState::Declined(label.clone())
        } else {
            RemoteState::Done
        };
        Ok(Status {
            state,
            assignee: issue.assignees.first().map(|a| a.id.to_string()),
            due: issue.due_date,
        })
    }
}

/// Whether a label on a closed GitLab issue says it was closed without being done: the
/// usual names of that convention ("won't do", "wontfix", "not planned", "duplicate"),
/// in any case, with any separator.
pub fn declined_by_label(label: &str) -> bool {
    let plain: String = label
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    [
        "wontdo",
        "wontfix",
        "notplanned",
        "duplicate",
        "declined",
        "invalid",
    ]
    .iter()
    .any(|w| plain == *w || plain.ends_with(w))
}
