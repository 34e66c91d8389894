//! The review as a Markdown report, as a standalone HTML page with its charts inline, and
//! the charts as SVG files to write beside the Markdown.

use crate::stats::Spread;
use crate::{Figures, Review};
use crate::{score, svg};
use askama::Template as _;
use std::fmt::Write;

/// A chart: the file name it is written under beside a Markdown report, its title, and
/// the SVG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// File name (`response-trend.svg`).
    pub file: &'static str,
    /// What it shows.
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

/// The charts of a review: the response trend (by quarter when the period spans more than
/// [`crate::MONTHLY_TREND_MONTHS`] months, else by month), recurring causes, categories,
/// severities, action items and write-up scores. Charts with nothing to show are left out.
pub fn charts(review: &Review) -> Vec<Chart> {
    let mut charts = Vec::new();
    let (by, periods) = if review.trend_by_quarter() {
        ("quarter", &review.metrics.quarters)
    } else {
        ("month", &review.metrics.months)
    };
    if periods.len() > 1 {
        // Every period from the first to the last, so that the axis is time: a quarter
        // without postmortems is a gap in the line, not a step skipped.
        let periods = every_period(periods);
        let labels: Vec<String> = periods.iter().map(|(p, _)| p.clone()).collect();
        let median = |get: fn(&Figures) -> Option<f64>| -> Vec<Option<f64>> {
            periods.iter().map(|(_, f)| f.and_then(get)).collect()
        };
        let title = format!("Median time to detect and to resolve, by {by}");
        let svg = svg::duration_trend(
            &title,
            &labels,
            &[
                ("time to detect", median(|f| f.detect.median)),
                ("time to resolve", median(|f| f.resolve.median)),
            ],
        );
        charts.push(Chart {
            file: "response-trend.svg",
            title,
            svg,
        });
    }
    let mut bar_chart = |file: &'static str, title: &str, rows: Vec<(String, f64)>| {
        if !rows.is_empty() {
            charts.push(Chart {
                file,
                title: title.to_string(),
                svg: svg::bars(title, &rows),
            });
        }
    };
    bar_chart(
        "recurring-causes.svg",
        "Recurring causes, by postmortems",
        review
            .causes
            .recurring
            .iter()
            .map(|c| (c.name.clone(), c.postmortems.len() as f64))
            .collect(),
    );
    bar_chart(
        "categories.svg",
        "Contributing factors by category",
        review
            .causes
            .categories
            .iter()
            .map(|c| (c.name.to_string(), c.postmortems.len() as f64))
            .collect(),
    );
    bar_chart(
        "severity.svg",
        "Postmortems by severity",
        review
            .counts
            .severity
            .iter()
            .map(|(s, n)| (s.clone(), *n as f64))
            .collect(),
    );
    let items = &review.action_items;
    if items.created > 0 {
        bar_chart(
            "action-items.svg",
            "Action items",
            [
                ("done", items.done),
                ("declined", items.declined),
                ("open", items.open),
                ("overdue", items.overdue),
            ]
            .into_iter()
            .map(|(l, n)| (l.to_string(), n as f64))
            .collect(),
        );
    }
    bar_chart(
        "writeup-scores.svg",
        "Write-up scores, by postmortems",
        score_bands(review),
    );
    charts
}

/// The periods (`YYYY-MM` or `YYYY-Qn`, in order) with the ones between them that have no
/// postmortem filled in.
fn every_period(periods: &[(String, Figures)]) -> Vec<(String, Option<&Figures>)> {
    // (year, index within the year, periods in a year)
    let parse = |label: &str| -> Option<(i32, u32, u32)> {
        let (year, rest) = label.split_once('-')?;
        let year = year.parse().ok()?;
        match rest.strip_prefix('Q') {
            Some(q) => Some((year, q.parse().ok()?, 4)),
            None => Some((year, rest.parse().ok()?, 12)),
        }
    };
    let bounds = periods
        .first()
        .and_then(|(f, _)| parse(f))
        .zip(periods.last().and_then(|(l, _)| parse(l)));
    let Some(((mut year, mut index, per_year), (last_year, last_index, _))) = bounds else {
        return periods.iter().map(|(p, f)| (p.clone(), Some(f))).collect();
    };
    let mut out = Vec::new();
    while (year, index) <= (last_year, last_index) && out.len() < 10_000 {
        let label = if per_year == 4 {
            format!("{year:04}-Q{index}")
        } else {
            format!("{year:04}-{index:02}")
        };
        let figures = periods.iter().find(|(p, _)| *p == label).map(|(_, f)| f);
        out.push((label, figures));
        index += 1;
        if index > per_year {
            index = 1;
            year += 1;
        }
    }
    out
}

/// Postmortems by write-up score in bands of ten (`90-100` includes 100), from the lowest
/// band with a postmortem to the highest; empty bands between them are kept.
fn score_bands(review: &Review) -> Vec<(String, f64)> {
    let mut bands = [0usize; 10];
    for p in &review.postmortems {
        bands[(p.score.total / 10).min(9) as usize] += 1;
    }
    let (Some(low), Some(high)) = (
        bands.iter().position(|n| *n > 0),
        bands.iter().rposition(|n| *n > 0),
    ) else {
        return Vec::new();
    };
    (low..=high)
        .rev()
        .map(|band| {
            let top = if band == 9 { 100 } else { band * 10 + 9 };
            (format!("{}–{top}", band * 10), bands[band] as f64)
        })
        .collect()
}

/// The Markdown report with the charts linked as images, to be written beside it.
pub fn markdown_with_charts(review: &Review, charts: &[Chart]) -> String {
    let mut out = markdown(review);
    if !charts.is_empty() {
        out.push_str(
            "
## Charts

",
        );
        for chart in charts {
            let _ = writeln!(
                out,
                "![{}]({})
",
                chart.title, chart.file
            );
        }
    }
    out
}

/// The review as one HTML page: the report, then its charts inline, with postmortems' text
/// made safe by [`debrief_html::markdown`].
pub fn html(review: &Review) -> String {
    let report = markdown(review);
    let title = report
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("# "))
        .unwrap_or("Review");
    let page = ReviewPage {
        title,
        site: "debrief",
        style: &format!("{}{STYLE}", debrief_html::BASE_CSS),
        body: &html_body(review),
    };
    // Rendering writes into a String and every field displays: it cannot fail.
    page.render().unwrap_or_default()
}

/// The review's report and charts as HTML for a page made elsewhere (the server's), with
/// [`STYLE`] for its stylesheet.
pub fn html_body(review: &Review) -> String {
    let page = ReviewBody {
        body: &debrief_html::markdown(&markdown(review)),
        charts: charts(review),
    };
    page.render().unwrap_or_default()
}

/// The report and its charts (`templates/review-body.html`).
#[derive(askama::Template)]
#[template(path = "review-body.html")]
struct ReviewBody<'a> {
    body: &'a str,
    charts: Vec<Chart>,
}

/// The review page (`templates/review.html`).
#[derive(askama::Template)]
#[template(path = "review.html")]
struct ReviewPage<'a> {
    title: &'a str,
    site: &'a str,
    style: &'a str,
    body: &'a str,
}

/// The review's own styles, after [`debrief_html::BASE_CSS`].
pub const STYLE: &str = include_str!("../assets/review.css");

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
            "{}. **{}**: {} postmortems (shared words: {})",
            n + 1,
            cause.name,
            cause.postmortems.len(),
            cause.shared.join(", ")
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
    for (by, periods) in [
        ("quarter", &review.metrics.quarters),
        ("month", &review.metrics.months),
    ] {
        if periods.len() > 1 {
            let _ = write!(
                out,
                "\nBy {by} (median time to detect, median time to resolve):\n\n\
                 | {by} | postmortems | detect | resolve |\n|---|---:|---:|---:|\n"
            );
            for (period, figures) in periods {
                let _ = writeln!(
                    out,
                    "| {period} | {} | {} | {} |",
                    figures.postmortems,
                    duration(figures.detect.median),
                    duration(figures.resolve.median)
                );
            }
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

    writeups(&mut out, review);

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

/// The most thorough write-ups with what made them good, the median, and what is most often
/// missing.
fn writeups(out: &mut String, review: &Review) {
    let writeups = &review.writeups;
    out.push_str("\n## Thorough write-ups\n\n");
    let Some(median) = writeups.median else {
        out.push_str("No postmortems to score.\n");
        return;
    };
    let weights: Vec<String> = score::PARTS
        .iter()
        .map(|(_, label, points)| format!("{label} ({points})"))
        .collect();
    let _ = writeln!(
        out,
        "The median write-up scores {median:.0} of 100 ({} postmortems). The score adds up {}.",
        review.postmortems.len(),
        and_list(&weights)
    );
    let unchecked = review
        .postmortems
        .iter()
        .filter(|p| p.score.parts.iter().any(|part| part.points.is_none()))
        .count();
    if unchecked > 0 {
        let _ = writeln!(
            out,
            "{unchecked} postmortems were not linted: they are scored over the parts checked."
        );
    }
    if !writeups.top.is_empty() {
        out.push('\n');
    }
    for (n, &i) in writeups.top.iter().enumerate() {
        let Some(p) = review.postmortems.get(i) else {
            continue;
        };
        let date = p.date.map(|d| format!(" ({d})")).unwrap_or_default();
        // What made it good: the parts that earned at least half their points.
        let good: Vec<&str> = p
            .score
            .parts
            .iter()
            .filter(|part| {
                part.points
                    .is_some_and(|v| v * 2.0 >= f64::from(part.out_of))
            })
            .map(|part| part.found.as_str())
            .collect();
        let _ = writeln!(
            out,
            "{}. **{}**{date}: {} of 100; {}",
            n + 1,
            one_line(&p.title),
            p.score.total,
            good.join("; ")
        );
    }
    // A tie at the cut is said, so that no one equal to the last listed is passed over quietly.
    if let Some(last) = writeups.top.last().and_then(|&i| review.postmortems.get(i)) {
        let tied = review
            .postmortems
            .iter()
            .enumerate()
            .filter(|(i, p)| p.score.total == last.score.total && !writeups.top.contains(i))
            .count();
        match tied {
            0 => {}
            1 => {
                let _ = writeln!(out, "\n1 more postmortem also scores {}.", last.score.total);
            }
            n => {
                let _ = writeln!(
                    out,
                    "\n{n} more postmortems also score {}.",
                    last.score.total
                );
            }
        }
    }
    if !writeups.missing.is_empty() {
        let missing: Vec<String> = writeups
            .missing
            .iter()
            .take(3)
            .map(|(part, count)| {
                let noun = if *count == 1 {
                    "postmortem"
                } else {
                    "postmortems"
                };
                format!("{} ({count} {noun})", score::label(part))
            })
            .collect();
        let _ = writeln!(out, "\nMost often missing: {}.", missing.join(", "));
    }
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
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

/// Seconds as "2h 05m", "14m", "3d 4h", to the minute.
fn duration(seconds: Option<f64>) -> String {
    match seconds {
        Some(s) => debrief_core::milestones::human_duration((s / 60.0).round() as i64 * 60),
        None => "n/a".to_string(),
    }
}
