//! `debrief show`: a postmortem as read, with its metrics and diagnostics.

use crate::Outcome;
use crate::cli::{ShowArgs, ShowFormat};
use crate::files;
use crate::report::{diagnostic_line, human_duration};
use anyhow::Result;
use debrief_core::Severity;
use debrief_wire::document::{Document, Finding};
use std::fmt::Write as _;

pub fn run(args: ShowArgs) -> Result<Outcome> {
    let text = files::read_text(&args.file)?;
    let read = debrief_core::read_with(&text, &debrief_core::ReadOptions::for_path(&args.file));
    let findings = read
        .diagnostics
        .iter()
        .map(|d| Finding::new(d, debrief_lint::category_of(d.rule).name()))
        .collect();
    let document = Document::new(&args.file, &read.postmortem, &read.analysis, findings);
    match args.format {
        ShowFormat::Json => println!("{}", serde_json::to_string_pretty(&document)?),
        ShowFormat::Text => print!("{}", text_form(&document, &read.diagnostics, &args.file)),
    }
    let failed = read
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn text_form(
    pm: &Document<'_>,
    diagnostics: &[debrief_core::Diagnostic],
    path: &std::path::Path,
) -> String {
    let mut out = String::new();
    let title = if pm.title.is_empty() {
        "(untitled)"
    } else {
        &pm.title
    };
    let _ = writeln!(out, "{title}");
    let mut facts = vec![pm.date.clone().unwrap_or_else(|| "no date".into())];
    facts.extend(pm.severity.clone());
    facts.extend(pm.status.clone());
    if !pm.services.is_empty() {
        facts.push(format!("services: {}", pm.services.join(", ")));
    }
    facts.extend(pm.timezone.as_ref().map(|z| format!("times in {z}")));
    let _ = writeln!(out, "{}\n", facts.join(" · "));

    let _ = writeln!(
        out,
        "Sections: {}",
        pm.sections
            .iter()
            .map(|s| if s.kind == "other" {
                &s.heading
            } else {
                &s.kind
            })
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    );

    let _ = writeln!(out, "\nTimeline ({} entries, UTC)", pm.timeline.len());
    let zone = pm
        .timezone
        .as_deref()
        .and_then(debrief_core::zone::parse_zone)
        .unwrap_or(jiff::tz::TimeZone::UTC);
    for entry in &pm.timeline {
        let marker = entry
            .milestone
            .map(|m| format!(" [{}]", m.as_str()))
            .unwrap_or_default();
        let first_line = entry.text.lines().next().unwrap_or("");
        // A day without a time is shown as the day, not as the instant it starts.
        let day = entry
            .day_only
            .then(|| entry.at.parse::<jiff::Timestamp>().ok())
            .flatten()
            .map(|at| format!("{:<16}", at.to_zoned(zone.clone()).date().to_string()));
        let at = day.unwrap_or_else(|| minutes(&entry.at));
        let _ = writeln!(out, "  {at}{marker} {first_line}");
    }

    if !pm.milestones.is_empty() {
        let _ = writeln!(out, "\nMilestones");
        for m in &pm.milestones {
            let _ = writeln!(
                out,
                "  {:<13} {}  {}",
                m.milestone.as_str(),
                minutes(&m.at),
                m.reason
            );
        }
    }

    let m = &pm.metrics;
    let _ = writeln!(out, "\nMetrics");
    for (name, value) in [
        ("time to detect", m.time_to_detect_s),
        ("time to acknowledge", m.time_to_acknowledge_s),
        ("time to mitigate", m.time_to_mitigate_s),
        ("time to resolve", m.time_to_resolve_s),
        ("duration", m.duration_s),
    ] {
        let _ = writeln!(out, "  {name:<20} {}", human_duration(value));
    }

    let _ = writeln!(out, "\nAction items ({})", pm.action_items.len());
    for item in &pm.action_items {
        let check = if item.done { "[x]" } else { "[ ]" };
        let owner = item.owner.as_deref().unwrap_or("no owner");
        let due = item
            .due
            .as_deref()
            .or(item.due_written.as_deref())
            .unwrap_or("no due date");
        let _ = writeln!(out, "  {check} {} ({owner}, {due})", item.text);
    }

    if !diagnostics.is_empty() {
        let _ = writeln!(out, "\nDiagnostics ({})", diagnostics.len());
        for d in diagnostics {
            let _ = writeln!(out, "  {}", diagnostic_line(path, d));
        }
    }
    out
}

/// An RFC 3339 instant as a line shows it: `2024-03-09 10:34`, with seconds only when there
/// are some (`2024-03-09 11:12:30`).
fn minutes(at: &str) -> String {
    let at = at.trim_end_matches('Z').replace('T', " ");
    match at.strip_suffix(":00") {
        Some(short) if at.len() > 16 => short.to_string(),
        _ => at,
    }
}
