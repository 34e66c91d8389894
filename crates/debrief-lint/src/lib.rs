//! The blameless linter.
//!
//! [`lint`] reads a postmortem with `debrief-core` and checks its narrative for blame (named
//! individuals, judgement, counterfactuals about people, who-questions, hindsight), its action
//! items for wishes, missing owners and dates, and its structure. Every rule is one value in
//! [`rules::RULES`]. Like the core, this crate does no I/O and keeps no mutable state: the
//! server and an editor integration call it on every keystroke.
//!
//! ```
//! use debrief_core::RuleId;
//! use debrief_lint::{Config, Options, lint};
//! let config = Config::default();
//! let options = Options::new(&config, jiff::civil::date(2026, 6, 20));
//! let linted = lint("# Postmortem: Outage, 2026-06-14\n\n## Summary\n\nPriya saved us.\n", &options);
//! assert!(linted.findings.iter().any(|f| f.diagnostic.rule == RuleId::NamedIndividual));
//! ```

use debrief_core::RuleId;
mod actions;
mod blame;
pub mod config;
pub mod lexicon;
pub mod names;
pub mod narrative;
pub mod rules;
mod structure;
pub mod words;

pub use actions::vague;
pub use config::{Config, ConfigError};
pub use debrief_core::read::has_tracker_reference;
pub use rules::{Category, RULES, Rule, category_of, rule};

use debrief_core::model::SectionBody;
use debrief_core::{Diagnostic, LineIndex, Read, ReadOptions, Severity};
use jiff::civil::Date;
use narrative::ProseKind;
use std::ops::Range;

/// What the linter needs besides the text.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// The configuration.
    pub config: &'a Config,
    /// Today, for overdue action items.
    pub today: Date,
    /// What the caller knows about the document (a date from its file name).
    pub read: ReadOptions,
}

impl<'a> Options<'a> {
    /// Options with default reading.
    pub fn new(config: &'a Config, today: Date) -> Self {
        Options {
            config,
            today,
            read: ReadOptions::default(),
        }
    }
}

/// A finding: a diagnostic with its category, its byte range and, for safe rewrites, a fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Rule, severity, position, message, suggestion.
    pub diagnostic: Diagnostic,
    /// The rule's category.
    pub category: Category,
    /// Byte range in the normalised text ([`Linted::text`]).
    pub range: Range<usize>,
    /// A safe rewrite: replace `range` with this text.
    pub fix: Option<String>,
}

/// A linted document.
#[derive(Debug, Clone)]
pub struct Linted {
    /// The text the ranges refer to: the source with line ends normalised.
    pub text: String,
    /// The document as read.
    pub read: Read,
    /// Findings in source order, configured severities applied, suppressions removed.
    pub findings: Vec<Finding>,
}

impl Linted {
    /// The findings of blame: named people, judgement, counterfactuals, who-questions,
    /// hindsight.
    pub fn blame(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.category == Category::Blame)
    }

    /// Whether the narrative is blame-free: no finding of blame, at any severity. The
    /// review's write-up score and its blame-free share count this.
    pub fn is_blame_free(&self) -> bool {
        self.blame().next().is_none()
    }

    /// The highest severity found.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.diagnostic.severity).max()
    }

    /// Applies every fix that does not overlap another; returns the new text and the findings
    /// whose fixes were applied.
    pub fn apply_fixes(&self) -> (String, Vec<&Finding>) {
        let mut fixes: Vec<&Finding> = self.findings.iter().filter(|f| f.fix.is_some()).collect();
        fixes.sort_by_key(|f| f.range.start);
        let mut applied: Vec<&Finding> = Vec::new();
        for fix in fixes {
            if applied
                .last()
                .is_none_or(|last| last.range.end <= fix.range.start)
            {
                applied.push(fix);
            }
        }
        let mut text = self.text.clone();
        for finding in applied.iter().rev() {
            if let Some(replacement) = &finding.fix {
                text.replace_range(finding.range.clone(), replacement);
            }
        }
        (text, applied)
    }
}

/// What every check needs.
pub(crate) struct Ctx<'a> {
    pub config: &'a Config,
    pub today: Date,
    index: LineIndex<'a>,
}

impl Ctx<'_> {
    /// A finding of a rule at a source range, with the rule's configured severity.
    pub(crate) fn finding(
        &self,
        rule: RuleId,
        range: Range<usize>,
        message: String,
        suggestion: Option<String>,
    ) -> Finding {
        let category = rules::rule(rule).map_or(Category::Structure, |r| r.category);
        let severity = self.config.severity(rule).unwrap_or(Severity::Info);
        let mut diagnostic =
            Diagnostic::new(rule, severity, self.index.span(range.clone()), message);
        diagnostic.suggestion = suggestion;
        Finding {
            diagnostic,
            category,
            range,
            fix: None,
        }
    }
}

/// A finding of a sentence rule, in the coordinates of its prose.
pub(crate) struct Raw {
    pub rule: RuleId,
    pub range: Range<usize>,
    pub message: String,
    pub suggestion: Option<String>,
    /// Range in the prose and replacement.
    pub fix: Option<(Range<usize>, String)>,
}

/// Lints a postmortem.
pub fn lint(source: &str, options: &Options<'_>) -> Linted {
    let text = debrief_core::normalise(source).into_owned();
    let read_options = ReadOptions {
        prose: true,
        ..options.read.clone()
    };
    let read = debrief_core::read_with(&text, &read_options);
    let ctx = Ctx {
        config: options.config,
        today: options.today,
        index: LineIndex::new(&text),
    };
    let mut findings = Vec::new();

    // What the reader could not interpret.
    for d in &read.diagnostics {
        if let Some(rule) = rules::rule(d.rule) {
            let start = ctx.index.offset(d.span.line, d.span.column);
            let end = ctx
                .index
                .offset(d.span.end_line, d.span.end_column)
                .max(start);
            findings.push(ctx.finding(
                rule.id,
                start..end,
                d.message.clone(),
                d.suggestion.clone(),
            ));
        }
    }

    narrative_checks(&text, &read, &ctx, &mut findings);

    for (item, range) in read
        .postmortem
        .action_items()
        .zip(&read.source_map.action_items)
    {
        actions::check(item, range.clone(), &ctx, &mut findings);
    }
    structure::check(&read, &ctx, &mut findings);

    let suppressed = suppressions(&text, &ctx.index);
    findings.retain(|f| {
        ctx.config.severity(f.diagnostic.rule).is_some()
            && !suppressed.iter().any(|(line, rules)| {
                *line == f.diagnostic.span.line
                    && (rules.is_empty() || rules.iter().any(|r| *r == f.diagnostic.rule.as_str()))
            })
    });
    findings.sort_by_key(|f| (f.range.start, f.diagnostic.rule));
    findings.dedup_by(|a, b| {
        a.range == b.range
            && a.diagnostic.rule == b.diagnostic.rule
            && a.diagnostic.message == b.diagnostic.message
    });
    Linted {
        text,
        read,
        findings,
    }
}

/// The heading a passage is linted under: a section that lists no people and that the
/// reader recognises as no particular kind.
const PASSAGE_HEADING: &str = "## Passage\n\n";

/// Lints a passage of narrative on its own (a contribution, a comment, a meeting's note):
/// the blame rules only, since a passage has no structure or action items of its own to
/// judge. Ranges and positions are the passage's own, in its normalised text.
pub fn lint_passage(passage: &str, options: &Options<'_>) -> Vec<Finding> {
    let passage = debrief_core::normalise(passage);
    let source = format!("{PASSAGE_HEADING}{passage}\n");
    let linted = lint(&source, options);
    let index = LineIndex::new(&passage);
    let shift = PASSAGE_HEADING.len();
    linted
        .findings
        .into_iter()
        .filter(|f| f.category == Category::Blame && f.range.start >= shift)
        .filter_map(|mut f| {
            let range = f.range.start - shift..(f.range.end - shift).min(passage.len());
            if range.start > range.end {
                return None;
            }
            f.diagnostic.span = index.span(range.clone());
            f.range = range;
            Some(f)
        })
        .collect()
}

/// The heading an action item drafted alone is linted under.
const ITEM_HEADING: &str = "## Action items\n\n- [ ] ";

/// Judges one action item drafted on its own (in a review meeting, say) as it would be
/// judged in the document: a wish rather than work, no owner, no due date, a due date past.
/// Whether it is in a tracker is not asked: it will be when the postmortem is published.
/// Ranges and positions are the item's own.
pub fn lint_action_item(item: &str, options: &Options<'_>) -> Vec<Finding> {
    let item = debrief_core::normalise(item.trim()).replace('\n', " ");
    let source = format!("{ITEM_HEADING}{item}\n");
    let index = LineIndex::new(&item);
    let shift = ITEM_HEADING.len();
    lint(&source, options)
        .findings
        .into_iter()
        .filter(|f| f.category == Category::ActionItem)
        .filter(|f| f.diagnostic.rule != RuleId::UntrackedAction)
        .map(|mut f| {
            let start = f.range.start.saturating_sub(shift).min(item.len());
            let end = f.range.end.saturating_sub(shift).clamp(start, item.len());
            f.range = start..end;
            f.diagnostic.span = index.span(f.range.clone());
            f
        })
        .collect()
}

/// The blame rules over every sentence of the narrative.
fn narrative_checks(text: &str, read: &Read, ctx: &Ctx<'_>, findings: &mut Vec<Finding>) {
    let narrative = narrative::extract(text, &read.source_map);
    let lower_narrative = narrative.text.to_ascii_lowercase();
    let roster = !ctx.config.roster.is_empty();
    // Lists of who attended name people by design, and so does a review meeting's record
    // (attendance, signed reflections). Decided once per section, not per block.
    let people_sections: Vec<bool> = read
        .postmortem
        .sections
        .iter()
        .map(|s| match s.body {
            SectionBody::ReviewMeeting(_) => true,
            SectionBody::Other(_) => lists_people(&s.heading),
            _ => false,
        })
        .collect();
    let mut raw = Vec::new();
    for block in &narrative.blocks {
        let people_allowed = block
            .section
            .and_then(|i| people_sections.get(i).copied())
            .unwrap_or(false);
        let prose = &narrative.text[block.range.clone()];
        let lower = &lower_narrative[block.range.clone()];
        let hits = lexicon::hits(lower);
        // Sentences come in order: the first hit not before the sentence only moves forward.
        let mut next_hit = 0;
        let sentences = words::sentences_where(prose, lower, |range| {
            // Only sentences a rule could report on are tokenised.
            let text = &prose[range.clone()];
            while hits.get(next_hit).is_some_and(|h| h.start < range.start) {
                next_hit += 1;
            }
            let hit = hits.get(next_hit).is_some_and(|h| h.start < range.end);
            hit || roster
                || memchr::memchr2(b'@', b'?', text.as_bytes()).is_some()
                || (!people_allowed && names::may_name(text, &lower[range]))
        });
        for sentence in sentences {
            // Hits are sorted by start: the sentence's are one run of them.
            let from = hits.partition_point(|h| h.start < sentence.range.start);
            let to = hits.partition_point(|h| h.start < sentence.range.end);
            let inside = &hits[from..to];
            raw.clear();
            blame::check(
                &sentence,
                inside,
                ctx,
                people_allowed,
                block.kind == ProseKind::Heading,
                &mut raw,
            );
            for r in raw.drain(..) {
                let mut finding = ctx.finding(
                    r.rule,
                    narrative.source_range(block, r.range),
                    r.message,
                    r.suggestion,
                );
                if let Some((range, replacement)) = r.fix {
                    let source = narrative.source_range(block, range);
                    // Only where the prose maps one to one onto the source.
                    if text
                        .get(source.clone())
                        .is_some_and(|s| s.len() == source.len())
                        && block.kind != ProseKind::Heading
                    {
                        finding.range = source;
                        finding.fix = Some(replacement);
                    }
                }
                findings.push(finding);
            }
        }
    }
}

/// Headings of sections that list people on purpose.
fn lists_people(heading: &str) -> bool {
    let lower = heading.to_lowercase();
    [
        "attendee",
        "participant",
        "author",
        "people",
        "contributor",
        "reviewer",
        "acknowledg",
        "team member",
        "roster",
        "involved",
        "present",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Lines after `<!-- debrief-disable-next-line RULE ... -->`, with the rules (none: all).
fn suppressions(text: &str, index: &LineIndex<'_>) -> Vec<(u32, Vec<String>)> {
    const MARK: &str = "debrief-disable-next-line";
    let mut out = Vec::new();
    // memmem rather than `match_indices`: this scans every document, and almost none has one.
    for at in memchr::memmem::find_iter(text.as_bytes(), MARK) {
        let Some(close) = text[at..].find("-->") else {
            continue;
        };
        let rules: Vec<String> = text[at + MARK.len()..at + close]
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect();
        let (line, _) = index.position(at + close);
        // The next line with text.
        let mut next = line + 1;
        while index.line_text(next).trim().is_empty() && (next as usize) < text.lines().count() + 1
        {
            next += 1;
        }
        out.push((next, rules));
    }
    out
}
