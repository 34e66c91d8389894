//! Milestones against instants a person chose (`milestones-2.json`), and the DFDS
//! postmortems' stated figures against the computed ones.

use crate::{Error, Evaluation, read, repo_of};
use debrief_core::model::{Milestone, QuantityKind, SectionBody};
use debrief_core::read::quantities;
use debrief_core::{ReadOptions, read_with};
use jiff::Timestamp;
use std::path::Path;

/// An instant counts as placed when it is within this of the label or one of its readings.
const TOLERANCE_S: i64 = 60;

/// Each labelled instant of `milestones-2.json`.
pub(crate) fn measure_labels(root: &Path, evaluation: &mut Evaluation) -> Result<(), Error> {
    let path = root.join("milestones-2.json");
    let labels: serde_json::Value = serde_json::from_str(&read(&path)?)
        .map_err(|e| Error(format!("{}: {e}", path.display())))?;
    let labels = labels
        .as_array()
        .ok_or_else(|| Error(format!("{}: expected an array", path.display())))?;
    for label in labels {
        let source = label["source"].as_str().unwrap_or_default();
        let repo = repo_of(source);
        let file = root.join(source);
        let text = read(&file)?;
        let read = read_with(&text, &ReadOptions::for_path(&file));
        let entries: Vec<_> = read.postmortem.timeline_entries().collect();
        for milestone in Milestone::ALL {
            let name = milestone.name();
            let Some(expected) = instant(&label[name]) else {
                continue;
            };
            let mut accepted = vec![expected];
            accepted.extend(
                label["alt"][name]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(instant),
            );
            let placed = read.analysis.entry_of(milestone).map(|i| entries[i]);
            let right = placed.is_some_and(|entry| {
                accepted
                    .iter()
                    .any(|a| (entry.at.as_second() - a.as_second()).abs() <= TOLERANCE_S)
            });
            evaluation.repo(repo).milestones.count(right);
            if !right {
                let got = placed.map_or("nothing".to_string(), |entry| {
                    format!("{} {:?}", entry.at, clip(&entry.text))
                });
                evaluation.disagree(
                    repo,
                    format!(
                        "milestone: {} {name}: labelled {expected}, placed {got}",
                        source.rsplit('/').next().unwrap_or(source)
                    ),
                );
            }
        }
    }
    Ok(())
}

fn instant(value: &serde_json::Value) -> Option<Timestamp> {
    value.as_str()?.parse().ok()
}

fn clip(text: &str) -> String {
    text.chars().take(70).collect()
}

/// The DFDS postmortems' `Stats` sections state time to detection and time to recovery: each
/// stated figure counts when the computed one rounds to it at the precision it is written in
/// ("11 Days" within half a day, "7 hours" within half an hour), and never more finely than
/// to the minute.
pub(crate) fn measure_dfds(dir: &Path, evaluation: &mut Evaluation) -> Result<(), Error> {
    let repo = "dfds-postmortems";
    for path in crate::documents(dir)? {
        let text = read(&path)?;
        let read = read_with(&text, &ReadOptions::for_path(&path));
        let stats = read.postmortem.sections.iter().find_map(|s| match &s.body {
            SectionBody::Other(text) if s.heading.eq_ignore_ascii_case("stats") => {
                Some(text.as_str())
            }
            _ => None,
        });
        let Some(stats) = stats else { continue };
        let metrics = read.analysis.metrics;
        for (label, computed) in [
            ("time to detection", metrics.time_to_detect_s),
            ("time to recovery", metrics.time_to_resolve_s),
        ] {
            let Some((expected, unit)) = stated(stats, label) else {
                continue;
            };
            let tolerance = TOLERANCE_S.max(unit / 2);
            let right = computed.is_some_and(|c| (c - expected).abs() <= tolerance);
            evaluation.repo(repo).milestones.count(right);
            if !right {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                evaluation.disagree(
                    repo,
                    format!(
                        "stated: {} {label}: stated {} min, computed {}",
                        name.unwrap_or_default(),
                        expected / 60,
                        computed.map_or("nothing".to_string(), |c| format!("{} min", c / 60))
                    ),
                );
            }
        }
    }
    Ok(())
}

/// A figure stated on a `Stats` line ("Time to detection: 54 hours 10 minutes"), in seconds,
/// with the smallest unit it is written in, in seconds; `None` for "?", "N/A" and other
/// figures nobody stated.
fn stated(stats: &str, label: &str) -> Option<(i64, i64)> {
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
    let unit = durations
        .iter()
        .map(|q| unit_seconds(&q.written))
        .min()
        .unwrap_or(60);
    (seconds > 0.0 || value.trim().starts_with('0')).then_some((seconds as i64, unit))
}

/// The smallest unit a duration is written in ("11 Days", "54 hours 10 minutes", "3h"), in
/// seconds.
fn unit_seconds(written: &str) -> i64 {
    let lower = written.to_ascii_lowercase();
    let is = |word: &str, prefixes: &[&str]| prefixes.iter().any(|p| word.starts_with(p));
    lower
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            w if is(w, &["day", "d"]) => 86_400,
            w if is(w, &["hour", "hr", "h"]) => 3600,
            w if is(w, &["sec", "s"]) => 1,
            _ => 60,
        })
        .min()
        .unwrap_or(60)
}

#[cfg(test)]
mod tests {
    use super::stated;

    #[test]
    fn stated_figures_keep_the_precision_they_are_written_in() {
        let stats = "- Time to detection: 11 Days\n- Time to recovery: 54 hours 10 minutes\n\
                     - Time to repair: N/A\n- Time to notice: 7 hours";
        assert_eq!(
            stated(stats, "time to detection"),
            Some((11 * 86_400, 86_400))
        );
        assert_eq!(
            stated(stats, "time to recovery"),
            Some((54 * 3600 + 600, 60))
        );
        assert_eq!(stated(stats, "time to repair"), None);
        assert_eq!(stated(stats, "time to notice"), Some((7 * 3600, 3600)));
    }
}
