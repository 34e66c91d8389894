//! The postmortem document model.
//!
//! A [`Postmortem`] is its metadata, the free text before the first section, and its sections in
//! document order. Sections the reader recognises carry structure (timeline entries, action
//! items, impact quantities); every other section is kept verbatim, so that writing a document
//! never loses what its authors wrote.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

/// One postmortem document.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Postmortem {
    /// Front matter and title-heading metadata.
    pub meta: Metadata,
    /// Markdown between the title heading and the first section, verbatim.
    pub preamble: String,
    /// Sections in document order.
    pub sections: Vec<Section>,
}

/// Metadata of a postmortem: front matter, or the `# Postmortem: <title>, <date>` heading.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Metadata {
    /// The incident's title, without a "Postmortem:" prefix.
    pub title: String,
    /// The date of the incident.
    pub date: Option<Date>,
    /// Severity as written, for example `SEV2`.
    pub severity: Option<String>,
    /// Workflow status as written, for example `draft`.
    pub status: Option<String>,
    /// Services affected.
    pub services: Vec<String>,
    /// Free-form tags.
    pub tags: Vec<String>,
    /// The time zone the timeline is written in, as written (`UTC`, `PST`, `Europe/Oslo`, `+02:00`).
    pub timezone: Option<String>,
    /// Restricted postmortems (security incidents) are shown only to their members.
    pub restricted: bool,
    /// The review meeting's facilitator.
    pub facilitator: Option<String>,
    /// The review meeting's scribe.
    pub scribe: Option<String>,
    /// Every other front-matter key, in order, with its value.
    pub extra: Vec<(String, serde_json::Value)>,
}

impl Metadata {
    /// A front-matter key this model has no field for (`team`, `tracker`), matched without
    /// regard to case.
    pub fn extra(&self, key: &str) -> Option<&serde_json::Value> {
        self.extra
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    /// The teams the front matter names, under `team:` or `teams:` (one name or a list), in
    /// order: the teams that own the incident's follow-up.
    pub fn teams(&self) -> Vec<String> {
        ["team", "teams"]
            .into_iter()
            .filter_map(|key| self.extra(key))
            .flat_map(|value| match value {
                serde_json::Value::String(s) => vec![s.trim().to_string()],
                serde_json::Value::Array(list) => list
                    .iter()
                    .filter_map(|v| v.as_str().map(|s| s.trim().to_string()))
                    .collect(),
                _ => Vec::new(),
            })
            .filter(|team| !team.is_empty())
            .collect()
    }
}

/// A section: a heading and what follows it up to the next section heading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// The heading as written (inline Markdown removed). The writer uses the canonical heading
    /// for recognised kinds and this text for [`SectionBody::Other`].
    pub heading: String,
    /// Heading level, 1 to 6.
    pub level: u8,
    /// What the section holds.
    pub body: SectionBody,
}

/// The content of a section, by kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "content", rename_all = "snake_case")]
pub enum SectionBody {
    /// A short description of what happened.
    Summary(String),
    /// Who and what was affected, and how much.
    Impact(Impact),
    /// What happened when.
    Timeline(Timeline),
    /// Why it happened: the analysis, possibly five whys.
    RootCause(String),
    /// The conditions that together made the incident possible.
    ContributingFactors(String),
    /// What went well.
    WentWell(String),
    /// What went badly.
    WentBadly(String),
    /// Where we got lucky.
    Lucky(String),
    /// Follow-up work.
    ActionItems(ActionItems),
    /// What the review meeting left, verbatim: [`crate::meeting::read`] gives its record.
    ReviewMeeting(String),
    /// Any other section, verbatim.
    Other(String),
}

/// The kinds of section the reader recognises, in the order of the classic template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// See [`SectionBody::Summary`].
    Summary,
    /// See [`SectionBody::Impact`].
    Impact,
    /// See [`SectionBody::Timeline`].
    Timeline,
    /// See [`SectionBody::RootCause`].
    RootCause,
    /// See [`SectionBody::ContributingFactors`].
    ContributingFactors,
    /// See [`SectionBody::WentWell`].
    WentWell,
    /// See [`SectionBody::WentBadly`].
    WentBadly,
    /// See [`SectionBody::Lucky`].
    Lucky,
    /// See [`SectionBody::ActionItems`].
    ActionItems,
    /// See [`SectionBody::ReviewMeeting`].
    ReviewMeeting,
    /// See [`SectionBody::Other`].
    Other,
}

impl SectionKind {
    /// Every recognised kind, in template order.
    pub const RECOGNISED: [SectionKind; 9] = [
        SectionKind::Summary,
        SectionKind::Impact,
        SectionKind::Timeline,
        SectionKind::RootCause,
        SectionKind::ContributingFactors,
        SectionKind::WentWell,
        SectionKind::WentBadly,
        SectionKind::Lucky,
        SectionKind::ActionItems,
    ];

    /// The heading the canonical writer uses (the timeline adds its time zone).
    pub fn canonical_heading(self) -> &'static str {
        match self {
            SectionKind::Summary => "Summary",
            SectionKind::Impact => "Impact",
            SectionKind::Timeline => "Timeline",
            SectionKind::RootCause => "Root cause analysis",
            SectionKind::ContributingFactors => "Contributing factors",
            SectionKind::WentWell => "What went well",
            SectionKind::WentBadly => "What went badly",
            SectionKind::Lucky => "Where we got lucky",
            SectionKind::ActionItems => "Action items",
            SectionKind::ReviewMeeting => crate::meeting::HEADING,
            SectionKind::Other => "",
        }
    }

    /// A stable identifier, as used in configuration (`root_cause`, `action_items`, ...).
    pub fn id(self) -> &'static str {
        match self {
            SectionKind::Summary => "summary",
            SectionKind::Impact => "impact",
            SectionKind::Timeline => "timeline",
            SectionKind::RootCause => "root_cause",
            SectionKind::ContributingFactors => "contributing_factors",
            SectionKind::WentWell => "went_well",
            SectionKind::WentBadly => "went_badly",
            SectionKind::Lucky => "lucky",
            SectionKind::ActionItems => "action_items",
            SectionKind::ReviewMeeting => "review_meeting",
            SectionKind::Other => "other",
        }
    }
}

impl SectionBody {
    /// The section's Markdown as its author wrote it, for the sections kept as written (the
    /// prose sections and the impact); `None` for the timeline and the action items, which
    /// are structured.
    pub fn markdown(&self) -> Option<&str> {
        match self {
            SectionBody::Summary(text)
            | SectionBody::RootCause(text)
            | SectionBody::ContributingFactors(text)
            | SectionBody::WentWell(text)
            | SectionBody::WentBadly(text)
            | SectionBody::Lucky(text)
            | SectionBody::ReviewMeeting(text)
            | SectionBody::Other(text) => Some(text),
            SectionBody::Impact(impact) => Some(&impact.text),
            SectionBody::Timeline(_) | SectionBody::ActionItems(_) => None,
        }
    }

    /// The kind of this body.
    pub fn kind(&self) -> SectionKind {
        match self {
            SectionBody::Summary(_) => SectionKind::Summary,
            SectionBody::Impact(_) => SectionKind::Impact,
            SectionBody::Timeline(_) => SectionKind::Timeline,
            SectionBody::RootCause(_) => SectionKind::RootCause,
            SectionBody::ContributingFactors(_) => SectionKind::ContributingFactors,
            SectionBody::WentWell(_) => SectionKind::WentWell,
            SectionBody::WentBadly(_) => SectionKind::WentBadly,
            SectionBody::Lucky(_) => SectionKind::Lucky,
            SectionBody::ActionItems(_) => SectionKind::ActionItems,
            SectionBody::ReviewMeeting(_) => SectionKind::ReviewMeeting,
            SectionBody::Other(_) => SectionKind::Other,
        }
    }

    /// The body's Markdown in document order: the whole text of a prose section, or each
    /// entry's or item's text and the Markdown kept between them.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        let (text, timeline, items) = match self {
            SectionBody::Summary(t)
            | SectionBody::RootCause(t)
            | SectionBody::ContributingFactors(t)
            | SectionBody::WentWell(t)
            | SectionBody::WentBadly(t)
            | SectionBody::Lucky(t)
            | SectionBody::ReviewMeeting(t)
            | SectionBody::Other(t) => (Some(t.as_str()), None, None),
            SectionBody::Impact(impact) => (Some(impact.text.as_str()), None, None),
            SectionBody::Timeline(timeline) => (None, Some(&timeline.parts), None),
            SectionBody::ActionItems(items) => (None, None, Some(&items.parts)),
        };
        let entries = timeline.into_iter().flatten().map(|part| match part {
            Part::Item(entry) => entry.text.as_str(),
            Part::Text(t) => t.as_str(),
        });
        let items = items.into_iter().flatten().map(|part| match part {
            Part::Item(item) => item.text.as_str(),
            Part::Text(t) => t.as_str(),
        });
        text.into_iter().chain(entries).chain(items)
    }
}

/// A structured section's content: parsed items with the Markdown between them kept in place.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Part<T> {
    /// An item the reader understood.
    Item(T),
    /// Markdown kept verbatim: prose, images, code blocks, sub-headings, items it could not read.
    Text(String),
}

impl<T> Part<T> {
    /// The item, when this part is one.
    pub fn item(&self) -> Option<&T> {
        match self {
            Part::Item(item) => Some(item),
            Part::Text(_) => None,
        }
    }
}

/// The impact section: its Markdown verbatim, and the quantities found in it.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Impact {
    /// The section's Markdown, verbatim.
    pub text: String,
    /// One item per list item (or per paragraph when there is no list), with its quantities.
    pub items: Vec<ImpactItem>,
}

/// One statement of impact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImpactItem {
    /// The statement as written.
    pub text: String,
    /// Quantities written in it.
    pub quantities: Vec<Quantity>,
}

/// A quantity written in the impact section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    /// What kind of quantity.
    pub kind: QuantityKind,
    /// The number, in the unit below (seconds for durations).
    pub value: f64,
    /// Currency symbol or code for money, `%` for percentages, the noun that follows a count.
    pub unit: Option<String>,
    /// The quantity as written.
    pub written: String,
}

/// Kinds of [`Quantity`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuantityKind {
    /// A number of things: requests, customers, complaints.
    Count,
    /// An amount of money.
    Money,
    /// A length of time, in seconds.
    Duration,
    /// A percentage.
    Percent,
}

/// The timeline: entries in document order with the Markdown between them kept in place.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Timeline {
    /// Entries and verbatim text, in document order.
    pub parts: Vec<Part<TimelineEntry>>,
}

impl Timeline {
    /// The entries, in document order.
    pub fn entries(&self) -> impl Iterator<Item = &TimelineEntry> {
        self.parts.iter().filter_map(Part::item)
    }
}

/// One timeline entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEntry {
    /// When it happened, in UTC.
    pub at: Timestamp,
    /// What happened, as written (Markdown), without the time and the milestone marker.
    pub text: String,
    /// The milestone written explicitly as `[detected]`, if any. Inferred milestones are
    /// computed by [`crate::milestones`], not stored, so that writing never invents markers.
    pub milestone: Option<Milestone>,
    /// Only the day is known ("- 2021-06-22 Vendor notified", a table row with a date and no
    /// time): `at` is the start of that day in the timeline's zone, and no milestone is
    /// inferred from it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub day_only: bool,
}

/// Milestones of an incident, in the order they must happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// Impact began.
    Started,
    /// The problem was noticed (alert, report).
    Detected,
    /// A responder took it on.
    Acknowledged,
    /// Impact stopped or was reduced.
    Mitigated,
    /// The incident was over.
    Resolved,
}

impl Milestone {
    /// All milestones, in order.
    pub const ALL: [Milestone; 5] = [
        Milestone::Started,
        Milestone::Detected,
        Milestone::Acknowledged,
        Milestone::Mitigated,
        Milestone::Resolved,
    ];

    /// The name used in markers and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Milestone::Started => "started",
            Milestone::Detected => "detected",
            Milestone::Acknowledged => "acknowledged",
            Milestone::Mitigated => "mitigated",
            Milestone::Resolved => "resolved",
        }
    }

    /// What the milestone marks and which figure it ends, for people reading a timeline.
    pub fn meaning(self) -> &'static str {
        match self {
            Milestone::Started => {
                "Impact began: the first moment users or systems were affected. Every figure is counted from here."
            }
            Milestone::Detected => {
                "The problem was noticed, by an alert or a report. Time to detect runs from started to here."
            }
            Milestone::Acknowledged => {
                "A responder took the problem on. Time to acknowledge runs from started to here."
            }
            Milestone::Mitigated => {
                "Impact stopped or was reduced, even if the cause remained. Time to mitigate runs from started to here."
            }
            Milestone::Resolved => {
                "The incident was over. Time to resolve runs from started to here."
            }
        }
    }

    /// Parses a marker name (`detected`, `ack`, `resolved`, ...), case-insensitively.
    pub fn from_marker(name: &str) -> Option<Milestone> {
        let name = name.trim().to_ascii_lowercase();
        Some(match name.as_str() {
            "started" | "start" | "begin" | "began" | "impact" | "impact started" => {
                Milestone::Started
            }
            "detected" | "detect" | "detection" => Milestone::Detected,
            "acknowledged" | "acknowledge" | "ack" | "acked" => Milestone::Acknowledged,
            "mitigated" | "mitigate" | "mitigation" => Milestone::Mitigated,
            "resolved" | "resolve" | "resolution" | "recovered" => Milestone::Resolved,
            _ => return None,
        })
    }
}

/// The action items section: items in document order with the Markdown between them.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ActionItems {
    /// Items and verbatim text, in document order.
    pub parts: Vec<Part<ActionItem>>,
}

impl ActionItems {
    /// The items, in document order.
    pub fn items(&self) -> impl Iterator<Item = &ActionItem> {
        self.parts.iter().filter_map(Part::item)
    }
}

/// A follow-up action.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ActionItem {
    /// What is to be done (Markdown, one line).
    pub text: String,
    /// Who owns it.
    pub owner: Option<String>,
    /// When it is due.
    pub due: Option<Due>,
    /// Whether it is done (a checked task box).
    pub done: bool,
    /// Priority as written (`P1`, `high`).
    pub priority: Option<String>,
    /// Tracker reference: an issue URL or key (`#123`, `OPS-42`).
    pub tracker: Option<String>,
    /// Declined, with the reason (`declined: covered by the new gateway`): it will not be
    /// done, on purpose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declined: Option<String>,
    /// Markdown below the item's first line (nested lists, notes), verbatim and dedented.
    pub details: String,
}

impl ActionItem {
    /// Whether the item asks nothing more: done, or declined with a reason. The workflow
    /// closes a postmortem on it, and the review counts completion by it.
    pub fn is_settled(&self) -> bool {
        self.done
            || self
                .declined
                .as_deref()
                .is_some_and(|reason| !reason.trim().is_empty())
    }
}

impl ActionItem {
    /// Where the item stands, as output writes it: `done`, `declined` or `open`.
    pub fn state(&self) -> &'static str {
        if self.done {
            "done"
        } else if self.declined.is_some() {
            "declined"
        } else {
            "open"
        }
    }
}

/// A due date as written, and the date it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Due {
    /// As written: `2026-06-28`, `2 weeks`, `Q3`.
    pub written: String,
    /// The date it resolves to; relative dates count from the postmortem's date.
    pub date: Option<Date>,
}

impl Postmortem {
    /// The sections of one kind, in document order.
    pub fn sections_of(&self, kind: SectionKind) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(move |s| s.body.kind() == kind)
    }

    /// Whether a section of this kind is present.
    pub fn has_section(&self, kind: SectionKind) -> bool {
        self.sections_of(kind).next().is_some()
    }

    /// Every timeline entry, across timeline sections, in document order.
    pub fn timeline_entries(&self) -> impl Iterator<Item = &TimelineEntry> {
        self.sections.iter().flat_map(|s| {
            match &s.body {
                SectionBody::Timeline(t) => Some(t.entries()),
                _ => None,
            }
            .into_iter()
            .flatten()
        })
    }

    /// Every action item, across action-item sections, in document order.
    pub fn action_items(&self) -> impl Iterator<Item = &ActionItem> {
        self.sections.iter().flat_map(|s| {
            match &s.body {
                SectionBody::ActionItems(a) => Some(a.items()),
                _ => None,
            }
            .into_iter()
            .flatten()
        })
    }

    /// The impact section, if any.
    pub fn impact(&self) -> Option<&Impact> {
        self.sections.iter().find_map(|s| match &s.body {
            SectionBody::Impact(i) => Some(i),
            _ => None,
        })
    }
}
