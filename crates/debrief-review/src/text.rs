//! Words for the review: lower-cased, without stop words, stemmed with the Snowball English
//! stemmer, each kept with the word as written so that what decided something can be shown
//! as people wrote it.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::OnceLock;

/// A word of the text: its stem and how it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    /// The Snowball stem of the lower-cased word, shared by every occurrence.
    pub stem: Rc<str>,
    /// The word as written.
    pub written: &'a str,
}

/// The content words of `text`: letters and digits (with inner `-` and `'`), at least two
/// characters, not a stop word, not a number other than three digits, not inside code spans
/// or link targets.
pub fn words(text: &str) -> Vec<Word<'_>> {
    let stop = stop_words();
    let mut out = Vec::new();
    let mut lower = String::new();
    for written in split(text) {
        // Numbers say little, except three-digit ones: HTTP statuses ("503") name failures.
        let number = written.chars().all(|c| c.is_ascii_digit());
        if written.len() < 2 || (number && written.len() != 3) {
            continue;
        }
        lowercase(written, &mut lower);
        // One lookup per word: the cache knows stop words too (as `None`).
        let stem = STEMS.with_borrow_mut(|stems| {
            if let Some(stem) = stems.get(lower.as_str()) {
                return stem.clone();
            }
            let stem: Option<Rc<str>> = (!stop.contains(lower.as_str()))
                .then(|| Rc::from(debrief_core::stem::stem(&lower).as_ref()));
            if stems.len() >= MAX_REMEMBERED {
                stems.clear();
            }
            stems.insert(lower.clone(), stem.clone());
            stem
        });
        if let Some(stem) = stem {
            out.push(Word { stem, written });
        }
    }
    out
}

/// Words stemmed before (`None`: a stop word), per thread: an organisation's postmortems use a few tens of
/// thousands of words over and over, and stemming is most of the cost of reading them.
const MAX_REMEMBERED: usize = 200_000;

thread_local! {
    static STEMS: RefCell<HashMap<String, Option<Rc<str>>>> = RefCell::new(HashMap::new());
}

/// Lower-cases `word` into `out`: byte-wise for ASCII, the common case.
pub fn lowercase(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// Splits prose into word candidates, skipping `code` and the targets of `[links](...)`.
fn split(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find(|c: char| c.is_alphanumeric() || c == '`' || c == '(')?;
            let after = &rest[start..];
            if let Some(code) = after.strip_prefix('`') {
                // A code span is not prose: skip to its end.
                rest = code.find('`').map_or("", |end| &code[end + 1..]);
                continue;
            }
            if let Some(target) = after.strip_prefix('(') {
                // "](https://...)": a link target is not prose either.
                if rest[..start].ends_with(']') {
                    rest = target.find(')').map_or("", |end| &target[end + 1..]);
                } else {
                    rest = target;
                }
                continue;
            }
            let len = after
                .char_indices()
                .find(|&(i, c)| {
                    !(c.is_alphanumeric()
                        || ((c == '-' || c == '\'')
                            && after[i + 1..].starts_with(char::is_alphanumeric)))
                })
                .map_or(after.len(), |(i, _)| i);
            rest = &after[len..];
            let word = after[..len].trim_end_matches("'s");
            return Some(word);
        }
    })
}

/// English function words and the words every postmortem uses, which say nothing about a
/// cause ("incident", "issue", "team").
fn stop_words() -> &'static HashSet<&'static str> {
    static STOP: OnceLock<HashSet<&'static str>> = OnceLock::new();
    STOP.get_or_init(|| {
        [
            "a",
            "about",
            "after",
            "again",
            "all",
            "also",
            "an",
            "and",
            "any",
            "are",
            "as",
            "at",
            "be",
            "been",
            "before",
            "being",
            "between",
            "both",
            "but",
            "by",
            "can",
            "could",
            "did",
            "do",
            "does",
            "done",
            "due",
            "during",
            "each",
            "even",
            "for",
            "from",
            "had",
            "has",
            "have",
            "having",
            "he",
            "her",
            "here",
            "his",
            "how",
            "however",
            "if",
            "in",
            "into",
            "is",
            "it",
            "its",
            "itself",
            "just",
            "let",
            "made",
            "make",
            "may",
            "more",
            "most",
            "much",
            "must",
            "no",
            "nor",
            "not",
            "now",
            "of",
            "off",
            "on",
            "once",
            "one",
            "only",
            "or",
            "other",
            "our",
            "ours",
            "out",
            "over",
            "own",
            "same",
            "she",
            "should",
            "since",
            "so",
            "some",
            "such",
            "than",
            "that",
            "the",
            "their",
            "them",
            "then",
            "there",
            "these",
            "they",
            "this",
            "those",
            "through",
            "to",
            "too",
            "two",
            "under",
            "until",
            "up",
            "us",
            "very",
            "was",
            "we",
            "were",
            "what",
            "when",
            "where",
            "which",
            "while",
            "who",
            "why",
            "will",
            "with",
            "within",
            "without",
            "would",
            "you",
            "your",
            "able",
            "already",
            "because",
            "caused",
            "causing",
            "cause",
            "causes",
            "etc",
            "got",
            "incident",
            "incidents",
            "issue",
            "issues",
            "problem",
            "problems",
            "team",
            "teams",
            "time",
            "lead",
            "led",
            "leading",
            "resulted",
            "result",
            "resulting",
            "order",
            "well",
            "way",
            "lack",
            "lot",
            "new",
            "old",
            "still",
            "yet",
            "therefore",
            "which",
            "postmortem",
            "post-mortem",
            "ie",
            "eg",
            "e.g",
            "i.e",
            "get",
            "gets",
            "getting",
        ]
        .into_iter()
        .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_stemmed_and_keep_their_spelling() {
        let got: Vec<(String, &str)> = words(
            "The load balancers were unable to scale; see [the docs](https://x.example/a) and `kubectl get`.",
        )
        .into_iter()
        .map(|w| (w.stem.to_string(), w.written))
        .collect();
        assert_eq!(
            got,
            [
                ("load".to_string(), "load"),
                ("balanc".to_string(), "balancers"),
                ("unabl".to_string(), "unable"),
                ("scale".to_string(), "scale"),
                ("see".to_string(), "see"),
                ("doc".to_string(), "docs"),
            ]
        );
    }
}
