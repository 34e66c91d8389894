//! Reader cases as files: each `tests/data/*.md` is read, and what the reader made of it
//! (facts, timeline in UTC with milestones and the words that decided them, metrics, action
//! items, diagnostics) is locked by a snapshot. A new form of timeline or action item is a
//! new file here; a change in how one is read shows up as a diff to review.

use debrief_core::model::Milestone;
use std::fmt::Write as _;

#[test]
fn every_fixture_reads_as_its_snapshot() {
    insta::glob!("data/*.md", |path| {
        let text = std::fs::read_to_string(path).expect("fixture");
        insta::assert_snapshot!(render(&text));
    });
}

/// What the reader made of a document, one fact a line.
fn render(text: &str) -> String {
    let read = debrief_core::read(text);
    let (pm, analysis) = (&read.postmortem, &read.analysis);
    let mut out = String::new();
    let meta = &pm.meta;
    let _ = writeln!(out, "title: {}", meta.title);
    let date = meta.date.map(|d| d.to_string());
    let _ = writeln!(out, "date: {}", date.as_deref().unwrap_or("-"));
    let _ = writeln!(out, "timezone: {}", meta.timezone.as_deref().unwrap_or("-"));
    let _ = writeln!(out, "\ntimeline:");
    for (entry, milestone) in pm.timeline_entries().zip(&analysis.milestones) {
        let day = if entry.day_only { " (day)" } else { "" };
        let mark = milestone
            .map(|m| format!(" [{}]", m.name()))
            .unwrap_or_default();
        let _ = writeln!(out, "  {}{day}{mark} {}", entry.at, entry.text);
    }
    let _ = writeln!(out, "\nmilestones:");
    for milestone in Milestone::ALL {
        if let Some(reason) = analysis.reason(milestone) {
            let _ = writeln!(out, "  {}: {reason}", milestone.name());
        }
    }
    let m = &analysis.metrics;
    let _ = writeln!(
        out,
        "\nmetrics (s): detect {:?}, acknowledge {:?}, mitigate {:?}, resolve {:?}",
        m.time_to_detect_s, m.time_to_acknowledge_s, m.time_to_mitigate_s, m.time_to_resolve_s
    );
    let _ = writeln!(out, "\naction items:");
    for item in pm.action_items() {
        let state = item.state();
        let due = item.due.as_ref().map(|d| match d.date {
            Some(date) => format!("{} ({date})", d.written),
            None => d.written.clone(),
        });
        let _ = writeln!(
            out,
            "  [{state}] {} | owner: {} | due: {} | tracker: {}",
            item.text,
            item.owner.as_deref().unwrap_or("-"),
            due.as_deref().unwrap_or("-"),
            item.tracker.as_deref().unwrap_or("-"),
        );
        if let Some(reason) = &item.declined {
            let _ = writeln!(out, "    declined: {reason}");
        }
        if !item.details.is_empty() {
            let _ = writeln!(out, "    details: {}", item.details.trim());
        }
    }
    let _ = writeln!(out, "\ndiagnostics:");
    for d in &read.diagnostics {
        let _ = writeln!(
            out,
            "  {}:{} {}[{}] {}",
            d.span.line, d.span.column, d.severity, d.rule, d.message
        );
    }
    out
}
