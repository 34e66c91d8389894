//! The blame rules: named individuals, blame and judgement, counterfactuals about people,
//! who-questions, hindsight. They read one sentence at a time: the phrases the lexicon finds,
//! and the grammar around them (who the subject is, whether the phrase is quoted, negated or
//! asked).

use crate::lexicon::{Cue, Hit};
use crate::names::{self, Name, Source};
use crate::words::{Sentence, Word};
use crate::{Ctx, Raw};
use debrief_core::RuleId;

/// Checks one sentence. `hits` are the lexicon's matches inside it (offsets in the prose).
pub(crate) fn check(
    sentence: &Sentence<'_>,
    hits: &[Hit],
    ctx: &Ctx<'_>,
    people_allowed: bool,
    heading: bool,
    out: &mut Vec<Raw>,
) {
    // Headings are Title Case: a capital there says nothing about names.
    let names = names::find(
        sentence,
        &ctx.config.roster,
        &ctx.config.allowed_words,
        !heading,
    );
    // "/assign @nova", "/cc @sre": commands to a bot, not narrative.
    if slash_command(sentence) {
        return;
    }
    let praise = hits.iter().any(|h| h.cue == Cue::Praise);
    if !people_allowed {
        for name in names
            .iter()
            .filter(|n| !owner_field(sentence, n.from) && !credit(sentence, n))
        {
            out.push(named(sentence, name, praise));
        }
    }
    if who_question(sentence, &names, out) {
        return;
    }
    let mut reported_until = 0;
    for hit in hits {
        if hit.start < reported_until {
            continue;
        }
        let Some(at) = word_at(sentence, hit.start) else {
            continue;
        };
        if sentence.words[at].quoted {
            continue;
        }
        let end_word = word_at(sentence, hit.end.saturating_sub(1)).unwrap_or(at) + 1;
        let finding = match hit.cue {
            Cue::Judgement
                if !negated(sentence, at, end_word)
                    && !describes_a_process(sentence, hit, at, &names) =>
            {
                Some((RuleId::BlameLanguage, judgement_message(hit.phrase)))
            }
            Cue::JudgingAdverb if judging(sentence, hit.phrase, end_word) => Some((
                RuleId::BlameLanguage,
                format!(
                    "\"{}\" judges a decision with hindsight",
                    sentence.words[at].text
                ),
            )),
            Cue::Lapse if hit.phrase.ends_with(" to") || hit.phrase == "failed to notice" => {
                Some((
                    RuleId::Counterfactual,
                    format!(
                        "\"{}\" describes what people did not do, not what happened",
                        span_text(sentence, at, end_word)
                    ),
                ))
            }
            Cue::Lapse => Some((
                RuleId::BlameLanguage,
                format!("\"{}\" judges a person's work", sentence.words[at].text),
            )),
            Cue::Omission
                if (person_subject(sentence, at, &names) || owned_failure(sentence, hit, at))
                    && omission_of_action(sentence, hit.phrase, end_word) =>
            {
                Some((
                    RuleId::Counterfactual,
                    format!(
                        "\"{}\" measures people against what they did not do",
                        span_text(sentence, at, end_word)
                    ),
                ))
            }
            Cue::Counterfactual
                if !heading
                    && past_counterfactual(sentence, hit.phrase, end_word)
                    && !speculative_impact(sentence, end_word)
                    && about_people(sentence, hit.phrase, at, end_word, &names) =>
            {
                Some((
                    RuleId::Counterfactual,
                    format!(
                        "\"{}\" describes a past that did not happen",
                        span_text(sentence, at, end_word)
                    ),
                ))
            }
            Cue::IfWeHad => Some((
                RuleId::Counterfactual,
                format!(
                    "\"{}\" describes a past that did not happen",
                    span_text(sentence, at, end_word)
                ),
            )),
            Cue::Hindsight if !heading && hindsight(sentence, hit.phrase, at, end_word) => Some((
                RuleId::Hindsight,
                format!(
                    "\"{}\" is hindsight: it was not obvious at the time",
                    span_text(sentence, at, end_word)
                ),
            )),
            Cue::Belief if individual_belief(sentence, at, end_word, &names) => Some((
                RuleId::BlameLanguage,
                format!(
                    "\"{}\" makes one person's judgement the cause",
                    span_text(sentence, at, end_word)
                ),
            )),
            Cue::Inattention if inattention(sentence, hit.phrase, at, end_word, &names) => Some((
                RuleId::BlameLanguage,
                "this blames people's attention; what would have drawn it?".to_string(),
            )),
            _ => None,
        };
        if let Some((rule, message)) = finding {
            let suggestion = suggestion(rule);
            out.push(Raw {
                rule,
                range: sentence.span(at, end_word),
                message,
                suggestion,
                fix: None,
            });
            reported_until = hit.end;
        }
    }
}

/// "Owner: @lucasheriques", "Created By: Benjamin Elder" are fields wherever they are
/// written, not narrative.
fn owner_field(sentence: &Sentence<'_>, at: usize) -> bool {
    at.checked_sub(1).is_some_and(|label| {
        matches!(
            sentence.words[label].lower,
            "owner"
                | "owners"
                | "assignee"
                | "dri"
                | "author"
                | "authors"
                | "facilitator"
                | "scribe"
                | "by"
                | "editor"
                | "editors"
                | "reviewer"
                | "reviewers"
        ) && sentence.break_after(label)
    })
}

/// A name credited, not judged: a byline ("Written by Priya Raman", "By Jane Doe") and the
/// reporter of a problem ("reported by Jonas Keller", "We thank Marta Silva for responsibly
/// disclosing the issue"). Reports and disclosures come from outside the response.
fn credit(sentence: &Sentence<'_>, name: &Name) -> bool {
    let word = |i: usize| sentence.words.get(i).map_or("", |w| w.lower);
    let before = |k: usize| name.from.checked_sub(k).map_or("", word);
    if before(1) == "by" {
        let verb = before(2);
        let byline = matches!(
            verb,
            "written"
                | "created"
                | "authored"
                | "posted"
                | "prepared"
                | "edited"
                | "drafted"
                | "compiled"
        ) || name.from == 1;
        let report = ["report", "disclos", "discover", "found"]
            .iter()
            .any(|p| verb.starts_with(p) || before(3).starts_with(p));
        return byline || report;
    }
    // "thank X for (responsibly) disclosing / reporting".
    matches!(before(1), "thank" | "thanks") && {
        let after = &sentence.words[name.to.min(sentence.words.len())..];
        after.first().is_some_and(|w| w.lower == "for")
            && after.iter().take(4).any(|w| {
                ["report", "disclos", "discover"]
                    .iter()
                    .any(|p| w.lower.starts_with(p))
            })
    }
}

/// A line that is a command to a bot: `/assign @nova`, `/cc @sre`.
fn slash_command(sentence: &Sentence<'_>) -> bool {
    let text = sentence.text.trim_start();
    text.strip_prefix('/')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_lowercase()))
}

fn named(sentence: &Sentence<'_>, name: &Name, praise: bool) -> Raw {
    let text = span_text(sentence, name.from, name.to);
    let message = if praise {
        format!(
            "names {text} in praise; naming one person implies another would not have done the same"
        )
    } else {
        format!("names {text}; a postmortem describes roles and systems, not people")
    };
    let role = name.role.clone();
    let suggestion = match &role {
        Some(role) => format!("write \"{role}\""),
        None => {
            "write the role instead, such as \"the on-call engineer\" or \"the deploying team\""
                .to_string()
        }
    };
    let range = sentence.span(name.from, name.to);
    // "Great job Priya!" addresses a person: "Great job the database engineer!" is no
    // sentence, so no rewrite is offered there.
    let addressed = name.from.checked_sub(1).is_some_and(|i| {
        matches!(
            sentence.words[i].lower,
            "job"
                | "thanks"
                | "thank"
                | "kudos"
                | "congrats"
                | "congratulations"
                | "props"
                | "cheers"
                | "hi"
                | "hey"
                | "dear"
                | "cc"
        )
    });
    let fix = match (&role, name.source) {
        (Some(role), Source::Roster) if !addressed => {
            let possessive = sentence.words[name.to - 1].text.ends_with("'s");
            let mut replacement = if name.from == 0 {
                debrief_core::capitalised(role)
            } else {
                role.clone()
            };
            if possessive {
                replacement.push_str("'s");
            }
            Some((range.clone(), replacement))
        }
        _ => None,
    };
    Raw {
        rule: RuleId::NamedIndividual,
        range,
        message,
        suggestion: Some(suggestion),
        fix,
    }
}

/// "Who missed this step?" and "Why did Sam deploy on Friday?".
fn who_question(sentence: &Sentence<'_>, names: &[Name], out: &mut Vec<Raw>) -> bool {
    if !sentence.is_question() {
        return false;
    }
    let words = &sentence.words;
    let first = words.first().map(|w| w.lower);
    // "Who missed this step?" asks for a culprit; "Who was the incident commander?" asks for
    // a role.
    let second = words.get(1).map_or("", |w| w.lower);
    let asks_for_actor = !matches!(
        second,
        "is" | "was"
            | "are"
            | "were"
            | "will"
            | "else"
            | "can"
            | "should"
            | "would"
            | "to"
            | "owns"
            | "has"
            | "had"
            | "needs"
            | "does"
    );
    // "Who responded to the incident?" asks who took part; "Who approved the deploy?" and
    // "Whose change broke the build?" ask for a culprit.
    let participation = matches!(
        second,
        "responded"
            | "joined"
            | "helped"
            | "handled"
            | "led"
            | "coordinated"
            | "participated"
            | "attended"
            | "investigated"
            | "worked"
            | "contributed"
            | "responds"
            | "joins"
    );
    if first == Some("whose") {
        out.push(Raw {
            rule: RuleId::WhoQuestion,
            range: sentence.range.clone(),
            message: "asks whose; ask what in the system allowed it".to_string(),
            suggestion: Some(
                "ask \"Which change led to this, and what let it through?\"".to_string(),
            ),
            fix: None,
        });
        return true;
    }
    if matches!(first, Some("who")) && asks_for_actor && !participation {
        let rewrite = how_question(words);
        out.push(Raw {
            rule: RuleId::WhoQuestion,
            range: sentence.range.clone(),
            message: "asks who; ask how the system allowed it".to_string(),
            suggestion: Some(rewrite.clone().map_or_else(
                || "ask how: \"How was this missed?\", \"What allowed this?\"".to_string(),
                |r| format!("\"{r}\""),
            )),
            fix: rewrite.map(|r| (sentence.range.clone(), r)),
        });
        return true;
    }
    // "Why did Sam deploy ...?", "Why didn't the engineer check ...?"
    if first == Some("why")
        && let Some(aux) = words.get(1)
        && matches!(
            aux.lower,
            "did" | "didn't" | "would" | "wouldn't" | "was" | "were" | "had" | "hadn't"
        )
    {
        let subject_is_person = words
            .get(2)
            .is_some_and(|w| PERSON_WORDS.contains(&w.lower) || INDIVIDUALS.contains(&w.lower))
            || names
                .iter()
                .any(|n| n.from == 2 || (n.from == 3 && words[2].lower == "the"))
            || (words.get(2).is_some_and(|w| w.lower == "the")
                && words.get(3).is_some_and(|w| ROLE_NOUNS.contains(&w.lower)));
        if subject_is_person {
            out.push(Raw {
                rule: RuleId::WhoQuestion,
                range: sentence.range.clone(),
                message: "asks why a person acted; ask what in the system allowed it".to_string(),
                suggestion: Some(
                    "ask \"What made this possible?\" or \"Why did the system allow this?\""
                        .to_string(),
                ),
                fix: None,
            });
            return true;
        }
    }
    false
}

/// "Who missed this step?" → "How was this step missed?" for a past-tense verb and an object.
fn how_question(words: &[Word<'_>]) -> Option<String> {
    let verb = words.get(1)?;
    let participle = participle(verb.lower)?;
    let object: Vec<&str> = words[2..].iter().map(|w| w.text).collect();
    if object.is_empty() || object.len() > 8 {
        return None;
    }
    let head = object.last()?.to_lowercase();
    let plural = head.ends_with('s') && !head.ends_with("ss")
        || matches!(object[0].to_lowercase().as_str(), "these" | "those");
    let object = object.join(" ");
    Some(format!(
        "How {} {object} {participle}?",
        if plural { "were" } else { "was" }
    ))
}

/// The past participle of a past-tense verb.
fn participle(past: &str) -> Option<String> {
    const IRREGULAR: [(&str, &str); 18] = [
        ("broke", "broken"),
        ("wrote", "written"),
        ("forgot", "forgotten"),
        ("took", "taken"),
        ("gave", "given"),
        ("saw", "seen"),
        ("did", "done"),
        ("chose", "chosen"),
        ("ran", "run"),
        ("made", "made"),
        ("let", "let"),
        ("set", "set"),
        ("put", "put"),
        ("sent", "sent"),
        ("built", "built"),
        ("left", "left"),
        ("approved", "approved"),
        ("merged", "merged"),
    ];
    if let Some((_, p)) = IRREGULAR.iter().find(|(v, _)| *v == past) {
        return Some((*p).to_string());
    }
    (past.ends_with("ed") && past.len() > 3).then(|| past.to_string())
}

fn judgement_message(phrase: &str) -> String {
    let phrase = phrase.trim_end_matches('*');
    format!("\"{phrase}\" judges people instead of describing what made the action possible")
}

fn suggestion(rule: RuleId) -> Option<String> {
    Some(
        match rule {
            RuleId::BlameLanguage => {
                "describe what happened and what in the system made it possible"
            }
            RuleId::Counterfactual => "describe what did happen and why it made sense at the time",
            RuleId::Hindsight => "describe what the responders could see at the time",
            _ => return None,
        }
        .to_string(),
    )
}

/// "not careless", "without blame", "operator error is never a root cause": a judgement
/// denied is not one.
fn negated(sentence: &Sentence<'_>, from: usize, to: usize) -> bool {
    let word = |i: usize| sentence.words.get(i).map_or("", |w| w.lower);
    let denial = |w: &str| {
        matches!(
            w,
            "no" | "not"
                | "never"
                | "without"
                | "nor"
                | "isn't"
                | "wasn't"
                | "aren't"
                | "weren't"
                | "isn\u{2019}t"
                | "wasn\u{2019}t"
                | "aren\u{2019}t"
                | "weren\u{2019}t"
        )
    };
    let before = (from.saturating_sub(2)..from).any(|i| denial(word(i)));
    let copula = matches!(word(to), "is" | "was" | "are" | "were");
    let after = denial(word(to)) || (copula && denial(word(to + 1)));
    before || after
}

/// "wrongly assumed", "incorrectly assessed": an adverb of judgement on a verb of deciding.
fn judging(sentence: &Sentence<'_>, adverb: &str, after: usize) -> bool {
    if adverb != "incorrectly" {
        return true;
    }
    sentence
        .words
        .get(after)
        .is_some_and(|w| COGNITIVE.contains(&w.lower))
}

const COGNITIVE: &[&str] = &[
    "assumed",
    "assessed",
    "judged",
    "thought",
    "believed",
    "concluded",
    "estimated",
    "decided",
    "interpreted",
    "understood",
    "identified",
    "diagnosed",
    "predicted",
    "dismissed",
    "classified",
    "triaged",
];

/// Inattention phrases that measure people's care: blame only when denied of people.
const DEGREE_OF_CARE: &[&str] = &[
    "closely enough",
    "close eye",
    "careful enough",
    "close attention",
];

/// Pronouns and words that stand for people.
const PERSON_WORDS: &[&str] = &[
    "we",
    "i",
    "he",
    "she",
    "they",
    "you",
    "someone",
    "somebody",
    "nobody",
    "everyone",
    "everybody",
    "anyone",
    "us",
    "engineers",
    "developers",
    "operators",
    "people",
    "staff",
    "humans",
    "reviewers",
    "responders",
];
/// Single people: judging them is blame even when they "thought" or "decided".
const INDIVIDUALS: &[&str] = &["he", "she"];
/// Role nouns that, after "the", stand for one person.
const ROLE_NOUNS: &[&str] = &[
    "engineer",
    "developer",
    "operator",
    "reviewer",
    "author",
    "admin",
    "administrator",
    "intern",
    "contractor",
    "on-call",
    "oncall",
    "sre",
    "dba",
    "person",
    "user",
    "committer",
    "maintainer",
    "releaser",
    "deployer",
    "employee",
];
/// The work of people: "the initial analysis failed to predict" is about people.
const HUMAN_WORK: &[&str] = &[
    "analysis",
    "review",
    "assessment",
    "investigation",
    "planning",
    "plan",
    "estimate",
    "decision",
    "judgement",
    "judgment",
    "communication",
    "team",
    "teams",
];

/// Words that end a clause when reading back from a verb to its subject.
const CLAUSE_BREAKS: &[&str] = &[
    "that", "which", "who", "because", "so", "but", "and", "while", "when", "if", "since",
    "although", "as", "where",
];

/// Whether the subject of the verb at word `at` is a person or people's work.
fn person_subject(sentence: &Sentence<'_>, at: usize, names: &[Name]) -> bool {
    let words = &sentence.words;
    let start = at.saturating_sub(12);
    for i in (start..at).rev() {
        let w = words[i].lower;
        if CLAUSE_BREAKS.contains(&w) || sentence.break_after(i) {
            return false;
        }
        if PERSON_WORDS.contains(&w)
            || ROLE_NOUNS.contains(&w)
            || HUMAN_WORK.contains(&w)
            || names.iter().any(|n| (n.from..n.to).contains(&i))
        {
            return true;
        }
    }
    false
}

/// "did not have", "didn't know" state a gap, not an omission; "did not request" is one.
fn omission_of_action(sentence: &Sentence<'_>, phrase: &str, after: usize) -> bool {
    let mut k = after;
    // "did not explicitly request": skip adverbs.
    while sentence
        .words
        .get(k)
        .is_some_and(|w| w.lower.ends_with("ly"))
    {
        k += 1;
    }
    let Some(verb) = sentence.words.get(k) else {
        return false;
    };
    let verb = verb.lower;
    const STATES: &[&str] = &[
        "have",
        "has",
        "had",
        "know",
        "knew",
        "realise",
        "realize",
        "expect",
        "see",
        "receive",
        "received",
        "get",
        "hear",
        "exist",
        "happen",
        "work",
        "apply",
        "matter",
        "need",
        "seem",
        "appear",
        "show",
        "include",
        "contain",
        "reach",
        "return",
        "fire",
        "trigger",
        "alert",
        "occur",
        "affect",
        "impact",
        "cause",
        "change",
        "scale",
        "start",
        "stop",
        "run",
        "respond",
        "load",
        "be",
        "been",
        "become",
        "want",
        // Experiences, not duties: "we never encountered an outage".
        "encounter",
        "encountered",
        "experience",
        "experienced",
        "saw",
        "lost",
        "needed",
        "got",
        "heard",
        "suffered",
        "faced",
        // ... and their base forms after "did not": "we did not receive alerts", "we
        // didn't learn much".
        "see",
        "get",
        "hear",
        "receive",
        "received",
        "learn",
        "learned",
        "lose",
        "need",
        "suffer",
        "face",
    ];
    if STATES.contains(&verb) {
        return false;
    }
    match phrase {
        "never" => {
            verb.ends_with("ed") || matches!(verb, "checked" | "tested" | "ran" | "read" | "wrote")
        }
        _ => verb.chars().all(|c| c.is_alphabetic()),
    }
}

/// "should have been caught", "could have avoided": a past that did not happen. Not "each
/// repository should have clear rules" or "we should have alerting", which say what ought to
/// exist from now on.
fn past_counterfactual(sentence: &Sentence<'_>, phrase: &str, after: usize) -> bool {
    if !(phrase.ends_with("have") || phrase.ends_with("'ve")) {
        return true;
    }
    let mut k = after;
    while sentence
        .words
        .get(k)
        .is_some_and(|w| w.lower.ends_with("ly") || w.lower == "not" || w.lower == "also")
    {
        k += 1;
    }
    let Some(next) = sentence.words.get(k).map(|w| w.lower) else {
        return false;
    };
    const IRREGULAR: &[&str] = &[
        "been",
        "done",
        "made",
        "gone",
        "seen",
        "taken",
        "known",
        "caught",
        "run",
        "put",
        "set",
        "let",
        "hit",
        "cut",
        "built",
        "sent",
        "spent",
        "found",
        "had",
        "told",
        "thought",
        "brought",
        "kept",
        "left",
        "lost",
        "meant",
        "paid",
        "said",
        "stood",
        "understood",
        "won",
        "written",
        "begun",
        "chosen",
        "driven",
        "fallen",
        "forgotten",
        "given",
        "hidden",
        "spoken",
        "stolen",
        "broken",
        "frozen",
        "shown",
        "grown",
        "drawn",
        "read",
        "led",
        "lead",
        "got",
        "gotten",
    ];
    IRREGULAR.contains(&next) || (next.ends_with("ed") && next.len() > 3)
}

/// "our failure to finish the follow-up work": a failure owned by people.
fn owned_failure(sentence: &Sentence<'_>, hit: &Hit, at: usize) -> bool {
    hit.phrase == "failure to"
        && at
            .checked_sub(1)
            .is_some_and(|i| POSSESSIVE_PEOPLE.contains(&sentence.words[i].lower))
}

/// "The chart was accidentally moved back": an adverb of unintended action ("by mistake"
/// too) whose subject is not a person describes a process, not a lapse.
fn describes_a_process(sentence: &Sentence<'_>, hit: &Hit, at: usize, names: &[Name]) -> bool {
    // "She deleted it by mistake" blames; "the config was deleted by mistake" says only
    // that it was not meant.
    let unintended = (UNINTENDED.contains(&hit.phrase) && sentence.words[at].lower.ends_with("ly"))
        || hit.phrase == "by mistake";
    unintended && subject(sentence, at, names) != Subject::People
}

/// Words of unintended action. The adjective judges an act ("an accidental execution of a
/// command"); the adverb blames the person who acted ("she accidentally deleted it") but only
/// describes a process ("the chart was accidentally moved back").
const UNINTENDED: &[&str] = &["accidental", "accidentally", "inadvertent*"];

/// Auxiliaries and modals that open a verb phrase.
const AUXILIARIES: &[&str] = &[
    "did", "didn't", "do", "does", "was", "were", "is", "are", "had", "has", "have", "could",
    "would", "should", "will", "can", "never", "then", "also",
];

/// Possessives that make people the owner of what follows.
const POSSESSIVE_PEOPLE: &[&str] = &["our", "my", "his", "her", "their", "your"];

/// What stands as the subject of a verb: read back from it to the start of its clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    /// People, a person, or their work.
    People,
    /// Something else: "this", "the test suite", "a canary".
    Thing,
    /// Nothing in the clause: a relative clause ("a problem that could have been solved"),
    /// or a clause after "but".
    Unstated,
}

fn subject(sentence: &Sentence<'_>, at: usize, names: &[Name]) -> Subject {
    let words = &sentence.words;
    let mut seen = false;
    let mut people = false;
    let mut joined = None;
    let mut antecedent: Option<usize> = None;
    for i in (at.saturating_sub(12)..at).rev() {
        let w = words[i].lower;
        // "Flags that relied on person properties would have had delays", "a problem that
        // could have been solved", "someone who should have known": a relative clause
        // describes the subject before it, which is the verb's.
        let next = words.get(i + 1).map_or("", |w| w.lower);
        let verb_next = i + 1 == at
            || AUXILIARIES.contains(&next)
            || next.ends_with("ed")
            || participle(next).is_some();
        let relative = i > 0
            && !sentence.break_after(i - 1)
            && (w == "who" || (matches!(w, "that" | "which") && verb_next));
        if relative {
            (seen, people) = (false, false);
            antecedent = Some(i);
            continue;
        }
        // The antecedent is the noun phrase right before the relative pronoun: "it took us
        // nine hours to resolve [a problem] that could have been solved in four".
        if let Some(pronoun) = antecedent
            && (pronoun - i > 4 || matches!(w, "to" | "of" | "in" | "on" | "for" | "with"))
        {
            break;
        }
        if people {
            // A person in the clause already; only a relative clause could undo it.
            if CLAUSE_BREAKS.contains(&w) || sentence.break_after(i) {
                break;
            }
            continue;
        }
        let comma_before_join = joined == Some(i + 1) && !CLAUSE_BREAKS.contains(&w);
        if CLAUSE_BREAKS.contains(&w) || (sentence.break_after(i) && !comma_before_join) {
            // "we knew it was coming, but did not keep a close eye on it": a verb right
            // after "but" or "and" shares the subject of the clause before.
            let next = words.get(i + 1).map_or("", |w| w.lower);
            if matches!(w, "but" | "and") && (AUXILIARIES.contains(&next) || next.ends_with("ed")) {
                seen = false;
                joined = Some(i);
                continue;
            }
            break;
        }
        if PERSON_WORDS.contains(&w)
            || ROLE_NOUNS.contains(&w)
            || HUMAN_WORK.contains(&w)
            || names.iter().any(|n| (n.from..n.to).contains(&i))
            // A gerund opening the sentence is people's action ("Consulting the vendor
            // first would have saved time").
            || (i == 0 && w.ends_with("ing") && w.len() > 5)
        {
            people = true;
        }
        seen = true;
        if antecedent.is_some() && matches!(w, "a" | "an" | "the" | "any" | "some" | "no" | "all") {
            break;
        }
    }
    if people {
        Subject::People
    } else if seen {
        Subject::Thing
    } else {
        Subject::Unstated
    }
}

/// Whether a counterfactual is about people: "we should have", "the engineer could have",
/// "this should have been caught in review" (a passive norm hides a human agent). Not
/// "this would have detected the issue" or "the test suite would have caught it": what a
/// mechanism would have done is the systemic finding a postmortem wants.
fn about_people(
    sentence: &Sentence<'_>,
    phrase: &str,
    at: usize,
    end: usize,
    names: &[Name],
) -> bool {
    if !(phrase.ends_with("have") || phrase.ends_with("'ve")) {
        return true;
    }
    let should = phrase.starts_with("should") || phrase.starts_with("ought");
    // "should have been caught": a passive hides who would have acted. Not "should not have
    // been possible" (a state) or "should have been automatically corrected" (a mechanism
    // named as the agent).
    let words = &sentence.words;
    let after_been = words
        .get(end + 1..)
        .unwrap_or_default()
        .iter()
        .map(|w| w.lower)
        .find(|w| !w.ends_with("ly") || *w == "automatically");
    let passive = words.get(end).is_some_and(|w| w.lower == "been")
        && after_been.is_some_and(|w| w != "automatically" && is_participle(w));
    match subject(sentence, at, names) {
        Subject::People => true,
        Subject::Thing | Subject::Unstated => {
            (should && passive) || passive_condition(sentence, at)
        }
    }
}

/// A past participle, as the passive takes it: regular ("addressed", "rushed"), or one of the
/// common irregular ones ("caught", "done", "seen").
fn is_participle(word: &str) -> bool {
    (word.ends_with("ed") && word.len() > 3)
        || (word.ends_with("en") && word.len() > 4)
        || matches!(
            word,
            "caught"
                | "made"
                | "done"
                | "set"
                | "put"
                | "run"
                | "built"
                | "sent"
                | "found"
                | "kept"
                | "left"
                | "told"
                | "known"
                | "shown"
                | "thrown"
                | "drawn"
                | "paid"
                | "taught"
                | "brought"
                | "bought"
                | "read"
                | "held"
                | "spent"
                | "met"
                | "cut"
                | "shut"
                | "hit"
                | "rolled"
                | "stopped"
                | "split"
        )
}

/// "If the policy was set to 'ignore', the issue wouldn't have occurred": a condition in the
/// passive hides the person who would have acted.
fn passive_condition(sentence: &Sentence<'_>, at: usize) -> bool {
    let words = &sentence.words;
    let Some(start) = (0..at).find(|&i| words[i].lower == "if") else {
        return false;
    };
    (start + 1..at.saturating_sub(1)).any(|i| {
        matches!(words[i].lower, "was" | "were" | "been") && words[i + 1].lower.ends_with("ed")
            || matches!(words[i + 1].lower, "set" | "put" | "run" | "done" | "made")
                && matches!(words[i].lower, "was" | "were" | "been")
    })
}

/// "Up to 5,000 users could have been affected" is about the extent of impact.
fn speculative_impact(sentence: &Sentence<'_>, after: usize) -> bool {
    let next = |k: usize| sentence.words.get(after + k).map(|w| w.lower);
    let participle = if next(0) == Some("been") {
        next(1)
    } else {
        next(0)
    };
    participle.is_some_and(|p| {
        matches!(
            p,
            "affected"
                | "impacted"
                | "exposed"
                | "compromised"
                | "leaked"
                | "accessed"
                | "lost"
                | "worse"
                | "much"
                | "far"
                | "a"
                | "an"
                | "the"
        )
    })
}

/// "The engineer reviewing the PR thought the same", "deemed good enough by the developer".
fn individual_belief(sentence: &Sentence<'_>, at: usize, end: usize, names: &[Name]) -> bool {
    let words = &sentence.words;
    // "The engineer thought the job was idempotent": what someone believed, stated as a
    // clause of its own, is the local rationality a blameless review asks for. "thought the
    // same" or "deemed good enough by the developer" give no reason, only a verdict.
    let believing = matches!(
        words[at].lower,
        "thought" | "believed" | "assumed" | "felt" | "expected"
    );
    let clause_follows = words
        .get(end..words.len().min(end + 8))
        .is_some_and(|after| {
            after.first().is_some_and(|w| w.lower == "that")
                || after.iter().any(|w| {
                    matches!(
                        w.lower,
                        "is" | "was"
                            | "were"
                            | "are"
                            | "would"
                            | "could"
                            | "will"
                            | "had"
                            | "has"
                            | "did"
                            | "needed"
                            | "worked"
                            | "meant"
                    )
                })
        });
    if believing && clause_follows {
        return false;
    }
    let single = |i: usize| {
        let w = words[i].lower;
        INDIVIDUALS.contains(&w)
            || (ROLE_NOUNS.contains(&w)
                && i > 0
                && matches!(words[i - 1].lower, "the" | "a" | "one"))
            || names.iter().any(|n| (n.from..n.to).contains(&i))
    };
    // Subject: read back to the start of the clause.
    for i in (at.saturating_sub(8)..at).rev() {
        if CLAUSE_BREAKS.contains(&words[i].lower) && i + 1 < at {
            break;
        }
        if single(i) {
            return true;
        }
    }
    // Agent: "... by the developer".
    (end..words.len().min(end + 8))
        .any(|i| words[i].lower == "by" && (i + 1..words.len().min(i + 4)).any(single))
}

/// "Clearly, the cache was the cause", "it was obviously wrong", "we could simply have
/// restarted it": hindsight. Not "a dashboard that clearly showed the problem", "to clearly
/// state", "very obviously crafted", "rather than simply revert".
fn hindsight(sentence: &Sentence<'_>, phrase: &str, at: usize, end: usize) -> bool {
    let word = |i: Option<usize>| {
        i.and_then(|i| sentence.words.get(i))
            .map_or("", |w| w.lower)
    };
    let before = word(at.checked_sub(1));
    let after = word(Some(end));
    let be = |w: &str| {
        matches!(
            w,
            "is" | "was" | "are" | "were" | "be" | "been" | "being" | "it's"
        )
    };
    match phrase {
        "clearly" | "obviously" => {
            if matches!(before, "very" | "so" | "quite" | "most" | "more" | "to") {
                return false;
            }
            // "The spike is clearly visible in the graph": evidence, not hindsight.
            if EVIDENCE.contains(&after) {
                return false;
            }
            // Opening the sentence it judges what follows ("Clearly, the cache was the
            // cause", "Clearly the cache ..."), not a verb it qualifies ("Clearly state the
            // motivation for the change").
            let opens = at == 0 && {
                let word_end = sentence.words[at].range.end - sentence.range.start;
                sentence
                    .text
                    .get(word_end..)
                    .is_some_and(|rest| rest.starts_with(','))
                    || matches!(
                        after,
                        "the"
                            | "a"
                            | "an"
                            | "this"
                            | "that"
                            | "it"
                            | "we"
                            | "they"
                            | "our"
                            | "their"
                            | "there"
                            | "nobody"
                            | "no"
                            | "someone"
                            | "everyone"
                    )
            };
            opens
                || be(before)
                || be(after)
                || matches!(
                    after,
                    "the" | "a" | "an" | "wrong" | "broken" | "not" | "caused" | "should"
                )
        }
        "simply" => {
            let person_or_modal = |w: &str| {
                PERSON_WORDS.contains(&w)
                    || matches!(
                        w,
                        "could" | "should" | "would" | "have" | "just" | "had" | "can" | "must"
                    )
            };
            person_or_modal(before)
                || at
                    .checked_sub(2)
                    .is_some_and(|i| person_or_modal(word(Some(i))) && before == "have")
        }
        // "Any reasonable engineer would have ...", not "with any reasonable speed".
        "any reasonable" => {
            let plural = format!("{after}s");
            PERSON_WORDS.contains(&after)
                || PERSON_WORDS.contains(&plural.as_str())
                || matches!(after, "person" | "one" | "human")
        }
        _ => true,
    }
}

/// What evidence shows: "clearly visible", "clearly shown".
const EVIDENCE: &[&str] = &[
    "visible",
    "shown",
    "showed",
    "shows",
    "seen",
    "evident",
    "indicated",
    "indicates",
    "marked",
    "labelled",
    "labeled",
    "displayed",
    "logged",
    "recorded",
    "documented",
    "stated",
];

/// "nobody was watching", not "nobody was paged"; "we were not monitoring closely enough",
/// "we did not keep a close eye on it", not "the graph was close enough".
fn inattention(
    sentence: &Sentence<'_>,
    phrase: &str,
    at: usize,
    after: usize,
    names: &[Name],
) -> bool {
    if DEGREE_OF_CARE.contains(&phrase) {
        let clause_start = (0..at)
            .rev()
            .find(|&i| CLAUSE_BREAKS.contains(&sentence.words[i].lower))
            .map_or(0, |i| i + 1);
        let denied = (clause_start..at).any(|i| {
            matches!(
                sentence.words[i].lower,
                "not" | "didn't" | "wasn't" | "weren't" | "never" | "no"
            )
        });
        return denied && subject(sentence, at, names) == Subject::People;
    }
    if !phrase.ends_with(" was") {
        return true;
    }
    sentence.words.get(after).is_some_and(|w| {
        matches!(
            w.lower,
            "watching" | "paying" | "looking" | "checking" | "monitoring" | "reading" | "following"
        )
    })
}

fn word_at(sentence: &Sentence<'_>, offset: usize) -> Option<usize> {
    let i = sentence.words.partition_point(|w| w.range.end <= offset);
    sentence
        .words
        .get(i)
        .filter(|w| w.range.start <= offset)
        .map(|_| i)
}

fn span_text(sentence: &Sentence<'_>, from: usize, to: usize) -> String {
    sentence.words[from..to.min(sentence.words.len())]
        .iter()
        .map(|w| w.text)
        .collect::<Vec<_>>()
        .join(" ")
}
