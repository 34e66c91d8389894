//! Finding people in prose: the configured roster, `@handles`, and names in no roster, told
//! apart from technology, products and places by where they stand in the sentence.

use crate::words::{Sentence, Word};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// People the team knows by name, each with the role to write instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    people: Vec<Person>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Person {
    /// The name's words: "Priya Raman" is ["Priya", "Raman"].
    words: Vec<String>,
    role: Option<String>,
}

impl Roster {
    /// Adds a person, with the role to use instead of their name (if any).
    pub fn add(&mut self, name: &str, role: Option<&str>) {
        let words: Vec<String> = name.split_whitespace().map(str::to_string).collect();
        if !words.is_empty() {
            self.people.push(Person {
                words,
                role: role.map(str::to_string).filter(|r| !r.trim().is_empty()),
            });
        }
    }

    /// The roles the roster gives, each once, in the order first given.
    pub fn roles(&self) -> Vec<&str> {
        let mut roles: Vec<&str> = Vec::new();
        for role in self.people.iter().filter_map(|p| p.role.as_deref()) {
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
        roles
    }

    /// Whether the roster is empty.
    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// The role of the person named `name` (a full name, or a handle such as
    /// `priya.raman` whose parts are the name's words), whatever the case; `None` when the
    /// roster does not know them or gives them no role.
    pub fn role_of(&self, name: &str) -> Option<&str> {
        let words: Vec<String> = name
            .split(|c: char| c.is_whitespace() || matches!(c, '.' | '_' | '-'))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() {
            return None;
        }
        self.people
            .iter()
            .find(|p| {
                p.words.len() == words.len()
                    && p.words
                        .iter()
                        .zip(&words)
                        .all(|(a, b)| a.to_lowercase() == *b)
            })
            .and_then(|p| p.role.as_deref())
    }

    /// The person whose full name starts at word `i`, or whose first name is word `i` when
    /// no one else on the roster shares it: (words matched, role).
    fn at(&self, words: &[Word<'_>], i: usize) -> Option<(usize, Option<&str>)> {
        let word = |k: usize| words.get(k).map(|w| w.bare_text());
        for person in &self.people {
            if person
                .words
                .iter()
                .enumerate()
                .all(|(k, p)| word(i + k) == Some(p.as_str()))
            {
                return Some((person.words.len(), person.role.as_deref()));
            }
        }
        let first = word(i)?;
        let mut sharing = self.people.iter().filter(|p| p.words[0] == first);
        let person = sharing.next()?;
        sharing
            .next()
            .is_none()
            .then_some((1, person.role.as_deref()))
    }
}

/// How a name was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// On the configured roster.
    Roster,
    /// An `@handle`.
    Handle,
    /// A given name, or a capitalised word where a person acts in the sentence.
    Heuristic,
}

/// A person named in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// Words `from..to` of the sentence.
    pub from: usize,
    /// End (exclusive).
    pub to: usize,
    /// How it was recognised.
    pub source: Source,
    /// The role to write instead, from the roster.
    pub role: Option<String>,
}

/// The people named in a sentence. `allowed` holds lower-case words never taken for names.
pub fn find(
    sentence: &Sentence<'_>,
    roster: &Roster,
    allowed: &HashSet<String>,
    heuristics: bool,
) -> Vec<Name> {
    let words = &sentence.words;
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        // Most words are lower case and cannot be names: decide that before any lookup.
        let starts_upper = word
            .text
            .starts_with(|c: char| c.is_uppercase() || c == '@');
        if !starts_upper || allowed.contains(word.bare()) {
            i += 1;
            continue;
        }
        if let Some((n, role)) = roster.at(words, i) {
            out.push(Name {
                from: i,
                to: i + n,
                source: Source::Roster,
                role: role.map(str::to_string),
            });
            i += n;
            continue;
        }
        if word.text.len() > 1
            && word.text.starts_with('@')
            && word.text[1..].starts_with(char::is_alphabetic)
        {
            out.push(Name {
                from: i,
                to: i + 1,
                source: Source::Handle,
                role: None,
            });
            i += 1;
            continue;
        }
        if let Some(n) = heuristics
            .then(|| heuristic(sentence, i, allowed).or_else(|| initials(sentence, i, allowed)))
            .flatten()
        {
            let to = with_particles(sentence, i + n, allowed);
            out.push(Name {
                from: i,
                to,
                source: Source::Heuristic,
                role: None,
            });
            i = to;
            continue;
        }
        i += 1;
    }
    out
}

/// Whether a sentence may name someone the heuristics would find: a capitalised word that
/// could be a name and is a given name, or stands before a verb only people do, or after a
/// word that addresses a person. A cheap scan of the bytes that over-approximates [`find`]'s
/// heuristics, so that sentences without any can skip tokenising.
pub fn may_name(text: &str, lower: &str) -> bool {
    let lists = lists();
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
    let word_end = |from: usize| {
        bytes[from..]
            .iter()
            .position(|&b| !(b.is_ascii_alphabetic() || b == b'\'' || b >= 0x80))
            .map_or(bytes.len(), |n| from + n)
    };
    let lower_bytes = lower.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Most of a sentence is lower case: eight bytes at a time, go straight to the first
        // that is an ASCII capital (it differs from its lower case) or not ASCII.
        if let (Some(chunk), Some(lowered)) = (eight(bytes, at), eight(lower_bytes, at)) {
            let interesting = (chunk ^ lowered) | (chunk & 0x8080_8080_8080_8080);
            if interesting == 0 {
                at += 8;
                continue;
            }
            at += interesting.trailing_zeros() as usize / 8;
        }
        let (start, b) = (at, bytes[at]);
        at += 1;
        // Only capitals (and non-ASCII letters, which may be) at the start of a word.
        if !(b.is_ascii_uppercase() || b >= 0xc0) || (start > 0 && is_word(bytes[start - 1])) {
            continue;
        }
        if !text[start..].chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let end = word_end(start);
        let kinds = lists.kinds(possessive(&lower[start..end]));
        if kinds.has(Kinds::THING) {
            continue;
        }
        if kinds.has(Kinds::GIVEN) {
            return true;
        }
        let next_start = bytes[end..]
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .map_or(bytes.len(), |n| end + n);
        if next_start < bytes.len()
            && lists
                .kinds(&lower[next_start..word_end(next_start)])
                .has(Kinds::HUMAN_VERB)
        {
            return true;
        }
        let before = lower[..start].trim_end_matches(|c: char| !c.is_alphanumeric());
        let previous = before
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if ADDRESSING.contains(&previous) {
            return true;
        }
    }
    false
}

/// The eight bytes at `at`, little-endian, if there are eight.
fn eight(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

fn possessive(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("\u{2019}s"))
        .unwrap_or(word)
}

/// A name in no roster: how many words it spans, if word `i` starts one.
fn heuristic(sentence: &Sentence<'_>, i: usize, allowed: &HashSet<String>) -> Option<usize> {
    let words = &sentence.words;
    let word = &words[i];
    if !could_be_name(word, allowed) {
        return None;
    }
    let lists = lists();
    let kinds = lists.kinds(word.bare());
    let given = kinds.has(Kinds::GIVEN);
    let ambiguous = kinds.has(Kinds::AMBIGUOUS);
    let next = words.get(i + 1);
    let previous = i.checked_sub(1).map(|p| words[p].lower);
    // "Lloyd Middleton": a capitalised word right after a given name is a surname.
    let surname = given
        && !sentence.break_after(i)
        && next.is_some_and(|n| {
            could_be_name(n, allowed)
                && !n.text.ends_with("'s")
                && !lists.kinds(n.lower).has(Kinds::AMBIGUOUS)
        });
    let span = if surname { 2 } else { 1 };
    // The verb of the subject: past adverbs ("Yuvi quickly jumped in") and a second
    // conjunct ("Edward and Kirsty fix the issue").
    let mut verb = i + span;
    let adverb = |k: usize| {
        words
            .get(k)
            .is_some_and(|w| w.lower.len() > 4 && w.lower.ends_with("ly"))
    };
    while adverb(verb) {
        verb += 1;
    }
    let coordinated = words.get(verb).is_some_and(|w| w.lower == "and")
        && words
            .get(verb + 1)
            .is_some_and(|w| could_be_name(w, allowed));
    if coordinated {
        verb += 2;
        while adverb(verb) {
            verb += 1;
        }
    }
    let after = words.get(verb).map(|w| w.lower);
    // "Joe is paged", "Sam was woken up": what is done only to people.
    let done_to = matches!(after, Some("is" | "was" | "gets" | "got"))
        && words
            .get(verb + 1)
            .is_some_and(|w| DONE_TO_PEOPLE.contains(&w.lower));
    let acts = after.is_some_and(|a| lists.kinds(a).has(Kinds::HUMAN_VERB)) || done_to;
    let addressed = previous.is_some_and(|p| ADDRESSING.contains(&p));
    // "Edward and Kirsty": the second of two names joined before a verb.
    let after_given = previous == Some("and")
        && i >= 2
        && could_be_name(&words[i - 2], allowed)
        && lists.kinds(words[i - 2].bare()).has(Kinds::GIVEN);
    let lower_verb =
        after.is_some_and(|a| a.chars().all(char::is_lowercase) && !FUNCTION_WORDS.contains(&a));
    if after_given && lower_verb && !ambiguous {
        return Some(span);
    }
    let sentence_start = i == 0 || previous.is_some_and(|p| p == "and" && i == 2);
    let found = if given && !ambiguous {
        // Mid-sentence a given name is a person; at the start, a capital proves nothing, so a
        // verb, a surname or an address must follow.
        !sentence_start || surname || acts || lower_verb
    } else if given {
        // "Will", "May", "Mark": only where nothing but a person fits; a capitalised word
        // after one proves nothing in Title Case ("What Didn't Go So Well").
        acts || addressed
    } else {
        // A name in no list: "Priya saved us", "Audun looked for the packages".
        (acts && !word.lower.ends_with('s'))
            || (addressed && word.text.ends_with(|c: char| c.is_lowercase()))
    };
    found.then_some(span)
}

/// "Maria de la Cruz", "Vincent van Gogh", "Ursula von der Leyen": a name goes on through
/// lower-case particles to the capitalised word after them. Returns the end of the name.
fn with_particles(sentence: &Sentence<'_>, end: usize, allowed: &HashSet<String>) -> usize {
    const PARTICLES: &[&str] = &[
        "de", "del", "della", "la", "le", "van", "von", "der", "den", "da", "das", "do", "dos",
        "di", "du", "bin", "binti", "al", "el", "ter", "ten",
    ];
    let words = &sentence.words;
    let mut k = end;
    while words.get(k).is_some_and(|w| PARTICLES.contains(&w.text)) && !sentence.break_after(k - 1)
    {
        k += 1;
    }
    if k > end && words.get(k).is_some_and(|w| could_be_name(w, allowed)) {
        k + 1
    } else {
        end
    }
}

/// Initials standing for a person: "SN restarted the service", "JD and KL reviewed the
/// change": two or three capitals, no known acronym, before a verb only people do (or
/// joined by "and" to other initials before a lower-case verb).
fn initials(sentence: &Sentence<'_>, i: usize, allowed: &HashSet<String>) -> Option<usize> {
    let words = &sentence.words;
    let is_initials = |k: usize| {
        words.get(k).is_some_and(|w| {
            let n = w.text.chars().count();
            (2..=3).contains(&n)
                && w.text.chars().all(|c| c.is_ascii_uppercase())
                && !allowed.contains(w.lower)
                && !lists().kinds(w.lower).has(Kinds::THING)
                && !ACRONYMS.contains(&w.lower)
        })
    };
    if !is_initials(i) {
        return None;
    }
    let human = |k: usize| {
        words
            .get(k)
            .is_some_and(|w| lists().kinds(w.lower).has(Kinds::HUMAN_VERB))
    };
    let lower_verb = |k: usize| {
        words.get(k).is_some_and(|w| {
            w.text.chars().all(char::is_lowercase) && !FUNCTION_WORDS.contains(&w.lower)
        })
    };
    let joined_after = words.get(i + 1).is_some_and(|w| w.lower == "and")
        && is_initials(i + 2)
        && lower_verb(i + 3);
    let joined_before =
        i >= 2 && words[i - 1].lower == "and" && is_initials(i - 2) && lower_verb(i + 1);
    (human(i + 1) || joined_after || joined_before).then_some(1)
}

/// Verbs, as participles, of what is done only to people.
const DONE_TO_PEOPLE: &[&str] = &[
    "paged",
    "pinged",
    "woken",
    "told",
    "asked",
    "notified",
    "contacted",
    "called",
    "assigned",
    "thanked",
    "blamed",
    "reassigned",
];

/// Capitals that are acronyms of things, never a person's initials.
const ACRONYMS: &[&str] = &[
    "ai", "api", "aws", "cd", "ci", "cpu", "db", "dba", "dns", "gcp", "io", "ip", "it", "k8s",
    "lb", "ml", "ok", "os", "pm", "pr", "qa", "ram", "sdk", "sla", "slo", "sre", "ssl", "tls",
    "ui", "url", "us", "ux", "vm", "vp", "vpn", "eu", "uk", "hr", "ops", "cto", "ceo",
];

/// Capitalised, alphabetic, not a known thing, not a common capitalised word.
fn could_be_name(word: &Word<'_>, allowed: &HashSet<String>) -> bool {
    let bare = word.bare();
    word.is_capitalised()
        && !camel_case(word.text)
        && (word.lower.ends_with("'s") || !word.lower.contains('\''))
        && word
            .text
            .chars()
            .all(|c| c.is_alphabetic() || c == '\'' || c == '\u{2019}' || c == '-')
        && word.text.chars().count() >= 2
        && !word.quoted
        && !allowed.contains(bare)
        && !lists().kinds(bare).has(Kinds::THING)
}

/// "JFrog", "GitGuardian", "PagerDuty": a capital after a lower-case letter makes a product
/// name, except in "McMillan" and "MacLeod".
fn camel_case(text: &str) -> bool {
    // "JFrog", "SDKs": two capitals first.
    if text.chars().nth(1).is_some_and(char::is_uppercase) {
        return true;
    }
    let body = text
        .strip_prefix("Mc")
        .or_else(|| text.strip_prefix("Mac"))
        .unwrap_or(text);
    body.chars()
        .zip(body.chars().skip(1))
        .any(|(a, b)| a.is_lowercase() && b.is_uppercase())
}

/// FNV-1a: the word sets are looked up for every capitalised word; SipHash's resistance to
/// collision attacks buys nothing for constant lists.
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// What the bundled lists say a lower-case word is: one lookup answers every question the
/// heuristics ask about a word. Bits of [`Kinds`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Kinds(u8);

impl Kinds {
    /// A given name ([`given-names.txt`, `given-names-extra.txt`]).
    const GIVEN: u8 = 1;
    /// A given name that is also a common word ("Will", "May"), from the data and from
    /// [`AMBIGUOUS`].
    const AMBIGUOUS: u8 = 1 << 1;
    /// Never a person: technology, products and places (`not-people.txt`), [`COMMON`]
    /// capitalised words, months and days of the week.
    const THING: u8 = 1 << 2;
    /// [`HUMAN_VERBS`].
    const HUMAN_VERB: u8 = 1 << 3;

    fn has(self, kind: u8) -> bool {
        self.0 & kind != 0
    }
}

struct Lists {
    kinds: HashMap<&'static str, Kinds, std::hash::BuildHasherDefault<Fnv>>,
}

impl Lists {
    fn kinds(&self, lower: &str) -> Kinds {
        self.kinds.get(lower).copied().unwrap_or_default()
    }

    fn add(&mut self, words: impl IntoIterator<Item = &'static str>, kind: u8) {
        for word in words {
            self.kinds.entry(word).or_default().0 |= kind;
        }
    }
}

static LISTS: OnceLock<Lists> = OnceLock::new();

fn lists() -> &'static Lists {
    LISTS.get_or_init(|| {
        let load = |text: &'static str| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
        };
        let mut lists = Lists {
            kinds: HashMap::default(),
        };
        lists.add(load(include_str!("../data/given-names.txt")), Kinds::GIVEN);
        lists.add(
            load(include_str!("../data/given-names-extra.txt")),
            Kinds::GIVEN,
        );
        lists.add(
            load(include_str!("../data/given-names-common-words.txt")),
            Kinds::AMBIGUOUS,
        );
        lists.add(AMBIGUOUS.iter().copied(), Kinds::AMBIGUOUS);
        lists.add(load(include_str!("../data/not-people.txt")), Kinds::THING);
        lists.add(COMMON.iter().copied(), Kinds::THING);
        lists.add(debrief_core::when::calendar_words(), Kinds::THING);
        lists.add(HUMAN_VERBS.iter().copied(), Kinds::HUMAN_VERB);
        lists
    })
}

/// Verbs that only people do: a capitalised word before one of them is someone.
const HUMAN_VERBS: &[&str] = &[
    "noticed",
    "notices",
    "realised",
    "realises",
    "realized",
    "realizes",
    "woke",
    "wakes",
    "said",
    "says",
    "thought",
    "thinks",
    "asked",
    "asks",
    "pinged",
    "pings",
    "forgot",
    "forgets",
    "apologised",
    "apologized",
    "volunteered",
    "suggested",
    "suggests",
    "proposed",
    "proposes",
    "replied",
    "replies",
    "responded",
    "mentioned",
    "mentions",
    "wrote",
    "tweeted",
    "messaged",
    "emailed",
    "decided",
    "decides",
    "saved",
    "saves",
    "rescued",
    "jumped",
    "stepped",
    "evaluated",
    "misjudged",
    "overlooked",
    "assumed",
    "believed",
    "joined",
    "joins",
    "announced",
    "announces",
    "agreed",
    "insisted",
    "admitted",
    "promised",
    "noted",
    "remembered",
    "wondered",
    "guessed",
    "approved",
    "reviewed",
    "typed",
    "acknowledged",
    "acknowledges",
    "escalated",
    "escalates",
    "paged",
];

/// Words before a name that address or credit a person: "thanks to X", "pinged X".
const ADDRESSING: &[&str] = &[
    "thanks",
    "thank",
    "kudos",
    "cc",
    "pinged",
    "pings",
    "ping",
    "asked",
    "told",
    "called",
    "contacted",
    "paged",
    "dear",
    "hi",
    "hey",
];

/// Lower-case words after a sentence-initial capital that do not make it a subject acting.
const FUNCTION_WORDS: &[&str] = &[
    "of", "the", "a", "an", "in", "on", "for", "to", "and", "or", "as", "at", "by", "with", "from",
    "is", "are", "was", "were",
];

/// Given names that are also common words; they need stronger evidence.
const AMBIGUOUS: &[&str] = &[
    "will",
    "mark",
    "bill",
    "grant",
    "chase",
    "rich",
    "rose",
    "dawn",
    "faith",
    "hope",
    "joy",
    "ray",
    "sky",
    "summer",
    "art",
    "guy",
    "pat",
    "sue",
    "don",
    "max",
    "page",
    "lane",
    "dale",
    "glen",
    "gene",
    "miles",
    "wade",
    "drew",
    "jack",
    "penny",
    "ruby",
    "pearl",
    "crystal",
    "amber",
    "jade",
    "holly",
    "ivy",
    "iris",
    "lily",
    "daisy",
    "violet",
    "ginger",
    "candy",
    "honey",
    "angel",
    "star",
    "sunny",
    "storm",
    "river",
    "forest",
    "stone",
    "chance",
    "price",
    "hunter",
    "porter",
    "carter",
    "mason",
    "baker",
    "cook",
    "young",
    "long",
    "love",
    "king",
    "duke",
    "earl",
    "prince",
    "major",
    "marshal",
    "sterling",
    "noble",
    "royal",
    "frank",
    "sandy",
    "rusty",
    "buck",
    "bud",
    "cliff",
    "rod",
    "ford",
    "gray",
    "green",
    "brown",
    "white",
    "black",
    "early",
    "else",
    "ernest",
    "van",
    "del",
    "sol",
    "les",
    "ward",
    "case",
    "reed",
    "rob",
    "wes",
    "bo",
    "ed",
    "al",
    "dot",
    "eve",
    "bell",
    "carol",
    "noel",
    "christian",
    "jan",
    "dean",
    "harmony",
    "patience",
    "trinity",
    "destiny",
    "unique",
    "precious",
    "temple",
    "major",
    "norman",
    "german",
    "french",
    "english",
    "irish",
    "london",
    "paris",
    "sydney",
    "austin",
    "dallas",
    "houston",
    "phoenix",
    "florence",
    "georgia",
    "virginia",
    "carolina",
    "jordan",
    "china",
    "india",
    "kenya",
    "marion",
    "august",
    "julian",
    "shell",
];

/// Capitalised words that are never people: pronouns, determiners, roles and teams, common
/// sentence openers. (Days and months are the core's calendar words.)
const COMMON: &[&str] = &[
    "i",
    "we",
    "they",
    "he",
    "she",
    "you",
    "it",
    "someone",
    "somebody",
    "everyone",
    "everybody",
    "nobody",
    "anyone",
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "our",
    "their",
    "his",
    "her",
    "its",
    "my",
    "your",
    "all",
    "some",
    "support",
    "product",
    "security",
    "engineering",
    "ops",
    "dev",
    "devops",
    "sre",
    "management",
    "leadership",
    "legal",
    "marketing",
    "sales",
    "finance",
    "customer",
    "customers",
    "user",
    "users",
    "team",
    "teams",
    "engineer",
    "engineers",
    "developer",
    "developers",
    "operator",
    "operators",
    "manager",
    "on-call",
    "oncall",
    "incident",
    "commander",
    "responder",
    "responders",
    "reviewer",
    "author",
    "admin",
    "administrator",
    "monitoring",
    "alerting",
    "observability",
    "infrastructure",
    "platform",
    "network",
    "database",
    "backend",
    "frontend",
    "mobile",
    "web",
    "api",
    "data",
    "after",
    "before",
    "during",
    "while",
    "when",
    "then",
    "once",
    "since",
    "because",
    "however",
    "also",
    "both",
    "each",
    "every",
    "initially",
    "finally",
    "later",
    "meanwhile",
    "unfortunately",
    "fortunately",
    "luckily",
    "apparently",
    "eventually",
    "here",
    "there",
    "what",
    "who",
    "why",
    "how",
    "which",
    "where",
    "if",
    "no",
    "not",
    "yes",
    "ok",
    "okay",
    "nothing",
    "everything",
    "something",
    "today",
    "yesterday",
    "tomorrow",
    "morning",
    "afternoon",
    "evening",
    "night",
    "postmortem",
    "summary",
    "impact",
    "timeline",
    "root",
    "cause",
    "action",
    "items",
    "lessons",
    "detection",
    "resolution",
    "recovery",
    "mitigation",
    "trigger",
    "update",
    "note",
];

#[cfg(test)]
mod tests {
    #[test]
    fn the_roster_gives_a_role_for_a_name_or_a_handle() {
        let mut roster = super::Roster::default();
        roster.add("Priya Raman", Some("the on-call SRE"));
        roster.add("Tom", None);
        assert_eq!(roster.role_of("priya raman"), Some("the on-call SRE"));
        assert_eq!(roster.role_of("priya.raman"), Some("the on-call SRE"));
        assert_eq!(
            roster.role_of("Priya"),
            None,
            "a full name, not a part of one"
        );
        assert_eq!(roster.role_of("Tom"), None, "known, without a role");
        assert_eq!(roster.role_of(""), None);
    }

    use super::*;
    use crate::words::sentences;

    fn names(text: &str, roster: &Roster) -> Vec<String> {
        let mut out = Vec::new();
        let lower = text.to_ascii_lowercase();
        for s in sentences(text, &lower) {
            for n in find(&s, roster, &HashSet::new(), true) {
                out.push(
                    s.words[n.from..n.to]
                        .iter()
                        .map(|w| w.text)
                        .collect::<Vec<_>>()
                        .join(" "),
                );
            }
        }
        out
    }

    #[test]
    fn people_and_not_people() {
        let roster = Roster::default();
        assert_eq!(names("Priya saved us.", &roster), ["Priya"]);
        assert_eq!(
            names("Audun looked for the packages in GitHub.", &roster),
            ["Audun"]
        );
        assert_eq!(
            names(
                "We became aware of it during a call with Peter Taylor.",
                &roster
            ),
            ["Peter Taylor"]
        );
        assert_eq!(
            names("@stevekuznetsov pings the on-call.", &roster),
            ["@stevekuznetsov"]
        );
        assert!(
            names(
                "Kafka restarted and Redis noticed nothing. Sydney was unaffected.",
                &roster
            )
            .is_empty()
        );
        assert!(
            names(
                "Will the alert fire? May traffic was high. Support noticed the errors.",
                &roster
            )
            .is_empty()
        );
        assert!(names("Jenkins reported the build as failed on Monday.", &roster).is_empty());
    }

    #[test]
    fn roster_names_and_first_names() {
        let mut roster = Roster::default();
        roster.add("Priya Raman", Some("the on-call engineer"));
        assert_eq!(
            names("Priya Raman restarted it. Later Priya confirmed.", &roster),
            ["Priya Raman", "Priya"]
        );
    }
}
