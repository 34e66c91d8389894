//! A set of lower-case phrases found where words start: the vocabulary matching behind
//! milestone inference and the linter's cues.
//!
//! Every phrase these callers look for starts at the start of a word, so the search does not
//! need to consider every byte as a start (as Aho-Corasick does): it walks a small trie from
//! each word start and stops as soon as no phrase continues. Most words leave the trie after
//! one or two bytes, and the whole table fits in a few kilobytes of cache.

/// Phrases compiled into a trie over byte classes.
#[derive(Debug, Clone)]
pub struct Phrases {
    /// The class of each byte; class 0 is a byte no phrase contains.
    class: [u8; 256],
    /// Which bytes make up words.
    word: [bool; 256],
    /// The number of classes, the width of a row of `next`.
    classes: usize,
    /// One row of `classes` slots per state; a state is known by where its row starts, so
    /// that a step of the walk is one addition, not a multiplication. `next[row + class]` is
    /// the row of the next state, or 0 for none (the root's row, 0, is never a target), with
    /// [`ENDS`] set when a phrase ends there: most states end none, and the flag saves a look
    /// at `ends` for every byte walked. Class 0 never has a transition, so its slot holds
    /// the state's word prefix instead: how many bytes of its path are word bytes before the
    /// first that is not, where the word the walk started in may end at the earliest, so
    /// that finding its end does not walk those bytes again.
    next: Vec<u32>,
    /// The phrases that end at each state (by row number), as a range of `ending`.
    ends: Vec<(u32, u32)>,
    /// Phrase indexes, grouped by the state they end at.
    ending: Vec<u32>,
}

/// The flag of a transition of [`Phrases::next`] to a state where phrases end.
const ENDS: u32 = 1 << 31;

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
        // Each state's depth, by state number.
        let mut depth: Vec<u32> = vec![0];
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
                    let prefix = next[state * classes];
                    let all_word = prefix == depth[state] && is_word(b);
                    depth.push(depth[state] + 1);
                    next[new * classes] = prefix + u32::from(all_word);
                }
                state = next[slot] as usize / classes;
            }
            ending_of[state].push(u32::try_from(index).unwrap_or(u32::MAX));
        }
        for state in 0..ending_of.len() {
            // Slot 0 of a row is the word prefix, not a transition.
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
        let is_word = |b: u8| self.word[usize::from(b)];
        let mut i = 0;
        while i < bytes.len() {
            if !is_word(bytes[i]) {
                i += 1;
                continue;
            }
            let start = i;
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
            // On to the end of this word, from the end of the word bytes just walked.
            i = start + (self.next[row] as usize).max(1);
            while i < bytes.len() && is_word(bytes[i]) {
                i += 1;
            }
        }
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
}
