//! Lint baselines: the findings a team accepted when it adopted the linter on an existing
//! history, so that `debrief lint --baseline FILE` reports, and fails on, new findings only.
//!
//! A finding is recognised by its file (relative to the baseline's directory, with `/`), its
//! rule, the words it flags and the sentence around them on their line, never by its line
//! number: moving a paragraph or editing another one keeps its findings known; editing the
//! flagged sentence may make them new. Each key has a count, so two identical findings in a
//! file are two, and fixing one leaves one.
//!
//! The file is JSON, written in one order (files, then rule, words and context), so that it
//! reviews and diffs well:
//!
//! ```json
//! {
//!   "version": 1,
//!   "files": {
//!     "postmortems/2026-06-14-checkout.md": [
//!       {
//!         "rule": "named-individual",
//!         "text": "Priya",
//!         "context": "Priya saved us.",
//!         "count": 1
//!       }
//!     ]
//!   }
//! }
//! ```

use anyhow::{Context as _, Result, anyhow, bail};
use debrief_lint::Finding;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// The version of the file format this build reads and writes.
pub const VERSION: u32 = 1;

/// What identifies a finding in a baseline; the file is the key one level up.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Key {
    /// The rule id.
    pub rule: String,
    /// The flagged words, white space collapsed.
    pub text: String,
    /// The sentence around them on their line (list markers, task boxes, heading marks and
    /// quote marks left out), white space collapsed; for a finding that flags no words (a
    /// missing section), its message.
    pub context: String,
}

impl Key {
    /// The key of a finding in the linted text its range refers to.
    pub fn of(text: &str, finding: &Finding) -> Key {
        let range = trimmed(text, finding.range.clone());
        let context = if range.is_empty() {
            collapse(&finding.diagnostic.message)
        } else {
            collapse(&text[sentence_around(text, range.clone())])
        };
        Key {
            rule: finding.diagnostic.rule.to_string(),
            text: collapse(text.get(range).unwrap_or_default()),
            context,
        }
    }
}

/// One entry of the file: a key and how many findings have it. (The key's fields are spelt
/// out rather than flattened, so that a malformed entry is reported at its own position.)
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    rule: String,
    text: String,
    context: String,
    #[serde(default = "one")]
    count: usize,
}

impl Entry {
    fn new(key: &Key, count: usize) -> Entry {
        Entry {
            rule: key.rule.clone(),
            text: key.text.clone(),
            context: key.context.clone(),
            count,
        }
    }

    fn key(self) -> Key {
        Key {
            rule: self.rule,
            text: self.text,
            context: self.context,
        }
    }
}

fn one() -> usize {
    1
}

/// The file as written.
#[derive(Debug, Serialize, Deserialize)]
struct File {
    version: u32,
    files: BTreeMap<String, Vec<Entry>>,
}

/// Only the version, read first so that a file from another version is reported as such
/// rather than as a shape this build does not know.
#[derive(Deserialize)]
struct Versioned {
    version: Option<u32>,
}

/// Baseline entries that matched no finding in this run.
#[derive(Debug, Clone)]
pub struct Stale {
    /// The file, as the baseline names it.
    pub path: String,
    /// The rule, words and context.
    pub key: Key,
    /// How many of the recorded findings were not found.
    pub count: usize,
}

/// A baseline read from its file.
#[derive(Debug)]
pub struct Baseline {
    /// The file, as given, for messages.
    pub shown: String,
    /// The directory file names are relative to.
    dir: PathBuf,
    files: HashMap<String, HashMap<Key, usize>>,
}

/// One file's findings, sorted out against the baseline.
#[derive(Debug, Default)]
pub struct Split {
    /// Findings the baseline does not know, in source order.
    pub new: Vec<Finding>,
    /// Findings the baseline recorded.
    pub suppressed: Vec<Finding>,
    /// The file's entries left over.
    pub stale: Vec<Stale>,
}

impl Baseline {
    /// Reads a baseline; a missing file or malformed JSON is an error naming the file (and the
    /// line and column).
    pub fn load(path: &Path) -> Result<Baseline> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the baseline", path.display()))?;
        let malformed = |e: serde_json::Error| {
            // serde_json's message ends with the position, which leads ours instead; its
            // column is 0 at the end of a line, where ours are 1-based.
            let message = e.to_string();
            let position = format!(" at line {} column {}", e.line(), e.column());
            let message = message.strip_suffix(&position).unwrap_or(&message);
            anyhow!(
                "{}:{}:{}: not a debrief baseline: {message}",
                path.display(),
                e.line(),
                e.column().max(1)
            )
        };
        match serde_json::from_str::<Versioned>(&text)
            .map_err(malformed)?
            .version
        {
            Some(VERSION) => {}
            Some(other) => bail!(
                "{}: baseline version {other} is not supported; this debrief reads version {VERSION} (write it again with --write-baseline)",
                path.display()
            ),
            None => bail!(
                "{}: not a debrief baseline: no \"version\" field",
                path.display()
            ),
        }
        let file: File = serde_json::from_str(&text).map_err(malformed)?;
        let mut files: HashMap<String, HashMap<Key, usize>> = HashMap::new();
        for (name, entries) in file.files {
            let counts = files.entry(name).or_default();
            for entry in entries {
                let count = entry.count;
                *counts.entry(entry.key()).or_default() += count;
            }
        }
        Ok(Baseline {
            dir: directory_of(path)?,
            shown: path.display().to_string(),
            files,
        })
    }

    /// The name the baseline gives a linted file.
    pub fn name_of(&self, file: &Path) -> String {
        name_in(&self.dir, file)
    }

    /// Sorts a file's findings (in source order) into new and suppressed: each entry
    /// suppresses as many findings with its key as its count, the first ones in the file.
    pub fn split(&self, name: &str, text: &str, findings: Vec<Finding>) -> Split {
        let mut left = self.files.get(name).cloned().unwrap_or_default();
        let mut split = Split::default();
        for finding in findings {
            match left.get_mut(&Key::of(text, &finding)) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    split.suppressed.push(finding);
                }
                _ => split.new.push(finding),
            }
        }
        split.stale = stale(name, left);
        split
    }

    /// The entries of files this run did not lint and that no longer exist (files that exist
    /// but were not asked for are not this run's business).
    pub fn stale_elsewhere(&self, seen: &HashSet<String>) -> Vec<Stale> {
        let mut out: Vec<Stale> = self
            .files
            .iter()
            .filter(|(name, _)| !seen.contains(*name) && !self.dir.join(name).exists())
            .flat_map(|(name, counts)| stale(name, counts.clone()))
            .collect();
        out.sort_by(|a, b| (&a.path, &a.key).cmp(&(&b.path, &b.key)));
        out
    }
}

/// A file's leftover counts as stale entries, sorted.
fn stale(name: &str, left: HashMap<Key, usize>) -> Vec<Stale> {
    let mut out: Vec<Stale> = left
        .into_iter()
        .filter(|(_, count)| *count > 0)
        .map(|(key, count)| Stale {
            path: name.to_string(),
            key,
            count,
        })
        .collect();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}

/// A baseline being recorded by `--write-baseline`.
#[derive(Debug)]
pub struct Recorder {
    dir: PathBuf,
    files: BTreeMap<String, BTreeMap<Key, usize>>,
}

impl Recorder {
    /// A recorder for a baseline to be written at `path`; its directory must exist.
    pub fn new(path: &Path) -> Result<Recorder> {
        Ok(Recorder {
            dir: directory_of(path)?,
            files: BTreeMap::new(),
        })
    }

    /// The name the baseline gives a linted file.
    pub fn name_of(&self, file: &Path) -> String {
        name_in(&self.dir, file)
    }

    /// Records a file's findings, replacing what was recorded for it (a file named twice on
    /// the command line counts once).
    pub fn record(&mut self, name: String, keys: Vec<Key>) {
        if keys.is_empty() {
            self.files.remove(&name);
            return;
        }
        let mut counts = BTreeMap::new();
        for key in keys {
            *counts.entry(key).or_default() += 1;
        }
        self.files.insert(name, counts);
    }

    /// How many findings in how many files.
    pub fn totals(&self) -> (usize, usize) {
        let findings = self.files.values().flat_map(|c| c.values()).sum();
        (findings, self.files.len())
    }

    /// The file's text: pretty JSON, sorted, with a final line break.
    pub fn to_json(&self) -> String {
        let file = File {
            version: VERSION,
            files: self
                .files
                .iter()
                .map(|(name, counts)| {
                    let entries = counts
                        .iter()
                        .map(|(key, &count)| Entry::new(key, count))
                        .collect();
                    (name.clone(), entries)
                })
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// The directory a baseline's file names are relative to, canonical so that the names do
/// not depend on the working directory.
fn directory_of(path: &Path) -> Result<PathBuf> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    dir.canonicalize()
        .with_context(|| format!("{}: cannot open the baseline's directory", path.display()))
}

/// `file` relative to `dir` (with `..` when it is outside), with `/` between components; the
/// path as given when there is no relative path (another drive).
fn name_in(dir: &Path, file: &Path) -> String {
    let as_given = || slashes(file.components());
    let Ok(file) = file.canonicalize() else {
        return as_given();
    };
    let (mut dir_parts, mut file_parts) = (dir.components().peekable(), file.components());
    let mut file_rest: Vec<Component<'_>> = Vec::new();
    // Drop the common prefix.
    loop {
        match (dir_parts.peek(), file_parts.next()) {
            (Some(d), Some(f)) if *d == f => {
                dir_parts.next();
            }
            (_, Some(f)) => {
                file_rest.push(f);
                file_rest.extend(file_parts);
                break;
            }
            (_, None) => break,
        }
    }
    let ups: Vec<Component<'_>> = dir_parts.map(|_| Component::ParentDir).collect();
    if file_rest
        .first()
        .is_some_and(|c| matches!(c, Component::Prefix(_) | Component::RootDir))
    {
        return as_given();
    }
    slashes(ups.into_iter().chain(file_rest))
}

/// Components as a path with `/` between them, whatever the platform.
fn slashes<'a>(components: impl IntoIterator<Item = Component<'a>>) -> String {
    let path: PathBuf = components
        .into_iter()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '\\' {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    }
}

/// White space runs become one space; none at either end.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `range` without white space at either end.
fn trimmed(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let Some(slice) = text.get(range.clone()) else {
        return range.start..range.start;
    };
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.end - (slice.len() - slice.trim_end().len());
    start..end.max(start)
}

/// Whether the byte at `at` ends a sentence: `.`, `!` or `?` before white space or the end of
/// the line.
fn ends_sentence(bytes: &[u8], at: usize, line_end: usize) -> bool {
    matches!(bytes[at], b'.' | b'!' | b'?')
        && (at + 1 >= line_end || matches!(bytes[at + 1], b' ' | b'\t'))
}

/// The sentence around a (non-empty, trimmed) range, within its lines: from the end of the
/// sentence before it, or the start of the line's text after its Markdown markers, to the end
/// of the sentence it is in, or the end of its last line.
fn sentence_around(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let bytes = text.as_bytes();
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |i| range.end + i);
    let content = line_start + markers_len(&text[line_start..]);
    let content = if content > range.start {
        line_start
    } else {
        content
    };
    let start = (content..range.start)
        .rev()
        .find(|&i| ends_sentence(bytes, i, line_end))
        .map_or(content, |i| i + 1);
    let end = (range.end - 1..line_end)
        .find(|&i| ends_sentence(bytes, i, line_end))
        .map_or(line_end, |i| i + 1);
    start..end
}

/// The length of a line's leading Markdown markers: indentation, `>`, heading marks, list
/// bullets and numbers, task boxes. Checking an action item off, or moving a list item into a
/// quote, does not change its findings.
fn markers_len(line: &str) -> usize {
    let mut rest = line;
    loop {
        let before = rest.len();
        rest = rest.trim_start_matches([' ', '\t']);
        if let Some(after) = rest.strip_prefix('>') {
            rest = after;
        } else if let Some(after) = strip_marker(rest) {
            rest = after;
        }
        if rest.len() == before {
            return line.len() - rest.len();
        }
    }
}

/// One marker followed by a space: `#`..`######`, `-`, `*`, `+`, `1.`, `1)`, `[ ]`, `[x]`.
fn strip_marker(text: &str) -> Option<&str> {
    let hashes = text.len() - text.trim_start_matches('#').len();
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker = if (1..=6).contains(&hashes) {
        hashes
    } else if text.starts_with(['-', '*', '+']) {
        1
    } else if (1..=9).contains(&digits) && text[digits..].starts_with(['.', ')']) {
        digits + 1
    } else if ["[ ]", "[x]", "[X]"].iter().any(|b| text.starts_with(b)) {
        3
    } else {
        return None;
    };
    text[marker..]
        .strip_prefix([' ', '\t'])
        .or_else(|| text[marker..].is_empty().then_some(""))
}
