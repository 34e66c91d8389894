//! The narrative: the prose of a postmortem as plain text, with a map back to the source.
//!
//! Front matter, code blocks, inline code, HTML, images, block quotes (quoted logs and chat),
//! URLs and the owner and due fields of action items are not narrative. Inline code becomes
//! the word `CODE` so that sentences keep their shape.

use debrief_core::read::SourceMap;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// What kind of block a piece of prose comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProseKind {
    /// A heading.
    Heading,
    /// A paragraph, list item or table cell.
    Text,
    /// The text of an action item (without owner and due).
    ActionItem,
}

/// One block of prose.
#[derive(Debug, Clone)]
pub struct Prose {
    /// The plain text.
    pub text: String,
    /// The kind of block.
    pub kind: ProseKind,
    /// The section it is in (`None` before the first section).
    pub section: Option<usize>,
    /// Pieces of `text` and where they are in the source: (text offset, source offset,
    /// whether the piece is the same bytes as the source).
    map: Vec<(usize, usize, bool)>,
}

impl Prose {
    /// The source byte offset of a byte offset in `text`.
    pub fn source_offset(&self, at: usize) -> usize {
        let i = self
            .map
            .partition_point(|&(t, _, _)| t <= at)
            .saturating_sub(1);
        match self.map.get(i) {
            Some(&(t, s, true)) => s + (at - t),
            Some(&(_, s, false)) => s,
            None => 0,
        }
    }

    /// The source range of a range in `text`.
    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.source_offset(range.start);
        let end = if range.end > range.start {
            self.source_offset(range.end - 1) + 1
        } else {
            start
        };
        start..end.max(start)
    }

    fn push(&mut self, piece: &str, source: Range<usize>) {
        if piece.is_empty() {
            return;
        }
        let verbatim = piece.len() == source.len();
        self.map.push((self.text.len(), source.start, verbatim));
        self.text.push_str(piece);
    }
}

/// Extracts the narrative of a document. `text` is the normalised source the map refers to.
pub fn extract(text: &str, map: &SourceMap) -> Vec<Prose> {
    let body = map.body_start.min(text.len());
    // The owner, due and other fields after each action item's text are not narrative.
    let fields: Vec<Range<usize>> = map
        .action_items
        .iter()
        .map(|r| r.end..text[r.end..].find('\n').map_or(text.len(), |n| r.end + n))
        .collect();
    let section_of = |offset: usize| {
        let i = map.sections.partition_point(|s| s.heading.start <= offset);
        i.checked_sub(1)
    };
    let in_fields = |offset: usize| {
        let i = fields.partition_point(|f| f.start <= offset);
        i > 0 && fields[i - 1].contains(&offset)
    };
    // Whether an action item's text starts inside this block.
    let starts_action = |block: &Range<usize>| {
        let i = map.action_items.partition_point(|r| r.start < block.start);
        map.action_items.get(i).is_some_and(|r| r.start < block.end)
    };
    let in_action_text = |offset: usize| {
        let i = map.action_items.partition_point(|r| r.start <= offset);
        i > 0 && map.action_items[i - 1].contains(&offset)
    };

    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    let mut out = Vec::new();
    let mut current: Option<Prose> = None;
    let mut skip = 0usize;
    let flush = |current: &mut Option<Prose>, out: &mut Vec<Prose>| {
        if let Some(prose) = current.take()
            && !prose.text.trim().is_empty()
        {
            out.push(prose);
        }
    };
    for (event, range) in Parser::new_ext(&text[body..], options).into_offset_iter() {
        let range = range.start + body..range.end + body;
        match event {
            Event::Start(tag) => match tag {
                Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::BlockQuote(_)
                | Tag::Image { .. }
                | Tag::MetadataBlock(_) => {
                    flush(&mut current, &mut out);
                    skip += 1;
                }
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::TableCell
                | Tag::List(_)
                | Tag::FootnoteDefinition(_) => {
                    flush(&mut current, &mut out);
                    let kind = match tag {
                        Tag::Heading { .. } => ProseKind::Heading,
                        _ if in_action_text(range.start) || starts_action(&range) => {
                            ProseKind::ActionItem
                        }
                        _ => ProseKind::Text,
                    };
                    if skip == 0 {
                        current = Some(Prose {
                            text: String::new(),
                            kind,
                            section: section_of(range.start),
                            map: Vec::new(),
                        });
                    }
                }
                _ => {}
            },
            Event::End(end) => match end {
                TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::Image
                | TagEnd::MetadataBlock(_) => {
                    skip = skip.saturating_sub(1);
                }
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::List(_)
                | TagEnd::FootnoteDefinition => {
                    flush(&mut current, &mut out);
                }
                _ => {}
            },
            Event::Text(piece) if skip == 0 => {
                if in_fields(range.start) {
                    continue;
                }
                if let Some(prose) = current.as_mut() {
                    prose.push(&piece, range);
                }
            }
            Event::Code(_) if skip == 0 => {
                if let Some(prose) = current.as_mut() {
                    prose.push(" CODE ", range.start..range.start);
                }
            }
            Event::SoftBreak | Event::HardBreak if skip == 0 => {
                if let Some(prose) = current.as_mut() {
                    prose.push(" ", range.start..range.start);
                }
            }
            _ => {}
        }
    }
    flush(&mut current, &mut out);
    out
}
