//! What debrief says about one document, wherever it says it: the document as read
//! (`debrief show --format json`), a linter finding, a timeline entry with its milestone,
//! the metrics, an action item. `debrief lint --format json`, `debrief show --format json`
//! and the API answer with these same objects.

use debrief_core::Analysis;
use debrief_core::model::{self, Postmortem};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::path::Path;
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
    /// A safe rewrite, when the rule has one: what to write over which text.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix<'a>>,
}

/// A safe rewrite: replace the text from `line`:`column` to `end_line`:`end_column` (the
/// same positions as a finding's) with `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Fix<'a> {
    /// First line, from 1.
    pub line: u32,
    /// First column, from 1, in characters.
    pub column: u32,
    /// Last line.
    pub end_line: u32,
    /// The column just past the end.
    pub end_column: u32,
    /// What to write instead.
    #[serde(borrow)]
    pub text: Cow<'a, str>,
}

impl<'a> Finding<'a> {
    /// The finding of a diagnostic, borrowing its text.
    pub fn new(diagnostic: &'a debrief_core::Diagnostic, category: &'static str) -> Finding<'a> {
        let span = &diagnostic.span;
        Finding {
            rule: Cow::Borrowed(diagnostic.rule.as_str()),
            category: Cow::Borrowed(category),
            severity: Cow::Borrowed(diagnostic.severity.name()),
            line: span.line,
            column: span.column,
            end_line: span.end_line,
            end_column: span.end_column,
            message: Cow::Borrowed(&diagnostic.message),
            suggestion: diagnostic.suggestion.as_deref().map(Cow::Borrowed),
            fix: None,
        }
    }

    /// The same finding with a safe rewrite of the text at `span`.
    pub fn with_fix(mut self, span: debrief_core::Span, text: &'a str) -> Finding<'a> {
        self.fix = Some(Fix {
            line: span.line,
            column: span.column,
            end_line: span.end_line,
            end_column: span.end_column,
            text: Cow::Borrowed(text),
        });
        self
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

impl Milestone {
    /// The milestone's name, as written in output: `detected`.
    pub fn as_str(self) -> &'static str {
        model::Milestone::from(self).name()
    }
}

impl From<Milestone> for model::Milestone {
    fn from(milestone: Milestone) -> model::Milestone {
        match milestone {
            Milestone::Started => model::Milestone::Started,
            Milestone::Detected => model::Milestone::Detected,
            Milestone::Acknowledged => model::Milestone::Acknowledged,
            Milestone::Mitigated => model::Milestone::Mitigated,
            Milestone::Resolved => model::Milestone::Resolved,
        }
    }
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
    /// Only the day is known; `at` is its start. Absent when the time is known.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub day_only: bool,
}

impl TimelinePoint {
    /// The timeline of a document, each entry with its milestone.
    pub fn all(postmortem: &Postmortem, analysis: &Analysis) -> Vec<TimelinePoint> {
        postmortem
            .timeline_entries()
            .zip(&analysis.milestones)
            .map(|(entry, milestone)| TimelinePoint {
                at: entry.at.to_string(),
                text: entry.text.clone(),
                milestone: milestone.map(Into::into),
                day_only: entry.day_only,
            })
            .collect()
    }
}

/// Where a milestone was placed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Placement {
    /// The milestone.
    pub milestone: Milestone,
    /// The index of its entry in the timeline.
    pub entry: usize,
    /// When, RFC 3339 in UTC.
    pub at: String,
    /// "marked", or the words that decided it.
    pub reason: String,
}

impl Placement {
    /// Every milestone placed on a document's timeline, in order.
    pub fn all(postmortem: &Postmortem, analysis: &Analysis) -> Vec<Placement> {
        let entries: Vec<_> = postmortem.timeline_entries().collect();
        model::Milestone::ALL
            .iter()
            .filter_map(|&m| {
                let entry = analysis.entry_of(m)?;
                Some(Placement {
                    milestone: m.into(),
                    entry,
                    at: entries.get(entry)?.at.to_string(),
                    reason: analysis.reason(m).unwrap_or_default().to_string(),
                })
            })
            .collect()
    }
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

/// A section of the document: what the reader recognised it as, and its heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Section {
    /// `summary`, `impact`, `timeline`, `root_causes`, `action_items`, ..., or `other`.
    pub kind: String,
    /// The heading as written (canonical for recognised sections).
    pub heading: String,
}

/// What a quantity counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuantityKind {
    /// A number of things: requests, customers, complaints.
    Count,
    /// An amount of money.
    Money,
    /// A length of time, in seconds.
    Duration,
    /// A percentage.
    Percent,
}

/// A quantity written in the impact section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Quantity {
    /// What it counts.
    pub kind: QuantityKind,
    /// The number, in the unit below (seconds for durations).
    pub value: f64,
    /// Currency symbol or code for money, `%` for percentages, the noun that follows a count.
    pub unit: Option<String>,
    /// The quantity as written.
    pub written: String,
}

/// One statement of impact, with the quantities it names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Impact {
    /// The statement.
    pub text: String,
    /// Counts, money, durations and percentages in it.
    pub quantities: Vec<Quantity>,
}

/// A postmortem as debrief reads it: facts, sections, timeline with milestones, metrics,
/// impact, action items, and what could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Document<'a> {
    /// The file it was read from.
    pub path: String,
    /// Its title.
    pub title: String,
    /// The incident's date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Severity as written.
    pub severity: Option<String>,
    /// Workflow status as written.
    pub status: Option<String>,
    /// Services affected.
    pub services: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// The zone its times are written in.
    pub timezone: Option<String>,
    /// Visible only to its members.
    pub restricted: bool,
    /// The facilitator of its review.
    pub facilitator: Option<String>,
    /// The scribe of its review.
    pub scribe: Option<String>,
    /// Its sections, in order.
    pub sections: Vec<Section>,
    /// The timeline, each entry with its milestone.
    pub timeline: Vec<TimelinePoint>,
    /// Each milestone placed: on which entry, when, and why.
    pub milestones: Vec<Placement>,
    /// Time to detect, acknowledge, mitigate and resolve.
    pub metrics: Metrics,
    /// The impact statements.
    pub impact: Vec<Impact>,
    /// The action items.
    pub action_items: Vec<ActionItem>,
    /// What the reader could not interpret, with positions.
    #[serde(borrow)]
    pub diagnostics: Vec<Finding<'a>>,
}

impl<'a> Document<'a> {
    /// The document read from `path`, with the findings to report on it.
    pub fn new(
        path: &Path,
        postmortem: &Postmortem,
        analysis: &Analysis,
        diagnostics: Vec<Finding<'a>>,
    ) -> Document<'a> {
        let meta = &postmortem.meta;
        Document {
            path: path.display().to_string(),
            title: meta.title.clone(),
            date: meta.date.map(|d| d.to_string()),
            severity: meta.severity.clone(),
            status: meta.status.clone(),
            services: meta.services.clone(),
            tags: meta.tags.clone(),
            timezone: meta.timezone.clone(),
            restricted: meta.restricted,
            facilitator: meta.facilitator.clone(),
            scribe: meta.scribe.clone(),
            sections: postmortem
                .sections
                .iter()
                .map(|s| Section {
                    kind: s.body.kind().id().to_string(),
                    heading: s.heading.clone(),
                })
                .collect(),
            timeline: TimelinePoint::all(postmortem, analysis),
            milestones: Placement::all(postmortem, analysis),
            metrics: analysis.metrics.into(),
            impact: postmortem
                .impact()
                .map(|impact| impact.items.iter().map(Impact::from).collect())
                .unwrap_or_default(),
            action_items: postmortem.action_items().map(ActionItem::from).collect(),
            diagnostics,
        }
    }
}

impl From<&model::ImpactItem> for Impact {
    fn from(item: &model::ImpactItem) -> Impact {
        Impact {
            text: item.text.clone(),
            quantities: item
                .quantities
                .iter()
                .map(|q| Quantity {
                    kind: match q.kind {
                        model::QuantityKind::Count => QuantityKind::Count,
                        model::QuantityKind::Money => QuantityKind::Money,
                        model::QuantityKind::Duration => QuantityKind::Duration,
                        model::QuantityKind::Percent => QuantityKind::Percent,
                    },
                    value: q.value,
                    unit: q.unit.clone(),
                    written: q.written.clone(),
                })
                .collect(),
        }
    }
}
