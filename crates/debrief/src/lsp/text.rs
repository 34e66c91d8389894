//! An open document's text, and LSP positions: lines, and characters counted in UTF-16 code
//! units (the protocol's default encoding), against byte offsets in Rust strings.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// Where each line of a text starts.
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The position of byte `offset` (clamped to the text, and back to a character
    /// boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character = self.text[start..offset].encode_utf16().count();
        Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(character).unwrap_or(u32::MAX),
        )
    }

    /// The range of bytes `range`.
    pub fn range(&self, range: std::ops::Range<usize>) -> Range {
        Range::new(self.position(range.start), self.position(range.end))
    }

    /// The byte offset of `position`; a line past the end is the end, a character past
    /// the line's end is the line's end (before its line break), as the protocol asks.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let line = &self.text[start..];
        let line = line.split_inclusive('\n').next().unwrap_or("");
        let content = line.trim_end_matches(['\n', '\r']);
        let mut units = 0;
        for (i, c) in content.char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + content.len()
    }

    /// The text of line `line` (0-based), without its line break.
    pub fn line(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line) else {
            return "";
        };
        let end = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// Applies the editor's changes in order: a change with a range replaces it, one without
/// replaces the whole text.
pub fn apply(text: &mut String, changes: Vec<TextDocumentContentChangeEvent>) {
    for change in changes {
        match change.range {
            Some(range) => {
                let lines = Lines::new(text);
                let start = lines.offset(range.start);
                let end = lines.offset(range.end).max(start);
                text.replace_range(start..end, &change.text);
            }
            None => *text = change.text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_both_ways() {
        let text = "a\n😀b€\r\nlast";
        let lines = Lines::new(text);
        // "b" comes after an emoji: two UTF-16 units, four bytes.
        let b = text.find('b').expect("b");
        assert_eq!(lines.position(b), Position::new(1, 2));
        assert_eq!(lines.offset(Position::new(1, 2)), b);
        // Past the end of a line is its end, before "\r\n".
        assert_eq!(
            lines.offset(Position::new(1, 99)),
            text.find('\r').expect("cr")
        );
        assert_eq!(lines.offset(Position::new(9, 0)), text.len());
        assert_eq!(lines.line(2), "last");
        // Inside a character: back to its start.
        assert_eq!(lines.position(3), Position::new(1, 0));
    }

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut text = "# Title\n\nWho broke it?\n".to_string();
        let change = |range: Option<Range>, text: &str| TextDocumentContentChangeEvent {
            range,
            range_length: None,
            text: text.to_string(),
        };
        apply(
            &mut text,
            vec![
                change(
                    Some(Range::new(Position::new(2, 0), Position::new(2, 13))),
                    "How did it break?",
                ),
                change(
                    Some(Range::new(Position::new(0, 2), Position::new(0, 2))),
                    "A ",
                ),
            ],
        );
        assert_eq!(text, "# A Title\n\nHow did it break?\n");
        apply(&mut text, vec![change(None, "new")]);
        assert_eq!(text, "new");
    }
}
