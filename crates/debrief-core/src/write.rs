//! The canonical writer: one way to write every postmortem.
//!
//! Front matter only when there is metadata beyond title and date; the title heading
//! `# Postmortem: <title>, <date>`; sections in document order at level 2 with canonical
//! headings; timelines as `- HH:MM text` lists in the document's time zone (with dates when
//! the incident spans days); action items as task lists with a trailing
//! `(owner: A, due: 2 weeks)`. Everything the reader kept verbatim is written verbatim.

use crate::model::{
    ActionItem, ActionItems, Metadata, Part, Postmortem, SectionBody, SectionKind, Timeline,
    TimelineEntry,
};
use crate::read::FRONT_MATTER_KEYS;
use crate::zone::parse_zone;
use jiff::tz::TimeZone;
use serde_json::Value;
use std::fmt::Write as _;

/// Writes a postmortem in canonical form.
pub fn write(postmortem: &Postmortem) -> String {
    let mut out = String::with_capacity(4096);
    let meta = &postmortem.meta;
    // The zone goes in a timeline heading when there is one under the canonical name; a
    // timeline under the author's heading ("Leadup") leaves it to the front matter.
    let has_timeline = postmortem.sections.iter().any(|s| {
        s.body.kind() == SectionKind::Timeline
            && s.heading == SectionKind::Timeline.canonical_heading()
    });
    if needs_front_matter(meta, has_timeline) {
        front_matter(&mut out, meta);
    }
    out.push_str("# Postmortem");
    // "January 23rd, 2019 Prow Outage" already says its date: writing it again would say it
    // twice.
    let dated_title = meta.date.is_some() && crate::when::find_date(&meta.title) == meta.date;
    match (meta.title.is_empty(), meta.date) {
        (false, Some(_)) if dated_title => {
            let _ = write!(out, ": {}", meta.title);
        }
        (false, Some(date)) => {
            let _ = write!(out, ": {}, {date}", meta.title);
        }
        (false, None) => {
            let _ = write!(out, ": {}", meta.title);
        }
        (true, Some(date)) => {
            let _ = write!(out, ": {date}");
        }
        (true, None) => {}
    }
    out.push('\n');
    if !postmortem.preamble.is_empty() {
        out.push('\n');
        out.push_str(&postmortem.preamble);
        out.push('\n');
    }
    for section in &postmortem.sections {
        out.push('\n');
        let kind = section.body.kind();
        // A recognised section under its author's heading keeps it (a timeline known by its
        // entries, "## Leadup"); the others take the canonical heading at their own depth,
        // level 2 at the least.
        let authors = kind == SectionKind::Other || section.heading != kind.canonical_heading();
        let level = if authors {
            section.level.clamp(1, 6)
        } else {
            section.level.clamp(2, 6)
        };
        out.extend(std::iter::repeat_n('#', usize::from(level)));
        let heading = match kind {
            _ if authors => section.heading.clone(),
            SectionKind::Timeline => match &meta.timezone {
                Some(zone) => format!("Timeline ({zone})"),
                None => "Timeline".to_string(),
            },
            kind => kind.canonical_heading().to_string(),
        };
        if !heading.is_empty() {
            out.push(' ');
            out.push_str(&heading);
        }
        out.push('\n');
        let body = match &section.body {
            SectionBody::Timeline(timeline) => write_timeline(timeline, meta),
            SectionBody::ActionItems(items) => write_action_items(items),
            other => other.markdown().unwrap_or_default().to_string(),
        };
        if !body.is_empty() {
            out.push('\n');
            out.push_str(&body);
            out.push('\n');
        }
    }
    out
}

fn needs_front_matter(meta: &Metadata, has_timeline: bool) -> bool {
    meta.severity.is_some()
        || meta.status.is_some()
        || !meta.services.is_empty()
        || !meta.tags.is_empty()
        || meta.restricted
        || meta.facilitator.is_some()
        || meta.scribe.is_some()
        || !meta.extra.is_empty()
        || (meta.timezone.is_some() && !has_timeline)
}

fn front_matter(out: &mut String, meta: &Metadata) {
    out.push_str("---\n");
    for key in FRONT_MATTER_KEYS {
        let value = match key {
            "title" => (!meta.title.is_empty()).then(|| yaml_string(&meta.title)),
            "date" => meta.date.map(|d| d.to_string()),
            "severity" => meta.severity.as_deref().map(yaml_string),
            "status" => meta.status.as_deref().map(yaml_string),
            "services" => (!meta.services.is_empty()).then(|| yaml_list(&meta.services)),
            "tags" => (!meta.tags.is_empty()).then(|| yaml_list(&meta.tags)),
            "timezone" => meta.timezone.as_deref().map(yaml_string),
            "restricted" => meta.restricted.then(|| "true".to_string()),
            "facilitator" => meta.facilitator.as_deref().map(yaml_string),
            "scribe" => meta.scribe.as_deref().map(yaml_string),
            _ => None,
        };
        if let Some(value) = value {
            let _ = writeln!(out, "{key}: {value}");
        }
    }
    for (key, value) in &meta.extra {
        let value = match value {
            Value::String(s) => yaml_string(s),
            other => other.to_string(),
        };
        let _ = writeln!(out, "{}: {value}", yaml_key(key));
    }
    out.push_str("---\n");
}

/// A YAML scalar: plain when it cannot be mistaken for anything else, JSON-quoted otherwise
/// (JSON strings are valid YAML).
fn yaml_string(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else {
        Value::String(s.to_string()).to_string()
    }
}

fn yaml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_string()
    } else {
        Value::String(key.to_string()).to_string()
    }
}

fn yaml_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| yaml_string(s)).collect();
    format!("[{}]", items.join(", "))
}

fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let starts_like_a_word =
        first.is_alphabetic() || (first.is_ascii_digit() && s.chars().any(char::is_alphabetic));
    if !starts_like_a_word {
        return false;
    }
    if s.ends_with([' ', ':']) || s.contains(": ") || s.contains(" #") {
        return false;
    }
    if !s
        .chars()
        .all(|c| c.is_alphanumeric() || " _.-/@'".contains(c))
    {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n" | "nan" | "inf"
    ) && !s
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count()
        .eq(&s.len())
}

fn write_timeline(timeline: &Timeline, meta: &Metadata) -> String {
    let zone = meta
        .timezone
        .as_deref()
        .and_then(parse_zone)
        .unwrap_or(TimeZone::UTC);
    let reference = meta.date.unwrap_or(crate::read::UNDATED);
    let local = |e: &TimelineEntry| e.at.to_zoned(zone.clone()).datetime();
    // Times alone when every entry is on the postmortem's date and no step back in time
    // would read as crossing midnight; dates on every entry otherwise.
    let locals: Vec<_> = timeline.entries().map(local).collect();
    let short = timeline.entries().all(|e| !e.day_only)
        && locals.iter().all(|t| t.date() == reference)
        && locals
            .windows(2)
            .all(|w| crate::read::reads_as_same_day(w[0].time(), w[1].time()));
    // A postmortem with no date whose entries give no year is anchored to the undated year
    // only so that durations can be measured: its entries are written with their month and
    // day, never with a year nobody wrote.
    let undated = meta.date.is_none();
    let date = move |at: jiff::civil::DateTime| {
        if undated && at.year() == crate::read::UNDATED.year() {
            // "May 31": a month and a day the reader takes back as they are, alone too.
            at.strftime("%b %-d").to_string()
        } else {
            at.date().to_string()
        }
    };
    write_parts(&timeline.parts, |out, entry| {
        let at = local(entry);
        out.push_str("- ");
        if entry.day_only {
            out.push_str(&date(at));
        } else {
            if !short {
                let _ = write!(out, "{} ", date(at));
            }
            let _ = write!(out, "{:02}:{:02}", at.hour(), at.minute());
            if at.second() != 0 {
                let _ = write!(out, ":{:02}", at.second());
            }
        }
        if let Some(milestone) = entry.milestone {
            let _ = write!(out, " [{}]", milestone.name());
        }
        if !entry.text.is_empty() {
            out.push(' ');
            push_indented(out, &entry.text);
        }
    })
}

fn write_action_items(items: &ActionItems) -> String {
    write_parts(&items.parts, write_action_item)
}

pub(crate) fn write_action_item(out: &mut String, item: &ActionItem) {
    out.push_str(if item.done { "- [x] " } else { "- [ ] " });
    out.push_str(&item.text);
    let mut fields = Vec::new();
    if let Some(owner) = &item.owner {
        fields.push(format!("owner: {owner}"));
    }
    if let Some(due) = &item.due {
        fields.push(format!("due: {}", due.written));
    }
    if let Some(priority) = &item.priority {
        fields.push(format!("priority: {priority}"));
    }
    if let Some(tracker) = &item.tracker {
        fields.push(format!("tracker: {tracker}"));
    }
    if let Some(reason) = &item.declined {
        fields.push(format!("declined: {reason}"));
    }
    if !fields.is_empty() {
        let _ = write!(out, " ({})", fields.join(", "));
    }
    if !item.details.is_empty() {
        out.push('\n');
        out.push_str("  ");
        push_indented(out, &item.details);
    }
}

/// Items as one tight list; verbatim text between them separated by blank lines.
fn write_parts<T>(parts: &[Part<T>], mut item: impl FnMut(&mut String, &T)) -> String {
    let mut out = String::new();
    let mut previous_was_item = false;
    for part in parts {
        match part {
            Part::Item(value) => {
                if !out.is_empty() {
                    out.push_str(if previous_was_item { "\n" } else { "\n\n" });
                }
                item(&mut out, value);
                previous_was_item = true;
            }
            Part::Text(text) => {
                if !out.is_empty() {
                    out.push_str("\n\n");
                }
                out.push_str(text);
                previous_was_item = false;
            }
        }
    }
    out
}

/// Pushes multi-line text with continuation lines indented two spaces (blank lines stay blank).
fn push_indented(out: &mut String, text: &str) {
    let mut lines = text.split('\n');
    out.push_str(lines.next().unwrap_or(""));
    for line in lines {
        out.push('\n');
        if !line.is_empty() {
            out.push_str("  ");
            out.push_str(line);
        }
    }
}

/// `text` with its first letter a capital: a role or a quoted sentence starting a line.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A file name's stem for a title: `Checkout 500 errors!` becomes `checkout-500-errors`.
/// Letters and digits of any script, lower-cased; runs of anything else as one `-`; at most
/// 60 characters; `postmortem` when nothing is left.
pub fn slug(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    for c in title.chars().flat_map(char::to_lowercase) {
        // Letters and digits of every script are kept: a title in Japanese or Greek names
        // its own file, rather than every such title becoming "postmortem".
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    if slug.is_empty() {
        "postmortem".to_string()
    } else {
        slug.trim_end_matches('-').to_string()
    }
}

#[cfg(test)]
mod slug_tests {
    use super::slug;

    #[test]
    fn slugs() {
        assert_eq!(slug("Checkout 500 errors!"), "checkout-500-errors");
        assert_eq!(slug("  Über -- outage "), "über-outage");
        assert_eq!(slug("データベース 障害"), "データベース-障害");
        assert_ne!(slug("Αποτυχία"), slug("Ausfall"));
        assert_eq!(slug("!!!"), "postmortem");
    }
}
