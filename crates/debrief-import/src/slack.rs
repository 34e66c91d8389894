//! A Slack workspace export: `channels.json` (and `groups.json` for private channels),
//! `users.json`, and a folder per channel holding one JSON array of messages per day.
//!
//! The days are read one at a time and each day one message at a time, so memory holds what
//! is imported, never a whole day file. Joins, leaves, topic changes and bots are skipped;
//! an edit (`message_changed`) replaces the message it edits, a deletion removes it. People
//! are written as their roles ([`SlackOptions::people`], else their Slack title, else
//! "responder 1", "responder 2" in the order they first spoke), never as their names, in
//! entries and in the chat kept as evidence alike.

use crate::archive::Archive;
use crate::{Entry, Error, Source, instant_of, mrkdwn};
use jiff::Timestamp;
use serde::Deserialize;
use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

/// The most characters of a message an entry keeps; the chat keeps it whole.
pub const ENTRY_CHARS: usize = 280;

/// Which messages become entries (the chat keeps every one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// Every message people wrote.
    All,
    /// Messages pinned in the channel.
    Pinned,
    /// Messages with this reaction (`white_check_mark`, without colons).
    Reaction(String),
}

/// A person of the workspace, as `users.json` describes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    /// Slack's id (`U024BE7LH`).
    pub id: String,
    /// Their handle.
    pub name: String,
    /// Their full name.
    pub real_name: String,
    /// The name they chose to be shown.
    pub display_name: String,
    /// Their title in their profile ("Site Reliability Engineer").
    pub title: String,
    /// Their e-mail address in their profile, where the export has it.
    pub email: String,
    /// A bot or an app.
    pub is_bot: bool,
}

/// What to import from an export.
pub struct SlackOptions<'a> {
    /// The channel, by name (with or without `#`) or id.
    pub channel: &'a str,
    /// Messages from this instant on.
    pub from: Option<Timestamp>,
    /// Messages up to this instant.
    pub to: Option<Timestamp>,
    /// Which messages become entries.
    pub filter: Filter,
    /// The role to write for a person (the roster, the server's users); `None` falls back
    /// to their title, then to "responder N".
    pub people: &'a dyn Fn(&Person) -> Option<String>,
    /// Where message links point: `https://acme.slack.com`; `https://slack.com` sends a
    /// signed-in reader on to their workspace.
    pub workspace: &'a str,
    /// What the archive may expand to, in bytes.
    pub max_bytes: u64,
    /// Whether to keep every message as the chat (evidence); without it only the messages
    /// that become entries are held, so memory follows the entries, not the channel.
    pub keep_chat: bool,
}

/// A message kept as evidence.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChatLine {
    /// When it was written.
    pub at: Timestamp,
    /// Its author's role.
    pub who: String,
    /// Its text, as Markdown on one line, people written as roles.
    pub text: String,
    /// A reply in a thread.
    pub in_thread: bool,
}

/// What an import found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SlackImport {
    /// The channel's name.
    pub channel: String,
    /// The entries proposed, in time order.
    pub entries: Vec<Entry>,
    /// Every message people wrote in the range, in time order.
    pub chat: Vec<ChatLine>,
    /// Messages skipped: bots, joins and other channel events, deleted ones.
    pub skipped: usize,
    /// Day files read.
    pub days: usize,
}

/// Imports the channel `options.channel` of the export at `path`.
pub fn import(path: &Path, options: &SlackOptions<'_>) -> Result<SlackImport, Error> {
    let mut archive = Archive::open(path, options.max_bytes)?;
    let files = archive.files()?;
    // The export's root: where `channels.json` is (a ZIP of the folder has it one down).
    let Some(root) = files
        .iter()
        .filter_map(|f| f.strip_suffix("channels.json"))
        .filter(|prefix| prefix.is_empty() || prefix.ends_with('/'))
        .min_by_key(|prefix| prefix.len())
        .map(str::to_string)
    else {
        return Err(Error::new(
            &archive.shown(),
            "not a Slack export: it has no channels.json (an export holds channels.json, \
             users.json and a folder of days per channel)"
                .into(),
        ));
    };
    let mut channels: Vec<Channel> = read_json(&mut archive, &format!("{root}channels.json"))?;
    let groups = format!("{root}groups.json");
    if files.contains(&groups) {
        channels.extend(read_json::<Vec<Channel>>(&mut archive, &groups)?);
    }
    let wanted = options.channel.trim_start_matches('#');
    let Some(channel) = channels
        .iter()
        .find(|c| c.name == wanted || c.id == wanted)
        .cloned()
    else {
        let mut names: Vec<&str> = channels.iter().map(|c| c.name.as_str()).collect();
        names.sort_unstable();
        return Err(Error::new(
            &format!("{}: {root}channels.json", archive.shown()),
            format!(
                "there is no channel {:?}; the export has {}",
                options.channel,
                names.join(", ")
            ),
        ));
    };
    let users_file = format!("{root}users.json");
    let users: Vec<User> = if files.contains(&users_file) {
        read_json(&mut archive, &users_file)?
    } else {
        Vec::new()
    };
    let mut roles = Roles::new(users, options.people);
    let folder = format!("{root}{}/", channel.name);
    let mut days: Vec<&String> = files
        .iter()
        .filter(|f| {
            f.strip_prefix(&folder)
                .and_then(|day| day.strip_suffix(".json"))
                .is_some_and(|day| day.parse::<jiff::civil::Date>().is_ok())
        })
        .collect();
    days.sort();
    if days.is_empty() {
        return Err(Error::new(
            &format!("{}: {folder}", archive.shown()),
            format!(
                "the channel #{} has no days in the export (files named YYYY-MM-DD.json)",
                channel.name
            ),
        ));
    }
    // A day's file holds that day in the exporter's zone, which is unknown: a day is read
    // when it is within a day of the range.
    let slack_day = |day: &str| {
        day.rsplit('/')
            .next()
            .and_then(|d| d.strip_suffix(".json"))
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())
    };
    let near = |day: jiff::civil::Date| {
        let start = day
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
        let Some(start) = start else { return true };
        let margin = jiff::SignedDuration::from_hours(48);
        options.from.is_none_or(|from| start >= from - margin)
            && options.to.is_none_or(|to| start <= to + margin)
    };
    let mut kept: BTreeMap<String, Kept> = BTreeMap::new();
    let mut found = SlackImport {
        channel: channel.name.clone(),
        ..SlackImport::default()
    };
    for day in days {
        if slack_day(day).is_some_and(|d| !near(d)) {
            continue;
        }
        found.days += 1;
        let shown = format!("{}: {day}", archive.shown());
        archive.read(day, |reader: &mut dyn Read| {
            each_message(reader, &shown, |message| {
                take(message, options, &channel.id, &mut kept, &mut found.skipped);
            })
        })?;
    }
    for (ts, Kept { message, entry }) in kept {
        let Some(at) = instant_of(&ts) else {
            found.skipped += 1;
            continue;
        };
        let who = debrief_core::capitalised(&roles.of(
            message.user.as_deref().unwrap_or(""),
            message.user_profile.as_ref(),
        ));
        let mut text = mrkdwn::to_markdown(&message.text, &mut |user| roles.of(user, None));
        for file in &message.files {
            let name = file
                .title
                .as_deref()
                .or(file.name.as_deref())
                .unwrap_or("a file");
            text.push_str(&format!(" (file: {name})"));
        }
        let in_thread = message.thread_ts.as_ref().is_some_and(|t| *t != ts);
        if text.trim().is_empty() {
            found.skipped += 1;
            continue;
        }
        if entry {
            found.entries.push(Entry {
                at,
                text: format!("{who}: {}", shorten(&text, ENTRY_CHARS)),
                milestone: None,
                source: Source {
                    system: "slack",
                    id: format!("{}/{ts}", channel.id),
                    link: Some(format!(
                        "{}/archives/{}/p{}",
                        options.workspace.trim_end_matches('/'),
                        channel.id,
                        ts.replace('.', "")
                    )),
                },
            });
        }
        if options.keep_chat {
            found.chat.push(ChatLine {
                at,
                who,
                text,
                in_thread,
            });
        }
    }
    Ok(found)
}

/// A message held until the days are read (a later edit or deletion may change it).
struct Kept {
    message: Message,
    /// It becomes an entry.
    entry: bool,
}

/// Keeps, replaces or drops one message of a day.
fn take(
    mut message: Message,
    options: &SlackOptions<'_>,
    channel: &str,
    kept: &mut BTreeMap<String, Kept>,
    skipped: &mut usize,
) {
    match message.subtype.as_deref() {
        None | Some("thread_broadcast" | "file_share" | "me_message") => {}
        Some("message_changed") => {
            if let Some(edited) = message.message
                && let Some(original) = kept.get_mut(&edited.ts)
            {
                original.message.text = edited.text;
            }
            return;
        }
        Some("message_deleted") => {
            if let Some(deleted) = &message.deleted_ts
                && kept.remove(deleted).is_some()
            {
                *skipped += 1;
            }
            return;
        }
        // Joins, leaves, topics, bots, pins announced, tombstones.
        Some(_) => {
            *skipped += 1;
            return;
        }
    }
    if message.bot_id.is_some() || message.user.is_none() {
        *skipped += 1;
        return;
    }
    let Some(at) = instant_of(&message.ts) else {
        *skipped += 1;
        return;
    };
    if options.from.is_some_and(|from| at < from) || options.to.is_some_and(|to| at > to) {
        return;
    }
    let entry = matches_filter(&message, channel, &options.filter);
    if !entry && !options.keep_chat {
        return;
    }
    // What decided the filter is not needed again.
    message.reactions = Vec::new();
    message.pinned_to = Vec::new();
    kept.insert(message.ts.clone(), Kept { message, entry });
}

/// Whether a message becomes an entry.
fn matches_filter(message: &Message, channel: &str, filter: &Filter) -> bool {
    match filter {
        Filter::All => true,
        Filter::Pinned => message.pinned_to.iter().any(|c| c == channel),
        Filter::Reaction(name) => {
            let name = name.trim_matches(':');
            message.reactions.iter().any(|r| {
                // Skin tones are variants of one reaction: "+1::skin-tone-2".
                r.name == name || r.name.split("::").next() == Some(name)
            })
        }
    }
}

/// At most `chars` characters, cut at a word with an ellipsis.
fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(chars).collect();
    let at_word = cut
        .rfind(' ')
        .filter(|&i| i > chars / 2)
        .unwrap_or(cut.len());
    format!("{}…", cut[..at_word].trim_end())
}

/// `text` with its first letter small, unless the word is an acronym ("SRE lead").
fn decapitalised(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_string(),
    }
}

/// Roles for people, each person's decided once.
struct Roles<'a> {
    users: HashMap<String, User>,
    people: &'a dyn Fn(&Person) -> Option<String>,
    decided: HashMap<String, String>,
    unnamed: usize,
}

impl<'a> Roles<'a> {
    fn new(users: Vec<User>, people: &'a dyn Fn(&Person) -> Option<String>) -> Roles<'a> {
        Roles {
            users: users.into_iter().map(|u| (u.id.clone(), u)).collect(),
            people,
            decided: HashMap::new(),
            unnamed: 0,
        }
    }

    /// The role of user `id`; a message's own profile stands in for one `users.json` lacks.
    fn of(&mut self, id: &str, profile: Option<&Profile>) -> String {
        if let Some(role) = self.decided.get(id) {
            return role.clone();
        }
        let person = match self.users.get(id) {
            Some(user) => user.person(),
            None => Person {
                id: id.to_string(),
                real_name: profile.map(|p| p.real_name.clone()).unwrap_or_default(),
                display_name: profile.map(|p| p.display_name.clone()).unwrap_or_default(),
                title: profile.map(|p| p.title.clone()).unwrap_or_default(),
                ..Person::default()
            },
        };
        let role = (self.people)(&person)
            .or_else(|| {
                // A title is a role: "Payments developer" is "the payments developer".
                let title = person.title.trim();
                (!title.is_empty()).then(|| format!("the {}", decapitalised(title)))
            })
            .unwrap_or_else(|| {
                self.unnamed += 1;
                format!("responder {}", self.unnamed)
            });
        self.decided.insert(id.to_string(), role.clone());
        role
    }
}

/// A channel in `channels.json` or `groups.json`.
#[derive(Debug, Clone, Deserialize)]
struct Channel {
    id: String,
    name: String,
}

/// A person in `users.json`.
#[derive(Debug, Clone, Deserialize)]
struct User {
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    real_name: String,
    #[serde(default)]
    is_bot: bool,
    #[serde(default)]
    profile: Profile,
}

impl User {
    fn person(&self) -> Person {
        Person {
            id: self.id.clone(),
            name: self.name.clone(),
            real_name: if self.real_name.is_empty() {
                self.profile.real_name.clone()
            } else {
                self.real_name.clone()
            },
            display_name: self.profile.display_name.clone(),
            title: self.profile.title.clone(),
            email: self.profile.email.clone(),
            is_bot: self.is_bot,
        }
    }
}

/// A profile, in `users.json` or carried by a message.
#[derive(Debug, Clone, Default, Deserialize)]
struct Profile {
    #[serde(default)]
    real_name: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    email: String,
}

/// A message of a day file: the fields an import reads; the rest is skipped unread.
#[derive(Debug, Clone, Default, Deserialize)]
struct Message {
    #[serde(default)]
    subtype: Option<String>,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    bot_id: Option<String>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    ts: String,
    #[serde(default)]
    thread_ts: Option<String>,
    #[serde(default)]
    files: Vec<FileRef>,
    #[serde(default)]
    reactions: Vec<Reaction>,
    #[serde(default)]
    pinned_to: Vec<String>,
    #[serde(default)]
    user_profile: Option<Profile>,
    /// For `message_changed`: the message as edited.
    #[serde(default)]
    message: Option<Box<Message>>,
    /// For `message_deleted`: which message.
    #[serde(default)]
    deleted_ts: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct FileRef {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    title: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct Reaction {
    #[serde(default)]
    name: String,
}

/// A whole JSON file of the export.
fn read_json<T: serde::de::DeserializeOwned>(
    archive: &mut Archive,
    name: &str,
) -> Result<T, Error> {
    let shown = format!("{}: {name}", archive.shown());
    archive.read(name, |reader: &mut dyn Read| {
        serde_json::from_reader(reader).map_err(|e| Error::json(&shown, &e))
    })
}

/// Calls `each` with every message of a day file, one at a time, without holding the array.
fn each_message(
    reader: &mut dyn Read,
    shown: &str,
    each: impl FnMut(Message),
) -> Result<(), Error> {
    struct Each<F>(F);
    impl<'de, F: FnMut(Message)> Visitor<'de> for Each<F> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON array of messages")
        }
        fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
            while let Some(message) = seq.next_element::<Message>()? {
                (self.0)(message);
            }
            Ok(())
        }
    }
    impl<'de, F: FnMut(Message)> DeserializeSeed<'de> for Each<F> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    Each(each)
        .deserialize(&mut deserializer)
        .and_then(|()| deserializer.end())
        .map_err(|e| Error::json(shown, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_read_as_roles() {
        assert_eq!(decapitalised("Payments developer"), "payments developer");
        assert_eq!(decapitalised("SRE lead"), "SRE lead");
        assert_eq!(
            debrief_core::capitalised("the on-call SRE"),
            "The on-call SRE"
        );
    }

    #[test]
    fn long_messages_are_cut_at_a_word() {
        let text = "word ".repeat(100);
        let short = shorten(text.trim(), 30);
        assert_eq!(short, "word word word word word word…");
        assert_eq!(shorten("short", 30), "short");
    }
}
