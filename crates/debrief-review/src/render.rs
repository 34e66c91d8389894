//! The review as a Markdown report.

use crate::stats::Spread;
use crate::{Figures, Review};
use std::fmt::Write;

/// Renders the review as Markdown.
pub fn markdown(review: &Review) -> String {
    let mut out = String::new();
    let period = match (review.from, review.to) {
        (Some(from), Some(to)) => format!("{from} to {to}"),
        (Some(from), None) => format!("from {from}"),
        (None, Some(to)) => format!("up to {to}"),
        (None, None) => "all postmortems".to_string(),
    };
    let _ = writeln!(out, "# Review: {period}\n");
    let counts = &review.counts;
    let _ = write!(out, "{} postmortems", counts.total);
    if let (Some(previous), Some((from, to))) = (counts.previous_total, review.previous) {
        let _ = write!(out, " ({previous} in the previous period, {from} to {to})");
    }
    out.push_str(".\n");
    if review.undated > 0 {
        let _ = writeln!(
            out,
            "\n{} postmortems have no date and are left out of the period.",
            review.undated
        );
    }

    out.push_str("\n## Recurring causes\n\n");
    if review.causes.recurring.is_empty() {
        out.push_str("No contributing factor recurs across postmortems.\n");
    }
    for (n, cause) in review.causes.recurring.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. **{}**: {} postmortems",
            n + 1,
            cause.shared.join(", "),
            cause.postmortems.len()
        );
        for &(postmortem, ref text) in &cause.evidence {
            let title = review
                .postmortems
                .get(postmortem)
                .map_or("", |p| p.title.as_str());
            let _ = writeln!(out, "   - {title}: {}", one_line(text));
        }
    }

    out.push_str("\n## Contributing factors by category\n\n");
    out.push_str("| category | postmortems | words that decided it |\n|---|---:|---|\n");
    for category in &review.causes.categories {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            category.name,
            category.postmortems.len(),
            category.words.join(", ")
        );
    }

    out.push_str("\n## Detection and response\n\n");
    out.push_str("| figure | median | p90 | postmortems |");
    let has_previous = review.metrics.previous.is_some();
    if has_previous {
        out.push_str(" previous median | previous p90 |");
    }
    out.push('\n');
    out.push_str(if has_previous {
        "|---|---:|---:|---:|---:|---:|\n"
    } else {
        "|---|---:|---:|---:|\n"
    });
    let rows = |f: &Figures| -> [(&'static str, Spread); 5] {
        [
            ("time to detect", f.detect),
            ("time to acknowledge", f.acknowledge),
            ("time to mitigate", f.mitigate),
            ("time to resolve", f.resolve),
            ("duration", f.duration),
        ]
    };
    let previous = review.metrics.previous.as_ref().map(rows);
    for (i, (name, spread)) in rows(&review.metrics.period).into_iter().enumerate() {
        let _ = write!(
            out,
            "| {name} | {} | {} | {} |",
            duration(spread.median),
            duration(spread.p90),
            spread.count
        );
        if let Some(previous) = &previous {
            let before = previous[i].1;
            let _ = write!(
                out,
                " {} | {} |",
                duration(before.median),
                duration(before.p90)
            );
        }
        out.push('\n');
    }
    if review.metrics.months.len() > 1 {
        out.push_str("\nBy month (median time to detect, median time to resolve):\n\n");
        out.push_str("| month | postmortems | detect | resolve |\n|---|---:|---:|---:|\n");
        for (month, figures) in &review.metrics.months {
            let _ = writeln!(
                out,
                "| {month} | {} | {} | {} |",
                figures.duration.count.max(figures.detect.count),
                duration(figures.detect.median),
                duration(figures.resolve.median)
            );
        }
    }

    let items = &review.action_items;
    out.push_str("\n## Action items\n\n");
    let _ = writeln!(
        out,
        "{} created, {} done, {} declined, {} open, {} overdue.",
        items.created, items.done, items.declined, items.open, items.overdue
    );
    if let Some(age) = items.median_open_age_days {
        let _ = writeln!(out, "Open items are {age:.0} days old at the median.");
    }
    if let Some(share) = items.vague_share {
        let _ = writeln!(
            out,
            "The linter calls {:.0}% of them wishes rather than actions.",
            share * 100.0
        );
    }
    if !items.by_owner.is_empty() {
        out.push_str("\n| owner | items | done or declined | rate |\n|---|---:|---:|---:|\n");
        for (owner, total, settled, rate) in &items.by_owner {
            let _ = writeln!(
                out,
                "| {owner} | {total} | {settled} | {:.0}% |",
                rate * 100.0
            );
        }
    }
    if !items.old.is_empty() {
        let _ = writeln!(out, "\nOpen longer than {} days:\n", crate::OLD_ITEM_DAYS);
        for (postmortem, text, age) in &items.old {
            let title = review
                .postmortems
                .get(*postmortem)
                .map_or("", |p| p.title.as_str());
            let _ = writeln!(out, "- {} ({title}, {age} days)", one_line(text));
        }
    }

    let process = &review.process;
    out.push_str("\n## Process\n\n");
    if let Some(share) = process.blame_free_share {
        let _ = writeln!(
            out,
            "- {:.0}% of postmortems have a narrative free of blame findings.",
            share * 100.0
        );
    }
    if let Some(median) = process.days_to_postmortem.median {
        let _ = writeln!(
            out,
            "- From the incident to the postmortem: {median:.0} days at the median, {:.0} at p90 ({} postmortems).",
            process.days_to_postmortem.p90.unwrap_or(median),
            process.days_to_postmortem.count
        );
    }
    if !process.facilitators.is_empty() {
        let list: Vec<String> = process
            .facilitators
            .iter()
            .map(|(f, n)| format!("{f} {n}"))
            .collect();
        let _ = writeln!(out, "- Facilitators by function: {}.", list.join(", "));
    }

    for (title, list) in [
        ("Severity", &counts.severity),
        ("Services", &counts.service),
        ("Tags", &counts.tag),
        ("Teams", &counts.team),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {title}\n");
        let shown: Vec<String> = list
            .iter()
            .take(20)
            .map(|(v, n)| format!("{v} ({n})"))
            .collect();
        let _ = writeln!(out, "{}", shown.join(", "));
    }
    out
}

fn one_line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() > 160 {
        let cut: String = joined.chars().take(157).collect();
        format!("{cut}...")
    } else {
        joined
    }
}

/// Seconds as "2h 05m", "14m", "3d 4h".
fn duration(seconds: Option<f64>) -> String {
    let Some(seconds) = seconds else {
        return "n/a".to_string();
    };
    let minutes = (seconds / 60.0).round() as i64;
    match minutes {
        m if m < 60 => format!("{m}m"),
        m if m < 24 * 60 => format!("{}h {:02}m", m / 60, m % 60),
        m => format!("{}d {}h", m / (24 * 60), m % (24 * 60) / 60),
    }
}
