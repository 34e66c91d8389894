//! Output shared by the commands: diagnostics as text, and the JSON contract.

use debrief_core::model::{Milestone, Postmortem};
use debrief_core::{Analysis, Diagnostic, Metrics};
use serde::Serialize;
use std::path::Path;

/// `path:line:column: severity[rule]: message`, the form editors and CI logs understand.
pub fn diagnostic_line(path: &Path, d: &Diagnostic) -> String {
    let mut line = format!(
        "{}:{}:{}: {}[{}]: {}",
        path.display(),
        d.span.line,
        d.span.column,
        d.severity,
        d.rule,
        d.message
    );
    if let Some(suggestion) = &d.suggestion {
        line.push_str(&format!(" (suggestion: {suggestion})"));
    }
    line
}

/// The stable JSON form of one postmortem (`debrief show --format json`).
#[derive(Debug, Serialize)]
pub struct PostmortemJson<'a> {
    pub path: String,
    pub title: &'a str,
    pub date: Option<String>,
    pub severity: Option<&'a str>,
    pub status: Option<&'a str>,
    pub services: &'a [String],
    pub tags: &'a [String],
    pub timezone: Option<&'a str>,
    pub restricted: bool,
    pub facilitator: Option<&'a str>,
    pub scribe: Option<&'a str>,
    pub sections: Vec<SectionJson<'a>>,
    pub timeline: Vec<EntryJson<'a>>,
    /// Each milestone placed: on which entry, when, and why.
    pub milestones: Vec<MilestoneJson>,
    pub metrics: Metrics,
    pub impact: Vec<ImpactJson<'a>>,
    pub action_items: Vec<ActionItemJson<'a>>,
    pub diagnostics: &'a [Diagnostic],
}

#[derive(Debug, Serialize)]
pub struct SectionJson<'a> {
    pub kind: &'static str,
    pub heading: &'a str,
}

#[derive(Debug, Serialize)]
pub struct EntryJson<'a> {
    pub at: String,
    pub text: &'a str,
    pub milestone: Option<Milestone>,
    /// Only the day is known; `at` is its start. Absent when the time is known.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub day_only: bool,
}

#[derive(Debug, Serialize)]
pub struct MilestoneJson {
    pub milestone: Milestone,
    /// The index of its entry in `timeline`.
    pub entry: usize,
    pub at: String,
    /// "marked", or the words that decided it.
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct ImpactJson<'a> {
    pub text: &'a str,
    pub quantities: &'a [debrief_core::model::Quantity],
}

#[derive(Debug, Serialize)]
pub struct ActionItemJson<'a> {
    pub text: &'a str,
    pub owner: Option<&'a str>,
    pub due: Option<String>,
    pub due_written: Option<&'a str>,
    pub done: bool,
    pub priority: Option<&'a str>,
    pub tracker: Option<&'a str>,
    /// Why the item will not be done; absent unless declined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declined: Option<&'a str>,
}

impl<'a> PostmortemJson<'a> {
    pub fn new(
        path: &Path,
        pm: &'a Postmortem,
        analysis: &Analysis,
        diagnostics: &'a [Diagnostic],
    ) -> Self {
        let meta = &pm.meta;
        PostmortemJson {
            path: path.display().to_string(),
            title: &meta.title,
            date: meta.date.map(|d| d.to_string()),
            severity: meta.severity.as_deref(),
            status: meta.status.as_deref(),
            services: &meta.services,
            tags: &meta.tags,
            timezone: meta.timezone.as_deref(),
            restricted: meta.restricted,
            facilitator: meta.facilitator.as_deref(),
            scribe: meta.scribe.as_deref(),
            sections: pm
                .sections
                .iter()
                .map(|s| SectionJson {
                    kind: s.body.kind().id(),
                    heading: &s.heading,
                })
                .collect(),
            timeline: pm
                .timeline_entries()
                .zip(&analysis.milestones)
                .map(|(e, m)| EntryJson {
                    at: e.at.to_string(),
                    text: &e.text,
                    milestone: *m,
                    day_only: e.day_only,
                })
                .collect(),
            milestones: {
                let entries: Vec<_> = pm.timeline_entries().collect();
                Milestone::ALL
                    .iter()
                    .filter_map(|&m| {
                        let entry = analysis.entry_of(m)?;
                        Some(MilestoneJson {
                            milestone: m,
                            entry,
                            at: entries.get(entry)?.at.to_string(),
                            reason: analysis.reason(m).unwrap_or_default().to_string(),
                        })
                    })
                    .collect()
            },
            metrics: analysis.metrics,
            impact: pm
                .impact()
                .map(|i| {
                    i.items
                        .iter()
                        .map(|item| ImpactJson {
                            text: &item.text,
                            quantities: &item.quantities,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            action_items: pm
                .action_items()
                .map(|a| ActionItemJson {
                    text: &a.text,
                    owner: a.owner.as_deref(),
                    due: a.due.as_ref().and_then(|d| d.date).map(|d| d.to_string()),
                    due_written: a.due.as_ref().map(|d| d.written.as_str()),
                    done: a.done,
                    priority: a.priority.as_deref(),
                    tracker: a.tracker.as_deref(),
                    declined: a.declined.as_deref(),
                })
                .collect(),
            diagnostics,
        }
    }
}

/// A duration for people: `23m`, `1h 05m`, `2d 3h`; `-` when unknown.
pub fn human_duration(seconds: Option<i64>) -> String {
    seconds.map_or_else(|| "-".to_string(), debrief_core::milestones::human_duration)
}
