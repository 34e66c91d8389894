//! Round trips between the model and its canonical Markdown.
//!
//! For any model in the canonical domain, reading what the writer wrote gives back the same
//! model; and writing is a fixed point: reading and writing canonical text again changes no
//! byte. The domain is what the canonical form can express: recognised sections carry their
//! canonical heading at level 2, a document with timeline entries has a date (the reader
//! would otherwise take it from the timeline), texts are Markdown prose.

use debrief_core::model::{
    ActionItem, ActionItems, Impact, ImpactItem, Metadata, Milestone, Part, Postmortem, Section,
    SectionBody, SectionKind, Timeline, TimelineEntry,
};
use debrief_core::read::{parse_due, quantities};
use debrief_core::zone::parse_zone;
use debrief_core::{meeting, read, write};
use jiff::civil::{Date, DateTime};
use proptest::prelude::*;
use proptest::sample::select;

const WORDS: &[&str] = &[
    "deploy",
    "cache",
    "request",
    "queue",
    "worker",
    "database",
    "replica",
    "latency",
    "error",
    "rollout",
    "config",
    "service",
    "customer",
    "checkout",
    "payment",
    "retry",
    "budget",
    "dashboard",
    "runbook",
    "migration",
    "index",
    "shard",
    "network",
    "certificate",
    "gateway",
    "the",
    "of",
    "with",
    "after",
    "while",
    "limits",
    "Kafka",
    "Redis",
    "`legacy_id`",
    "**bold**",
    "p99",
    "v2.3.1",
    "failed",
    "slower",
    "drained",
];

fn words(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(select(WORDS), min..=max).prop_map(|w| w.join(" "))
}

fn sentence() -> impl Strategy<Value = String> {
    words(3, 12).prop_map(|w| format!("Context {w}."))
}

fn prose() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(sentence(), 1..3).prop_map(|p| p.join("\n\n")),
        prop::collection::vec(words(2, 8), 1..4).prop_map(|items| items
            .iter()
            .map(|i| format!("- {i}"))
            .collect::<Vec<_>>()
            .join("\n")),
    ]
}

fn date() -> impl Strategy<Value = Date> {
    // Months without daylight-saving changes, so every local time is unambiguous.
    (2015i16..2030, select(vec![1i8, 2, 6, 7, 8, 12]), 1i8..=28)
        .prop_map(|(y, m, d)| jiff::civil::date(y, m, d))
}

fn zone() -> impl Strategy<Value = Option<String>> {
    prop::option::of(
        select(vec![
            "UTC",
            "CET",
            "PST",
            "Eastern",
            "America/New_York",
            "+02:00",
            "Asia/Tokyo",
        ])
        .prop_map(String::from),
    )
}

fn name() -> impl Strategy<Value = String> {
    select(vec![
        "SRE",
        "the on-call engineer",
        "Payments team",
        "@platform",
        "A",
    ])
    .prop_map(String::from)
}

fn extra() -> impl Strategy<Value = Vec<(String, serde_json::Value)>> {
    let value = prop_oneof![
        select(vec![
            "plain words",
            "yes",
            "123",
            "a: b",
            "#tag",
            "quote \" inside",
            "ünïcode"
        ])
        .prop_map(serde_json::Value::from),
        (0i64..10_000).prop_map(serde_json::Value::from),
        any::<bool>().prop_map(serde_json::Value::from),
    ];
    prop::collection::btree_map(
        select(vec!["author", "team", "incident_id", "region", "x-review"]),
        value,
        0..3,
    )
    .prop_map(|m| m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn meta(has_entries: bool) -> impl Strategy<Value = Metadata> {
    let date = if has_entries {
        date().prop_map(Some).boxed()
    } else {
        prop::option::of(date()).boxed()
    };
    (
        words(1, 5),
        date,
        prop::option::of(select(vec!["SEV1", "SEV2", "P3"]).prop_map(String::from)),
        prop::option::of(select(vec!["draft", "published"]).prop_map(String::from)),
        prop::collection::vec(
            select(vec!["checkout", "api", "search"]).prop_map(String::from),
            0..3,
        ),
        zone(),
        any::<bool>(),
        prop::option::of(name()),
        extra(),
    )
        .prop_map(
            |(
                title,
                date,
                severity,
                status,
                services,
                timezone,
                restricted,
                facilitator,
                extra,
            )| Metadata {
                title: format!("Outage {title}"),
                date,
                severity,
                status,
                tags: services.iter().map(|s| format!("{s}-tag")).collect(),
                services,
                timezone,
                restricted,
                facilitator,
                scribe: None,
                extra,
            },
        )
}

/// A note before the entry, seconds after the base date's midnight, marker, text.
type EntrySpec = (Option<String>, i64, Option<Milestone>, String);
/// A note before the item, text, owner, due, done, priority, whether it has details.
type ItemSpec = (
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    bool,
    Option<String>,
    bool,
);

#[derive(Debug, Clone)]
enum SectionSpec {
    Verbatim(SectionKind, String),
    Impact(Vec<String>),
    Timeline(Vec<EntrySpec>),
    Actions(Vec<ItemSpec>),
    Other(u8, String, String),
    /// A review meeting's record: the section holds what `meeting::write` wrote, word for
    /// word, its parts' headings ("### Contributing factors") inside it (`meeting::read` gives
    /// the record back from that text: the property test of `debrief_core::meeting`).
    Meeting(meeting::Record),
}

fn meeting_record() -> impl Strategy<Value = meeting::Record> {
    let labelled = || {
        (words(1, 6), prop::collection::vec(words(1, 8), 1..3)).prop_map(|(label, lines)| {
            meeting::Labelled {
                label,
                text: lines.join("\n"),
            }
        })
    };
    let factor = (
        select(vec![
            "Change",
            "Monitoring",
            "Capacity",
            "Dependency",
            "Process",
        ]),
        words(2, 8),
        prop::collection::vec(words(2, 8), 0..4),
    )
        .prop_map(|(category, text, whys)| meeting::Factor {
            category: category.to_string(),
            text,
            whys,
        });
    let attendee = (
        select(vec!["alice", "bob", "carol"]),
        select(vec!["Dev", "Ops"]),
    )
        .prop_map(|(name, function)| meeting::Attendee {
            name: name.to_string(),
            function: function.to_string(),
            part: None,
        });
    (
        prop::collection::vec(attendee, 0..3),
        prop::collection::vec(labelled(), 0..2),
        prop::collection::vec(labelled(), 0..4),
        prop::collection::vec(words(2, 8), 0..3),
        prop::collection::vec(factor, 0..3),
        prop::collection::vec(labelled(), 0..2),
        prop::collection::vec(labelled(), 0..3),
    )
        .prop_map(
            |(attendance, walk, notes, decisions, factors, not_doing, reflections)| {
                meeting::Record {
                    held: None,
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
        // An empty record is no section to write.
        .prop_filter("a record with something in it", |r| {
            !meeting::write(r).is_empty()
        })
}

fn section_spec() -> impl Strategy<Value = SectionSpec> {
    let verbatim_kind = select(vec![
        SectionKind::Summary,
        SectionKind::RootCause,
        SectionKind::ContributingFactors,
        SectionKind::WentWell,
        SectionKind::WentBadly,
        SectionKind::Lucky,
    ]);
    let milestone = prop::option::of(select(Milestone::ALL.to_vec()));
    let entry = (
        prop::option::of(sentence()),
        0i64..(3 * 86_400),
        milestone,
        words(1, 10),
    );
    let due = prop::option::of(prop_oneof![
        select(vec![
            "2 weeks", "1 week", "10d", "a month", "Q3 2027", "someday"
        ])
        .prop_map(String::from),
        date().prop_map(|d| d.to_string()),
    ]);
    let item = (
        prop::option::of(sentence()),
        words(2, 8),
        prop::option::of(name()),
        due,
        any::<bool>(),
        prop::option::of(select(vec!["P1", "P2"]).prop_map(String::from)),
        any::<bool>(),
    );
    prop_oneof![
        (verbatim_kind, prose()).prop_map(|(k, t)| SectionSpec::Verbatim(k, t)),
        prop::collection::vec(
            words(1, 6).prop_map(|w| format!("{w} 1,204 requests failed")),
            1..4
        )
        .prop_map(SectionSpec::Impact),
        prop::collection::vec(entry, 0..8).prop_map(SectionSpec::Timeline),
        prop::collection::vec(item, 0..5).prop_map(SectionSpec::Actions),
        (1u8..=2, words(1, 3), prose()).prop_map(|(l, h, t)| SectionSpec::Other(
            l,
            format!("Appendix {h}"),
            t
        )),
        meeting_record().prop_map(SectionSpec::Meeting),
    ]
}

fn build(meta: &Metadata, preamble: String, specs: Vec<SectionSpec>, base: Date) -> Postmortem {
    let zone = meta
        .timezone
        .as_deref()
        .and_then(parse_zone)
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let start = DateTime::from_parts(base, jiff::civil::time(0, 0, 0, 0))
        .to_zoned(zone)
        .map(|z| z.timestamp())
        .expect("a date in a month without daylight-saving changes");
    let sections = specs
        .into_iter()
        .map(|spec| {
            let (kind, body) = match spec {
                SectionSpec::Verbatim(kind, text) => (
                    kind,
                    match kind {
                        SectionKind::Summary => SectionBody::Summary(text),
                        SectionKind::RootCause => SectionBody::RootCause(text),
                        SectionKind::ContributingFactors => SectionBody::ContributingFactors(text),
                        SectionKind::WentWell => SectionBody::WentWell(text),
                        SectionKind::WentBadly => SectionBody::WentBadly(text),
                        _ => SectionBody::Lucky(text),
                    },
                ),
                SectionSpec::Impact(lines) => {
                    let text = lines
                        .iter()
                        .map(|l| format!("- {l}"))
                        .collect::<Vec<_>>()
                        .join("\n");
                    let items = lines
                        .iter()
                        .map(|l| ImpactItem {
                            text: l.clone(),
                            quantities: quantities(l),
                        })
                        .collect();
                    (
                        SectionKind::Impact,
                        SectionBody::Impact(Impact { text, items }),
                    )
                }
                SectionSpec::Timeline(entries) => {
                    let mut parts = Vec::new();
                    for (note, offset, milestone, text) in entries {
                        if let Some(note) = note {
                            parts.push(Part::Text(note));
                        }
                        let at = start
                            .checked_add(jiff::SignedDuration::from_secs(offset))
                            .expect("in range");
                        parts.push(Part::Item(TimelineEntry {
                            at,
                            text,
                            milestone,
                            day_only: false,
                        }));
                    }
                    (
                        SectionKind::Timeline,
                        SectionBody::Timeline(Timeline { parts }),
                    )
                }
                SectionSpec::Actions(items) => {
                    let mut parts = Vec::new();
                    for (note, text, owner, due, done, priority, details) in items {
                        if let Some(note) = note {
                            parts.push(Part::Text(note));
                        }
                        parts.push(Part::Item(ActionItem {
                            text,
                            owner,
                            due: due.map(|d| parse_due(&d, meta.date)),
                            done,
                            priority,
                            tracker: None,
                            declined: None,
                            details: if details {
                                "- a sub-task with the runbook".to_string()
                            } else {
                                String::new()
                            },
                        }));
                    }
                    (
                        SectionKind::ActionItems,
                        SectionBody::ActionItems(ActionItems { parts }),
                    )
                }
                SectionSpec::Other(level, heading, text) => {
                    return Section {
                        heading,
                        level,
                        body: SectionBody::Other(text),
                    };
                }
                SectionSpec::Meeting(record) => {
                    let text = meeting::write(&record);
                    (
                        SectionKind::ReviewMeeting,
                        SectionBody::ReviewMeeting(text.trim_end().to_string()),
                    )
                }
            };
            Section {
                heading: kind.canonical_heading().to_string(),
                level: 2,
                body,
            }
        })
        .collect();
    Postmortem {
        meta: meta.clone(),
        preamble,
        sections,
    }
}

fn postmortem() -> impl Strategy<Value = Postmortem> {
    (
        prop::collection::vec(section_spec(), 0..8),
        prop::option::of(sentence()),
        date(),
    )
        .prop_flat_map(|(specs, preamble, base)| {
            let has_entries = specs
                .iter()
                .any(|s| matches!(s, SectionSpec::Timeline(e) if !e.is_empty()));
            meta(has_entries).prop_map(move |meta| {
                build(
                    &meta,
                    preamble.clone().unwrap_or_default(),
                    specs.clone(),
                    meta.date.unwrap_or(base),
                )
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn reading_what_was_written_gives_back_the_model(model in postmortem()) {
        let text = write(&model);
        let read = read(&text);
        prop_assert_eq!(&read.postmortem, &model, "written as:\n{}", text);
        prop_assert_eq!(write(&read.postmortem), text);
    }
}
