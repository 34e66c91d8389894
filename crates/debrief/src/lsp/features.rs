//! What the language server answers, from one lint of the document: diagnostics, code
//! actions, hover, symbols, completion and inlay hints. No I/O: the server (`mod.rs`) says
//! which document and configuration.

use super::text::Lines;
use debrief_core::Severity;
use debrief_core::milestones::human_duration;
use debrief_core::model::{Milestone, SectionBody};
use debrief_lint::{Finding, Linted};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeDescription, CompletionItem,
    CompletionItemKind, CompletionTextEdit, Diagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, DocumentSymbol, Documentation, Hover, HoverContents, InlayHint,
    InlayHintLabel, Location, MarkupContent, MarkupKind, NumberOrString, Position, Range,
    SymbolKind, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::str::FromStr;

/// A document linted once, and the positions of its text.
pub struct Analysis {
    /// The lint, whose ranges are bytes of its normalised text.
    pub linted: Linted,
    /// The editor's text starts with a byte-order mark, which normalising took off: the
    /// first line's characters are one further on in the editor.
    bom: bool,
}

impl Analysis {
    /// Lints `text`.
    pub fn new(text: &str, options: &debrief_lint::Options<'_>) -> Analysis {
        Analysis {
            linted: debrief_lint::lint(text, options),
            bom: text.starts_with('\u{feff}'),
        }
    }

    fn lines(&self) -> Lines<'_> {
        Lines::new(&self.linted.text)
    }

    /// The editor's range of bytes `range` of the normalised text.
    fn range(&self, lines: &Lines<'_>, range: std::ops::Range<usize>) -> Range {
        let shift = |mut p: Position| {
            if self.bom && p.line == 0 {
                p.character += 1;
            }
            p
        };
        let r = lines.range(range);
        Range::new(shift(r.start), shift(r.end))
    }

    /// The byte of the normalised text at the editor's `position`.
    fn offset(&self, lines: &Lines<'_>, mut position: Position) -> usize {
        if self.bom && position.line == 0 {
            position.character = position.character.saturating_sub(1);
        }
        lines.offset(position)
    }

    /// The findings as diagnostics: the rule as the code, its documentation linked when
    /// `rules_url` is known, the suggestion as related information.
    pub fn diagnostics(&self, uri: &Uri, rules_url: Option<&str>) -> Vec<Diagnostic> {
        let lines = self.lines();
        self.linted
            .findings
            .iter()
            .map(|finding| {
                let range = self.range(&lines, finding.range.clone());
                let d = &finding.diagnostic;
                let rule = d.rule.as_str();
                Diagnostic {
                    range,
                    severity: Some(match d.severity {
                        Severity::Error => DiagnosticSeverity::ERROR,
                        Severity::Warning => DiagnosticSeverity::WARNING,
                        Severity::Info => DiagnosticSeverity::INFORMATION,
                    }),
                    code: Some(NumberOrString::String(rule.to_string())),
                    code_description: rules_url
                        .and_then(|base| Uri::from_str(&format!("{base}#{rule}")).ok())
                        .map(|href| CodeDescription { href }),
                    source: Some("debrief".to_string()),
                    message: d.message.clone(),
                    related_information: d.suggestion.as_ref().map(|suggestion| {
                        vec![DiagnosticRelatedInformation {
                            location: Location {
                                uri: uri.clone(),
                                range,
                            },
                            message: format!("instead: {suggestion}"),
                        }]
                    }),
                    tags: None,
                    data: None,
                }
            })
            .collect()
    }

    /// For every finding in `range`: its safe fix, and a comment that silences it on its
    /// line (`debrief-disable-next-line`).
    pub fn code_actions(
        &self,
        uri: &Uri,
        range: Range,
        rules_url: Option<&str>,
    ) -> Vec<CodeActionOrCommand> {
        let lines = self.lines();
        let (start, end) = (
            self.offset(&lines, range.start),
            self.offset(&lines, range.end),
        );
        let diagnostics = self.diagnostics(uri, rules_url);
        let mut actions = Vec::new();
        for (finding, diagnostic) in self.linted.findings.iter().zip(&diagnostics) {
            // Only the findings that touch the range asked about.
            if finding.range.start > end || start > finding.range.end {
                continue;
            }
            let edit = |edits: Vec<TextEdit>| WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), edits)])),
                ..WorkspaceEdit::default()
            };
            let rule = finding.diagnostic.rule.as_str();
            if let Some(fix) = &finding.fix {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Write “{fix}” ({rule})"),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(edit(vec![TextEdit::new(diagnostic.range, fix.clone())])),
                    is_preferred: Some(true),
                    ..CodeAction::default()
                }));
            }
            // Structure rules point at the document as a whole: a comment cannot silence them
            // for one line.
            if finding.category == debrief_lint::Category::Structure && finding.range.is_empty() {
                continue;
            }
            let line = diagnostic.range.start.line;
            let text = lines.line(line as usize);
            let indent: String = text.chars().take_while(|c| c.is_whitespace()).collect();
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Disable {rule} for this line"),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(edit(vec![TextEdit::new(
                    Range::new(Position::new(line, 0), Position::new(line, 0)),
                    format!("{indent}<!-- debrief-disable-next-line {rule} -->\n"),
                )])),
                ..CodeAction::default()
            }));
        }
        actions
    }

    /// On a finding: its rule explained, as `debrief explain` does. On a milestone tag:
    /// what it marks and the figure it gives.
    pub fn hover(&self, position: Position) -> Option<Hover> {
        let lines = self.lines();
        let at = self.offset(&lines, position);
        if let Some(finding) = self
            .linted
            .findings
            .iter()
            .find(|f| f.range.start <= at && at <= f.range.end && !f.range.is_empty())
        {
            return Some(Hover {
                contents: markdown(explain(finding)),
                range: Some(self.range(&lines, finding.range.clone())),
            });
        }
        let (milestone, range) = self.tag_at(at)?;
        let mut text = format!("**[{}]** {}", milestone.name(), milestone.meaning());
        if let Some(figure) = self.figure(milestone) {
            let _ = write!(text, "\n\nIn this timeline: {figure}.");
        }
        if let Some(reason) = self.linted.read.analysis.reason(milestone)
            && reason != "marked"
        {
            let _ = write!(text, " Found from the words “{reason}”.");
        }
        Some(Hover {
            contents: markdown(text),
            range: Some(self.range(&lines, range)),
        })
    }

    /// The `[tag]` of a timeline entry at byte `at`, with its range.
    fn tag_at(&self, at: usize) -> Option<(Milestone, std::ops::Range<usize>)> {
        let text = &self.linted.text;
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = &text[line_start..line_end];
        let column = at - line_start;
        let open = line[..(column + 1).min(line.len())].rfind('[')?;
        let close = open + line[open..].find(']')?;
        if column > close {
            return None;
        }
        let milestone = Milestone::from_marker(&line[open + 1..close])?;
        Some((milestone, line_start + open..line_start + close + 1))
    }

    /// The figure a milestone gives in this timeline ("time to detect 3m").
    fn figure(&self, milestone: Milestone) -> Option<String> {
        let metrics = &self.linted.read.analysis.metrics;
        let (name, seconds) = match milestone {
            Milestone::Started => ("duration", metrics.duration_s),
            Milestone::Detected => ("time to detect", metrics.time_to_detect_s),
            Milestone::Acknowledged => ("time to acknowledge", metrics.time_to_acknowledge_s),
            Milestone::Mitigated => ("time to mitigate", metrics.time_to_mitigate_s),
            Milestone::Resolved => ("time to resolve", metrics.time_to_resolve_s),
        };
        seconds.map(|s| format!("{name} {}", human_duration(s)))
    }

    /// The sections, with the timeline's entries and the action items under theirs.
    #[expect(
        deprecated,
        reason = "DocumentSymbol's `deprecated` field must be written"
    )]
    pub fn symbols(&self) -> Vec<DocumentSymbol> {
        let lines = self.lines();
        let read = &self.linted.read;
        let text = &self.linted.text;
        let line_end = |start: usize| text[start..].find('\n').map_or(text.len(), |i| start + i);
        // An entry is named by its line as written: "14:02 [started] The deploy starts".
        let entries: Vec<(usize, String)> = read
            .source_map
            .entries
            .iter()
            .map(|&start| (start, text[start..line_end(start)].trim().to_string()))
            .collect();
        let items: Vec<(std::ops::Range<usize>, String)> = read
            .postmortem
            .action_items()
            .zip(&read.source_map.action_items)
            .map(|(item, range)| (range.clone(), item.text.clone()))
            .collect();
        let symbol =
            |name: String, kind, range: Range, selection: Range, children| DocumentSymbol {
                name: if name.trim().is_empty() {
                    "(untitled)".into()
                } else {
                    name
                },
                detail: None,
                kind,
                tags: None,
                deprecated: None,
                range,
                selection_range: selection,
                children,
            };
        read.postmortem
            .sections
            .iter()
            .zip(&read.source_map.sections)
            .map(|(section, source)| {
                let whole = source.heading.start..source.body.end.max(source.heading.end);
                let inside = |at: usize| whole.contains(&at);
                let children: Vec<DocumentSymbol> = match &section.body {
                    SectionBody::Timeline(_) => entries
                        .iter()
                        .filter(|(start, _)| inside(*start))
                        .map(|(start, name)| {
                            let range = self.range(&lines, *start..line_end(*start));
                            symbol(name.clone(), SymbolKind::EVENT, range, range, None)
                        })
                        .collect(),
                    SectionBody::ActionItems(_) => items
                        .iter()
                        .filter(|(range, _)| inside(range.start))
                        .map(|(range, name)| {
                            let range = self.range(&lines, range.clone());
                            symbol(name.clone(), SymbolKind::OBJECT, range, range, None)
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                // The heading as written: "Timeline (UTC)".
                let heading = &text[source.heading.clone()];
                let heading_end = source.heading.start + heading.trim_end().len();
                let name = heading
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim_start_matches('#')
                    .trim();
                symbol(
                    if name.is_empty() {
                        section.heading.clone()
                    } else {
                        name.to_string()
                    },
                    SymbolKind::NAMESPACE,
                    self.range(&lines, whole.clone()),
                    self.range(&lines, source.heading.start..heading_end),
                    (!children.is_empty()).then_some(children),
                )
            })
            .collect()
    }

    /// Completions at `position`: milestone tags after `[` on a timeline entry, `owner:`
    /// and `due:` on an action item and their values (roster roles, dates), and roster roles
    /// for the word being typed anywhere else.
    pub fn completion(
        &self,
        position: Position,
        roles: &[&str],
        today: jiff::civil::Date,
    ) -> Vec<CompletionItem> {
        let lines = self.lines();
        let at = self.offset(&lines, position);
        let text = &self.linted.text;
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let before = &text[line_start..at];
        let after = &text[at..text[at..].find('\n').map_or(text.len(), |i| at + i)];
        let section = self.section_at(at);
        // Each completion replaces what was typed of it, from `from` to the cursor (to
        // `until` past it: the rest of a tag being changed).
        let mut until = at;
        let item =
            |label: String, kind, detail: &str, from: usize, new_text: String, until: usize| {
                CompletionItem {
                    filter_text: Some(new_text.clone()),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                        self.range(&lines, line_start + from..until),
                        new_text,
                    ))),
                    label,
                    kind: Some(kind),
                    detail: Some(detail.to_string()),
                    ..CompletionItem::default()
                }
            };
        // A milestone tag: "- 14:02 [de" on a timeline entry.
        if let Some(open) = before.rfind('[')
            && !before[open..].contains(']')
            && matches!(section, Some(Kind::Timeline))
        {
            let typed = before[open + 1..].to_ascii_lowercase();
            // Inside a tag already closed ("[sta|rted]"): the whole tag is replaced.
            if let Some(close) = after.find(']')
                && !after[..close].contains(char::is_whitespace)
            {
                until = at + close + 1;
            }
            return Milestone::ALL
                .iter()
                .filter(|m| m.name().starts_with(&typed))
                .map(|m| CompletionItem {
                    documentation: Some(Documentation::String(m.meaning().to_string())),
                    ..item(
                        m.name().to_string(),
                        CompletionItemKind::ENUM_MEMBER,
                        "milestone",
                        open + 1,
                        format!("{}]", m.name()),
                        until,
                    )
                })
                .collect();
        }
        let word_start = before
            .rfind(|c: char| c.is_whitespace() || c == '(' || c == ',')
            .map_or(0, |i| i + 1);
        let field = before[..word_start].trim_end();
        if matches!(section, Some(Kind::ActionItems)) {
            if field.ends_with("owner:") {
                return roles
                    .iter()
                    .map(|role| {
                        item(
                            role.to_string(),
                            CompletionItemKind::VALUE,
                            "a role of the roster",
                            word_start,
                            role.to_string(),
                            until,
                        )
                    })
                    .collect();
            }
            if field.ends_with("due:") {
                return [7, 14, 30]
                    .into_iter()
                    .filter_map(|days| {
                        today
                            .checked_add(jiff::Span::new().days(days))
                            .ok()
                            .map(|d| (days, d))
                    })
                    .map(|(days, date)| {
                        item(
                            date.to_string(),
                            CompletionItemKind::VALUE,
                            &format!("in {days} days"),
                            word_start,
                            date.to_string(),
                            until,
                        )
                    })
                    .collect();
            }
            let line = &text[line_start..];
            let line = &line[..line.find('\n').unwrap_or(line.len())];
            if line.trim_start().starts_with("- [") {
                let mut fields = Vec::new();
                for name in ["owner", "due"] {
                    if !line.contains(&format!("{name}:")) {
                        fields.push(item(
                            format!("{name}:"),
                            CompletionItemKind::FIELD,
                            if name == "owner" {
                                "who will do it: a team or a role"
                            } else {
                                "when: a date, or a span such as 2 weeks"
                            },
                            word_start,
                            format!("{name}: "),
                            until,
                        ));
                    }
                }
                if !fields.is_empty() {
                    return fields;
                }
            }
        }
        let typed = &before[word_start..];
        if typed.len() < 2 {
            return Vec::new();
        }
        let lower = typed.to_lowercase();
        // A role completes from any of its words: "on" gives "the on-call SRE".
        roles
            .iter()
            .filter_map(|role| {
                let rest = role
                    .char_indices()
                    .filter(|&(i, _)| i == 0 || role[..i].ends_with(' '))
                    .map(|(i, _)| &role[i..])
                    .find(|rest| rest.to_lowercase().starts_with(&lower))?;
                Some(item(
                    role.to_string(),
                    CompletionItemKind::TEXT,
                    "a role of the roster",
                    word_start,
                    rest.to_string(),
                    until,
                ))
            })
            .collect()
    }

    /// Which kind of section byte `at` is in.
    fn section_at(&self, at: usize) -> Option<Kind> {
        let read = &self.linted.read;
        read.postmortem
            .sections
            .iter()
            .zip(&read.source_map.sections)
            .find(|(_, source)| source.heading.start <= at && at <= source.body.end)
            .map(|(section, _)| match section.body {
                SectionBody::Timeline(_) => Kind::Timeline,
                SectionBody::ActionItems(_) => Kind::ActionItems,
                _ => Kind::Other,
            })
    }

    /// The figures at the end of the timeline's heading: "detect 3m · acknowledge 6m · ...".
    pub fn inlay_hints(&self) -> Vec<InlayHint> {
        let lines = self.lines();
        let read = &self.linted.read;
        let Some(source) = read
            .postmortem
            .sections
            .iter()
            .zip(&read.source_map.sections)
            .find(|(s, _)| matches!(s.body, SectionBody::Timeline(_)))
            .map(|(_, source)| source)
        else {
            return Vec::new();
        };
        let metrics = &read.analysis.metrics;
        let figures: Vec<String> = [
            ("detect", metrics.time_to_detect_s),
            ("acknowledge", metrics.time_to_acknowledge_s),
            ("mitigate", metrics.time_to_mitigate_s),
            ("resolve", metrics.time_to_resolve_s),
        ]
        .into_iter()
        .filter_map(|(name, seconds)| seconds.map(|s| format!("{name} {}", human_duration(s))))
        .collect();
        if figures.is_empty() {
            return Vec::new();
        }
        let text = &self.linted.text;
        let heading_end = text[source.heading.start..]
            .find('\n')
            .map_or(text.len(), |i| source.heading.start + i);
        vec![InlayHint {
            position: self.range(&lines, heading_end..heading_end).start,
            label: InlayHintLabel::String(format!("time to {}", figures.join(" · "))),
            kind: None,
            text_edits: None,
            tooltip: None,
            padding_left: Some(true),
            padding_right: None,
            data: None,
        }]
    }
}

/// A section's kind, as completion cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Timeline,
    ActionItems,
    Other,
}

/// A finding's rule, explained as `debrief explain` does.
fn explain(finding: &Finding) -> String {
    let d = &finding.diagnostic;
    let mut text = format!(
        "**{}** ({}): {}",
        d.rule.as_str(),
        d.severity.name(),
        d.message
    );
    if let Some(suggestion) = &d.suggestion {
        let _ = write!(text, "\n\nInstead: {suggestion}");
    }
    if let Some(rule) = debrief_lint::rule(d.rule) {
        let _ = write!(
            text,
            "\n\n---\n\n**{}**\n\n{}\n\nReported: “{}”\n\nNot reported: “{}”",
            rule.summary, rule.description, rule.bad, rule.good
        );
    }
    text
}

fn markdown(value: String) -> HoverContents {
    HoverContents::Markup(MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    })
}
