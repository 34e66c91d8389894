//! What debrief says about one document, wherever it says it: a linter finding, a timeline
//! entry with its milestone, the metrics, an action item. `debrief lint --format json`,
//! `debrief show --format json` and the API answer with these same objects.

use debrief_core::model;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use utoipa::ToSchema;

/// A finding of the blameless linter (or of the reader), with its position.
///
/// Borrowed when written, so that `debrief lint` over a large tree builds no strings, and
/// owned when read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Finding<'a> {
    /// The rule: `blame-language`, `named-individual`, ... (`debrief explain RULE`).
    #[serde(borrow)]
    pub rule: Cow<'a, str>,
    /// The rule's category: `blame`, `actions`, `structure`, `timeline`, ...
    #[serde(borrow)]
    pub category: Cow<'a, str>,
    /// `error`, `warning` or `info`.
    #[serde(borrow)]
    #[schema(pattern = "^(error|warning|info)$")]
    pub severity: Cow<'a, str>,
    /// First line, from 1.
    pub line: u32,
    /// First column, from 1, in characters.
    pub column: u32,
    /// Last line.
    pub end_line: u32,
    /// The column just past the end.
    pub end_column: u32,
    /// What is wrong, in one sentence.
    #[serde(borrow)]
    pub message: Cow<'a, str>,
    /// What to write instead, when there is a suggestion.
    #[serde(borrow)]
    pub suggestion: Option<Cow<'a, str>>,
}

impl<'a> Finding<'a> {
    /// The finding of a diagnostic, borrowing its text.
    pub fn new(diagnostic: &'a debrief_core::Diagnostic, category: &'static str) -> Finding<'a> {
        let span = &diagnostic.span;
        Finding {
            rule: Cow::Borrowed(diagnostic.rule),
            category: Cow::Borrowed(category),
            severity: Cow::Borrowed(diagnostic.severity.name()),
            line: span.line,
            column: span.column,
            end_line: span.end_line,
            end_column: span.end_column,
            message: Cow::Borrowed(&diagnostic.message),
            suggestion: diagnostic.suggestion.as_deref().map(Cow::Borrowed),
        }
    }
}

/// A milestone of an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// Impact began.
    Started,
    /// The problem was noticed (alert, report).
    Detected,
    /// A responder took it on.
    Acknowledged,
    /// Impact stopped or was reduced.
    Mitigated,
    /// The incident was over.
    Resolved,
}

impl From<model::Milestone> for Milestone {
    fn from(milestone: model::Milestone) -> Milestone {
        match milestone {
            model::Milestone::Started => Milestone::Started,
            model::Milestone::Detected => Milestone::Detected,
            model::Milestone::Acknowledged => Milestone::Acknowledged,
            model::Milestone::Mitigated => Milestone::Mitigated,
            model::Milestone::Resolved => Milestone::Resolved,
        }
    }
}

/// An entry of the timeline, with the milestone it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TimelinePoint {
    /// When, RFC 3339 in UTC.
    pub at: String,
    /// What happened.
    pub text: String,
    /// The milestone of this entry, marked or inferred.
    pub milestone: Option<Milestone>,
}

/// The metrics of one incident, in whole seconds; `null` when the timeline does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct Metrics {
    /// Started to resolved.
    pub duration_s: Option<i64>,
    /// Started to detected.
    pub time_to_detect_s: Option<i64>,
    /// Started to acknowledged.
    pub time_to_acknowledge_s: Option<i64>,
    /// Started to mitigated (resolution implies mitigation when no mitigation is marked).
    pub time_to_mitigate_s: Option<i64>,
    /// Started to resolved.
    pub time_to_resolve_s: Option<i64>,
}

impl From<debrief_core::Metrics> for Metrics {
    fn from(m: debrief_core::Metrics) -> Metrics {
        Metrics {
            duration_s: m.duration_s,
            time_to_detect_s: m.time_to_detect_s,
            time_to_acknowledge_s: m.time_to_acknowledge_s,
            time_to_mitigate_s: m.time_to_mitigate_s,
            time_to_resolve_s: m.time_to_resolve_s,
        }
    }
}

/// A follow-up action, as the document writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ActionItem {
    /// What is to be done (Markdown, one line).
    pub text: String,
    /// Who owns it.
    pub owner: Option<String>,
    /// The date it is due, `YYYY-MM-DD`, when the written due date names one.
    pub due: Option<String>,
    /// The due date as written: `2026-06-28`, `2 weeks`, `Q3`.
    pub due_written: Option<String>,
    /// Done (a checked task box, a struck line, "Done").
    pub done: bool,
    /// Why it will not be done, when it was declined.
    pub declined: Option<String>,
    /// It asks nothing more: done, or declined with a reason.
    pub settled: bool,
    /// Priority as written (`P1`, `high`).
    pub priority: Option<String>,
    /// Tracker reference: an issue URL or key (`#123`, `OPS-42`).
    pub tracker: Option<String>,
}

impl From<&model::ActionItem> for ActionItem {
    fn from(item: &model::ActionItem) -> ActionItem {
        ActionItem {
            text: item.text.clone(),
            owner: item.owner.clone(),
            due: item
                .due
                .as_ref()
                .and_then(|d| d.date)
                .map(|d| d.to_string()),
            due_written: item.due.as_ref().map(|d| d.written.clone()),
            done: item.done,
            declined: item.declined.clone(),
            settled: item.is_settled(),
            priority: item.priority.clone(),
            tracker: item.tracker.clone(),
        }
    }
}
