//! Sentences and words of a piece of prose, with their byte offsets.

use std::ops::Range;

/// A word.
#[derive(Debug, Clone)]
pub struct Word<'a> {
    /// As written.
    pub text: &'a str,
    /// Lower case.
    pub lower: String,
    /// Byte range in the prose text.
    pub range: Range<usize>,
    /// Inside quotation marks: a mention ("operator error" is never a root cause), not a use.
    pub quoted: bool,
}

impl Word<'_> {
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

const ABBREVIATIONS: [&str; 12] = [
    "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "approx", "incl", "no", "fig",
];

/// Splits prose into sentences and words.
pub fn sentences(text: &str) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'.' | b'!' | b'?') {
            let next = bytes.get(i + 1).copied();
            let ends = match next {
                None => true,
                Some(n) => n == b' ' || n == b'\n' || n == b'"' || n == b')',
            };
            let word_before = text[start..i]
                .rsplit(|c: char| !c.is_alphanumeric() && c != '.')
                .next()
                .unwrap_or("");
            let abbreviation =
                b == b'.' && ABBREVIATIONS.contains(&word_before.to_ascii_lowercase().as_str());
            let decimal = b == b'.' && next.is_some_and(|n| n.is_ascii_digit());
            if ends && !abbreviation && !decimal {
                push_sentence(text, start..i + 1, &mut out);
                start = i + 1;
            }
        }
        i += 1;
    }
    if start < text.len() {
        push_sentence(text, start..text.len(), &mut out);
    }
    out
}

fn push_sentence<'a>(text: &'a str, range: Range<usize>, out: &mut Vec<Sentence<'a>>) {
    let slice = &text[range.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let range = range.start + lead..range.end;
    if range.is_empty() {
        return;
    }
    let sentence_text = &text[range.clone()];
    let words = words(sentence_text, range.start);
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
fn words(text: &str, base: usize) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut chars = text.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if matches!(c, '"' | '\u{201c}' | '\u{201d}') {
            quoted = match c {
                '\u{201c}' => true,
                '\u{201d}' => false,
                _ => !quoted,
            };
            chars.next();
            continue;
        }
        if !(c.is_alphanumeric() || c == '@') {
            chars.next();
            continue;
        }
        // URLs are not words: skip to the next white space.
        let rest = &text[i..];
        if rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("www.") {
            while chars.peek().is_some_and(|&(_, d)| !d.is_whitespace()) {
                chars.next();
            }
            continue;
        }
        let start = i;
        let mut end = i;
        while let Some(&(j, d)) = chars.peek() {
            let inner = matches!(d, '\'' | '\u{2019}' | '-' | '.' | '/' | ':' | '@' | '_');
            if d.is_alphanumeric()
                || (inner
                    && text[j + d.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric))
                || (d == '@' && j == start)
            {
                end = j + d.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let raw = &text[start..end];
        if raw.contains("://")
            || raw.starts_with("www.")
            || raw.contains('/')
            || (raw.contains('@') && !raw.starts_with('@'))
            || raw.contains(':')
        {
            continue;
        }
        // "checkout." keeps a dot inside only between letters of a file name: "app.py".
        let word = raw.trim_end_matches('.');
        let lower = word.to_lowercase().replace('\u{2019}', "'");
        out.push(Word {
            text: word,
            lower,
            range: base + start..base + start + word.len(),
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
        let s = sentences(
            "Priya saved us. Who missed this step? See https://x.io/a, e.g. the v1.2 docs.",
        );
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
    fn quotes_mark_mentions() {
        let s = sentences("\u{201c}operator error\u{201d} is never a root cause");
        assert!(s[0].words[0].quoted && s[0].words[1].quoted && !s[0].words[2].quoted);
        assert_eq!(s[0].find("operator error"), None);
    }

    #[test]
    fn handles_and_emails() {
        let s = sentences("@stevekuznetsov pings ops@example.com about it");
        let words: Vec<&str> = s[0].words.iter().map(|w| w.text).collect();
        assert_eq!(words, ["@stevekuznetsov", "pings", "about", "it"]);
    }
}
