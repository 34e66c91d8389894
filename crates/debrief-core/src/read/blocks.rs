//! The top-level block structure of a Markdown body, with byte ranges into the source.
//!
//! Only what the reader needs: headings (with their plain text), lists (with their items and
//! task boxes), tables (with their cells), paragraphs, and everything else as opaque blocks.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// A top-level block.
#[derive(Debug)]
pub(crate) struct Block {
    pub range: Range<usize>,
    pub kind: BlockKind,
}

#[derive(Debug)]
pub(crate) enum BlockKind {
    Heading {
        level: u8,
        text: String,
    },
    List {
        items: Vec<ListItem>,
    },
    /// Rows of cell ranges; the first row is the header.
    Table {
        rows: Vec<Vec<Range<usize>>>,
    },
    Paragraph,
    Other,
}

#[derive(Debug)]
pub(crate) struct ListItem {
    pub range: Range<usize>,
    /// `Some(checked)` for a task item.
    pub task: Option<bool>,
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
}

/// Scans `body`; ranges are offset by `base` so they index the whole document.
pub(crate) fn scan(body: &str, base: usize, mut prose: Option<&mut Prose>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<Block> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let range = range.start + base..range.end + base;
        if let Some(prose) = prose.as_deref_mut() {
            prose.record(&event, &range);
        }
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    let kind = match tag {
                        Tag::Heading { level, .. } => BlockKind::Heading {
                            level: heading_level(level),
                            text: String::new(),
                        },
                        Tag::List(_) => BlockKind::List { items: Vec::new() },
                        Tag::Table(_) => BlockKind::Table { rows: Vec::new() },
                        Tag::Paragraph => BlockKind::Paragraph,
                        _ => BlockKind::Other,
                    };
                    current = Some(Block {
                        range: range.clone(),
                        kind,
                    });
                } else if let Some(block) = current.as_mut() {
                    match (&mut block.kind, &tag, depth) {
                        (BlockKind::List { items }, Tag::Item, 1) => items.push(ListItem {
                            range: range.clone(),
                            task: None,
                        }),
                        (BlockKind::Table { rows }, Tag::TableHead | Tag::TableRow, 1) => {
                            rows.push(Vec::new())
                        }
                        (BlockKind::Table { rows }, Tag::TableCell, 2) => {
                            if let Some(row) = rows.last_mut() {
                                row.push(range.clone());
                            }
                        }
                        _ => {}
                    }
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some(mut block) = current.take()
                {
                    block.range.end = range.end;
                    // A list's range can run over link reference definitions that follow
                    // it; end it with its last item so that they are kept as text.
                    if let BlockKind::List { items } = &block.kind
                        && let Some(last) = items.last()
                    {
                        block.range.end = last.range.end;
                    }
                    if matches!(end, TagEnd::Heading(_))
                        && let BlockKind::Heading { text, .. } = &mut block.kind
                    {
                        *text = text.trim().to_string();
                    }
                    blocks.push(block);
                }
            }
            Event::TaskListMarker(checked) => {
                if let Some(Block {
                    kind: BlockKind::List { items },
                    ..
                }) = current.as_mut()
                    && let Some(item) = items.last_mut()
                    && item.task.is_none()
                    // In the item itself (a tight list), or in its first paragraph (a loose
                    // list: items separated by blank lines); not in a nested list.
                    && (depth == 2 || depth == 3)
                {
                    item.task = Some(checked);
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(Block {
                    kind: BlockKind::Heading { text: heading, .. },
                    ..
                }) = current.as_mut()
                {
                    heading.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(Block {
                    kind: BlockKind::Heading { text: heading, .. },
                    ..
                }) = current.as_mut()
                {
                    heading.push(' ');
                }
            }
            // Thematic breaks arrive as single events at depth 0.
            Event::Rule | Event::Html(_) | Event::FootnoteReference(_) | Event::InlineHtml(_)
                if depth == 0 =>
            {
                blocks.push(Block {
                    range,
                    kind: BlockKind::Other,
                });
            }
            _ => {}
        }
    }
    blocks
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The prose of a document, recorded during the reader's one parse for the checks that read
/// it: blocks of text with where each piece is in the source. Code, HTML, block quotes, images
/// and metadata are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prose {
    /// Events in document order.
    pub events: Vec<ProseEvent>,
    /// Depth of skipped regions (code blocks, quotes) we are inside.
    skip: usize,
}

/// One step of the prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProseEvent {
    /// A block of prose starts at this offset: a heading (`true`) or a paragraph, list item or
    /// table cell (`false`).
    Start {
        /// Source offset of the block.
        offset: usize,
        /// Whether it is a heading.
        heading: bool,
    },
    /// Text at this source range; `text` is set when it differs from the source (escapes,
    /// entities).
    Text {
        /// Source range.
        range: Range<usize>,
        /// The text, when it is not the source's bytes.
        text: Option<Box<str>>,
    },
    /// Inline code: its source range, backticks included.
    Code(Range<usize>),
    /// A line break inside a block.
    Break(usize),
    /// The current block ends.
    End,
}

impl Prose {
    /// Room for the events of a document of this size, so that recording rarely reallocates
    /// (about one event per 12 bytes in timeline-heavy documents).
    pub(crate) fn for_text(text: &str) -> Prose {
        Prose {
            events: Vec::with_capacity(text.len() / 12),
            skip: 0,
        }
    }

    fn record(&mut self, event: &Event<'_>, range: &Range<usize>) {
        match event {
            Event::Start(tag) => match tag {
                Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::BlockQuote(_)
                | Tag::Image { .. }
                | Tag::MetadataBlock(_) => {
                    self.events.push(ProseEvent::End);
                    self.skip += 1;
                }
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::TableCell
                | Tag::List(_)
                | Tag::FootnoteDefinition(_) => {
                    self.events.push(ProseEvent::End);
                    if self.skip == 0 {
                        self.events.push(ProseEvent::Start {
                            offset: range.start,
                            heading: matches!(tag, Tag::Heading { .. }),
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
                    self.skip = self.skip.saturating_sub(1);
                }
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::List(_)
                | TagEnd::FootnoteDefinition => self.events.push(ProseEvent::End),
                _ => {}
            },
            Event::Text(text) if self.skip == 0 => {
                let verbatim = text.len() == range.len();
                self.events.push(ProseEvent::Text {
                    range: range.clone(),
                    text: (!verbatim).then(|| text.as_ref().into()),
                });
            }
            Event::Code(_) if self.skip == 0 => self.events.push(ProseEvent::Code(range.clone())),
            Event::SoftBreak | Event::HardBreak if self.skip == 0 => {
                self.events.push(ProseEvent::Break(range.start))
            }
            _ => {}
        }
    }
}

/// The content of a list item: the marker (and task box) removed, continuation lines dedented.
/// Returns the content and the byte offset (in `source`) where it starts.
pub(crate) fn item_content(source: &str, range: Range<usize>) -> (String, usize) {
    let raw = &source[range.clone()];
    let indent = raw.len() - raw.trim_start_matches([' ', '\t']).len();
    let mut rest = &raw[indent..];
    let mut offset = range.start + indent;
    // Bullet or ordered marker.
    let marker_len = if rest.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(['.', ')']) {
            digits + 1
        } else {
            0
        }
    };
    rest = &rest[marker_len..];
    offset += marker_len;
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let content_indent = indent + marker_len + spaces.clamp(1, 4);
    rest = &rest[spaces..];
    offset += spaces;
    for task in ["[ ]", "[x]", "[X]"] {
        if let Some(after) = rest.strip_prefix(task) {
            let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
            offset += task.len() + spaces;
            rest = &after[spaces..];
            break;
        }
    }
    let mut lines = rest.split('\n');
    let mut content = String::with_capacity(rest.len());
    content.push_str(lines.next().unwrap_or(""));
    for line in lines {
        content.push('\n');
        content.push_str(dedent(line, content_indent));
    }
    let trimmed_len = content.trim_end().len();
    content.truncate(trimmed_len);
    (content, offset)
}

/// Removes up to `n` columns of leading white space.
pub(crate) fn dedent(line: &str, n: usize) -> &str {
    let mut removed = 0;
    let mut cut = 0;
    for (i, c) in line.char_indices() {
        if removed >= n {
            break;
        }
        match c {
            ' ' => removed += 1,
            '\t' => removed += 4,
            _ => break,
        }
        cut = i + c.len_utf8();
    }
    &line[cut..]
}
