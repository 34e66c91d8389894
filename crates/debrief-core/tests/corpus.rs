//! Every document of `../shared/corpus` (found through `DEBRIEF_CORPUS`) reads without a
//! panic into JSON, formats idempotently, and the DFDS postmortems' stated time to detection
//! and time to recovery agree with the computed metrics.
//!
//! The agreement table is the evaluation: `DEBRIEF_CORPUS=../shared/corpus cargo test -p
//! debrief-core --test corpus -- --nocapture` prints it.

use debrief_core::model::{QuantityKind, SectionBody};
use debrief_core::read::quantities;
use debrief_core::{ReadOptions, analyse, read_with, write};
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    match std::env::var_os("DEBRIEF_CORPUS") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            println!(
                "SKIPPED: DEBRIEF_CORPUS is not set; set it to ../shared/corpus to run the corpus tests"
            );
            None
        }
    }
}

/// Every text file in the corpus: Markdown, and files without an extension.
fn documents(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("corpus directory is readable") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_none_or(|e| e == "md" || e.to_string_lossy().contains(' '))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn options(path: &Path) -> ReadOptions {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    ReadOptions {
        default_date: debrief_core::when::find_iso_date(&name),
        ..ReadOptions::default()
    }
}

#[test]
fn every_document_reads_into_json_and_formats_idempotently() {
    let Some(dir) = corpus() else { return };
    let docs = documents(&dir);
    assert!(
        docs.len() >= 80,
        "expected the whole corpus, found {} documents",
        docs.len()
    );
    let mut entries = 0;
    for path in &docs {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let read = read_with(&text, &options(path));
        let json = serde_json::to_string(&read.postmortem).expect("model serialises");
        assert!(json.starts_with('{'), "{}", path.display());
        entries += read.postmortem.timeline_entries().count();

        let once = write(&read.postmortem);
        let again = read_with(&once, &options(path));
        let twice = write(&again.postmortem);
        assert_eq!(
            once,
            twice,
            "formatting is not idempotent for {}",
            path.display()
        );
        assert_eq!(
            read.postmortem.timeline_entries().count(),
            again.postmortem.timeline_entries().count(),
            "{}",
            path.display()
        );
        assert_eq!(
            read.postmortem
                .timeline_entries()
                .map(|e| e.at)
                .collect::<Vec<_>>(),
            again
                .postmortem
                .timeline_entries()
                .map(|e| e.at)
                .collect::<Vec<_>>(),
            "timeline instants change when formatted: {}",
            path.display()
        );
        assert_eq!(
            read.postmortem.action_items().collect::<Vec<_>>(),
            again.postmortem.action_items().collect::<Vec<_>>(),
            "action items change when formatted: {}",
            path.display()
        );
        assert_words_kept(path, &text, &once);
    }
    println!("{} documents, {entries} timeline entries read", docs.len());
}

/// Formatting never drops text: every word of the source is still in the output, except the
/// time expressions the timeline rewrites and statements of the time zone it moves into the
/// timeline heading. Headings are left out: recognised ones take their canonical wording
/// ("Next steps" becomes "Action items").
fn assert_words_kept(path: &Path, source: &str, formatted: &str) {
    let lines: Vec<&str> = source.lines().collect();
    let setext = |l: &str| !l.trim().is_empty() && l.trim().chars().all(|c| c == '=' || c == '-');
    let source: String = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| !l.starts_with('#') && !lines.get(i + 1).is_some_and(|next| setext(next)))
        .map(|(_, l)| *l)
        .collect::<Vec<_>>()
        .join("\n");
    let counts = |text: &str| {
        let mut map = std::collections::HashMap::<String, usize>::new();
        for word in text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 4)
        {
            *map.entry(word.to_lowercase()).or_default() += 1;
        }
        map
    };
    let after = counts(formatted);
    // Words of the time expressions and zone statements the timeline rewrites; month and day
    // names are the reader's calendar words.
    let rewritten = [
        "times",
        "time",
        "unless",
        "otherwise",
        "noted",
        "event",
        "date",
        "eastern",
        "pacific",
    ];
    for (word, n) in counts(&source) {
        if rewritten.contains(&word.as_str()) || debrief_core::when::is_calendar_word(&word) {
            continue;
        }
        let m = after.get(&word).copied().unwrap_or(0);
        assert!(
            m >= n,
            "{}: the word {word:?} appears {n} times before formatting and {m} after",
            path.display()
        );
    }
}

/// A figure stated in a DFDS `Stats` section: seconds, and the precision it was written to
/// (half its smallest unit: "7 hours" is good to half an hour, "8 minutes" to a minute).
/// `None` for "?", "N/A" and the like.
fn stated(stats: &str, label: &str) -> Option<Option<(i64, i64)>> {
    let line = stats
        .lines()
        .find(|l| l.to_ascii_lowercase().contains(label))?;
    let value = line.split_once(':').map_or("", |(_, v)| v);
    let value = value.split("[^").next().unwrap_or(value);
    let durations: Vec<_> = quantities(value)
        .into_iter()
        .filter(|q| q.kind == QuantityKind::Duration)
        .collect();
    let seconds: f64 = durations.iter().map(|q| q.value).sum();
    let lower = value.to_ascii_lowercase();
    let precision = if lower.contains("minute") {
        60
    } else if lower.contains("hour") {
        1800
    } else if lower.contains("day") {
        43_200
    } else {
        60
    };
    Some((seconds > 0.0 || value.trim().starts_with('0')).then_some((seconds as i64, precision)))
}

#[test]
fn dfds_stated_metrics_agree() {
    let Some(dir) = corpus() else { return };
    let (mut strict, mut at_precision, mut total) = (0, 0, 0);
    let mut rows = Vec::new();
    for path in documents(&dir.join("dfds-postmortems")) {
        let text = std::fs::read_to_string(&path).expect("readable");
        let read = read_with(&text, &options(&path));
        let stats = read
            .postmortem
            .sections
            .iter()
            .find(|s| s.heading.eq_ignore_ascii_case("stats"))
            .and_then(|s| match &s.body {
                SectionBody::Other(text) => Some(text.clone()),
                _ => None,
            });
        let Some(stats) = stats else { continue };
        let metrics = analyse(&read.postmortem).metrics;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().chars().take(10).collect::<String>())
            .unwrap_or_default();
        for (label, computed) in [
            ("time to detection", metrics.time_to_detect_s),
            ("time to recovery", metrics.time_to_resolve_s),
        ] {
            let Some(Some((expected, precision))) = stated(&stats, label) else {
                continue;
            };
            total += 1;
            let within =
                |tolerance: i64| computed.is_some_and(|c| (c - expected).abs() <= tolerance);
            strict += usize::from(within(60));
            at_precision += usize::from(within(precision.max(60)));
            rows.push(format!(
                "{name:<10}  {label:<18} stated {:>6} min  computed {:>6} min  {}",
                expected / 60,
                computed.map_or("-".to_string(), |c| (c / 60).to_string()),
                if within(60) {
                    "agree"
                } else if within(precision) {
                    "agree at the stated precision"
                } else {
                    "DIFFER"
                }
            ));
        }
    }
    println!("DFDS stated vs computed:");
    for row in &rows {
        println!("  {row}");
    }
    let rate = |n: usize| n as f64 / total.max(1) as f64 * 100.0;
    println!(
        "within one minute:          {strict}/{total} = {:.1}%",
        rate(strict)
    );
    println!(
        "within the stated precision: {at_precision}/{total} = {:.1}%",
        rate(at_precision)
    );
    assert!(
        total >= 40,
        "expected at least 40 stated figures, found {total}"
    );
    assert!(
        rate(strict) >= 85.0,
        "agreement within one minute fell to {:.1}%",
        rate(strict)
    );
    assert!(
        rate(at_precision) >= 90.0,
        "agreement at the stated precision fell to {:.1}%",
        rate(at_precision)
    );
}
