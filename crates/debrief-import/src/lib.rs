//! Timelines from where the incident happened. Responders should not retype from memory what
//! their chat and their alerting already recorded, with exact times:
//!
//! - [`slack`] reads a Slack workspace export (the ZIP or its folder) one day and one message
//!   at a time, and proposes a timeline entry per message of a channel at the message's own
//!   instant, with people written as their roles, never their names; the chat itself is
//!   kept as evidence, quoted.
//! - [`alertmanager`] and [`pagerduty`] read their webhook payloads (Alertmanager's version
//!   4, PagerDuty's v3 with its signature) into entries marked started, detected,
//!   acknowledged and resolved from the events themselves.
//! - [`merge`] adds entries to a postmortem's timeline without duplicates, each with a link
//!   to its source.
//!
//! No I/O beyond reading the export it is given; the command line and the server decide
//! where entries go.

pub mod alertmanager;
pub mod archive;
pub mod merge;
pub mod mrkdwn;
pub mod pagerduty;
pub mod slack;

use debrief_core::model::Milestone;
use jiff::Timestamp;

/// A timeline entry proposed from a record of the incident.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    /// When it happened, to the second.
    pub at: Timestamp,
    /// What happened, as Markdown, people written as their roles.
    pub text: String,
    /// The milestone the event marks, if it marks one.
    pub milestone: Option<Milestone>,
    /// Where it comes from.
    pub source: Source,
}

/// What one webhook delivery says about an incident.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Delivery {
    /// The delivery's own id where the sender gives one (PagerDuty's event id): a second
    /// delivery of it changes nothing.
    pub event_id: Option<String>,
    /// The incident it belongs to. Alertmanager's group and the PagerDuty incident it
    /// opened share it ([`alertmanager`]).
    pub incident_key: String,
    /// Whether it says the incident is over.
    pub resolved: bool,
    /// A title for a postmortem it opens.
    pub title: String,
    /// The services it names.
    pub services: Vec<String>,
    /// The severity or priority it gives, as its sender names it.
    pub severity: Option<String>,
    /// Its entries, in time order.
    pub entries: Vec<Entry>,
}

/// The systems entries come from, as [`Source::system`] names them.
pub const SYSTEMS: [&str; 3] = ["slack", "alertmanager", "pagerduty"];

/// Where an entry comes from: which message or which alert.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Source {
    /// What kind of record: `slack`, `alertmanager`, `pagerduty`.
    pub system: &'static str,
    /// The record's identity in its system (a channel and a message's `ts`, an alert's
    /// fingerprint and state, a webhook event's id).
    pub id: String,
    /// Where a reader opens it.
    pub link: Option<String>,
}

/// Input that cannot be imported: which file, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {reason}")]
pub struct Error {
    /// The file (and, inside an archive, the member), with a line and a column where known.
    pub file: String,
    /// What is wrong, in words a person can act on.
    pub reason: String,
}

impl Error {
    /// An error in `file`.
    pub fn new(file: &str, reason: String) -> Error {
        Error {
            file: file.to_string(),
            reason,
        }
    }

    /// A JSON error in `file`, with its line and column.
    pub fn json(file: &str, error: &serde_json::Error) -> Error {
        let what = match error.classify() {
            serde_json::error::Category::Io => "it could not be read",
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                "it is not valid JSON"
            }
            serde_json::error::Category::Data => "its JSON is not what was expected",
        };
        let reason = error.to_string();
        // serde_json ends its messages with " at line L column C"; written first instead.
        let reason = reason
            .rsplit_once(" at line ")
            .map_or(reason.as_str(), |(head, _)| head);
        if error.line() == 0 {
            return Error::new(file, format!("{what}: {reason}"));
        }
        Error::new(
            &format!("{file}:{}:{}", error.line(), error.column()),
            format!("{what}: {reason}"),
        )
    }
}

/// A Unix instant with a fraction ("1718373720.000200", as Slack writes `ts`) to the second.
pub(crate) fn instant_of(ts: &str) -> Option<Timestamp> {
    let seconds = ts.split('.').next()?.parse::<i64>().ok()?;
    Timestamp::from_second(seconds).ok()
}

/// An RFC 3339 instant to the second.
pub(crate) fn instant_of_rfc3339(text: &str) -> Option<Timestamp> {
    let at: Timestamp = text.parse().ok()?;
    Timestamp::from_second(at.as_second()).ok()
}
