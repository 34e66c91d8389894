//! `debrief metrics`: one row of figures per postmortem.

use crate::Outcome;
use crate::cli::{MetricsArgs, MetricsFormat};
use crate::files;
use crate::report::human_duration;
use anyhow::Result;
use debrief_core::Metrics;
use debrief_core::kind::Kind;
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Serialize)]
struct Row {
    path: String,
    title: String,
    date: Option<String>,
    severity: Option<String>,
    #[serde(flatten)]
    metrics: Metrics,
}

pub fn run(args: MetricsArgs) -> Result<Outcome> {
    let (rows, outcome) = files::map_tree(&args.paths, measure);
    let out = match args.format {
        MetricsFormat::Json => serde_json::to_string_pretty(&rows)? + "\n",
        MetricsFormat::Csv => csv(&rows),
        MetricsFormat::Table => table(&rows),
    };
    print!("{out}");
    Ok(outcome)
}

fn measure(path: &Path) -> Result<(Row, Kind)> {
    let text = files::read_text(path)?;
    let read = debrief_core::read_with(&text, &debrief_core::ReadOptions::for_path(path));
    let kind = files::kind(path, &read.postmortem);
    let meta = read.postmortem.meta;
    let row = Row {
        path: path.display().to_string(),
        title: meta.title,
        date: meta.date.map(|d| d.to_string()),
        severity: meta.severity,
        metrics: read.analysis.metrics,
    };
    Ok((row, kind))
}

const HEADERS: [&str; 9] = [
    "path",
    "title",
    "date",
    "severity",
    "time_to_detect_s",
    "time_to_acknowledge_s",
    "time_to_mitigate_s",
    "time_to_resolve_s",
    "duration_s",
];

fn figures(m: &Metrics) -> [Option<i64>; 5] {
    [
        m.time_to_detect_s,
        m.time_to_acknowledge_s,
        m.time_to_mitigate_s,
        m.time_to_resolve_s,
        m.duration_s,
    ]
}

fn csv(rows: &[Row]) -> String {
    let mut out = HEADERS.join(",") + "\n";
    for row in rows {
        let mut fields = vec![
            csv_field(&row.path),
            csv_field(&row.title),
            row.date.clone().unwrap_or_default(),
            csv_field(row.severity.as_deref().unwrap_or("")),
        ];
        fields.extend(
            figures(&row.metrics)
                .iter()
                .map(|f| f.map(|s| s.to_string()).unwrap_or_default()),
        );
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn table(rows: &[Row]) -> String {
    let header = [
        "title", "date", "severity", "detect", "ack", "mitigate", "resolve", "duration",
    ];
    let mut cells: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    for row in rows {
        let title = if row.title.is_empty() {
            row.path.clone()
        } else {
            row.title.clone()
        };
        let mut line = vec![
            truncate(&title, 48),
            row.date.clone().unwrap_or_else(|| "-".into()),
            row.severity.clone().unwrap_or_else(|| "-".into()),
        ];
        line.extend(figures(&row.metrics).iter().map(|f| human_duration(*f)));
        cells.push(line);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for line in cells {
        let padded: Vec<String> = line
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i >= 3 {
                    format!("{c:>w$}", w = widths[i])
                } else {
                    format!("{c:<w$}", w = widths[i])
                }
            })
            .collect();
        out.push_str(padded.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}
