//! How `debrief lint` prints its findings: rustc-style for people, JSON for scripts, SARIF for
//! code-scanning tools, workflow annotations for GitHub Actions.

use debrief_core::{LineIndex, Severity};
use debrief_lint::{Config, Finding, Linted, RULES};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::sync::Arc;

/// One file's result.
pub struct FileReport {
    /// As given on the command line (or `<stdin>`).
    pub path: String,
    /// The findings and the text they point into.
    pub linted: Linted,
    /// The configuration it was checked with.
    pub config: Arc<Config>,
    /// Fixes applied: (line, description).
    pub fixed: Vec<(u32, String)>,
}

/// Colour when standard output is a terminal and `NO_COLOR` is not set.
pub fn colour_wanted() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
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
pub fn human(reports: &[FileReport], colour: bool) -> String {
    let paint = Paint(colour);
    let mut out = String::new();
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    for report in reports {
        let index = LineIndex::new(&report.linted.text);
        for finding in &report.linted.findings {
            let d = &finding.diagnostic;
            let (label, code) = match d.severity {
                Severity::Error => {
                    errors += 1;
                    ("error", "1;31")
                }
                Severity::Warning => {
                    warnings += 1;
                    ("warning", "1;33")
                }
                Severity::Info => {
                    infos += 1;
                    ("info", "1;36")
                }
            };
            let _ = writeln!(
                out,
                "{}: {}",
                paint.paint(code, &format!("{label}[{}]", d.rule)),
                paint.paint("1", &d.message)
            );
            let gutter = d.span.line.to_string().len();
            let pad = " ".repeat(gutter);
            let _ = writeln!(
                out,
                "{pad}{} {}:{}:{}",
                paint.paint("1;34", "-->"),
                report.path,
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
                let _ = writeln!(out, "{pad} {}", paint.paint("1;34", "|"));
                let _ = writeln!(
                    out,
                    "{} {} {line}",
                    paint.paint("1;34", &d.span.line.to_string()),
                    paint.paint("1;34", "|")
                );
                let caret = format!("{}{}", " ".repeat(start), "^".repeat(width));
                let _ = writeln!(
                    out,
                    "{pad} {} {}",
                    paint.paint("1;34", "|"),
                    paint.paint(code, &caret)
                );
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
    }
    let total = errors + warnings + infos;
    if total == 0 {
        let _ = writeln!(
            out,
            "{} file{} checked, no findings",
            reports.len(),
            plural(reports.len())
        );
    } else {
        let _ = writeln!(
            out,
            "{total} finding{} ({errors} error{}, {warnings} warning{}, {infos} info) in {} file{}",
            plural(total),
            plural(errors),
            plural(warnings),
            reports.len(),
            plural(reports.len())
        );
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn finding_json(finding: &Finding) -> Value {
    let d = &finding.diagnostic;
    json!({
        "rule": d.rule,
        "category": finding.category.name(),
        "severity": d.severity.name(),
        "line": d.span.line,
        "column": d.span.column,
        "end_line": d.span.end_line,
        "end_column": d.span.end_column,
        "message": d.message,
        "suggestion": d.suggestion,
    })
}

/// `{"files": [{"path", "diagnostics": [...]}]}`.
pub fn json(reports: &[FileReport]) -> anyhow::Result<String> {
    let files: Vec<Value> = reports
        .iter()
        .map(|r| json!({"path": r.path, "diagnostics": r.linted.findings.iter().map(finding_json).collect::<Vec<_>>()}))
        .collect();
    Ok(serde_json::to_string_pretty(&json!({ "files": files }))? + "\n")
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF 2.1.0, with every rule's documentation in `rules[]`.
pub fn sarif(reports: &[FileReport]) -> anyhow::Result<String> {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.description},
                "help": {"text": format!("{}\n\nReported:\n{}\n\nInstead:\n{}", r.description, r.bad, r.good)},
                "defaultConfiguration": {"level": sarif_level(r.severity)},
                "properties": {"category": r.category.name()},
            })
        })
        .collect();
    let mut results = Vec::new();
    for report in reports {
        for finding in &report.linted.findings {
            let d = &finding.diagnostic;
            let mut message = d.message.clone();
            if let Some(s) = &d.suggestion {
                message.push_str(&format!(" ({s})"));
            }
            let mut result = json!({
                "ruleId": d.rule,
                "ruleIndex": RULES.iter().position(|r| r.id == d.rule),
                "level": sarif_level(d.severity),
                "message": {"text": message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&report.path)},
                        "region": {
                            "startLine": d.span.line,
                            "startColumn": d.span.column,
                            "endLine": d.span.end_line,
                            "endColumn": d.span.end_column.max(d.span.column + u32::from(d.span.end_line == d.span.line && d.span.end_column <= d.span.column)),
                        },
                    },
                }],
            });
            if let Some(replacement) = &finding.fix {
                result["fixes"] = json!([{
                    "description": {"text": format!("replace with \"{replacement}\"")},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": uri(&report.path)},
                        "replacements": [{
                            "deletedRegion": {
                                "startLine": d.span.line,
                                "startColumn": d.span.column,
                                "endLine": d.span.end_line,
                                "endColumn": d.span.end_column,
                            },
                            "insertedContent": {"text": replacement},
                        }],
                    }],
                }]);
            }
            results.push(result);
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "debrief",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://example.invalid/debrief",
                "rules": rules,
            }},
            "results": results,
        }],
    });
    Ok(serde_json::to_string_pretty(&log)? + "\n")
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
pub fn github(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        for finding in &report.linted.findings {
            let d = &finding.diagnostic;
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut message = d.message.clone();
            if let Some(s) = &d.suggestion {
                message.push_str(&format!(" ({s})"));
            }
            let _ = writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&report.path),
                d.span.line,
                d.span.column,
                d.span.end_line,
                d.span.end_column,
                escape_property(&format!("debrief {}", d.rule)),
                escape_data(&message)
            );
        }
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
