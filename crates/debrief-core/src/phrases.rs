//! A set of lower-case phrases found where words start: the vocabulary matching behind
//! milestone inference and the linter's cues.
//!
//! Every phrase these callers look for starts at the start of a word, so the search does not
//! need to consider every byte as a start (as Aho-Corasick does). Word starts are found 64
//! bytes at a time as a bit mask, with no branch per byte. A start is tried only if the
//! bytes that follow it begin some phrase: their first [`PREFIX`] bytes are looked
//! up in a bit set, a few independent loads. Only then is the trie walked, one dependent load
//! after another, until no phrase continues. Measured on the corpus's documents, lowered, the
//! lexicon of the linter: 4.4 ns a byte walking the trie from every word start, 2.7 with the
//! mask, 0.7 with the prefix set.

/// Phrases compiled into a trie over byte classes.
#[derive(Debug, Clone)]
pub struct Phrases {
    /// The class of each byte; class 0 is a byte no phrase contains.
    class: [u8; 256],
    /// Which bytes make up words.
    word: [bool; 256],
    /// How many bytes the prefix set looks at: [`PREFIX`], or fewer when a phrase
    /// is shorter.
    prefix_len: usize,
    /// One bit for each hash of the first `prefix_len` bytes of a phrase; a start whose bytes
    /// hash to a clear bit begins no phrase.
    prefixes: Box<[u64; PREFIX_WORDS]>,
    /// The number of classes, the width of a row of `next`.
    classes: usize,
    /// One row of `classes` slots per state; a state is known by where its row starts, so
    /// that a step of the walk is one addition, not a multiplication. `next[row + class]` is
    /// the row of the next state, or 0 for none (the root's row, 0, is never a target), with
    /// [`ENDS`] set when a phrase ends there: most states end none, and the flag saves a look
    /// at `ends` for every byte walked. Class 0 never has a transition.
    next: Vec<u32>,
    /// The phrases that end at each state (by row number), as a range of `ending`.
    ends: Vec<(u32, u32)>,
    /// Phrase indexes, grouped by the state they end at.
    ending: Vec<u32>,
}

/// The flag of a transition of [`Phrases::next`] to a state where phrases end.
const ENDS: u32 = 1 << 31;

/// The most bytes of a phrase the prefix set looks at.
const PREFIX: usize = 4;

/// The prefix set's size in bits is `1 << PREFIX_BITS`: 8 KiB, which stays in the L1 cache.
const PREFIX_BITS: u32 = 16;
const PREFIX_WORDS: usize = (1 << PREFIX_BITS) / 64;

/// The bit of the prefix set for `key`, the first bytes of a phrase or of a text at a word
/// start, little-endian: a multiplicative hash.
fn prefix_bit(key: u32) -> usize {
    (key.wrapping_mul(0x9e37_79b1) >> (32 - PREFIX_BITS)) as usize
}

/// A phrase found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Its index in the list the set was built from.
    pub phrase: usize,
    /// Byte offset where it starts.
    pub start: usize,
    /// Byte offset just after it.
    pub end: usize,
}

impl Phrases {
    /// Compiles a list of phrases. Equal phrases are all reported. `is_word` says which
    /// bytes make up words: a word starts at a word byte that does not follow one.
    pub fn new<S: AsRef<str>>(phrases: &[S], is_word: impl Fn(u8) -> bool) -> Phrases {
        let mut class = [0u8; 256];
        let mut classes = 1;
        for phrase in phrases {
            for &b in phrase.as_ref().as_bytes() {
                if class[usize::from(b)] == 0 {
                    class[usize::from(b)] = u8::try_from(classes).unwrap_or(u8::MAX);
                    classes += 1;
                }
            }
        }
        // One row per state; phrases share their common prefixes.
        let mut next = vec![0u32; classes];
        let mut ending_of: Vec<Vec<u32>> = vec![Vec::new()];
        let row = |state: usize| u32::try_from(state * classes).unwrap_or(u32::MAX);
        for (index, phrase) in phrases.iter().enumerate() {
            let mut state = 0usize;
            for &b in phrase.as_ref().as_bytes() {
                let slot = state * classes + usize::from(class[usize::from(b)]);
                if next[slot] == 0 {
                    let new = ending_of.len();
                    ending_of.push(Vec::new());
                    next.resize(next.len() + classes, 0);
                    next[slot] = row(new);
                }
                state = next[slot] as usize / classes;
            }
            ending_of[state].push(u32::try_from(index).unwrap_or(u32::MAX));
        }
        let prefix_len = phrases
            .iter()
            .map(|p| p.as_ref().len())
            .min()
            .unwrap_or(0)
            .min(PREFIX);
        let mut prefixes = Box::new([0u64; PREFIX_WORDS]);
        for phrase in phrases {
            let bit = prefix_bit(key(phrase.as_ref().as_bytes(), prefix_len));
            prefixes[bit / 64] |= 1 << (bit % 64);
        }
        for state in 0..ending_of.len() {
            // Slot 0 of a row is class 0's, never a transition.
            for target in &mut next[state * classes + 1..(state + 1) * classes] {
                if *target != 0 && !ending_of[*target as usize / classes].is_empty() {
                    *target |= ENDS;
                }
            }
        }
        let mut ends = Vec::with_capacity(ending_of.len());
        let mut ending = Vec::new();
        for list in ending_of {
            let from = ending.len() as u32;
            ending.extend(list);
            ends.push((from, ending.len() as u32));
        }
        Phrases {
            class,
            word: std::array::from_fn(|b| is_word(b as u8)),
            prefix_len,
            prefixes,
            classes,
            next,
            ends,
            ending,
        }
    }

    /// Every phrase that starts where a word starts, in order of position (and, at one
    /// position, shorter first). A phrase may end inside a word; callers that want whole
    /// words check the byte after [`Found::end`].
    pub fn find(&self, text: &str, mut found: impl FnMut(Found)) {
        let bytes = text.as_bytes();
        let mut previous_is_word = false;
        for (chunk_index, chunk) in bytes.chunks(64).enumerate() {
            let mut words = 0u64;
            for (j, &b) in chunk.iter().enumerate() {
                words |= u64::from(self.word[usize::from(b)]) << j;
            }
            let mut starts = words & !((words << 1) | u64::from(previous_is_word));
            previous_is_word = words >> (chunk.len() - 1) & 1 == 1;
            while starts != 0 {
                let start = chunk_index * 64 + starts.trailing_zeros() as usize;
                starts &= starts - 1;
                let bit = prefix_bit(key(&bytes[start..], self.prefix_len));
                if self.prefixes[bit / 64] & (1 << (bit % 64)) != 0 {
                    self.walk(bytes, start, &mut found);
                }
            }
        }
    }

    /// Reports the phrases that start at `start`.
    #[inline]
    fn walk(&self, bytes: &[u8], start: usize, found: &mut impl FnMut(Found)) {
        let mut row = 0usize;
        for (at, &b) in bytes[start..].iter().enumerate() {
            let class = usize::from(self.class[usize::from(b)]);
            if class == 0 {
                break;
            }
            let target = self.next[row + class];
            if target == 0 {
                break;
            }
            row = (target & !ENDS) as usize;
            if target & ENDS != 0 {
                let (from, to) = self.ends[row / self.classes];
                for &phrase in &self.ending[from as usize..to as usize] {
                    found(Found {
                        phrase: phrase as usize,
                        start,
                        end: start + at + 1,
                    });
                }
            }
        }
    }
}

/// The first `len` bytes of `bytes` (at most four), little-endian, zero past its end: no
/// phrase is cut short by the end of a text, since a phrase that does not fit is not there.
#[inline]
fn key(bytes: &[u8], len: usize) -> u32 {
    match bytes.get(..4) {
        Some(&[a, b, c, d]) if len == 4 => u32::from_le_bytes([a, b, c, d]),
        _ => bytes
            .iter()
            .take(len)
            .enumerate()
            .fold(0, |key, (i, &b)| key | u32::from(b) << (8 * i)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(phrases: &Phrases, text: &str) -> Vec<(usize, &'static str)> {
        let mut out = Vec::new();
        let names = ["did not", "did", "not", "alert", "alerts", "x-ray"];
        phrases.find(text, |f| {
            assert_eq!(&text[f.start..f.end], names[f.phrase]);
            out.push((f.start, names[f.phrase]));
        });
        out
    }

    #[test]
    fn finds_every_phrase_at_word_starts_only() {
        let phrases = Phrases::new(
            &["did not", "did", "not", "alert", "alerts", "x-ray"],
            |b: u8| b.is_ascii_alphanumeric(),
        );
        assert_eq!(
            all(&phrases, "we did not see alerts; knot x-ray"),
            vec![
                (3, "did"),
                (3, "did not"),
                (7, "not"),
                (15, "alert"),
                (15, "alerts"),
                (28, "x-ray"),
            ]
        );
        assert_eq!(all(&phrases, ""), vec![]);
        assert_eq!(all(&phrases, "candid note"), vec![(7, "not")]);
    }

    #[test]
    fn non_ascii_text_is_walked_safely() {
        let phrases = Phrases::new(&["didn\u{2019}t"], |b: u8| {
            b.is_ascii_alphanumeric() || b >= 0x80
        });
        let mut found = Vec::new();
        phrases.find("they didn\u{2019}t \u{1F600} did", |f| {
            found.push((f.start, f.end))
        });
        assert_eq!(found, vec![(5, 13)]);
    }

    /// Every phrase at every word start, the slow way.
    fn naive(phrases: &[&str], is_word: fn(u8) -> bool, text: &str) -> Vec<(usize, usize)> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        for start in 0..bytes.len() {
            if !is_word(bytes[start]) || (start > 0 && is_word(bytes[start - 1])) {
                continue;
            }
            for (i, phrase) in phrases.iter().enumerate() {
                if bytes[start..].starts_with(phrase.as_bytes()) {
                    out.push((start, i));
                }
            }
        }
        out.sort_by_key(|&(start, i)| (start, phrases[i].len(), i));
        out
    }

    #[test]
    fn agrees_with_a_naive_search_on_generated_text() {
        fn word(b: u8) -> bool {
            b.is_ascii_alphanumeric()
        }
        // Phrases shorter than the prefix set's key, equal ones, and ones across words.
        let sets: [&[&str]; 3] = [
            &["a", "ab", "b a", "x-y", "abab", "ab"],
            &["ba", "aab", "y x", "bbbbbbbb"],
            &["abba", "yyyy", "a-b-a", "xxxxx"],
        ];
        let alphabet = b"ab xy-";
        let mut state = 0x2545_f491_u64;
        for phrases in sets {
            let compiled = Phrases::new(phrases, word);
            for len in [0, 1, 3, 63, 64, 65, 130, 500] {
                for _ in 0..40 {
                    let text: String = (0..len)
                        .map(|_| {
                            state ^= state << 13;
                            state ^= state >> 7;
                            state ^= state << 17;
                            alphabet[(state % alphabet.len() as u64) as usize] as char
                        })
                        .collect();
                    let mut found = Vec::new();
                    compiled.find(&text, |f| {
                        assert_eq!(&text[f.start..f.end], phrases[f.phrase]);
                        found.push((f.start, f.phrase));
                    });
                    found.sort_by_key(|&(start, i)| (start, phrases[i].len(), i));
                    assert_eq!(found, naive(phrases, word, &text), "in {text:?}");
                }
            }
        }
    }
}
