//! The phrases the blame rules look for, grouped by what they signal, and one automaton that
//! finds all of them in one pass over a piece of prose.
//!
//! Phrases are lower case; a trailing `*` matches any word ending ("careless*" matches
//! "carelessly", "carelessness"). Phrases only match whole words. Rules decide what a match
//! means from the words around it (who the subject is, whether it is quoted, whether it is a
//! question): these lists say what to look at, not what to report.

use debrief_core::phrases::Phrases;
use std::sync::OnceLock;

/// What a phrase signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// Judgement of people or their work: "human error", "careless", "sloppy".
    Judgement,
    /// An adverb of judgement that needs a verb of thinking or acting after it:
    /// "wrongly assumed", "mistakenly thought", "incorrectly assessed".
    JudgingAdverb,
    /// A verb that reports what someone failed to do, whoever the subject: "forgot to",
    /// "neglected to", "overlooked", "misjudged".
    Lapse,
    /// "failed to", "did not", "didn't": blame when the subject is a person.
    Omission,
    /// A counterfactual: "should have", "could have been avoided", "if only".
    Counterfactual,
    /// "if we had", "had we": a counterfactual about our own actions.
    IfWeHad,
    /// Hindsight: "obviously", "clearly", "any engineer would have".
    Hindsight,
    /// Verbs of judging or believing, blame when a single person is the subject or agent:
    /// "the engineer thought", "deemed good enough by the developer".
    Belief,
    /// Inattention of people: "nobody was watching", "no one bothered".
    Inattention,
    /// Praise of a person: "saved", "heroic", "thanks to".
    Praise,
}

const PHRASES: &[(&str, Cue)] = &[
    ("human error", Cue::Judgement),
    ("human errors", Cue::Judgement),
    ("operator error", Cue::Judgement),
    ("user error", Cue::Judgement),
    ("pilot error", Cue::Judgement),
    ("careless*", Cue::Judgement),
    ("negligen*", Cue::Judgement),
    ("sloppy", Cue::Judgement),
    ("sloppiness", Cue::Judgement),
    ("lazy", Cue::Judgement),
    ("laziness", Cue::Judgement),
    ("lazily", Cue::Judgement),
    ("rookie mistake", Cue::Judgement),
    ("rookie error", Cue::Judgement),
    ("fat-finger*", Cue::Judgement),
    ("fat finger*", Cue::Judgement),
    ("incompeten*", Cue::Judgement),
    ("reckless*", Cue::Judgement),
    ("irresponsib*", Cue::Judgement),
    ("stupid*", Cue::Judgement),
    ("dumb", Cue::Judgement),
    ("foolish*", Cue::Judgement),
    ("clumsy", Cue::Judgement),
    ("inexperienced", Cue::Judgement),
    ("typo", Cue::Judgement),
    ("typos", Cue::Judgement),
    ("accidental", Cue::Judgement),
    ("accidentally", Cue::Judgement),
    ("inadvertent*", Cue::Judgement),
    ("blamed", Cue::Judgement),
    ("to blame", Cue::Judgement),
    ("blame on", Cue::Judgement),
    ("blame the", Cue::Judgement),
    ("his fault", Cue::Judgement),
    ("her fault", Cue::Judgement),
    ("their fault", Cue::Judgement),
    ("our fault", Cue::Judgement),
    ("my fault", Cue::Judgement),
    ("rushed", Cue::Judgement),
    ("in a hurry", Cue::Judgement),
    ("didn't bother", Cue::Judgement),
    // Judgements of conduct and of decisions, and idioms of a lapse.
    ("overzealous*", Cue::Judgement),
    ("overconfiden*", Cue::Judgement),
    ("complacen*", Cue::Judgement),
    ("dropped the ball", Cue::Judgement),
    ("drop the ball", Cue::Judgement),
    ("asleep at the wheel", Cue::Judgement),
    ("wrong call", Cue::Judgement),
    ("bad call", Cue::Judgement),
    ("poor call", Cue::Judgement),
    ("wrong decision", Cue::Judgement),
    ("bad decision", Cue::Judgement),
    ("poor decision", Cue::Judgement),
    ("poor judgement", Cue::Judgement),
    ("poor judgment", Cue::Judgement),
    ("lapse in judgement", Cue::Judgement),
    ("lapse in judgment", Cue::Judgement),
    ("error of judgement", Cue::Judgement),
    ("error in judgement", Cue::Judgement),
    ("by mistake", Cue::Judgement),
    ("did not bother", Cue::Judgement),
    ("wrongly", Cue::JudgingAdverb),
    ("mistakenly", Cue::JudgingAdverb),
    ("incorrectly", Cue::JudgingAdverb),
    ("erroneously", Cue::JudgingAdverb),
    ("naively", Cue::JudgingAdverb),
    ("blindly", Cue::JudgingAdverb),
    ("hastily", Cue::JudgingAdverb),
    ("forgot", Cue::Lapse),
    ("forgot to", Cue::Lapse),
    ("forgotten to", Cue::Lapse),
    ("neglected to", Cue::Lapse),
    ("neglected", Cue::Lapse),
    ("omitted to", Cue::Lapse),
    ("overlooked", Cue::Lapse),
    ("misjudged", Cue::Lapse),
    ("misjudge*", Cue::Lapse),
    ("misread", Cue::Lapse),
    ("misunderstood", Cue::Lapse),
    ("failed to notice", Cue::Lapse),
    ("failed to", Cue::Omission),
    ("fail to", Cue::Omission),
    ("failure to", Cue::Omission),
    ("did not", Cue::Omission),
    ("didn't", Cue::Omission),
    ("never", Cue::Omission),
    ("should have", Cue::Counterfactual),
    ("should've", Cue::Counterfactual),
    ("shouldn't have", Cue::Counterfactual),
    ("should not have", Cue::Counterfactual),
    ("could have been avoided", Cue::Counterfactual),
    ("could have been prevented", Cue::Counterfactual),
    ("could have been caught", Cue::Counterfactual),
    ("could have avoided", Cue::Counterfactual),
    ("could have prevented", Cue::Counterfactual),
    ("could have caught", Cue::Counterfactual),
    ("could have", Cue::Counterfactual),
    ("could've", Cue::Counterfactual),
    ("would have", Cue::Counterfactual),
    ("would've", Cue::Counterfactual),
    ("wouldn't have", Cue::Counterfactual),
    ("would not have", Cue::Counterfactual),
    ("ought to have", Cue::Counterfactual),
    ("if only", Cue::Counterfactual),
    ("if we had", Cue::IfWeHad),
    ("if i had", Cue::IfWeHad),
    ("if they had", Cue::IfWeHad),
    ("if he had", Cue::IfWeHad),
    ("if she had", Cue::IfWeHad),
    ("if someone had", Cue::IfWeHad),
    ("if anyone had", Cue::IfWeHad),
    ("had we", Cue::IfWeHad),
    ("had they", Cue::IfWeHad),
    ("had i", Cue::IfWeHad),
    ("obviously", Cue::Hindsight),
    ("clearly", Cue::Hindsight),
    ("simply", Cue::Hindsight),
    ("of course", Cue::Hindsight),
    ("it was obvious", Cue::Hindsight),
    ("was obvious", Cue::Hindsight),
    ("should have been obvious", Cue::Hindsight),
    ("any engineer would have", Cue::Hindsight),
    ("anyone would have", Cue::Hindsight),
    ("any reasonable", Cue::Hindsight),
    ("trivially", Cue::Hindsight),
    ("thought", Cue::Belief),
    ("believed", Cue::Belief),
    ("assumed", Cue::Belief),
    ("deemed", Cue::Belief),
    ("judged", Cue::Belief),
    ("decided", Cue::Belief),
    ("chose", Cue::Belief),
    ("felt", Cue::Belief),
    ("closely enough", Cue::Inattention),
    ("close eye", Cue::Inattention),
    ("careful enough", Cue::Inattention),
    ("close attention", Cue::Inattention),
    ("nobody was", Cue::Inattention),
    ("no one was", Cue::Inattention),
    ("no-one was", Cue::Inattention),
    ("nobody bothered", Cue::Inattention),
    ("no one bothered", Cue::Inattention),
    ("nobody cared", Cue::Inattention),
    ("nobody checked", Cue::Inattention),
    ("nobody paid attention", Cue::Inattention),
    ("not paying attention", Cue::Inattention),
    ("wasn't paying attention", Cue::Inattention),
    ("weren't paying attention", Cue::Inattention),
    ("saved", Cue::Praise),
    ("saves", Cue::Praise),
    ("rescued", Cue::Praise),
    ("heroic*", Cue::Praise),
    ("hero", Cue::Praise),
    ("thanks to", Cue::Praise),
    ("kudos", Cue::Praise),
    ("shout-out", Cue::Praise),
    ("great job", Cue::Praise),
    ("jumped in", Cue::Praise),
    ("stepped up", Cue::Praise),
];

/// A phrase found in a text.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    /// What it signals.
    pub cue: Cue,
    /// The phrase, as listed.
    pub phrase: &'static str,
    /// Byte range in the text.
    pub start: usize,
    /// End of the match.
    pub end: usize,
}

struct Automaton {
    phrases: Phrases,
    /// The index into `PHRASES` of each pattern: phrases with an apostrophe are also matched
    /// with a typographic one ("didn’t").
    phrase_of: Vec<usize>,
}

static AUTOMATON: OnceLock<Automaton> = OnceLock::new();

fn automaton() -> &'static Automaton {
    AUTOMATON.get_or_init(|| {
        let mut patterns: Vec<String> = Vec::new();
        let mut phrase_of = Vec::new();
        for (i, (phrase, _)) in PHRASES.iter().enumerate() {
            let pattern = phrase.trim_end_matches('*');
            patterns.push(pattern.to_string());
            phrase_of.push(i);
            if pattern.contains('\'') {
                patterns.push(pattern.replace('\'', "\u{2019}"));
                phrase_of.push(i);
            }
        }
        Automaton {
            phrases: Phrases::new(&patterns, is_word_byte),
            phrase_of,
        }
    })
}

/// Every phrase of the lexicon in `text`, at word boundaries, in order of position. The
/// phrases are lower case: pass text with its ASCII letters lowered.
pub fn hits(text: &str) -> Vec<Hit> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let automaton = automaton();
    automaton.phrases.find(text, |found| {
        let (phrase, cue) = PHRASES[automaton.phrase_of[found.phrase]];
        let mut end = found.end;
        if phrase.ends_with('*') {
            while end < bytes.len() && is_word_byte(bytes[end]) {
                end += 1;
            }
        }
        // "would" must not match inside "would've".
        if end == bytes.len() || (!is_word_byte(bytes[end]) && bytes[end] != b'\'') {
            out.push(Hit {
                cue,
                phrase,
                start: found.start,
                end,
            });
        }
    });
    out.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    out
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 || b == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_and_prefixes() {
        let found: Vec<&str> = hits("carelessly, we forgot to check; the typography was fine")
            .iter()
            .map(|h| h.phrase)
            .collect();
        assert_eq!(found, ["careless*", "forgot to", "forgot"]);
        assert!(hits("uncareful retyping").is_empty());
    }
}
