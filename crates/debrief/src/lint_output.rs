//! How `debrief lint` prints its findings: rustc-style for people, JSON for scripts, SARIF for
//! code-scanning tools, workflow annotations for GitHub Actions.
//!
//! Each file's findings are rendered on the worker thread that linted it, as one chunk; the
//! main thread writes the chunks in input order between the format's prefix and suffix, so
//! memory stays flat however large the tree.

use crate::baseline::Stale;
use crate::cli::LintFormat;
use debrief_core::{LineIndex, Severity};
use debrief_lint::{Finding, Linted, RULES};
use debrief_wire::sarif;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::IsTerminal;

/// Colour when standard output is a terminal and `NO_COLOR` is not set.
pub fn colour_wanted() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Counts {
        let mut counts = Counts::default();
        for f in findings {
            match f.diagnostic.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
        }
        counts
    }

    pub fn add(&mut self, other: Counts) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }

    fn total(self) -> usize {
        self.errors + self.warnings + self.infos
    }
}

/// What comes before the first file's chunk.
pub fn prefix(format: LintFormat) -> String {
    match format {
        LintFormat::Human | LintFormat::Github => String::new(),
        LintFormat::Json => "{\"files\": [\n".to_string(),
        LintFormat::Sarif => {
            let log = sarif::Log {
                schema: sarif::SCHEMA,
                version: "2.1.0",
            };
            let tool = sarif::Tool {
                driver: sarif::Driver {
                    name: "debrief",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: "https://example.invalid/debrief",
                    rules: RULES
                        .iter()
                        .map(|r| sarif::ReportingDescriptor {
                            id: r.id.as_str(),
                            name: r.id.as_str(),
                            short_description: text(r.summary),
                            full_description: text(r.description),
                            help: text(&format!(
                                "{}\n\nReported:\n{}\n\nInstead:\n{}",
                                r.description, r.bad, r.good
                            )),
                            default_configuration: sarif::Configuration {
                                level: sarif_level(r.severity),
                            },
                            properties: sarif::Properties {
                                category: r.category.name(),
                            },
                        })
                        .collect(),
                },
            };
            // The log object is opened by hand so that results can stream into it.
            let mut out = Vec::new();
            push_json(&mut out, &log);
            out.pop();
            out.extend_from_slice(b",\n\"runs\": [{\n\"tool\": ");
            push_json(&mut out, &tool);
            out.extend_from_slice(b",\n\"results\": [\n");
            String::from_utf8(out).unwrap_or_default()
        }
    }
}

/// What separates two non-empty chunks.
pub fn separator(format: LintFormat) -> &'static str {
    match format {
        LintFormat::Json | LintFormat::Sarif => ",\n",
        LintFormat::Human | LintFormat::Github => "",
    }
}

/// What a baseline did in a run: findings it suppressed, entries that matched nothing.
#[derive(Debug, Clone, Default)]
pub struct BaselineSummary {
    /// The baseline file, as given.
    pub file: String,
    /// Findings it suppressed.
    pub suppressed: usize,
    /// Its entries that matched no finding.
    pub stale: Vec<Stale>,
}

/// `"baseline": {"file", "suppressed", "stale": [{path, rule, text, context, count}]}` in
/// the JSON format.
#[derive(Serialize)]
struct BaselineJson<'a> {
    file: &'a str,
    suppressed: usize,
    stale: Vec<StaleJson<'a>>,
}

#[derive(Serialize)]
struct StaleJson<'a> {
    path: &'a str,
    rule: &'a str,
    text: &'a str,
    context: &'a str,
    count: usize,
}

/// What comes after the last chunk; with a baseline, the JSON format says what it did.
pub fn suffix(
    format: LintFormat,
    files: usize,
    counts: Counts,
    baseline: Option<&BaselineSummary>,
) -> String {
    match format {
        LintFormat::Json => match baseline {
            None => "\n]}\n".to_string(),
            Some(summary) => {
                let json = BaselineJson {
                    file: &summary.file,
                    suppressed: summary.suppressed,
                    stale: summary
                        .stale
                        .iter()
                        .map(|s| StaleJson {
                            path: &s.path,
                            rule: &s.key.rule,
                            text: &s.key.text,
                            context: &s.key.context,
                            count: s.count,
                        })
                        .collect(),
                };
                let json = serde_json::to_string(&json).unwrap_or_else(|_| "null".to_string());
                format!("\n], \"baseline\": {json}}}\n")
            }
        },
        LintFormat::Sarif => "\n]\n}]\n}\n".to_string(),
        LintFormat::Github => String::new(),
        LintFormat::Human => {
            let total = counts.total();
            if total == 0 {
                format!("{files} file{} checked, no findings\n", plural(files))
            } else {
                format!(
                    "{total} finding{} ({} error{}, {} warning{}, {} info) in {files} file{}\n",
                    plural(total),
                    counts.errors,
                    plural(counts.errors),
                    counts.warnings,
                    plural(counts.warnings),
                    counts.infos,
                    plural(files)
                )
            }
        }
    }
}

/// At most this many stale entries are listed one by one.
const STALE_LISTED: usize = 20;

/// What a baseline did, for people (standard error in every format): how many findings it
/// suppressed and which of its entries no longer match anything.
pub fn baseline_notes(summary: &BaselineSummary) -> String {
    let mut out = format!(
        "{} finding{} suppressed by the baseline {}\n",
        summary.suppressed,
        plural(summary.suppressed),
        summary.file
    );
    let stale: usize = summary.stale.iter().map(|s| s.count).sum();
    if stale == 0 {
        return out;
    }
    let _ = writeln!(
        out,
        "note: {stale} baseline entr{} no longer match{} a finding; run `debrief lint --write-baseline {}` over the same paths to drop {}",
        if stale == 1 { "y" } else { "ies" },
        if stale == 1 { "es" } else { "" },
        summary.file,
        if stale == 1 { "it" } else { "them" },
    );
    for s in summary.stale.iter().take(STALE_LISTED) {
        let _ = write!(out, "  {}: {}: ", s.path, s.key.rule);
        if s.key.text.is_empty() {
            out.push_str(&s.key.context);
        } else {
            let _ = write!(out, "\"{}\" in \"{}\"", s.key.text, s.key.context);
        }
        if s.count > 1 {
            let _ = write!(out, " ({} times)", s.count);
        }
        out.push('\n');
    }
    if summary.stale.len() > STALE_LISTED {
        let _ = writeln!(out, "  and {} more", summary.stale.len() - STALE_LISTED);
    }
    out
}

/// Findings a baseline suppressed, for the format that keeps them (SARIF, as suppressed
/// results).
#[derive(Debug, Clone)]
pub struct Suppressed<'a> {
    /// The baseline file, as given.
    pub baseline: &'a str,
    /// The findings it suppressed.
    pub findings: Vec<Finding>,
}

/// One file's chunk, UTF-8; empty when the format writes nothing for a clean file.
/// `linted.findings` are the findings to report; with a baseline, `suppressed` are the ones it
/// knew.
pub fn chunk(
    format: LintFormat,
    path: &str,
    linted: &Linted,
    suppressed: Option<&Suppressed<'_>>,
    colour: bool,
) -> Vec<u8> {
    match format {
        LintFormat::Human => human(path, linted, colour).into_bytes(),
        LintFormat::Json => json_file(path, linted),
        LintFormat::Sarif => sarif_results(path, &linted.findings, suppressed).into_bytes(),
        LintFormat::Github => github(path, &linted.findings).into_bytes(),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

struct Paint(bool);

impl Paint {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// rustc-style: the message, the location, the source line with a caret under the words, the
/// suggestion.
fn human(path: &str, linted: &Linted, colour: bool) -> String {
    let paint = Paint(colour);
    let mut out = String::new();
    if linted.findings.is_empty() {
        return out;
    }
    let index = LineIndex::new(&linted.text);
    for finding in &linted.findings {
        let d = &finding.diagnostic;
        let (label, code) = match d.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
            Severity::Info => ("info", "1;36"),
        };
        let _ = writeln!(
            out,
            "{}: {}",
            paint.paint(code, &format!("{label}[{}]", d.rule)),
            paint.paint("1", &d.message)
        );
        let pad = " ".repeat(d.span.line.to_string().len());
        let _ = writeln!(
            out,
            "{pad}{} {path}:{}:{}",
            paint.paint("1;34", "-->"),
            d.span.line,
            d.span.column
        );
        let line = index.line_text(d.span.line);
        if !line.trim().is_empty() {
            let start = d.span.column.saturating_sub(1) as usize;
            let width = if d.span.end_line == d.span.line {
                (d.span.end_column.saturating_sub(d.span.column) as usize).max(1)
            } else {
                line.chars().count().saturating_sub(start).max(1)
            };
            let bar = paint.paint("1;34", "|");
            let _ = writeln!(out, "{pad} {bar}");
            let _ = writeln!(
                out,
                "{} {bar} {line}",
                paint.paint("1;34", &d.span.line.to_string())
            );
            let caret = format!("{}{}", " ".repeat(start), "^".repeat(width));
            let _ = writeln!(out, "{pad} {bar} {}", paint.paint(code, &caret));
        }
        if let Some(suggestion) = &d.suggestion {
            let _ = writeln!(
                out,
                "{pad} {} {}: {suggestion}",
                paint.paint("1;34", "="),
                paint.paint("1", "help")
            );
        }
        out.push('\n');
    }
    out
}

/// serde_json's compact output with a space after every `:` and `,` inside objects, the
/// spacing of the JSON format: `{"rule": "overdue", "line": 3}`.
struct Spaced;

impl serde_json::ser::Formatter for Spaced {
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }
}

/// Appends `value` as JSON with [`Spaced`] spacing.
fn push_json(out: &mut Vec<u8>, value: &impl Serialize) {
    let mut serializer = serde_json::Serializer::with_formatter(out, Spaced);
    // Strings, numbers and `null` into a Vec: neither the writer nor the value can fail.
    let _ = value.serialize(&mut serializer);
}

/// `{"path": …, "diagnostics": [{rule, category, severity, line, column, end_line,
/// end_column, message, suggestion, fix?}]}`, one diagnostic a line. Written straight into one
/// buffer: on a large tree this runs for every file.
fn json_file(path: &str, linted: &debrief_lint::Linted) -> Vec<u8> {
    let findings = &linted.findings;
    // Fixes are rare: the line index is made only for a file that has one.
    let mut index = None;
    let mut out = Vec::with_capacity(64 + path.len() + 256 * findings.len());
    out.extend_from_slice(b"{\"path\": ");
    push_json(&mut out, &path);
    out.extend_from_slice(b", \"diagnostics\": [");
    for (i, f) in findings.iter().enumerate() {
        let d = &f.diagnostic;
        out.extend_from_slice(if i == 0 { b"\n  " } else { b",\n  " });
        let mut finding = debrief_wire::document::Finding::new(d, f.category.name());
        if let Some(text) = &f.fix {
            let index = index.get_or_insert_with(|| debrief_core::LineIndex::new(&linted.text));
            finding = finding.with_fix(index.span(f.range.clone()), text);
        }
        push_json(&mut out, &finding);
    }
    out.extend_from_slice(if findings.is_empty() { b"]}" } else { b"\n]}" });
    out
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF results of one file, comma-separated, in source order. With a baseline, every result
/// has a `baselineState`: `new`, or `unchanged` with an accepted external suppression that
/// points at the baseline file (SARIF 2.1.0, 3.27.24 and 3.35).
fn sarif_results(path: &str, findings: &[Finding], suppressed: Option<&Suppressed<'_>>) -> String {
    let uri = uri(path);
    let mut all: Vec<(&Finding, bool)> = findings.iter().map(|f| (f, false)).collect();
    if let Some(s) = suppressed {
        all.extend(s.findings.iter().map(|f| (f, true)));
        all.sort_by_key(|(f, _)| (f.range.start, f.diagnostic.rule));
    }
    let baseline_uri = suppressed.map(|s| self::uri(s.baseline));
    let mut out = Vec::new();
    for (i, (finding, is_suppressed)) in all.into_iter().enumerate() {
        let d = &finding.diagnostic;
        let mut message = d.message.clone();
        if let Some(s) = &d.suggestion {
            let _ = write!(message, " ({s})");
        }
        // SARIF regions are never empty: a point is one column wide.
        let end_column = if d.span.end_line == d.span.line {
            d.span.end_column.max(d.span.column + 1)
        } else {
            d.span.end_column
        };
        let region = |end_column| sarif::Region {
            start_line: d.span.line,
            start_column: d.span.column,
            end_line: d.span.end_line,
            end_column,
        };
        let file = || sarif::ArtifactLocation { uri: &uri };
        let fixes = finding
            .fix
            .iter()
            .map(|replacement| sarif::Fix {
                description: text(&format!("replace with \"{replacement}\"")),
                artifact_changes: vec![sarif::ArtifactChange {
                    artifact_location: file(),
                    replacements: vec![sarif::Replacement {
                        deleted_region: region(d.span.end_column),
                        inserted_content: sarif::Content { text: replacement },
                    }],
                }],
            })
            .collect();
        let (baseline_state, suppressions) = match (&suppressed, &baseline_uri) {
            (Some(s), Some(baseline)) if is_suppressed => (
                Some("unchanged"),
                vec![sarif::Suppression {
                    kind: "external",
                    status: "accepted",
                    justification: format!("recorded in the baseline {}", s.baseline),
                    location: sarif::Location {
                        physical_location: sarif::PhysicalLocation {
                            artifact_location: sarif::ArtifactLocation { uri: baseline },
                            region: None,
                        },
                    },
                }],
            ),
            (Some(_), _) => (Some("new"), Vec::new()),
            (None, _) => (None, Vec::new()),
        };
        let result = sarif::SarifResult {
            rule_id: d.rule.as_str(),
            rule_index: RULES.iter().position(|r| r.id == d.rule),
            level: sarif_level(d.severity),
            message: sarif::Message { text: message },
            locations: vec![sarif::Location {
                physical_location: sarif::PhysicalLocation {
                    artifact_location: file(),
                    region: Some(region(end_column)),
                },
            }],
            fixes,
            baseline_state,
            suppressions,
        };
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        push_json(&mut out, &result);
    }
    String::from_utf8(out).unwrap_or_default()
}

/// SARIF text for people.
fn text(text: &str) -> sarif::Message {
    sarif::Message {
        text: text.to_string(),
    }
}

/// A relative path as a URI reference: forward slashes, spaces and `%` escaped.
fn uri(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path);
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '\\' => out.push('/'),
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            c => out.push(c),
        }
    }
    out
}

/// `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
fn github(path: &str, findings: &[Finding]) -> String {
    let mut out = String::new();
    for finding in findings {
        let d = &finding.diagnostic;
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.clone();
        if let Some(s) = &d.suggestion {
            let _ = write!(message, " ({s})");
        }
        let _ = writeln!(
            out,
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(path),
            d.span.line,
            d.span.column,
            d.span.end_line,
            d.span.end_column,
            escape_property(&format!("debrief {}", d.rule)),
            escape_data(&message)
        );
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
