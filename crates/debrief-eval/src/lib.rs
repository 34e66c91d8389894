//! How well debrief reads and judges real postmortems, measured on the labelled documents of
//! the shared corpus (`../shared/corpus`, see its README), per source repository:
//!
//! - **blame**: precision and recall of the linter's blame categories on sentences labelled
//!   `flag` or `ok` (`labeled.jsonl`, `labeled-2.jsonl`);
//! - **actions**: whether the linter calls an action item vague exactly when it is labelled
//!   `vague`;
//! - **milestones**: labelled instants (`milestones-2.json`) placed within a minute of the
//!   label or one of its `alt` readings, and the DFDS postmortems' stated time to detection and
//!   recovery against the computed figures;
//! - **timelines**: documents with a timeline section that holds times, and how many of them
//!   yielded timeline entries.
//!
//! `cargo run -p debrief-eval -- ../shared/corpus` prints the table; `--verbose` every
//! disagreement. Two repositories are held out of tuning ([`HELD_OUT`]) and reported apart, so
//! that a rule that only fits the development data shows up as a gap between the two totals.

mod judgement;
mod milestones;
mod timelines;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use judgement::{Example, measure_examples, parse_examples};

/// Repositories of the corpus kept out of tuning: rules are written against the others and
/// checked against these last.
pub const HELD_OUT: [&str; 2] = ["hachyderm-community", "python-discord-infra"];

/// Right answers out of a total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Answers that agree with the label.
    pub right: usize,
    /// Labelled cases.
    pub total: usize,
}

impl Tally {
    /// Counts one case.
    pub fn count(&mut self, right: bool) {
        self.right += usize::from(right);
        self.total += 1;
    }

    /// The share of right answers; `None` without cases.
    pub fn rate(&self) -> Option<f64> {
        (self.total > 0).then(|| self.right as f64 / self.total as f64)
    }

    fn add(&mut self, other: Tally) {
        self.right += other.right;
        self.total += other.total;
    }
}

/// A binary judgement against labels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Confusion {
    /// Flagged and labelled `flag`.
    pub true_positive: usize,
    /// Flagged but labelled `ok`.
    pub false_positive: usize,
    /// Labelled `flag` but not flagged.
    pub false_negative: usize,
    /// Neither.
    pub true_negative: usize,
}

impl Confusion {
    /// Counts one case.
    pub fn count(&mut self, expected: bool, flagged: bool) {
        match (expected, flagged) {
            (true, true) => self.true_positive += 1,
            (false, true) => self.false_positive += 1,
            (true, false) => self.false_negative += 1,
            (false, false) => self.true_negative += 1,
        }
    }

    /// Of what was flagged, the share labelled `flag`; `None` when nothing was flagged.
    pub fn precision(&self) -> Option<f64> {
        let flagged = self.true_positive + self.false_positive;
        (flagged > 0).then(|| self.true_positive as f64 / flagged as f64)
    }

    /// Of what is labelled `flag`, the share flagged; `None` without such labels.
    pub fn recall(&self) -> Option<f64> {
        let expected = self.true_positive + self.false_negative;
        (expected > 0).then(|| self.true_positive as f64 / expected as f64)
    }

    fn add(&mut self, other: Confusion) {
        self.true_positive += other.true_positive;
        self.false_positive += other.false_positive;
        self.false_negative += other.false_negative;
        self.true_negative += other.true_negative;
    }
}

/// The measures of one repository, or of several added up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scores {
    /// Blame sentences.
    pub blame: Confusion,
    /// Action items judged vague or concrete as labelled.
    pub actions: Tally,
    /// Milestone instants placed as labelled, and stated DFDS figures matched.
    pub milestones: Tally,
    /// Documents with a timeline that yielded entries.
    pub timelines: Tally,
}

impl Scores {
    fn add(&mut self, other: &Scores) {
        self.blame.add(other.blame);
        self.actions.add(other.actions);
        self.milestones.add(other.milestones);
        self.timelines.add(other.timelines);
    }
}

/// One case where debrief and the label disagree, for reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// The source repository.
    pub repo: String,
    /// What was expected and what debrief said.
    pub what: String,
}

/// The whole evaluation.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// Scores by source repository.
    pub by_repo: BTreeMap<String, Scores>,
    /// Every disagreement, grouped by measure.
    pub disagreements: Vec<Disagreement>,
}

impl Evaluation {
    /// The scores of the repositories for which `keep` holds, added up.
    pub fn total(&self, keep: impl Fn(&str) -> bool) -> Scores {
        let mut total = Scores::default();
        for (repo, scores) in &self.by_repo {
            if keep(repo) {
                total.add(scores);
            }
        }
        total
    }

    /// The development repositories: all but the held-out ones.
    pub fn development(&self) -> Scores {
        self.total(|repo| !HELD_OUT.contains(&repo))
    }

    /// The held-out repositories.
    pub fn held_out(&self) -> Scores {
        self.total(|repo| HELD_OUT.contains(&repo))
    }

    fn repo(&mut self, repo: &str) -> &mut Scores {
        self.by_repo.entry(repo.to_string()).or_default()
    }

    fn disagree(&mut self, repo: &str, what: String) {
        self.disagreements.push(Disagreement {
            repo: repo.to_string(),
            what,
        });
    }
}

/// Why the corpus could not be evaluated.
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| Error(format!("{}: {e}", path.display())))
}

/// Evaluates everything against the corpus at `root`.
pub fn evaluate(root: &Path) -> Result<Evaluation, Error> {
    let mut evaluation = Evaluation::default();
    for name in ["labeled.jsonl", "labeled-2.jsonl"] {
        let path = root.join(name);
        let examples = parse_examples(&read(&path)?)
            .map_err(|(line, e)| Error(format!("{}:{line}: {e}", path.display())))?;
        judgement::measure(&examples, &mut evaluation);
    }
    milestones::measure_labels(root, &mut evaluation)?;
    milestones::measure_dfds(&root.join("dfds-postmortems"), &mut evaluation)?;
    timelines::measure(root, &mut evaluation)?;
    Ok(evaluation)
}

/// The repository a corpus path belongs to: its first component.
fn repo_of(source: &str) -> &str {
    source.split('/').next().unwrap_or(source)
}

/// Every document under `dir`: Markdown and Quarto files, and files without an extension
/// whose first line is a heading or front matter, sorted.
pub fn documents(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| Error(format!("{}: {e}", dir.display())))?;
        for entry in entries {
            let path = entry
                .map_err(|e| Error(format!("{}: {e}", dir.display())))?
                .path();
            if path.is_dir() {
                stack.push(path);
            } else if is_document(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn is_document(path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        Some("md" | "qmd" | "markdown") => true,
        Some(ext) if !ext.contains(' ') => false,
        _ => std::fs::read_to_string(path).is_ok_and(|text| {
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            first.starts_with('#') || first.starts_with("---") || first.starts_with("+++")
        }),
    }
}
