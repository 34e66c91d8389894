//! Sentences and words of a piece of prose, with their byte offsets.

use std::ops::Range;

/// A word.
#[derive(Debug, Clone)]
pub struct Word<'a> {
    /// As written.
    pub text: &'a str,
    /// Lower case (ASCII letters lowered; the same bytes otherwise).
    pub lower: &'a str,
    /// Byte range in the prose text.
    pub range: Range<usize>,
    /// Inside quotation marks: a mention ("operator error" is never a root cause), not a use.
    pub quoted: bool,
}

impl<'a> Word<'a> {
    /// The word without a possessive `'s`: "Priya's" gives "priya" (of [`Word::lower`]).
    pub fn bare(&self) -> &'a str {
        possessive_stem(self.lower)
    }

    /// The word as written without a possessive `'s`.
    pub fn bare_text(&self) -> &'a str {
        possessive_stem(self.text)
    }

    /// First letter upper case, the rest not all upper case: "Priya", "Kafka", not "AWS".
    pub fn is_capitalised(&self) -> bool {
        let mut chars = self.text.chars();
        chars.next().is_some_and(char::is_uppercase) && !self.is_all_caps()
    }

    /// Two or more letters, all upper case: "AWS", "SRE", "CODE".
    pub fn is_all_caps(&self) -> bool {
        let bare = self
            .text
            .strip_suffix("'s")
            .or_else(|| self.text.strip_suffix("\u{2019}s"))
            .unwrap_or(self.text);
        bare.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && bare.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
    }
}

/// A sentence: its range in the prose and its words.
#[derive(Debug, Clone)]
pub struct Sentence<'a> {
    /// The sentence as written.
    pub text: &'a str,
    /// Byte range in the prose text.
    pub range: Range<usize>,
    /// Its words in order.
    pub words: Vec<Word<'a>>,
}

impl Sentence<'_> {
    /// Whether the sentence is a question.
    pub fn is_question(&self) -> bool {
        self.text.trim_end().ends_with('?')
    }

    /// The index of the first word of a phrase (lower-case words separated by spaces), if the
    /// phrase occurs unquoted.
    pub fn find(&self, phrase: &str) -> Option<usize> {
        let parts: Vec<&str> = phrase.split(' ').collect();
        (0..self.words.len()).find(|&i| {
            parts.iter().enumerate().all(|(k, p)| {
                self.words.get(i + k).is_some_and(|w| {
                    !w.quoted
                        && (w.lower == *p
                            || (p.ends_with('*') && w.lower.starts_with(&p[..p.len() - 1])))
                })
            })
        })
    }

    /// Whether punctuation that ends a clause (`,;:()`) stands between word `i` and the next.
    pub fn break_after(&self, i: usize) -> bool {
        let (Some(a), Some(b)) = (self.words.get(i), self.words.get(i + 1)) else {
            return false;
        };
        let base = self.range.start;
        self.text
            .get(a.range.end - base..b.range.start - base)
            .is_some_and(|gap| gap.contains([',', ';', ':', '(', ')']))
    }

    /// The range covering words `from..to`.
    pub fn span(&self, from: usize, to: usize) -> Range<usize> {
        let start = self
            .words
            .get(from)
            .map_or(self.range.start, |w| w.range.start);
        let end = self
            .words
            .get(to.saturating_sub(1))
            .map_or(start, |w| w.range.end);
        start..end.max(start)
    }
}

/// "Priya's" and "Priya’s" give "Priya".
pub fn possessive_stem(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("\u{2019}s"))
        .unwrap_or(word)
}

const ABBREVIATIONS: [&str; 12] = [
    "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "approx", "incl", "no", "fig",
];

/// Splits prose into sentences and words. `lower` is `text` with ASCII letters lowered
/// (`str::to_ascii_lowercase`), so that the words' lower-case forms are slices of it.
pub fn sentences<'a>(text: &'a str, lower: &'a str) -> Vec<Sentence<'a>> {
    sentences_where(text, lower, |_| true)
}

/// Like [`sentences`], tokenising only the sentences (byte ranges of `text`) that `wanted`
/// accepts: words are the costly part, and most sentences give a check nothing to look at.
pub fn sentences_where<'a>(
    text: &'a str,
    lower: &'a str,
    mut wanted: impl FnMut(Range<usize>) -> bool,
) -> Vec<Sentence<'a>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    // From one end mark to the next: memchr skips the bytes in between many at a time.
    for i in memchr::memchr3_iter(b'.', b'!', b'?', bytes) {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        let ends = match next {
            None => true,
            Some(n) => n == b' ' || n == b'\n' || n == b'"' || n == b')',
        };
        if !ends {
            continue;
        }
        // The word before is looked at only where a sentence may end.
        let abbreviation = b == b'.' && is_abbreviation(&text[start..i]);
        if !abbreviation {
            if wanted(start..i + 1) {
                push_sentence(text, lower, start..i + 1, &mut out);
            }
            start = i + 1;
        }
    }
    if start < text.len() && wanted(start..text.len()) {
        push_sentence(text, lower, start..text.len(), &mut out);
    }
    out
}

/// Whether the text before a full stop ends with an abbreviation ("e.g", "etc", "Dr").
fn is_abbreviation(before: &str) -> bool {
    // The word: letters, digits and dots back from the stop. Bytes first; a word with a
    // letter beyond ASCII is no abbreviation, but where it starts takes decoding.
    let bytes = before.as_bytes();
    let word = match bytes
        .iter()
        .rposition(|&b| !(b.is_ascii_alphanumeric() || b == b'.'))
    {
        Some(at) if bytes[at] >= 0x80 => before
            .rsplit(|c: char| !c.is_alphanumeric() && c != '.')
            .next()
            .unwrap_or(""),
        Some(at) => &before[at + 1..],
        None => before,
    };
    ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

fn push_sentence<'a>(
    text: &'a str,
    lower: &'a str,
    range: Range<usize>,
    out: &mut Vec<Sentence<'a>>,
) {
    let slice = &text[range.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let range = range.start + lead..range.end;
    if range.is_empty() {
        return;
    }
    let sentence_text = &text[range.clone()];
    let words = words(sentence_text, &lower[range.clone()], range.start);
    if !words.is_empty() {
        out.push(Sentence {
            text: sentence_text,
            range,
            words,
        });
    }
}

/// Words: letters, digits, apostrophes and inner hyphens. URLs, e-mail addresses and paths are
/// not words. `@handles` keep their `@`.
fn words<'a>(text: &'a str, lower: &'a str, base: usize) -> Vec<Word<'a>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut quoted = false;
    let mut i = 0;
    // Whether the character at a byte offset is a letter or digit (ASCII without decoding).
    let alphanumeric_at = |at: usize| match bytes.get(at) {
        Some(&b) if b < 0x80 => b.is_ascii_alphanumeric(),
        Some(_) => text[at..].chars().next().is_some_and(char::is_alphanumeric),
        None => false,
    };
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if b == b'"' {
                quoted = !quoted;
                i += 1;
                continue;
            }
            if !(b.is_ascii_alphanumeric() || b == b'@') {
                i += 1;
                continue;
            }
            // URLs are not words: skip to the next white space.
            if (b == b'h' || b == b'w')
                && (bytes[i..].starts_with(b"http://")
                    || bytes[i..].starts_with(b"https://")
                    || bytes[i..].starts_with(b"www."))
            {
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                continue;
            }
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            match c {
                '\u{201c}' => quoted = true,
                '\u{201d}' => quoted = false,
                _ => {}
            }
            if !c.is_alphanumeric() {
                i += c.len_utf8();
                continue;
            }
        }
        let start = i;
        let mut end = i + if b < 0x80 {
            1
        } else {
            text[i..].chars().next().map_or(1, char::len_utf8)
        };
        // Paths, e-mail addresses and times are not words either.
        let mut not_a_word = false;
        while end < bytes.len() {
            let d = bytes[end];
            if d.is_ascii_alphanumeric() {
                end += 1;
            } else if d < 0x80 {
                if matches!(d, b'\'' | b'-' | b'.' | b'/' | b':' | b'@' | b'_')
                    && alphanumeric_at(end + 1)
                {
                    not_a_word |= matches!(d, b'/' | b':' | b'@');
                    end += 1;
                } else {
                    break;
                }
            } else {
                let c = text[end..].chars().next().unwrap_or(' ');
                if c.is_alphanumeric() || (c == '\u{2019}' && alphanumeric_at(end + c.len_utf8())) {
                    end += c.len_utf8();
                } else {
                    break;
                }
            }
        }
        i = end;
        if not_a_word {
            continue;
        }
        out.push(Word {
            text: &text[start..end],
            lower: &lower[start..end],
            range: base + start..base + end,
            quoted,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_and_words() {
        let text = "Priya saved us. Who missed this step? See https://x.io/a, e.g. the v1.2 docs.";
        let lower = text.to_ascii_lowercase();
        let s = sentences(text, &lower);
        let texts: Vec<&str> = s.iter().map(|s| s.text).collect();
        assert_eq!(
            texts,
            [
                "Priya saved us.",
                "Who missed this step?",
                "See https://x.io/a, e.g. the v1.2 docs."
            ]
        );
        let words: Vec<&str> = s[2].words.iter().map(|w| w.text).collect();
        assert_eq!(words, ["See", "e.g", "the", "v1.2", "docs"]);
        assert!(s[1].is_question());
        assert_eq!(s[1].find("who missed"), Some(0));
    }

    #[test]
    fn abbreviations_end_no_sentence() {
        for (before, expected) in [
            ("see e.g", true),
            ("Dr", true),
            ("naïve, etc", true),
            ("the v1.2", false),
            ("détc", false),
            ("(approx", true),
        ] {
            assert_eq!(is_abbreviation(before), expected, "{before}");
        }
    }

    #[test]
    fn quotes_mark_mentions() {
        let text = "\u{201c}operator error\u{201d} is never a root cause";
        let lower = text.to_ascii_lowercase();
        let s = sentences(text, &lower);
        assert!(s[0].words[0].quoted && s[0].words[1].quoted && !s[0].words[2].quoted);
        assert_eq!(s[0].find("operator error"), None);
    }

    #[test]
    fn handles_and_emails() {
        let text = "@stevekuznetsov pings ops@example.com about it";
        let lower = text.to_ascii_lowercase();
        let s = sentences(text, &lower);
        let words: Vec<&str> = s[0].words.iter().map(|w| w.text).collect();
        assert_eq!(words, ["@stevekuznetsov", "pings", "about", "it"]);
    }
}
