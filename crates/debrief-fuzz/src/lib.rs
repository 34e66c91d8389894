//! A mutation fuzzer for what reads untrusted text: the Markdown reader and canonical
//! writer, the front matter parsers and the linter. It runs on stable Rust (no nightly for
//! cargo-fuzz here): seeds from real postmortems are mutated with edits that matter to a
//! Markdown reader (tokens of its grammar, spliced lines, cut text, odd characters), and
//! every input is checked for what must always hold:
//!
//! - nothing panics;
//! - formatting is idempotent: `write(read(write(read(x)))) == write(read(x))`, whenever
//!   the document can be rewritten;
//! - every finding of the linter points inside the text it linted, on character boundaries.
//!
//! `cargo run --release -p debrief-fuzz -- --seconds N CORPUS` runs it; a failing input is
//! written to `fuzz-failures/`, and the run exits 1 on a panic or a finding out of range
//! (with `--strict`, on formatting that is not idempotent too). `tests/smoke.rs` runs a
//! short, seeded version of it with the tests.

use std::panic::{AssertUnwindSafe, catch_unwind};

/// A small fast generator (xorshift64*), seeded for reproducible runs.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (zero is replaced, as xorshift needs a non-zero state).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// One of `items`, which must not be empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Pieces of the grammar the reader knows, and characters that have broken readers.
const TOKENS: &[&str] = &[
    "\n",
    "\n\n",
    "---\n",
    "+++\n",
    "# ",
    "## ",
    "### ",
    "- ",
    "* ",
    "1. ",
    "- [ ] ",
    "- [x] ",
    "| ",
    " |",
    "|---|---|\n",
    "```\n",
    "~~",
    "**",
    "_",
    "`",
    "[",
    "](",
    ")",
    "(",
    "<b>",
    "</b>",
    "12:34",
    "09:05:17",
    "~19:30",
    "10:34–10:55",
    "2024-02-29",
    "29-02-2024",
    "20202-01-16",
    "(owner: ",
    ", due: ",
    "2 weeks",
    "declined: ",
    "OPS-42",
    "#123",
    "https://x.example/issues/1",
    "UTC",
    "PST",
    "(6:48 PDT)",
    "All times in CET.\n",
    "[detected]",
    "(resolved)",
    "title: ",
    "date: ",
    "restricted: ",
    "&a ",
    "*a",
    "<<: *a\n",
    "{",
    "}",
    "\"",
    "'",
    "\\",
    "\t",
    "\r\n",
    "\u{202e}",
    "\u{200b}",
    "\u{feff}",
    "é",
    "日本",
    "🔥",
    "\u{0}",
    "\u{1b}",
    "💥💥",
];

/// One mutation of `text`.
pub fn mutate(text: &str, other: &str, rng: &mut Rng) -> String {
    let boundaries = |s: &str, rng: &mut Rng| -> usize {
        let mut at = rng.below(s.len() + 1);
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let at = boundaries(text, rng);
    match rng.below(7) {
        // Insert a token of the grammar.
        0 | 1 => {
            let token = TOKENS[rng.below(TOKENS.len())];
            format!("{}{token}{}", &text[..at], &text[at..])
        }
        // Delete a run.
        2 => {
            let end = boundaries(&text[at..], rng) + at;
            format!("{}{}", &text[..at], &text[end..])
        }
        // Duplicate a line.
        3 => {
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
            format!("{}{}", &text[..end], &text[start..end])
        }
        // Splice in a piece of another document.
        4 => {
            let from = boundaries(other, rng);
            let to = (from + rng.below(400)).min(other.len());
            let mut to = to;
            while !other.is_char_boundary(to) {
                to -= 1;
            }
            format!("{}{}{}", &text[..at], &other[from..to], &text[at..])
        }
        // Cut the text short.
        5 => text[..at].to_string(),
        // Swap two lines.
        _ => {
            let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
            if lines.len() > 1 {
                let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
                lines.swap(a, b);
            }
            lines.concat()
        }
    }
}

/// What broke on an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// A panic, with its message: never acceptable on user input.
    Panic(String),
    /// A finding outside its text: never acceptable.
    Range(String),
    /// Formatting a formatted document changed it again: a defect of the writer, counted
    /// apart (`--strict` fails on it too).
    NotIdempotent,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Panic(message) => write!(f, "panicked: {message}"),
            Failure::Range(message) => f.write_str(message),
            Failure::NotIdempotent => f.write_str("formatting is not idempotent"),
        }
    }
}

/// Checks one input; `Err` says what broke.
pub fn check(text: &str) -> Result<(), Failure> {
    let outcome = catch_unwind(AssertUnwindSafe(|| -> Result<(), Failure> {
        let read = debrief_core::read(text);
        if read.rewritable() {
            let once = debrief_core::write(&read.postmortem);
            let twice = debrief_core::write(&debrief_core::read(&once).postmortem);
            if once != twice {
                return Err(Failure::NotIdempotent);
            }
        }
        let config = debrief_lint::Config::default();
        let options = debrief_lint::Options::new(&config, jiff::civil::date(2026, 6, 20));
        let linted = debrief_lint::lint(text, &options);
        for finding in &linted.findings {
            let range = &finding.range;
            if range.start > range.end
                || range.end > linted.text.len()
                || !linted.text.is_char_boundary(range.start)
                || !linted.text.is_char_boundary(range.end)
            {
                return Err(Failure::Range(format!(
                    "finding {} at {range:?} is outside its text",
                    finding.diagnostic.rule
                )));
            }
        }
        Ok(())
    }));
    match outcome {
        Ok(result) => result,
        Err(panic) => Err(Failure::Panic(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default(),
        )),
    }
}
