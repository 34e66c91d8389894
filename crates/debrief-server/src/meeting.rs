//! The review meeting's rules, pure (no SQL, no HTTP, no clock): its default agenda, which
//! changes a meeting takes in which state, the room every participant sees (folded from the
//! changes in order, so a late joiner and a reconnecting browser get it by replaying them),
//! and the record it leaves in the postmortem ([`debrief_core::meeting::Record`]).

use debrief_core::meeting::{Attendee, Factor, Held, Labelled, Record};
use debrief_wire::api::{AgendaItem, EntryTag, Meeting, MeetingChange, MeetingEvent, MeetingState};

/// How long a meeting takes unless told otherwise, in minutes.
pub const DEFAULT_MINUTES: u32 = 60;

/// The most a text of a change may hold, in bytes.
pub const MAX_TEXT_BYTES: usize = 10_000;

/// The most items an agenda may have.
pub const MAX_AGENDA_ITEMS: usize = 20;

/// The longest time box an agenda item may have, in minutes.
pub const MAX_TIME_BOX: u32 = 120;

/// The categories of contributing factors unless `debrief.toml` says otherwise: what
/// changed, what watched, what was there to absorb it, what it depended on, how people
/// worked, what was written down.
pub const DEFAULT_FACTOR_CATEGORIES: [&str; 7] = [
    "Change",
    "Monitoring",
    "Capacity",
    "Dependency",
    "Process",
    "Documentation",
    "Other",
];

/// The most factor categories a board may have.
pub const MAX_FACTOR_CATEGORIES: usize = 16;

/// The agenda good facilitators follow: the premise first, the timeline walked before
/// causes are named, action items only once the factors are understood.
pub fn default_agenda() -> Vec<AgendaItem> {
    [
        ("Ground rules and the blameless premise", 5),
        ("Timeline walk", 25),
        ("Contributing factors", 15),
        ("Action items", 10),
        ("Reflection", 5),
    ]
    .into_iter()
    .map(|(title, minutes)| AgendaItem {
        title: title.to_string(),
        minutes,
    })
    .collect()
}

/// The questions a facilitator asks at each part of the meeting, by the agenda item's
/// position in the default agenda (ground rules, timeline walk, factors, action items,
/// reflection).
pub const PROMPTS: [&[&str]; 5] = [
    &[
        "We are here to learn how the system made this possible, not who did it.",
        "Everyone acted on what they knew at the time; what did they know?",
    ],
    &[
        "How were we alerted, and who knew first?",
        "What did you think was happening?",
        "How did that action make sense at the time?",
        "What surprised you?",
        "What could have led any responder to take that action?",
    ],
    &[
        "What made this possible?",
        "Why did that condition exist? And why that?",
        "Which safeguard did we expect to catch it, and why did it not?",
    ],
    &[
        "Who owns it, and by when?",
        "How will we know it is done?",
        "What are we deciding not to do, and why?",
    ],
    &[
        "What did you learn that you will do differently?",
        "What should the next incident's responders know?",
    ],
];

/// The redirect a facilitator is shown for a note with blame in it: a question about the
/// system, never an error.
pub const REDIRECT: &str =
    "How did the system allow this? What made that action make sense at the time?";

/// The room every participant sees: where the meeting is and what it has said so far.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Room {
    /// The agenda item under discussion, from 0.
    pub agenda_item: u32,
    /// Since when it is under discussion (Unix seconds): its time box runs from there.
    pub agenda_since: Option<i64>,
    /// The timeline entry the walk is at, from 0.
    pub entry: Option<u32>,
    /// How timeline entries mattered, by entry (the last tag given to each).
    pub tags: Vec<(u32, EntryTag)>,
    /// Who is in the room now, in the order they came.
    pub present: Vec<String>,
    /// Everybody who came, in the order they first came.
    pub attended: Vec<String>,
    /// The scribe's notes: what about, and what was said.
    pub notes: Vec<Labelled>,
    /// The decisions.
    pub decisions: Vec<String>,
    /// The factors, each with the `seq` of the change that named it.
    pub factors: Vec<(i64, Factor)>,
    /// The action items drafted.
    pub drafts: Vec<String>,
    /// What was decided not to do, and why.
    pub not_doing: Vec<Labelled>,
    /// The reflections, with who wrote them (none: anonymous).
    pub reflections: Vec<(Option<String>, String)>,
}

impl Room {
    /// The room after `events`, in order.
    pub fn of(events: &[MeetingEvent]) -> Room {
        let mut room = Room::default();
        for event in events {
            room.apply(event);
        }
        room
    }

    /// The room after one more change.
    pub fn apply(&mut self, event: &MeetingEvent) {
        let author = event.author.clone();
        match &event.change {
            MeetingChange::Start => self.agenda_since = Some(event.at),
            MeetingChange::End => {}
            MeetingChange::Join => {
                if let Some(name) = author {
                    if !self.attended.contains(&name) {
                        self.attended.push(name.clone());
                    }
                    if !self.present.contains(&name) {
                        self.present.push(name);
                    }
                }
            }
            MeetingChange::Leave => self.present.retain(|p| Some(p) != author.as_ref()),
            MeetingChange::Agenda { item } => {
                self.agenda_item = *item;
                self.agenda_since = Some(event.at);
            }
            // The time box lives in the meeting's agenda, which the change rewrites.
            MeetingChange::TimeBox { .. } => {}
            MeetingChange::Entry { entry } => self.entry = Some(*entry),
            MeetingChange::Tag { entry, tag } => {
                self.tags.retain(|(e, _)| e != entry);
                self.tags.push((*entry, *tag));
            }
            MeetingChange::Note { about, text } => self.notes.push(Labelled {
                label: about.clone(),
                text: text.clone(),
            }),
            MeetingChange::Decision { text } => self.decisions.push(text.clone()),
            MeetingChange::Factor { category, text } => self.factors.push((
                event.seq,
                Factor {
                    category: category.clone(),
                    text: text.clone(),
                    whys: Vec::new(),
                },
            )),
            MeetingChange::Why { factor, text } => {
                if let Some((_, f)) = self.factors.iter_mut().find(|(seq, _)| seq == factor) {
                    f.whys.push(text.clone());
                }
            }
            MeetingChange::Draft { text } => self.drafts.push(text.clone()),
            MeetingChange::NotDoing { what, why } => self.not_doing.push(Labelled {
                label: what.clone(),
                text: why.clone(),
            }),
            MeetingChange::Reflection { text, anonymous } => self
                .reflections
                .push(((!anonymous).then_some(author).flatten(), text.clone())),
        }
    }
}

/// What a meeting is, for checking a change against it.
pub struct Context<'a> {
    /// Its state.
    pub state: MeetingState,
    /// Its agenda.
    pub agenda: &'a [AgendaItem],
    /// How many timeline entries the postmortem has.
    pub entries: usize,
    /// Whether the sender facilitates it.
    pub facilitator: bool,
    /// The categories a factor may be named under.
    pub categories: &'a [String],
}

/// What the linter makes of a change's text before the meeting takes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assessment {
    /// For a note with blame in it: the facilitator's redirects, the general question first
    /// and then the linter's own suggestions. The note is kept word for word all the same.
    pub prompts: Vec<String>,
    /// For a drafted action item that is a wish, unowned or undated: why it is refused.
    pub refusals: Vec<String>,
}

/// Lints a note (blame becomes the facilitator's cue to redirect) or a drafted action item
/// (it must be specific, owned and dated); other changes have nothing to lint.
pub fn assess(change: &MeetingChange, options: &debrief_lint::Options<'_>) -> Assessment {
    match change {
        MeetingChange::Note { text, .. } => {
            let findings = debrief_lint::lint_passage(text, options);
            let mut prompts = Vec::new();
            if !findings.is_empty() {
                prompts.push(REDIRECT.to_string());
            }
            for suggestion in findings.into_iter().filter_map(|f| f.diagnostic.suggestion) {
                if !prompts.contains(&suggestion) {
                    prompts.push(suggestion);
                }
            }
            Assessment {
                prompts,
                refusals: Vec::new(),
            }
        }
        MeetingChange::Draft { text } => Assessment {
            prompts: Vec::new(),
            refusals: debrief_lint::lint_action_item(text, options)
                .into_iter()
                .map(|f| f.diagnostic.message)
                .collect(),
        },
        _ => Assessment::default(),
    }
}

/// Whether a meeting takes `change` now; the reason when it does not.
pub fn check(change: &MeetingChange, room: &Room, context: &Context<'_>) -> Result<(), String> {
    match (context.state, change) {
        (MeetingState::Ended, _) => return Err("the meeting has ended".into()),
        (
            MeetingState::Scheduled,
            MeetingChange::Start | MeetingChange::Join | MeetingChange::TimeBox { .. },
        ) => {}
        (MeetingState::Scheduled, _) => {
            return Err("the meeting has not started: the facilitator starts it".into());
        }
        (MeetingState::Running, MeetingChange::Start) => {
            return Err("the meeting is already running".into());
        }
        (MeetingState::Running, _) => {}
    }
    let texts: Vec<&str> = match change {
        MeetingChange::Note { about, text } => vec![about, text],
        MeetingChange::Decision { text }
        | MeetingChange::Draft { text }
        | MeetingChange::Why { text, .. }
        | MeetingChange::Reflection { text, .. } => vec![text],
        MeetingChange::Factor { category, text } => vec![category, text],
        MeetingChange::NotDoing { what, why } => vec![what, why],
        _ => Vec::new(),
    };
    for text in texts {
        if text.trim().is_empty() {
            return Err("a change needs some text".into());
        }
        if text.len() > MAX_TEXT_BYTES {
            return Err(format!(
                "a text of {} bytes; a change may have at most {MAX_TEXT_BYTES}",
                text.len()
            ));
        }
    }
    match change {
        MeetingChange::Start | MeetingChange::End if !context.facilitator => {
            Err("only the facilitator starts and ends the meeting".into())
        }
        MeetingChange::TimeBox { .. } if !context.facilitator => {
            Err("only the facilitator adjusts the time boxes".into())
        }
        MeetingChange::Agenda { item } | MeetingChange::TimeBox { item, .. }
            if *item as usize >= context.agenda.len() =>
        {
            Err(format!(
                "the agenda has {} items; there is no item {item}",
                context.agenda.len()
            ))
        }
        MeetingChange::TimeBox { minutes, .. } if !(1..=MAX_TIME_BOX).contains(minutes) => Err(
            format!("a time box of {minutes} minutes; it may take from 1 to {MAX_TIME_BOX}"),
        ),
        MeetingChange::Factor { category, .. }
            if !context
                .categories
                .iter()
                .any(|c| c.eq_ignore_ascii_case(category.trim())) =>
        {
            Err(format!(
                "there is no factor category {category:?}; the board has {}",
                context.categories.join(", ")
            ))
        }
        MeetingChange::Entry { entry } | MeetingChange::Tag { entry, .. }
            if *entry as usize >= context.entries =>
        {
            Err(format!(
                "the timeline has {} entries; there is no entry {entry}",
                context.entries
            ))
        }
        MeetingChange::Why { factor, .. } if !room.factors.iter().any(|(s, _)| s == factor) => {
            Err(format!("there is no factor {factor} to ask why of"))
        }
        _ => Ok(()),
    }
}

/// The record a meeting leaves: attendance (with each person's function and part), its
/// notes, decisions, factors and whys, what it decided not to do, and the reflections.
/// The drafted action items go to the document's action items, not here.
pub fn record(
    room: &Room,
    held: Held,
    people: &dyn Fn(&str) -> (String, Option<String>),
    entries: &[String],
) -> Record {
    Record {
        held: Some(held),
        attendance: room
            .attended
            .iter()
            .map(|name| {
                let (function, part) = people(name);
                Attendee {
                    name: name.clone(),
                    function,
                    part,
                }
            })
            .collect(),
        walk: room
            .tags
            .iter()
            .filter_map(|(entry, tag)| {
                let label = entries.get(*entry as usize)?.clone();
                Some(Labelled {
                    label,
                    text: tag_words(*tag).to_string(),
                })
            })
            .collect(),
        notes: room.notes.clone(),
        decisions: room.decisions.clone(),
        factors: room.factors.iter().map(|(_, f)| f.clone()).collect(),
        not_doing: room.not_doing.clone(),
        reflections: room
            .reflections
            .iter()
            .map(|(by, text)| Labelled {
                label: by
                    .clone()
                    .unwrap_or_else(|| debrief_core::meeting::ANONYMOUS.to_string()),
                text: text.clone(),
            })
            .collect(),
    }
}

/// A tag as the record says it.
pub fn tag_words(tag: EntryTag) -> &'static str {
    match tag {
        EntryTag::Detection => "detection",
        EntryTag::Diagnosis => "diagnosis",
        EntryTag::Repair => "repair",
        EntryTag::KeyMoment => "key moment",
    }
}

/// Someone invited: their username, and their e-mail address when they gave one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    /// Their username.
    pub name: String,
    /// Where invitations reach them.
    pub email: Option<String>,
}

/// What an invitation says besides the meeting itself.
pub struct Invitation<'a> {
    /// The postmortem's title.
    pub title: &'a str,
    /// Where the postmortem is read, to read before the meeting.
    pub link: &'a str,
    /// Who is invited; those without an e-mail address are named in the description.
    pub invitees: &'a [Invitee],
    /// When the invitation is written (its `DTSTAMP`), Unix seconds.
    pub now: i64,
    /// Its revision: a moved meeting's invitation replaces the earlier one (`SEQUENCE`).
    pub revision: u32,
}

/// The meeting as an iCalendar invitation (RFC 5545, `METHOD:REQUEST`): one event with a
/// stable `UID` per postmortem, in UTC, its description the blameless premise, the
/// postmortem's link to read before, and the agenda with its time boxes.
pub fn invitation(meeting: &Meeting, invitation: &Invitation<'_>) -> String {
    use icalendar::{Calendar, Component, Event, EventLike};
    let utc = |seconds: i64| chrono::DateTime::from_timestamp(seconds, 0).unwrap_or_default();
    let mut description = format!(
        "Read the postmortem before the meeting: {}\n\nWe meet to learn how the system made \
         this possible, not who did it. Everyone acted on what they knew at the time.\n\nAgenda:\n",
        invitation.link
    );
    for item in &meeting.agenda {
        description.push_str(&format!("- {} ({} min)\n", item.title, item.minutes));
    }
    let without_address: Vec<&str> = invitation
        .invitees
        .iter()
        .filter(|i| i.email.is_none())
        .map(|i| i.name.as_str())
        .collect();
    if !without_address.is_empty() {
        description.push_str(&format!("\nAlso invited: {}\n", without_address.join(", ")));
    }
    let mut event = Event::new();
    event
        .uid(&format!("meeting-{}@debrief", meeting.postmortem_id))
        .sequence(invitation.revision)
        .timestamp(utc(invitation.now))
        .summary(&format!("Review meeting: {}", invitation.title))
        .description(&description)
        .url(invitation.link)
        .starts(utc(meeting.starts_at))
        .ends(utc(meeting.starts_at + i64::from(meeting.minutes) * 60));
    for invitee in invitation.invitees {
        if let Some(email) = &invitee.email {
            event.attendee(
                icalendar::Attendee::new(format!("mailto:{email}"))
                    .cn(invitee.name.clone())
                    .role(icalendar::Role::ReqParticipant)
                    .rsvp(true),
            );
        }
    }
    let mut calendar = Calendar::new();
    calendar.append_property(icalendar::Property::new("METHOD", "REQUEST"));
    calendar.push(event.done());
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: i64, author: &str, change: MeetingChange) -> MeetingEvent {
        MeetingEvent {
            seq,
            at: 1_780_000_000 + seq,
            author: Some(author.to_string()),
            change,
            prompts: Vec::new(),
        }
    }

    fn context(state: MeetingState, facilitator: bool) -> Context<'static> {
        static AGENDA: std::sync::OnceLock<Vec<AgendaItem>> = std::sync::OnceLock::new();
        static CATEGORIES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        Context {
            state,
            agenda: AGENDA.get_or_init(default_agenda),
            entries: 3,
            facilitator,
            categories: CATEGORIES.get_or_init(|| vec!["Change".into(), "Vendors".into()]),
        }
    }

    #[test]
    fn the_room_is_its_changes_replayed() {
        let events = [
            event(1, "alice", MeetingChange::Start),
            event(2, "alice", MeetingChange::Join),
            event(3, "bob", MeetingChange::Join),
            event(4, "alice", MeetingChange::Agenda { item: 1 }),
            event(5, "alice", MeetingChange::Entry { entry: 2 }),
            event(
                6,
                "alice",
                MeetingChange::Tag {
                    entry: 2,
                    tag: EntryTag::Detection,
                },
            ),
            event(
                7,
                "alice",
                MeetingChange::Tag {
                    entry: 2,
                    tag: EntryTag::KeyMoment,
                },
            ),
            event(
                8,
                "bob",
                MeetingChange::Factor {
                    category: "Change".into(),
                    text: "The budget was shared.".into(),
                },
            ),
            event(
                9,
                "bob",
                MeetingChange::Why {
                    factor: 8,
                    text: "It was set per service.".into(),
                },
            ),
            event(10, "bob", MeetingChange::Leave),
            event(11, "bob", MeetingChange::Join),
            event(
                12,
                "bob",
                MeetingChange::Reflection {
                    text: "Check the budget.".into(),
                    anonymous: true,
                },
            ),
        ];
        let room = Room::of(&events);
        assert_eq!(room.agenda_item, 1);
        assert_eq!(
            room.agenda_since,
            Some(1_780_000_004),
            "the agenda moved at seq 4"
        );
        assert_eq!(room.entry, Some(2));
        assert_eq!(room.tags, vec![(2, EntryTag::KeyMoment)]);
        assert_eq!(room.attended, vec!["alice", "bob"]);
        assert_eq!(room.present, vec!["alice", "bob"]);
        assert_eq!(room.factors[0].1.whys, vec!["It was set per service."]);
        assert_eq!(
            room.reflections,
            vec![(None, "Check the budget.".to_string())]
        );
        let held = Held {
            date: jiff::civil::date(2026, 6, 16),
            start: jiff::civil::time(14, 0, 0, 0),
            zone: "UTC".into(),
            minutes: 60,
        };
        let people = |name: &str| {
            if name == "alice" {
                ("Dev".to_string(), Some("facilitator".to_string()))
            } else {
                ("Ops".to_string(), None)
            }
        };
        let entries =
            ["14:02 Deploy begins", "14:03 Canary", "14:05 Alert fires"].map(String::from);
        let record = record(&room, held, &people, &entries);
        assert_eq!(record.walk[0].label, "14:05 Alert fires");
        assert_eq!(record.walk[0].text, "key moment");
        assert_eq!(record.attendance[0].part.as_deref(), Some("facilitator"));
        assert_eq!(record.reflections[0].label, "Anonymous");
        let text = debrief_core::meeting::write(&record);
        assert_eq!(debrief_core::meeting::read(&text), record);
    }

    #[test]
    fn the_invitation_is_an_icalendar_request_with_the_agenda() {
        let meeting = Meeting {
            postmortem_id: 42,
            starts_at: 1_781_622_000,
            minutes: 60,
            zone: "UTC".into(),
            agenda: default_agenda(),
            factor_categories: Vec::new(),
            participants: vec!["ana".into(), "bo".into()],
            state: MeetingState::Scheduled,
            started_at: None,
            ended_at: None,
            last_change: 0,
        };
        let invitees = [
            Invitee {
                name: "ana".into(),
                email: Some("ana@example.com".into()),
            },
            Invitee {
                name: "bo".into(),
                email: None,
            },
        ];
        let text = invitation(
            &meeting,
            &Invitation {
                title: "Queue stalled; retries, everywhere",
                link: "https://debrief.example.com/postmortems/42",
                invitees: &invitees,
                now: 1_781_000_000,
                revision: 3,
            },
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
        for line in [
            "METHOD:REQUEST",
            "UID:meeting-42@debrief",
            "SEQUENCE:3",
            "DTSTART:20260616T150000Z",
            "DTEND:20260616T160000Z",
            "DTSTAMP:20260609T101320Z",
        ] {
            assert!(text.contains(&format!("{line}\r\n")), "{line} in {text}");
        }
        // Text is escaped as RFC 5545 says (`;` and `,`), lines folded at 75 octets.
        let unfolded = text.replace("\r\n ", "");
        assert!(
            unfolded.contains("SUMMARY:Review meeting: Queue stalled\\; retries\\, everywhere"),
            "{unfolded}"
        );
        assert!(unfolded.contains("mailto:ana@example.com"));
        assert!(unfolded.contains("Timeline walk (25 min)"), "{unfolded}");
        assert!(unfolded.contains("Also invited: bo"), "{unfolded}");
        assert!(text.lines().all(|l| l.len() <= 75), "{text}");
    }

    #[test]
    fn a_meeting_takes_changes_only_while_it_runs_and_in_range() {
        let room = Room::default();
        let note = MeetingChange::Note {
            about: "Timeline walk".into(),
            text: "We read the alert as the weekly flake.".into(),
        };
        assert!(check(&note, &room, &context(MeetingState::Scheduled, true)).is_err());
        assert!(
            check(
                &MeetingChange::Join,
                &room,
                &context(MeetingState::Scheduled, false)
            )
            .is_ok()
        );
        assert!(
            check(
                &MeetingChange::Start,
                &room,
                &context(MeetingState::Scheduled, false)
            )
            .is_err()
        );
        assert!(
            check(
                &MeetingChange::Start,
                &room,
                &context(MeetingState::Scheduled, true)
            )
            .is_ok()
        );
        assert!(check(&note, &room, &context(MeetingState::Running, false)).is_ok());
        assert!(check(&note, &room, &context(MeetingState::Ended, true)).is_err());
        let running = context(MeetingState::Running, false);
        assert!(check(&MeetingChange::Agenda { item: 5 }, &room, &running).is_err());
        assert!(check(&MeetingChange::Agenda { item: 4 }, &room, &running).is_ok());
        assert!(check(&MeetingChange::Entry { entry: 3 }, &room, &running).is_err());
        let why = MeetingChange::Why {
            factor: 8,
            text: "Because.".into(),
        };
        assert!(check(&why, &room, &running).is_err(), "no such factor");
        let blank = MeetingChange::Decision { text: " ".into() };
        assert!(check(&blank, &room, &running).is_err());
        assert!(
            check(&MeetingChange::End, &room, &running).is_err(),
            "not the facilitator"
        );
    }

    #[test]
    fn the_facilitator_adjusts_time_boxes_before_and_during_the_meeting() {
        let room = Room::default();
        let longer = MeetingChange::TimeBox {
            item: 1,
            minutes: 35,
        };
        for state in [MeetingState::Scheduled, MeetingState::Running] {
            assert_eq!(check(&longer, &room, &context(state, true)), Ok(()));
            let refused =
                check(&longer, &room, &context(state, false)).expect_err("not the facilitator");
            assert!(refused.contains("only the facilitator"), "{refused}");
        }
        let running = context(MeetingState::Running, true);
        for (item, minutes, complaint) in [(5, 10, "no item 5"), (1, 0, "from 1 to 120")] {
            let change = MeetingChange::TimeBox { item, minutes };
            let refused = check(&change, &room, &running).expect_err(complaint);
            assert!(refused.contains(complaint), "{refused}");
        }
    }

    #[test]
    fn factors_are_named_under_the_configured_categories() {
        let room = Room::default();
        let running = context(MeetingState::Running, false);
        let factor = |category: &str| MeetingChange::Factor {
            category: category.into(),
            text: "The vendor's limits were undocumented.".into(),
        };
        assert_eq!(check(&factor("vendors"), &room, &running), Ok(()));
        let refused = check(&factor("Monitoring"), &room, &running).expect_err("no such category");
        assert_eq!(
            refused,
            "there is no factor category \"Monitoring\"; the board has Change, Vendors"
        );
    }

    #[test]
    fn blame_in_a_note_is_a_redirect_and_a_wish_is_refused_with_its_reasons() {
        let config = debrief_lint::Config::default();
        let options = debrief_lint::Options::new(&config, jiff::civil::date(2026, 6, 16));
        let blames = MeetingChange::Note {
            about: "Timeline walk".into(),
            text: "Bob should have checked the dashboard before deploying.".into(),
        };
        let assessed = assess(&blames, &options);
        assert_eq!(assessed.prompts.first().map(String::as_str), Some(REDIRECT));
        assert!(assessed.refusals.is_empty(), "a note is never refused");
        let neutral = MeetingChange::Note {
            about: "Timeline walk".into(),
            text: "The dashboard showed the old region only.".into(),
        };
        assert_eq!(assess(&neutral, &options), Assessment::default());
        let wish = MeetingChange::Draft {
            text: "Be more careful with deploys".into(),
        };
        let refusals = assess(&wish, &options).refusals;
        assert!(refusals.len() >= 2, "vague, unowned, undated: {refusals:?}");
        let owned = MeetingChange::Draft {
            text: "Add a canary stage to the checkout pipeline (owner: @platform, due: 2026-07-01)"
                .into(),
        };
        assert_eq!(assess(&owned, &options), Assessment::default());
    }
}
