//! The narrative: the prose of a postmortem as plain text, with a map back to the source.
//!
//! Front matter, code blocks, inline code, HTML, images, block quotes (quoted logs and chat),
//! URLs and the owner and due fields of action items are not narrative. Inline code becomes
//! the word `CODE` so that sentences keep their shape, except an `@handle` alone in code,
//! which is a person as chat exports write them.

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

/// One block of prose: a range of [`Narrative::text`].
#[derive(Debug, Clone)]
pub struct Block {
    /// Where its text is in [`Narrative::text`].
    pub range: Range<usize>,
    /// The kind of block.
    pub kind: ProseKind,
    /// The section it is in (`None` before the first section).
    pub section: Option<usize>,
}

/// Every block of prose of a document, one after another in one text (each block ends with a
/// line break, so no phrase or sentence runs from one into the next), with a map back to the
/// source. One buffer for the whole document: the linter runs on every keystroke.
#[derive(Debug, Clone, Default)]
pub struct Narrative {
    /// The plain text of all the blocks.
    pub text: String,
    /// The blocks in document order.
    pub blocks: Vec<Block>,
    /// Pieces of `text` and where they are in the source: (text offset, source offset,
    /// whether the piece is the same bytes as the source).
    map: Vec<(usize, usize, bool)>,
}

impl Narrative {
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

    /// The source range of a range of a block's text.
    pub fn source_range(&self, block: &Block, range: Range<usize>) -> Range<usize> {
        let range = block.range.start + range.start..block.range.start + range.end;
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

    /// Adds a block whose text was pushed since it started: drops it when it has no text,
    /// ends it with a line break.
    fn close(&mut self, block: Option<Block>) {
        let Some(mut block) = block else {
            return;
        };
        if self.text[block.range.start..].trim().is_empty() {
            self.text.truncate(block.range.start);
            let kept = self.map.partition_point(|&(t, _, _)| t < block.range.start);
            self.map.truncate(kept);
            return;
        }
        block.range.end = self.text.len();
        self.text.push('\n');
        self.blocks.push(block);
    }
}

/// Builds the narrative of a document from the prose its reading recorded (see
/// `debrief_core::read::Prose`). `text` is the normalised source the map refers to.
pub fn extract(text: &str, map: &SourceMap) -> Narrative {
    let Some(recorded) = &map.prose else {
        return Narrative::default();
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
        let i = map.action_items.partition_point(|r| r.start < offset);
        map.action_items
            .get(i)
            .and_then(|r| text.get(offset..r.start))
            .is_some_and(|between| !between.contains('\n'))
    };

    let mut out = Narrative {
        text: String::with_capacity(text.len()),
        blocks: Vec::with_capacity(recorded.events.len() / 4),
        map: Vec::with_capacity(recorded.events.len()),
    };
    let mut current: Option<Block> = None;
    for event in &recorded.events {
        match event {
            ProseEvent::Start { offset, heading } => {
                out.close(current.take());
                let kind = if *heading {
                    ProseKind::Heading
                } else if starts_action(*offset) {
                    ProseKind::ActionItem
                } else {
                    ProseKind::Text
                };
                let at = out.text.len();
                current = Some(Block {
                    range: at..at,
                    kind,
                    section: section_of(*offset),
                });
            }
            ProseEvent::End => out.close(current.take()),
            _ if current.is_none() => {}
            ProseEvent::Text { range, text: piece } => {
                if !in_fields(range.start) {
                    match piece {
                        Some(piece) => out.push(piece, range.clone()),
                        None => out.push(&text[range.clone()], range.clone()),
                    }
                }
            }
            // "`@malte_j` appears from vacation": a handle set in code is still a person.
            ProseEvent::Code(range) => match handle_in_code(text, range.clone()) {
                Some(handle) => out.push(&text[handle.clone()], handle),
                None => out.push(" CODE ", range.start..range.start),
            },
            ProseEvent::Break(at) => out.push(" ", *at..*at),
        }
    }
    out.close(current);
    out
}

/// The range of an `@handle` that is all of an inline code span (backticks excluded).
fn handle_in_code(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let span = text.get(range.clone())?;
    let ticks = span.len() - span.trim_start_matches('`').len();
    let inner = span.get(ticks..span.len().checked_sub(ticks)?)?;
    let handle = inner.trim();
    let lead = inner.len() - inner.trim_start().len();
    let name = handle.strip_prefix('@')?;
    (name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))
    .then(|| {
        let start = range.start + ticks + lead;
        start..start + handle.len()
    })
}
