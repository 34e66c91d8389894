//! The tolerant reader: Markdown in, a [`Postmortem`] and diagnostics out. It never fails and
//! never drops text: what it cannot interpret is kept verbatim and reported.

use crate::rule::RuleId;
pub(crate) mod actions;
mod blocks;
mod front_matter;
mod headings;
mod impact;
mod simple_yaml;
mod timeline;

use crate::diagnostic::{Diagnostic, LineIndex, Severity};
use crate::model::{Metadata, Part, Postmortem, Section, SectionBody, SectionKind};
use crate::when::{find_date, parse_full_date};
use blocks::{Block, BlockKind};
use jiff::civil::Date;
use std::borrow::Cow;
use std::ops::Range;

pub use actions::{due as parse_due, has_tracker_reference};
pub use blocks::{Prose, ProseEvent};
pub(crate) use front_matter::KNOWN_KEYS as FRONT_MATTER_KEYS;
pub use impact::quantities;
pub(crate) use timeline::{UNDATED, reads_as_same_day};

/// What the caller knows about a document that is not in it.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The incident's date when the document does not say (for example from a file name
    /// such as `2019-01-23.md`). Used for timelines and relative due dates.
    pub default_date: Option<Date>,
    /// Record the prose in [`SourceMap::prose`] (for the linter), from the same parse.
    pub prose: bool,
}

impl ReadOptions {
    /// What a document's path tells the reader: the date in its file name (`2019-01-23.md`),
    /// or, for a file named like a page bundle's `index.md`, in its folder's name
    /// (`2022-12-13-root-filesystem-full/index.md`). The path is only looked at, never opened.
    pub fn for_path(path: &std::path::Path) -> Self {
        fn date_in_name(path: &std::path::Path) -> Option<Date> {
            crate::when::find_iso_date(path.file_name()?.to_str()?)
        }
        let default_date = date_in_name(path).or_else(|| date_in_name(path.parent()?));
        Self {
            default_date,
            ..Self::default()
        }
    }
}

/// A document as read: the model and what could not be interpreted.
#[derive(Debug, Clone)]
pub struct Read {
    /// The postmortem.
    pub postmortem: Postmortem,
    /// Its milestones and metrics.
    pub analysis: crate::milestones::Analysis,
    /// Where the parts of the model are in the (normalised) source.
    pub source_map: SourceMap,
    /// Diagnostics, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Where the parts of a model are in the source, as byte ranges into the text the reader
/// read after [`normalise`]. Checks use it to point at what they find.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    /// Where the Markdown body starts, after any front matter.
    pub body_start: usize,
    /// Each section's heading and body, in the order of [`Postmortem::sections`].
    pub sections: Vec<SectionSource>,
    /// Where each timeline entry starts, in the order of [`Postmortem::timeline_entries`].
    pub entries: Vec<usize>,
    /// Each action item's text, without its owner and due fields, in the order of
    /// [`Postmortem::action_items`].
    pub action_items: Vec<Range<usize>>,
    /// The prose, when [`ReadOptions::prose`] asked for it.
    pub prose: Option<Prose>,
}

/// Where one section is in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionSource {
    /// The heading line(s).
    pub heading: Range<usize>,
    /// Everything after the heading up to the next section.
    pub body: Range<usize>,
}

impl Read {
    /// Whether writing the model back loses nothing the author meant. False when front matter
    /// could not be parsed: it is kept as a raw string, and rewriting would turn it into one
    /// value.
    pub fn rewritable(&self) -> bool {
        !self
            .diagnostics
            .iter()
            .any(|d| d.rule == INVALID_FRONT_MATTER && d.severity == Severity::Error)
    }
}

/// The rule of diagnostics about front matter that could not be read.
pub(crate) const INVALID_FRONT_MATTER: RuleId = RuleId::InvalidFrontMatter;

/// Reads a postmortem with default options.
pub fn read(source: &str) -> Read {
    read_with(source, &ReadOptions::default())
}

/// Reads a postmortem.
pub fn read_with(source: &str, options: &ReadOptions) -> Read {
    let text = normalise(source);
    let mut reader = Reader {
        text: &text,
        index: None,
        diagnostics: Vec::new(),
        entry_offsets: Vec::new(),
        action_ranges: Vec::new(),
        section_ranges: Vec::new(),
        body_start: 0,
        prose: None,
    };
    let postmortem = reader.document(options);
    let analysis = crate::milestones::analyse(&postmortem);
    for &(entry, milestone, earlier) in &analysis.out_of_order {
        let at = reader.entry_offsets.get(entry).copied().unwrap_or(0);
        reader.report(
            RuleId::MilestoneOrder,
            Severity::Error,
            at..at,
            format!(
                "the `{}` milestone comes before `{}`; milestones follow started, detected, \
                 acknowledged, mitigated, resolved",
                milestone.name(),
                earlier.name()
            ),
        );
    }
    let mut diagnostics = reader.diagnostics;
    diagnostics.sort_by_key(|d| (d.span.line, d.span.column));
    let source_map = SourceMap {
        body_start: reader.body_start,
        sections: reader.section_ranges,
        entries: reader.entry_offsets,
        action_items: reader.action_ranges,
        prose: reader.prose,
    };
    Read {
        postmortem,
        analysis,
        source_map,
        diagnostics,
    }
}

/// Strips a byte-order mark and turns CRLF and lone CR line ends into LF. Lines and columns
/// are unchanged by this.
pub fn normalise(source: &str) -> Cow<'_, str> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    // memchr's vectorised search: this runs over every document, and `str::contains` looked
    // at it a word at a time.
    if memchr::memchr(b'\r', source.as_bytes()).is_some() {
        Cow::Owned(source.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(source)
    }
}

pub(crate) struct Reader<'a> {
    pub text: &'a str,
    index: Option<LineIndex<'a>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Source offset of each timeline entry, in the order of `Postmortem::timeline_entries`.
    pub entry_offsets: Vec<usize>,
    /// Source range of each action item's text, in the order of `Postmortem::action_items`.
    pub action_ranges: Vec<Range<usize>>,
    /// Source ranges of the sections, in document order.
    section_ranges: Vec<SectionSource>,
    body_start: usize,
    prose: Option<Prose>,
}

/// A section being assembled: its heading and the blocks under it.
struct Pending {
    kind: SectionKind,
    level: u8,
    heading: String,
    /// Byte range of the heading line(s).
    heading_range: Range<usize>,
    /// Indices into the block list.
    blocks: Vec<usize>,
}

impl<'a> Reader<'a> {
    pub(crate) fn report(
        &mut self,
        rule: RuleId,
        severity: Severity,
        range: Range<usize>,
        message: impl Into<String>,
    ) {
        let index = self.index.get_or_insert_with(|| LineIndex::new(self.text));
        let span = index.span(range);
        self.diagnostics
            .push(Diagnostic::new(rule, severity, span, message));
    }

    fn document(&mut self, options: &ReadOptions) -> Postmortem {
        let text = self.text;
        let mut meta = Metadata::default();
        let mut body_start = 0;
        if let Some((syntax, range, end)) = front_matter::split(text) {
            self.front_matter(syntax, range, &mut meta);
            body_start = end;
        }
        self.body_start = body_start;
        let mut prose = options.prose.then(|| blocks::Prose::for_text(text));
        let blocks = blocks::scan(&text[body_start..], body_start, prose.as_mut());
        self.prose = prose;

        let title = self.title(&blocks, &mut meta);
        if meta.date.is_none() {
            // "January 23rd, 2019 Prow Outage".
            meta.date = find_date(&meta.title).or(options.default_date);
        }
        if meta.title.is_empty() {
            self.report(
                RuleId::MissingTitle,
                Severity::Warning,
                body_start..body_start,
                "the postmortem has no title",
            )
        }

        // Group the blocks into sections.
        let mut preamble_blocks: Vec<usize> = Vec::new();
        let mut sections: Vec<Pending> = Vec::new();
        for (i, block) in blocks.iter().enumerate() {
            if Some(i) == title {
                continue;
            }
            if let BlockKind::Heading {
                level,
                text: heading,
            } = &block.kind
            {
                let kind = headings::classify(heading);
                // An unrecognised heading below the open section's level (and below level 2,
                // the level sections are written at) is part of that section; so is every
                // heading below a review meeting's, whose record has parts named like
                // sections ("### Contributing factors").
                let nested = sections.last().is_some_and(|open| {
                    (kind == SectionKind::Other && *level > open.level.max(2))
                        || (open.kind == SectionKind::ReviewMeeting && *level > open.level)
                });
                if !nested {
                    sections.push(Pending {
                        kind,
                        level: *level,
                        heading: heading.clone(),
                        heading_range: block.range.clone(),
                        blocks: Vec::new(),
                    });
                    continue;
                }
            }
            match sections.last_mut() {
                Some(open) => open.blocks.push(i),
                None => preamble_blocks.push(i),
            }
        }

        let first_section_start = sections
            .first()
            .map_or(text.len(), |s| s.heading_range.start);
        let preamble = match title {
            Some(t) => join_nonempty(&[
                trim_block(&text[body_start..blocks[t].range.start]),
                trim_block(&text[blocks[t].range.end..first_section_start]),
            ]),
            None => trim_block(&text[body_start..first_section_start]).to_string(),
        };

        // Timelines first: a document without a date takes it from its timeline, and other
        // sections (relative due dates) count from that date.
        let mut built: Vec<Option<Section>> = vec![None; sections.len()];
        let mut ranges: Vec<Option<SectionSource>> = vec![None; sections.len()];
        for pass in [true, false] {
            for (n, pending) in sections.iter().enumerate() {
                if (pending.kind == SectionKind::Timeline) != pass {
                    continue;
                }
                let end = sections
                    .get(n + 1)
                    .map_or(text.len(), |next| next.heading_range.start);
                let body_range = pending.heading_range.end..end;
                ranges[n] = Some(SectionSource {
                    heading: pending.heading_range.clone(),
                    body: body_range.clone(),
                });
                built[n] = Some(self.section(pending, body_range, &blocks, &mut meta));
            }
        }
        self.section_ranges = ranges.into_iter().flatten().collect();
        self.body_start = body_start;
        Postmortem {
            meta,
            preamble,
            sections: built.into_iter().flatten().collect(),
        }
    }

    /// Finds the title heading: the first heading, when it is level 1 and not a section.
    /// Returns its block index when it was taken as the title.
    fn title(&mut self, blocks: &[Block], meta: &mut Metadata) -> Option<usize> {
        let (i, level, heading) = blocks.iter().enumerate().find_map(|(i, b)| match &b.kind {
            BlockKind::Heading { level, text } => Some((i, *level, text.as_str())),
            _ => None,
        })?;
        if level != 1 || headings::classify(heading) != SectionKind::Other {
            return None;
        }
        // The title keeps its inline Markdown (`code`, links) as written.
        let raw = raw_heading(&self.text[blocks[i].range.clone()]);
        let (title, date) = parse_title_heading(&raw);
        if meta.title.is_empty() {
            meta.title = title;
        } else if !title.eq_ignore_ascii_case(&meta.title)
            && !heading.eq_ignore_ascii_case(&meta.title)
            && !parse_title_heading(heading)
                .0
                .eq_ignore_ascii_case(&meta.title)
        {
            // A first heading that is not the front matter's title is a section of its own.
            return None;
        }
        if meta.date.is_none() {
            meta.date = date;
        }
        Some(i)
    }

    fn section(
        &mut self,
        pending: &Pending,
        body_range: Range<usize>,
        blocks: &[Block],
        meta: &mut Metadata,
    ) -> Section {
        let text = self.text;
        let verbatim = || trim_block(&text[body_range.clone()]).to_string();
        // A section named otherwise whose lists are timed entries ("## Leadup" with
        // "- **00:27 UTC:** ...") is a timeline; it keeps the author's heading.
        let by_content =
            pending.kind == SectionKind::Other && timed_list(self.text, &pending.blocks, blocks);
        let kind = if by_content {
            SectionKind::Timeline
        } else {
            pending.kind
        };
        let body = match kind {
            SectionKind::Summary => SectionBody::Summary(verbatim()),
            SectionKind::RootCause => SectionBody::RootCause(verbatim()),
            SectionKind::ContributingFactors => SectionBody::ContributingFactors(verbatim()),
            SectionKind::WentWell => SectionBody::WentWell(verbatim()),
            SectionKind::WentBadly => SectionBody::WentBadly(verbatim()),
            SectionKind::Lucky => SectionBody::Lucky(verbatim()),
            SectionKind::ReviewMeeting => SectionBody::ReviewMeeting(verbatim()),
            SectionKind::Other => SectionBody::Other(verbatim()),
            SectionKind::Impact => SectionBody::Impact(impact::read(
                self.text,
                body_range.clone(),
                &pending.blocks,
                blocks,
            )),
            SectionKind::Timeline => {
                let units = self.units(body_range.clone(), &pending.blocks, blocks);
                let before = self.body_start..pending.heading_range.start;
                SectionBody::Timeline(self.timeline(&pending.heading, &units, before, meta))
            }
            SectionKind::ActionItems => {
                let units = self.units(body_range.clone(), &pending.blocks, blocks);
                SectionBody::ActionItems(self.action_items(&units, meta))
            }
        };
        let (heading, level) = match pending.kind {
            SectionKind::Other => (
                raw_heading(&self.text[pending.heading_range.clone()]),
                pending.level,
            ),
            // A recognised section keeps its depth ("### What went well" under "## Lessons
            // learned" stays below it: promoted, it would take the author's sections after
            // it); only a level-1 one goes to level 2, below the title.
            kind => (kind.canonical_heading().to_string(), pending.level.max(2)),
        };
        Section {
            heading,
            level,
            body,
        }
    }

    /// The blocks of a structured section, with any text between them that the Markdown
    /// parser reported no block for (link reference definitions) as opaque units.
    fn units<'b>(
        &self,
        body_range: Range<usize>,
        indices: &[usize],
        blocks: &'b [Block],
    ) -> Vec<Unit<'b>> {
        let mut units = Vec::with_capacity(indices.len());
        let mut cursor = body_range.start;
        for &i in indices {
            let block = &blocks[i];
            if !self.text[cursor..block.range.start].trim().is_empty() {
                units.push(Unit::Gap(cursor..block.range.start));
            }
            units.push(Unit::Block(block));
            cursor = cursor.max(block.range.end);
        }
        if cursor < body_range.end && !self.text[cursor..body_range.end].trim().is_empty() {
            units.push(Unit::Gap(cursor..body_range.end));
        }
        units
    }
}

/// A piece of a structured section.
pub(crate) enum Unit<'b> {
    Block(&'b Block),
    Gap(Range<usize>),
}

impl Unit<'_> {
    pub(crate) fn range(&self) -> Range<usize> {
        match self {
            Unit::Block(block) => block.range.clone(),
            Unit::Gap(range) => range.clone(),
        }
    }
}

/// Splits `# Postmortem: Checkout 500 errors, 2026-06-14` into title and date.
fn parse_title_heading(heading: &str) -> (String, Option<Date>) {
    let mut title = heading.trim();
    let lower = title.to_ascii_lowercase();
    for prefix in ["postmortem", "post-mortem", "post mortem"] {
        if lower.starts_with(prefix) {
            let rest = title[prefix.len()..].trim_start();
            if rest.is_empty() {
                return (String::new(), None);
            }
            if let Some(rest) = rest.strip_prefix(':').or_else(|| rest.strip_prefix(" - ")) {
                title = rest.trim();
                break;
            }
        }
    }
    if let Some(date) = parse_full_date(title) {
        return (String::new(), Some(date));
    }
    if let Some((head, tail)) = title.rsplit_once(',')
        && let Some(date) = parse_full_date(tail)
    {
        return (head.trim_end().to_string(), Some(date));
    }
    (title.to_string(), None)
}

/// A heading's Markdown as written: `## Text ##` gives `Text`; a setext heading gives its
/// text lines joined. Kept raw so that links and emphasis in headings survive.
/// Whether the lists of a section are timeline entries: three timed items at least, and
/// at least half of all its list items.
fn timed_list(text: &str, indices: &[usize], blocks: &[Block]) -> bool {
    let (mut items, mut timed) = (0, 0);
    for block in indices.iter().filter_map(|&i| blocks.get(i)) {
        if let BlockKind::List { items: list } = &block.kind {
            for item in list {
                items += 1;
                let (content, _) = blocks::item_content(text, item.range.clone());
                timed += usize::from(crate::when::parse_leader(&content).is_some());
            }
        }
    }
    timed >= 3 && timed * 2 >= items
}

fn raw_heading(source: &str) -> String {
    let source = source.trim();
    if source.starts_with('#') {
        let text = source.trim_start_matches('#');
        let text = text.trim();
        let without_closing = text.trim_end_matches('#');
        let text = if without_closing.ends_with(' ') || without_closing.is_empty() {
            without_closing.trim_end()
        } else {
            text
        };
        return text.to_string();
    }
    let mut lines: Vec<&str> = source.lines().collect();
    lines.pop();
    lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ")
}

/// Removes leading blank lines and trailing white space, keeping the first line's indentation.
pub(crate) fn trim_block(s: &str) -> &str {
    let mut start = 0;
    for line in s.split_inclusive('\n') {
        if line.trim().is_empty() {
            start += line.len();
        } else {
            break;
        }
    }
    s[start.min(s.len())..].trim_end()
}

fn join_nonempty(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Appends verbatim text to a part list.
pub(crate) fn push_text<T>(parts: &mut Vec<Part<T>>, text: &str) {
    let text = trim_block(text);
    if !text.is_empty() {
        parts.push(Part::Text(text.to_string()));
    }
}
