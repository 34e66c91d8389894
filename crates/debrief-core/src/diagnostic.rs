//! Diagnostics: what a reader or a check could not accept, with where it is in the source.

use crate::rule::RuleId;
use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; never fails a check by default.
    Info,
    /// Probably wrong.
    Warning,
    /// Wrong.
    Error,
}

impl Severity {
    /// The lower-case name used in output and configuration.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `info`, `warning` (or `warn`) and `error`.
    pub fn parse(name: &str) -> Option<Severity> {
        match name.trim().to_ascii_lowercase().as_str() {
            "info" | "note" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" | "deny" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A region of the source, 1-based, columns counted in characters; `end_column` is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    /// First line.
    pub line: u32,
    /// First column.
    pub column: u32,
    /// Last line.
    pub end_line: u32,
    /// Column just past the end.
    pub end_column: u32,
}

/// One finding about a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The rule, written as its stable id, such as `unparsed-timeline-entry`.
    pub rule: RuleId,
    /// How serious it is.
    pub severity: Severity,
    /// Where it is.
    #[serde(flatten)]
    pub span: Span,
    /// What is wrong, in one sentence.
    pub message: String,
    /// A suggested rewrite or next step, if there is one.
    pub suggestion: Option<String>,
}

impl Diagnostic {
    /// A diagnostic without a suggestion.
    pub fn new(rule: RuleId, severity: Severity, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity,
            span,
            message: message.into(),
            suggestion: None,
        }
    }

    /// Adds a suggestion.
    #[must_use]
    pub fn with_suggestion(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }
}

/// Maps byte offsets of a text to 1-based lines and character columns.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts }
    }

    /// The 1-based line and column of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let start = self.starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (to_u32(line + 1), to_u32(column + 1))
    }

    /// The span of a byte range.
    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        let (line, column) = self.position(range.start);
        let (end_line, end_column) = self.position(range.end.max(range.start));
        Span {
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// The byte offset of a 1-based line and character column (clamped to the text).
    pub fn offset(&self, line: u32, column: u32) -> usize {
        let index = (line as usize).saturating_sub(1);
        let Some(&start) = self.starts.get(index) else {
            return self.text.len();
        };
        let line_text = self.line_text(line);
        start
            + line_text
                .char_indices()
                .nth(column.saturating_sub(1) as usize)
                .map_or(line_text.len(), |(b, _)| b)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: u32) -> &'a str {
        let index = (line as usize).saturating_sub(1);
        let Some(&start) = self.starts.get(index) else {
            return "";
        };
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.text.len(), |&next| next - 1);
        &self.text[start..end]
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
