//! What a review meeting leaves in its postmortem: the "Review meeting" section.
//!
//! The meeting walks the timeline, names the contributing factors, decides, and closes with
//! reflections. Its record is written once, when the meeting ends, as canonical Markdown
//! ([`write`]) that people read like the rest of the document, and that [`read`] turns back
//! into the same [`Record`]: every note, decision, factor and why, and reflection, word for
//! word.
//!
//! ```markdown
//! ## Review meeting
//!
//! Held on 2026-06-16 at 14:00 UTC, 60 minutes.
//!
//! ### Attendance
//!
//! - alice (Dev), facilitator
//! - bob (Ops), scribe
//!
//! ### Timeline walk
//!
//! - **14:05 Alert fires:** detection
//!
//! ### Notes
//!
//! - **Timeline walk · 14:02 Deploy begins:** We read the alert as the weekly flake.
//!
//! ### Decisions
//!
//! - The retry budget is set per queue.
//!
//! ### Contributing factors
//!
//! - **Change:** The retry budget was shared by every queue.
//!   - Why? It was set per service in 2024.
//!
//! ### Not doing
//!
//! - **Rewrite the consumer:** out of proportion to the risk.
//!
//! ### Reflections
//!
//! - **Anonymous:** I will check the budget first next time.
//! ```
//!
//! Texts may span lines (continued two spaces in); a blank line in a text becomes a line
//! break. A label (what a note is about, a factor's category, what is not done, who
//! reflects) is written between `**` with `\` escaping `*` and `\`, so any words fit.

use jiff::civil::{Date, Time};

/// The heading of the section.
pub const HEADING: &str = "Review meeting";

/// What a review meeting leaves in its postmortem.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Record {
    /// When it was held; `None` when the record does not say.
    pub held: Option<Held>,
    /// Who took part, in the order they joined.
    pub attendance: Vec<Attendee>,
    /// How the timeline's entries mattered, as the walk tagged them: the entry (label) and
    /// its tag (text: detection, diagnosis, repair, key moment).
    pub walk: Vec<Labelled>,
    /// The scribe's notes, each about an agenda item or a timeline entry.
    pub notes: Vec<Labelled>,
    /// What was decided, word for word.
    pub decisions: Vec<String>,
    /// The contributing factors, each with its chain of whys.
    pub factors: Vec<Factor>,
    /// What the team decided not to do (the label), and why (the text).
    pub not_doing: Vec<Labelled>,
    /// Each participant's learning at the close; the label is who, or `Anonymous`.
    pub reflections: Vec<Labelled>,
}

/// When a meeting was held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// The day.
    pub date: Date,
    /// The start, to the minute.
    pub start: Time,
    /// The time zone it is written in, as written (`UTC`, `Europe/Oslo`).
    pub zone: String,
    /// How long it took.
    pub minutes: u32,
}

/// Someone who took part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    /// Their name as the server knows it.
    pub name: String,
    /// Their function (Dev, Product, Security...).
    pub function: String,
    /// Their part in the meeting, when they had one: `facilitator`, `scribe`.
    pub part: Option<String>,
}

/// A text under a label: a note and what it is about, a thing not done and why, a
/// reflection and who wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    /// The label.
    pub label: String,
    /// The text.
    pub text: String,
}

/// A contributing factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Factor {
    /// Its category (change, monitoring, capacity, dependency, process, documentation...).
    pub category: String,
    /// The factor.
    pub text: String,
    /// Each "why?" asked of it, in order, with its answer.
    pub whys: Vec<String>,
}

/// The label of an anonymous reflection.
pub const ANONYMOUS: &str = "Anonymous";

/// The subsections, in the order they are written.
const ATTENDANCE: &str = "Attendance";
const WALK: &str = "Timeline walk";
const NOTES: &str = "Notes";
const DECISIONS: &str = "Decisions";
const FACTORS: &str = "Contributing factors";
const NOT_DOING: &str = "Not doing";
const REFLECTIONS: &str = "Reflections";

/// The record as the body of its section (without the `## Review meeting` heading), in
/// canonical Markdown; empty parts are left out.
pub fn write(record: &Record) -> String {
    let mut out = String::new();
    if let Some(held) = &record.held {
        out.push_str(&format!(
            "Held on {} at {} {}, {} minutes.\n",
            held.date,
            held.start.strftime("%H:%M"),
            one_line(&held.zone),
            held.minutes
        ));
    }
    let mut part = |heading: &str, items: Vec<String>| {
        if items.is_empty() {
            return;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("### {heading}\n\n"));
        for item in items {
            out.push_str(&item);
        }
    };
    part(
        ATTENDANCE,
        record
            .attendance
            .iter()
            .map(|a| {
                let part = a.part.as_deref().map(|p| format!(", {}", one_line(p)));
                format!(
                    "- {} ({}){}\n",
                    one_line(&a.name),
                    one_line(&a.function),
                    part.unwrap_or_default()
                )
            })
            .collect(),
    );
    part(WALK, record.walk.iter().map(labelled).collect());
    part(NOTES, record.notes.iter().map(labelled).collect());
    part(
        DECISIONS,
        record.decisions.iter().map(|d| item("", d)).collect(),
    );
    part(
        FACTORS,
        record
            .factors
            .iter()
            .map(|f| {
                let mut text = format!("- **{}:** {}\n", escape(&f.category), one_line(&f.text));
                for why in &f.whys {
                    text.push_str(&format!("  - Why? {}\n", one_line(why)));
                }
                text
            })
            .collect(),
    );
    part(NOT_DOING, record.not_doing.iter().map(labelled).collect());
    part(
        REFLECTIONS,
        record.reflections.iter().map(labelled).collect(),
    );
    out
}

/// The record a section's body holds ([`write`]'s text, or one edited by hand): what it
/// cannot read is left out, never an error.
pub fn read(body: &str) -> Record {
    let mut record = Record::default();
    let mut part = "";
    let mut lines = body.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(heading) = line.strip_prefix("### ") {
            part = [
                ATTENDANCE,
                WALK,
                NOTES,
                DECISIONS,
                FACTORS,
                NOT_DOING,
                REFLECTIONS,
            ]
            .into_iter()
            .find(|p| p.eq_ignore_ascii_case(heading.trim()))
            .unwrap_or("");
            continue;
        }
        if part.is_empty() {
            if record.held.is_none() {
                record.held = held(line);
            }
            continue;
        }
        let Some(first) = line.strip_prefix("- ") else {
            continue;
        };
        // The lines that continue this item: two spaces in, or blank inside it.
        let mut more = Vec::new();
        while let Some(next) = lines.peek() {
            match next.strip_prefix("  ") {
                Some(rest) if !rest.starts_with("- Why? ") || part != FACTORS => {
                    more.push(rest);
                    lines.next();
                }
                _ => break,
            }
        }
        match part {
            ATTENDANCE => record.attendance.extend(attendee(first)),
            DECISIONS => record.decisions.push(joined(first, &more)),
            FACTORS => {
                let Some((category, text)) = label(first) else {
                    continue;
                };
                let mut whys = Vec::new();
                while let Some(why) = lines.peek().and_then(|l| l.strip_prefix("  - Why? ")) {
                    whys.push(why.trim().to_string());
                    lines.next();
                }
                record.factors.push(Factor {
                    category,
                    text: text.trim().to_string(),
                    whys,
                });
            }
            _ => {
                let Some((label, text)) = label(first) else {
                    continue;
                };
                let entry = Labelled {
                    label,
                    text: joined(text, &more),
                };
                match part {
                    WALK => record.walk.push(entry),
                    NOTES => record.notes.push(entry),
                    NOT_DOING => record.not_doing.push(entry),
                    _ => record.reflections.push(entry),
                }
            }
        }
    }
    record
}

/// A record's text split after its contributing factors (where a diagram of them goes):
/// up to the next part's heading, and the rest; all of it and nothing when it names none.
pub fn split_after_factors(body: &str) -> (&str, &str) {
    let mut offset = 0;
    let mut in_factors = false;
    for line in body.split_inclusive('\n') {
        if let Some(heading) = line.strip_prefix("### ") {
            if in_factors {
                return body.split_at(offset);
            }
            in_factors = heading.trim().eq_ignore_ascii_case(FACTORS);
        }
        offset += line.len();
    }
    (body, "")
}

/// `- **label:** text`, a text over several lines continued two spaces in.
fn labelled(entry: &Labelled) -> String {
    item(&format!("**{}:** ", escape(&entry.label)), &entry.text)
}

/// A list item: `prefix` then `text`, its further lines two spaces in.
fn item(prefix: &str, text: &str) -> String {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut out = format!("- {prefix}{}\n", lines.next().unwrap_or(""));
    for line in lines {
        out.push_str(&format!("  {line}\n"));
    }
    out
}

/// The text of an item: its first line and those continuing it.
fn joined(first: &str, more: &[&str]) -> String {
    std::iter::once(first)
        .chain(more.iter().copied())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `**label:** rest` into the label (unescaped) and the rest.
fn label(text: &str) -> Option<(String, &str)> {
    let inner = text.strip_prefix("**")?;
    let mut label = String::new();
    let mut chars = inner.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => label.push(chars.next()?.1),
            ':' if inner[at..].starts_with(":**") => {
                return Some((label, inner[at + 3..].trim_start()));
            }
            c => label.push(c),
        }
    }
    None
}

/// `\` before `*` and `\`, so a label ends only where the writer ended it.
fn escape(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for c in one_line(label).chars() {
        if matches!(c, '*' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A text on one line: line breaks become spaces, the ends trimmed.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `name (function), part`.
fn attendee(line: &str) -> Option<Attendee> {
    let (name, rest) = line.split_once(" (")?;
    let (function, part) = rest.rsplit_once(')')?;
    let part = part.trim().strip_prefix(',').map(|p| p.trim().to_string());
    Some(Attendee {
        name: name.trim().to_string(),
        function: function.trim().to_string(),
        part: part.filter(|p| !p.is_empty()),
    })
}

/// `Held on 2026-06-16 at 14:00 UTC, 60 minutes.`
fn held(line: &str) -> Option<Held> {
    let rest = line.trim().strip_prefix("Held on ")?;
    let (date, rest) = rest.split_once(" at ")?;
    let (start, rest) = rest.split_once(' ')?;
    let (zone, rest) = rest.rsplit_once(", ")?;
    let minutes = rest.strip_suffix(" minutes.")?;
    Some(Held {
        date: date.parse().ok()?,
        start: Time::strptime("%H:%M", start).ok()?,
        zone: zone.to_string(),
        minutes: minutes.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn example() -> Record {
        Record {
            held: Some(Held {
                date: jiff::civil::date(2026, 6, 16),
                start: jiff::civil::time(14, 0, 0, 0),
                zone: "UTC".into(),
                minutes: 60,
            }),
            attendance: vec![
                Attendee {
                    name: "alice".into(),
                    function: "Dev".into(),
                    part: Some("facilitator".into()),
                },
                Attendee {
                    name: "carol".into(),
                    function: "Product".into(),
                    part: None,
                },
            ],
            walk: vec![Labelled {
                label: "14:05 Alert fires".into(),
                text: "detection".into(),
            }],
            notes: vec![Labelled {
                label: "Timeline walk · 14:02 Deploy begins".into(),
                text: "We read the alert as the weekly flake.\nIt had fired twice that week."
                    .into(),
            }],
            decisions: vec!["The retry budget is set per queue.".into()],
            factors: vec![Factor {
                category: "Change".into(),
                text: "The retry budget was shared by every queue.".into(),
                whys: vec![
                    "It was set per service in 2024.".into(),
                    "Queues were added without a review of it.".into(),
                    "No check says a budget is shared.".into(),
                ],
            }],
            not_doing: vec![Labelled {
                label: "Rewrite the consumer".into(),
                text: "Out of proportion to the risk.".into(),
            }],
            reflections: vec![Labelled {
                label: ANONYMOUS.into(),
                text: "I will check the budget first next time.".into(),
            }],
        }
    }

    #[test]
    fn writes_the_canonical_section() {
        let text = write(&example());
        assert_eq!(
            text,
            "Held on 2026-06-16 at 14:00 UTC, 60 minutes.\n\n\
             ### Attendance\n\n- alice (Dev), facilitator\n- carol (Product)\n\n\
             ### Timeline walk\n\n- **14:05 Alert fires:** detection\n\n\
             ### Notes\n\n- **Timeline walk · 14:02 Deploy begins:** We read the alert as the weekly flake.\n  It had fired twice that week.\n\n\
             ### Decisions\n\n- The retry budget is set per queue.\n\n\
             ### Contributing factors\n\n- **Change:** The retry budget was shared by every queue.\n  - Why? It was set per service in 2024.\n  - Why? Queues were added without a review of it.\n  - Why? No check says a budget is shared.\n\n\
             ### Not doing\n\n- **Rewrite the consumer:** Out of proportion to the risk.\n\n\
             ### Reflections\n\n- **Anonymous:** I will check the budget first next time.\n"
        );
        assert_eq!(read(&text), example());
    }

    #[test]
    fn splits_after_the_factors() {
        let text = write(&example());
        let (factors, rest) = split_after_factors(&text);
        assert!(
            factors
                .trim_end()
                .ends_with("- Why? No check says a budget is shared.")
        );
        assert!(rest.starts_with("### Not doing\n"));
        assert_eq!(format!("{factors}{rest}"), text);
        assert_eq!(
            split_after_factors("### Notes\n\n- **a:** b\n"),
            ("### Notes\n\n- **a:** b\n", "")
        );
    }

    #[test]
    fn an_empty_record_is_an_empty_section() {
        assert_eq!(write(&Record::default()), "");
        assert_eq!(read(""), Record::default());
    }

    #[test]
    fn reads_what_it_can_of_a_hand_edited_record() {
        let text = "Held sometime last week.\n\n### Decisions\n\nsome prose\n- Keep it.\n\n### Whatever\n\n- ignored\n\n### Notes\n\n- no label here\n- **Close:** Done.\n";
        let record = read(text);
        assert_eq!(record.held, None);
        assert_eq!(record.decisions, vec!["Keep it.".to_string()]);
        assert_eq!(
            record.notes,
            vec![Labelled {
                label: "Close".into(),
                text: "Done.".into()
            }]
        );
    }

    /// Words as people type them: letters, punctuation, Markdown's own characters.
    fn words() -> impl Strategy<Value = String> {
        proptest::collection::vec("[a-zA-Z0-9*\\\\_`#>:()\\[\\]!?.,'\"-]{1,12}", 1..8)
            .prop_map(|w| w.join(" "))
    }

    /// A text of one to three lines.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(words(), 1..4).prop_map(|l| l.join("\n"))
    }

    fn labelled_strategy() -> impl Strategy<Value = Labelled> {
        (words(), text()).prop_map(|(label, text)| Labelled { label, text })
    }

    fn record() -> impl Strategy<Value = Record> {
        let attendee = (
            "[a-z]{1,10}",
            "[A-Z][a-z]{1,8}",
            proptest::option::of("[a-z]{1,10}"),
        )
            .prop_map(|(name, function, part)| Attendee {
                name,
                function,
                part,
            });
        let factor = (
            "[A-Z][a-z]{1,10}",
            words(),
            proptest::collection::vec(words(), 0..4),
        )
            .prop_map(|(category, text, whys)| Factor {
                category,
                text,
                whys,
            });
        let held = (1u32..1000).prop_map(|minutes| Held {
            date: jiff::civil::date(2026, 6, 16),
            start: jiff::civil::time(9, 30, 0, 0),
            zone: "Europe/Oslo".into(),
            minutes,
        });
        (
            proptest::option::of(held),
            proptest::collection::vec(attendee, 0..5),
            proptest::collection::vec(labelled_strategy(), 0..3),
            proptest::collection::vec(labelled_strategy(), 0..6),
            proptest::collection::vec(text(), 0..4),
            proptest::collection::vec(factor, 0..4),
            proptest::collection::vec(labelled_strategy(), 0..3),
            proptest::collection::vec(labelled_strategy(), 0..4),
        )
            .prop_map(
                |(held, attendance, walk, notes, decisions, factors, not_doing, reflections)| {
                    Record {
                        held,
                        attendance,
                        walk,
                        notes,
                        decisions,
                        factors,
                        not_doing,
                        reflections,
                    }
                },
            )
    }

    proptest! {
        /// Every note, decision, factor and why, and reflection comes back word for word.
        #[test]
        fn read_gives_back_what_write_wrote(record in record()) {
            let text = write(&record);
            prop_assert_eq!(read(&text), record);
        }
    }
}
