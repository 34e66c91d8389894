//! What the trackers send back: webhook deliveries, verified before a byte of them is read,
//! then read into the issue they name and its [`Status`].
//!
//! - GitHub signs the body with HMAC-SHA256 of the webhook's secret:
//!   `X-Hub-Signature-256: sha256=HEX`.
//! - GitLab sends the secret token itself: `X-Gitlab-Token`.
//! - Jira Cloud signs like GitHub when the webhook has a secret: `X-Hub-Signature: sha256=HEX`.
//!
//! Comparisons take the same time whatever the guess (HMAC's own check; `subtle` for the
//! token).

use crate::{Kind, RemoteState, Status, TrackerConfig};
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The header that carries a delivery's proof, by kind of tracker.
pub fn signature_header(kind: Kind) -> &'static str {
    match kind {
        Kind::GitHub => "x-hub-signature-256",
        Kind::GitLab => "x-gitlab-token",
        Kind::Jira => "x-hub-signature",
    }
}

/// Whether `proof` (the value of [`signature_header`]) proves that `body` was sent by
/// whoever holds `secret`.
pub fn verify(kind: Kind, secret: &str, body: &[u8], proof: &str) -> bool {
    match kind {
        Kind::GitLab => !secret.is_empty() && bool::from(proof.as_bytes().ct_eq(secret.as_bytes())),
        Kind::GitHub | Kind::Jira => {
            let Some(hex) = proof.trim().strip_prefix("sha256=") else {
                return false;
            };
            let Ok(expected) = decode_hex(hex) else {
                return false;
            };
            let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
                return false;
            };
            mac.update(body);
            mac.verify_slice(&expected).is_ok()
        }
    }
}

/// The signature GitHub (or Jira) would send for `body`: what tests and fakes sign with.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

fn decode_hex(text: &str) -> Result<Vec<u8>, ()> {
    if !text.len().is_multiple_of(2) {
        return Err(());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
                .ok_or(())
        })
        .collect()
}

/// What a delivery says of one issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The ways a postmortem may refer to the issue: its page, its key (`#12`,
    /// `owner/repo#12`, `OPS-42`).
    pub references: Vec<String>,
    /// Where it stands now.
    pub status: Status,
}

/// Reads a verified delivery. `Ok(None)` for a delivery about something else than an
/// issue (a push, a comment, GitHub's ping): acknowledged and ignored.
pub fn event(config: &TrackerConfig, body: &[u8]) -> Result<Option<Event>, String> {
    let bad = |e: serde_json::Error| {
        format!(
            "the delivery is not the JSON {} sends: {e}",
            config.kind.as_str()
        )
    };
    match config.kind {
        Kind::GitHub => {
            let delivery: GitHubDelivery = serde_json::from_slice(body).map_err(bad)?;
            let Some(issue) = delivery.issue else {
                return Ok(None);
            };
            let mut references = vec![issue.html_url.clone(), format!("#{}", issue.number)];
            if let Some(repository) = delivery.repository {
                references.push(format!("{}#{}", repository.full_name, issue.number));
            }
            Ok(Some(Event {
                references,
                status: issue.status(),
            }))
        }
        Kind::GitLab => {
            let delivery: GitLabDelivery = serde_json::from_slice(body).map_err(bad)?;
            if delivery.object_kind != "issue" {
                return Ok(None);
            }
            let Some(issue) = delivery.object_attributes else {
                return Ok(None);
            };
            let labels: Vec<String> = delivery.labels.into_iter().map(|l| l.title).collect();
            let state = if issue.state != "closed" {
                RemoteState::Open
            } else if let Some(label) = labels.iter().find(|l| crate::gitlab::declined_by_label(l))
            {
                RemoteState::Declined(label.clone())
            } else {
                RemoteState::Done
            };
            Ok(Some(Event {
                references: vec![issue.url, format!("#{}", issue.iid)],
                status: Status {
                    state,
                    assignee: issue.assignee_ids.first().map(u64::to_string),
                    due: issue.due_date,
                },
            }))
        }
        Kind::Jira => {
            let delivery: JiraDelivery = serde_json::from_slice(body).map_err(bad)?;
            let Some(issue) = delivery.issue else {
                return Ok(None);
            };
            let status = crate::jira::status_of(issue.fields);
            Ok(Some(Event {
                references: vec![
                    issue.key.clone(),
                    format!("{}/browse/{}", config.url, issue.key),
                ],
                status,
            }))
        }
    }
}

#[derive(Deserialize)]
struct GitHubDelivery {
    #[serde(default)]
    issue: Option<crate::github::Issue>,
    #[serde(default)]
    repository: Option<Repository>,
}

#[derive(Deserialize)]
struct Repository {
    full_name: String,
}

#[derive(Deserialize)]
struct GitLabDelivery {
    #[serde(default)]
    object_kind: String,
    #[serde(default)]
    object_attributes: Option<GitLabIssue>,
    #[serde(default)]
    labels: Vec<Title>,
}

#[derive(Deserialize)]
struct GitLabIssue {
    iid: u64,
    url: String,
    state: String,
    #[serde(default)]
    due_date: Option<String>,
    #[serde(default)]
    assignee_ids: Vec<u64>,
}

#[derive(Deserialize)]
struct Title {
    title: String,
}

#[derive(Deserialize)]
struct JiraDelivery {
    #[serde(default)]
    issue: Option<JiraIssue>,
}

#[derive(Deserialize)]
struct JiraIssue {
    key: String,
    fields: crate::jira::Fields,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(kind: Kind) -> TrackerConfig {
        crate::tests::config(kind, "https://acme.atlassian.net", "OPS")
    }

    #[test]
    fn signatures_are_checked_against_the_body() {
        let body = br#"{"action":"closed"}"#;
        let good = sign("s3cret", body);
        assert!(verify(Kind::GitHub, "s3cret", body, &good));
        assert!(verify(Kind::Jira, "s3cret", body, &good));
        assert!(!verify(Kind::GitHub, "other", body, &good));
        assert!(!verify(
            Kind::GitHub,
            "s3cret",
            br#"{"action":"reopened"}"#,
            &good
        ));
        assert!(!verify(Kind::GitHub, "s3cret", body, "sha256=zz"));
        assert!(!verify(Kind::GitHub, "s3cret", body, ""));
        assert!(verify(Kind::GitLab, "tok", body, "tok"));
        assert!(!verify(Kind::GitLab, "tok", body, "to"));
        assert!(!verify(Kind::GitLab, "", body, ""));
    }

    #[test]
    fn deliveries_name_their_issue_and_its_state() {
        let github = br#"{"action":"closed","issue":{"number":7,"html_url":"https://github.com/acme/platform/issues/7","state":"closed","state_reason":"not_planned","assignees":[{"login":"alice-gh"}]},"repository":{"full_name":"acme/platform"}}"#;
        let event = event(&config(Kind::GitHub), github)
            .expect("read")
            .expect("an issue");
        assert_eq!(
            event.references,
            [
                "https://github.com/acme/platform/issues/7",
                "#7",
                "acme/platform#7"
            ]
        );
        assert_eq!(
            event.status.state,
            RemoteState::Declined("not planned".into())
        );
        assert_eq!(event.status.assignee.as_deref(), Some("alice-gh"));
        assert_eq!(
            super::event(&config(Kind::GitHub), br#"{"zen":"ping","hook_id":1}"#),
            Ok(None)
        );

        let gitlab = br#"{"object_kind":"issue","object_attributes":{"iid":3,"url":"https://gitlab.acme.dev/ops/p/-/issues/3","state":"closed","due_date":"2027-01-31","assignee_ids":[42]},"labels":[{"title":"won't do"}]}"#;
        let event = super::event(&config(Kind::GitLab), gitlab)
            .expect("read")
            .expect("an issue");
        assert_eq!(event.status.state, RemoteState::Declined("won't do".into()));
        assert_eq!(event.status.due.as_deref(), Some("2027-01-31"));

        let jira = br#"{"webhookEvent":"jira:issue_updated","issue":{"key":"OPS-4","fields":{"status":{"statusCategory":{"key":"done"}},"resolution":{"name":"Done"},"duedate":"2026-12-01"}}}"#;
        let event = super::event(&config(Kind::Jira), jira)
            .expect("read")
            .expect("an issue");
        assert_eq!(
            event.references,
            ["OPS-4", "https://acme.atlassian.net/browse/OPS-4"]
        );
        assert_eq!(event.status.state, RemoteState::Done);

        assert!(super::event(&config(Kind::Jira), b"not json").is_err());
    }
}
