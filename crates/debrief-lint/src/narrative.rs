//! The narrative: the prose of a postmortem as plain text, with a map back to the source.
//!
//! Front matter, code blocks, inline code, HTML, images, block quotes (quoted logs and chat),
//! URLs and the owner and due fields of action items are not narrative. Inline code becomes
//! the word `CODE` so that sentences keep their shape.

use debrief_core::read::{ProseEvent, SourceMap};
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

/// Builds the narrative of a document from the prose its reading recorded (see
/// `debrief_core::read::Prose`). `text` is the normalised source the map refers to.
pub fn extract(text: &str, map: &SourceMap) -> Vec<Prose> {
    let Some(recorded) = &map.prose else {
        return Vec::new();
    };
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
    // Whether an action item's text starts on the first line of a block at `offset`.
    let starts_action = |offset: usize| {
        let line_end = text[offset..].find('\n').map_or(text.len(), |n| offset + n);
        let i = map.action_items.partition_point(|r| r.start < offset);
        map.action_items.get(i).is_some_and(|r| r.start <= line_end)
    };

    let mut out = Vec::new();
    let mut current: Option<Prose> = None;
    let flush = |current: &mut Option<Prose>, out: &mut Vec<Prose>| {
        if let Some(prose) = current.take()
            && !prose.text.trim().is_empty()
        {
            out.push(prose);
        }
    };
    for event in &recorded.events {
        match event {
            ProseEvent::Start { offset, heading } => {
                flush(&mut current, &mut out);
                let kind = if *heading {
                    ProseKind::Heading
                } else if starts_action(*offset) {
                    ProseKind::ActionItem
                } else {
                    ProseKind::Text
                };
                current = Some(Prose {
                    text: String::new(),
                    kind,
                    section: section_of(*offset),
                    map: Vec::new(),
                });
            }
            ProseEvent::End => flush(&mut current, &mut out),
            ProseEvent::Text { range, text: piece } => {
                if in_fields(range.start) {
                    continue;
                }
                if let Some(prose) = current.as_mut() {
                    match piece {
                        Some(piece) => prose.push(piece, range.clone()),
                        None => prose.push(&text[range.clone()], range.clone()),
                    }
                }
            }
            ProseEvent::Code(at) => {
                if let Some(prose) = current.as_mut() {
                    prose.push(" CODE ", *at..*at);
                }
            }
            ProseEvent::Break(at) => {
                if let Some(prose) = current.as_mut() {
                    prose.push(" ", *at..*at);
                }
            }
        }
    }
    flush(&mut current, &mut out);
    out
}
