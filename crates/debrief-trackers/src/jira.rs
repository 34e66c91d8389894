//! Jira Cloud (REST API v3): create an issue, find the one an earlier attempt created by its
//! marker, read an issue's state.
//!
//! The marker is a label, `debrief-MARKER` (Jira's labels take no spaces, and the markers
//! debrief makes have none), beside the `debrief` label. Jira's search is indexed and may lag
//! a second behind a creation; the job queue's backoff (30 s before a retry) leaves it time.

use crate::{IssueRef, NewIssue, RemoteState, Status, TrackerError};
use serde::Deserialize;

/// The label every issue debrief creates carries.
pub const LABEL: &str = "debrief";

/// A Jira project's issues.
#[derive(Debug, Clone)]
pub struct Jira {
    http: reqwest::Client,
    /// `https://SITE.atlassian.net`.
    base: String,
    /// The project key, `OPS`.
    project: String,
    user: String,
    token: String,
}

#[derive(Deserialize)]
struct Created {
    key: String,
}

#[derive(Deserialize)]
struct Found {
    #[serde(default)]
    issues: Vec<Created>,
}

#[derive(Deserialize)]
struct Issue {
    fields: Fields,
}

#[derive(Deserialize)]
pub(crate) struct Fields {
    status: JiraStatus,
    #[serde(default)]
    resolution: Option<Named>,
    #[serde(default)]
    assignee: Option<Account>,
    #[serde(default)]
    duedate: Option<String>,
}

#[derive(Deserialize)]
struct Account {
    #[serde(rename = "accountId")]
    account_id: String,
}

#[derive(Deserialize)]
struct JiraStatus {
    #[serde(rename = "statusCategory")]
    category: Category,
}

#[derive(Deserialize)]
struct Category {
    key: String,
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

/// The label that marks an issue as the one for `marker`.
pub fn marker_label(marker: &str) -> String {
    let clean: String = marker
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("debrief-{clean}")
}

/// Text as Atlassian Document Format: a paragraph per paragraph of the text.
fn document(text: &str) -> serde_json::Value {
    let paragraphs: Vec<serde_json::Value> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            serde_json::json!({
                "type": "paragraph",
                "content": [{"type": "text", "text": p}],
            })
        })
        .collect();
    serde_json::json!({"type": "doc", "version": 1, "content": paragraphs})
}

impl Jira {
    /// The issues of project `project` at `base`, as `user` with an API token. HTTPS goes
    /// through rustls with the process's crypto provider, which the binary installs.
    pub fn new(base: &str, project: &str, user: &str, token: &str) -> Result<Jira, TrackerError> {
        let http = crate::client("Jira")?;
        Ok(Jira {
            http,
            base: base.trim_end_matches('/').to_string(),
            project: project.to_string(),
            user: user.to_string(),
            token: token.to_string(),
        })
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}/rest/api/3{path}", self.base))
            .basic_auth(&self.user, Some(&self.token))
            .header("accept", "application/json")
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        what: &str,
    ) -> Result<T, TrackerError> {
        crate::send_json(request, what, "Jira").await
    }

    /// Creates the issue (a Task), labelled `debrief` and with its marker's label, due on
    /// `issue.due`, assigned to `issue.assignee` (an Atlassian account id).
    pub async fn create(&self, issue: &NewIssue) -> Result<IssueRef, TrackerError> {
        let mut labels = issue.labels.clone();
        labels.push(LABEL.to_string());
        labels.push(marker_label(&issue.marker));
        let mut fields = serde_json::json!({
            "project": {"key": self.project},
            "issuetype": {"name": "Task"},
            "summary": issue.title,
            "description": document(&issue.body),
            "labels": labels,
        });
        if let Some(due) = &issue.due {
            fields["duedate"] = serde_json::json!(due);
        }
        if let Some(account) = &issue.assignee {
            fields["assignee"] = serde_json::json!({"accountId": account});
        }
        let created: Created = self
            .send(
                self.request(reqwest::Method::POST, "/issue")
                    .json(&serde_json::json!({"fields": fields})),
                "creating a Jira issue",
            )
            .await?;
        Ok(self.reference(created.key))
    }

    fn reference(&self, key: String) -> IssueRef {
        IssueRef {
            url: format!("{}/browse/{key}", self.base),
            key,
        }
    }

    /// The issue carrying `marker`'s label in the project, if any.
    pub async fn find(&self, marker: &str) -> Result<Option<IssueRef>, TrackerError> {
        let jql = format!(
            "project = \"{}\" AND labels = \"{}\"",
            self.project,
            marker_label(marker)
        );
        let found: Found = self
            .send(
                self.request(reqwest::Method::GET, "/search/jql").query(&[
                    ("jql", jql.as_str()),
                    ("fields", "summary"),
                    ("maxResults", "1"),
                ]),
                "searching Jira",
            )
            .await?;
        Ok(found
            .issues
            .into_iter()
            .next()
            .map(|issue| self.reference(issue.key)))
    }

    /// The state of issue `key`: in the done category with the resolution "Done", "Fixed"
    /// or "Resolved" is done; with another ("Won't Do", "Duplicate") it is declined with
    /// that resolution. The assignee is an Atlassian account id.
    pub async fn status(&self, key: &str) -> Result<Status, TrackerError> {
        let issue: Issue = self
            .send(
                self.request(reqwest::Method::GET, &format!("/issue/{key}"))
                    .query(&[("fields", "status,resolution,assignee,duedate")]),
                "reading a Jira issue",
            )
            .await?;
        Ok(status_of(issue.fields))
    }
}

/// An issue's status from its fields (an answer's or a webhook delivery's).
pub(crate) fn status_of(fields: Fields) -> Status {
    let done = fields.status.category.key == "done";
    let state = match fields.resolution.map(|r| r.name) {
        _ if !done => RemoteState::Open,
        Some(name) if !matches!(name.as_str(), "Done" | "Fixed" | "Resolved") => {
            RemoteState::Declined(name)
        }
        _ => RemoteState::Done,
    };
    Status {
        state,
        assignee: fields.assignee.map(|a| a.account_id),
        due: fields.duedate,
    }
}
