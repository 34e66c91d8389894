//! Imported entries into a postmortem's timeline: in time order among the entries already
//! there, each with a link to its source, without duplicates. An entry is already there
//! when one at the same instant says the same (a payload delivered twice, an export
//! imported again) or points at the same Slack message (edited since). A milestone an
//! import proposes is kept only where the timeline has none of that kind yet, the earliest
//! candidate first: what people wrote wins over what the records suggest.

use crate::Entry;
use crate::slack::ChatLine;
use debrief_core::model::{
    Part, Postmortem, Section, SectionBody, SectionKind, Timeline, TimelineEntry,
};
use jiff::tz::TimeZone;

/// What a merge did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Merged {
    /// Entries added.
    pub added: usize,
    /// Entries already in the timeline.
    pub duplicates: usize,
}

/// The heading of the section the chat is kept in, for `channel`.
pub fn chat_heading(channel: &str) -> String {
    format!("Chat log (#{channel})")
}

/// An entry's text as the timeline keeps it: with a link to its source.
pub fn written(entry: &Entry) -> String {
    match &entry.source.link {
        Some(link) => format!(
            "{} ([{}]({link}))",
            entry.text,
            source_label(entry.source.system)
        ),
        None => entry.text.clone(),
    }
}

/// How a source is named to people: `Slack`, `Alertmanager`, `PagerDuty`.
pub fn source_label(system: &str) -> &'static str {
    match system {
        "slack" => "Slack",
        "alertmanager" => "Alertmanager",
        "pagerduty" => "PagerDuty",
        _ => "source",
    }
}

/// Whether `entry` is already in `timeline`.
pub fn already_there(timeline: &Timeline, entry: &Entry) -> bool {
    let text = comparable(&entry.text);
    let message = entry.source.link.as_deref().filter(|l| names_a_message(l));
    timeline.entries().any(|existing| {
        existing.at.as_second() == entry.at.as_second()
            && (comparable(strip_source(&existing.text)) == text
                || message.is_some_and(|link| existing.text.contains(&format!("]({link})"))))
    })
}

/// Adds `entries` to the postmortem's timeline, making one where it has none.
pub fn merge(postmortem: &mut Postmortem, entries: &[Entry]) -> Merged {
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.at);
    let timeline = timeline_of(postmortem);
    let mut merged = Merged::default();
    for entry in sorted {
        if already_there(timeline, entry) {
            merged.duplicates += 1;
            continue;
        }
        let milestone = entry
            .milestone
            .filter(|m| !timeline.entries().any(|e| e.milestone == Some(*m)));
        let new = TimelineEntry {
            at: entry.at,
            text: written(entry),
            milestone,
            day_only: false,
        };
        // After the last entry at or before it; verbatim text after that entry stays with it.
        let place = timeline
            .parts
            .iter()
            .rposition(|p| p.item().is_some_and(|e| e.at <= entry.at))
            .map_or_else(
                || {
                    timeline
                        .parts
                        .iter()
                        .position(|p| p.item().is_some())
                        .unwrap_or(timeline.parts.len())
                },
                |i| i + 1,
            );
        timeline.parts.insert(place, Part::Item(new));
        merged.added += 1;
    }
    merged
}

/// The postmortem's timeline, made where the classic order puts it when there is none.
fn timeline_of(postmortem: &mut Postmortem) -> &mut Timeline {
    let found = postmortem
        .sections
        .iter()
        .position(|s| matches!(s.body, SectionBody::Timeline(_)));
    let index = found.unwrap_or_else(|| {
        let at = postmortem
            .sections
            .iter()
            .position(|s| {
                let kind = s.body.kind();
                kind > SectionKind::Timeline && kind != SectionKind::Other
            })
            .unwrap_or(postmortem.sections.len());
        postmortem.sections.insert(
            at,
            Section {
                heading: "Timeline".to_string(),
                level: 2,
                body: SectionBody::Timeline(Timeline::default()),
            },
        );
        at
    });
    match &mut postmortem.sections[index].body {
        SectionBody::Timeline(timeline) => timeline,
        _ => unreachable!("the section at {index} was found or made a timeline"),
    }
}

/// Keeps `chat` as the postmortem's chat log of `channel`: a section of quotes (the linter
/// reads quotes as evidence, not narrative), replacing the one an earlier import left.
pub fn keep_chat(postmortem: &mut Postmortem, channel: &str, chat: &[ChatLine], zone: &TimeZone) {
    let heading = chat_heading(channel);
    let mut body = String::new();
    let mut day = None;
    for line in chat {
        let local = line.at.to_zoned(zone.clone());
        if day != Some(local.date()) {
            day = Some(local.date());
            body.push_str(&format!("**{}**\n\n", local.date()));
        }
        let thread = if line.in_thread { "↳ " } else { "" };
        body.push_str(&format!(
            "> {} {thread}{}: {}\n\n",
            local.strftime("%H:%M:%S"),
            line.who,
            line.text
        ));
    }
    let section = Section {
        heading: heading.clone(),
        level: 2,
        body: SectionBody::Other(body.trim_end().to_string()),
    };
    match postmortem
        .sections
        .iter_mut()
        .find(|s| s.heading == heading)
    {
        Some(existing) => *existing = section,
        None => postmortem.sections.push(section),
    }
}

/// Text as compared: lower case, one space between words.
fn comparable(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// An entry's text without the source link an import added.
fn strip_source(text: &str) -> &str {
    let trimmed = text.trim_end();
    if let Some(open) = trimmed.rfind(" ([")
        && trimmed.ends_with("))")
        && trimmed[open..].contains("](")
    {
        return &trimmed[..open];
    }
    trimmed
}

/// Whether a link names one message (Slack's `/archives/<channel>/p<ts>`), rather than an
/// incident or a graph several entries share.
fn names_a_message(link: &str) -> bool {
    link.rsplit_once("/archives/")
        .and_then(|(_, rest)| rest.split_once("/p"))
        .is_some_and(|(channel, ts)| {
            !channel.is_empty() && !ts.is_empty() && ts.bytes().all(|b| b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;
    use debrief_core::model::Milestone;

    fn entry(second: i64, text: &str, link: Option<&str>, milestone: Option<Milestone>) -> Entry {
        Entry {
            at: jiff::Timestamp::from_second(1_781_430_000 + second).expect("an instant"),
            text: text.to_string(),
            milestone,
            source: Source {
                system: "slack",
                id: String::new(),
                link: link.map(str::to_string),
            },
        }
    }

    const DOCUMENT: &str = "---\ntitle: Queue stalled\ndate: 2026-06-14\n---\n\n## Summary\n\nIt stalled.\n\n\
        ## Timeline (UTC)\n\n- 09:40 [started] The consumer stops\n- 09:50 [detected] The alert fires\n\n\
        ## Action items\n\n- [ ] Alert on age (owner: @sre, due: 2099-01-01)\n";

    #[test]
    fn entries_go_in_time_order_once_and_keep_what_people_wrote() {
        let mut postmortem = debrief_core::read(DOCUMENT).postmortem;
        let link = "https://slack.com/archives/C1/p1781430300000100";
        let imported = [
            entry(
                300,
                "SRE: restarting the consumer",
                Some(link),
                Some(Milestone::Mitigated),
            ),
            entry(-60, "SRE: lag looks odd", None, Some(Milestone::Started)),
        ];
        assert_eq!(
            merge(&mut postmortem, &imported),
            Merged {
                added: 2,
                duplicates: 0
            }
        );
        // Again, and with the message edited since: nothing new.
        let edited = [
            entry(300, "SRE: restarting the consumers now", Some(link), None),
            entry(-60, "SRE:  lag looks ODD", None, None),
        ];
        assert_eq!(merge(&mut postmortem, &edited).duplicates, 2);
        let written = debrief_core::write(&postmortem);
        let timeline: Vec<&str> = written.lines().filter(|l| l.starts_with("- 09:")).collect();
        assert_eq!(
            timeline,
            [
                "- 09:39 SRE: lag looks odd",
                "- 09:40 [started] The consumer stops",
                "- 09:45 [mitigated] SRE: restarting the consumer ([Slack](https://slack.com/archives/C1/p1781430300000100))",
                "- 09:50 [detected] The alert fires",
            ],
            "{written}"
        );
        // Read back, the link and the order stay: a third import finds both.
        let mut again = debrief_core::read(&written).postmortem;
        assert_eq!(merge(&mut again, &edited).duplicates, 2);
    }
}
