//! `debrief timeline import`: timeline entries from a Slack export, Alertmanager or
//! PagerDuty payloads, printed in the postmortem's form, or merged into a postmortem with
//! `--into` (without duplicates, written whole or not at all).

use crate::Outcome;
use crate::cli::{ImportTarget, PayloadImportArgs, SlackImportArgs, TimelineSource};
use crate::config::Configs;
use crate::files;
use crate::report::diagnostic_line;
use anyhow::{Context, Result, anyhow, bail};
use debrief_core::Severity;
use debrief_core::model::Postmortem;
use debrief_import::slack::{ChatLine, Filter, SlackOptions};
use debrief_import::{Entry, merge};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The most a payload file may hold: webhook deliveries are kilobytes.
const MAX_PAYLOAD_BYTES: u64 = 16 << 20;

/// What an import brings.
struct Imported {
    entries: Vec<Entry>,
    /// The chat to keep as evidence, and its channel.
    chat: Option<(String, Vec<ChatLine>)>,
    /// A line for standard error about what was read.
    summary: String,
}

pub fn import(source: TimelineSource) -> Result<Outcome> {
    let target = match &source {
        TimelineSource::Slack(args) => &args.target,
        TimelineSource::Alertmanager(args) | TimelineSource::Pagerduty(args) => &args.target,
    };
    let document = target.into.as_deref().map(Document::read).transpose()?;
    let zone = zone_of(target, document.as_ref())?;
    let imported = match &source {
        TimelineSource::Slack(args) => slack(args, &zone, document.as_ref())?,
        TimelineSource::Alertmanager(args) => payloads(args, "alertmanager")?,
        TimelineSource::Pagerduty(args) => payloads(args, "pagerduty")?,
    };
    eprintln!("{}", imported.summary);
    let Some(mut document) = document else {
        for entry in &imported.entries {
            println!("{}", line(entry, &zone));
        }
        return Ok(Outcome::Clean);
    };
    let merged = merge::merge(&mut document.postmortem, &imported.entries);
    if let Some((channel, chat)) = &imported.chat
        && !chat.is_empty()
    {
        merge::keep_chat(&mut document.postmortem, channel, chat, &zone);
    }
    let text = debrief_core::write(&document.postmortem);
    if text != document.text {
        files::write_atomic(&document.path, &text)?;
    }
    eprintln!(
        "{}: {} added, {} already there{}",
        document.path.display(),
        count(merged.added, "entry", "entries"),
        merged.duplicates,
        match &imported.chat {
            Some((channel, chat)) if !chat.is_empty() => format!(
                "; {} messages kept under \"{}\"",
                chat.len(),
                merge::chat_heading(channel)
            ),
            _ => String::new(),
        }
    );
    Ok(Outcome::Clean)
}

/// The postmortem entries are merged into.
struct Document {
    path: PathBuf,
    text: String,
    postmortem: Postmortem,
}

impl Document {
    fn read(path: &Path) -> Result<Document> {
        let text = files::read_text(path)?;
        let read = debrief_core::read_with(&text, &debrief_core::ReadOptions::for_path(path));
        // A document the reader could not take in whole is left alone, as `fmt` leaves it.
        if !read.rewritable() {
            for d in read
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
            {
                eprintln!("{}", diagnostic_line(path, d));
            }
            bail!(
                "{}: nothing imported: fix the errors above first",
                path.display()
            );
        }
        Ok(Document {
            path: path.to_path_buf(),
            text,
            postmortem: read.postmortem,
        })
    }
}

/// The zone times are shown in: `--zone`, else the postmortem's, else UTC.
fn zone_of(target: &ImportTarget, document: Option<&Document>) -> Result<TimeZone> {
    if let Some(name) = &target.zone {
        return debrief_core::zone::parse_zone(name)
            .ok_or_else(|| anyhow!("--zone {name:?} is not a time zone debrief knows"));
    }
    Ok(document
        .and_then(|d| d.postmortem.meta.timezone.as_deref())
        .and_then(debrief_core::zone::parse_zone)
        .unwrap_or(TimeZone::UTC))
}

fn slack(args: &SlackImportArgs, zone: &TimeZone, document: Option<&Document>) -> Result<Imported> {
    let configs = Configs::new(args.target.config.as_deref())?;
    let config = match document {
        Some(document) => configs.for_file(&document.path)?,
        None => configs.for_dir(Path::new("."))?,
    };
    let from = args
        .from
        .as_deref()
        .map(|t| instant("--from", t, zone, false))
        .transpose()?;
    let to = args
        .to
        .as_deref()
        .map(|t| instant("--to", t, zone, true))
        .transpose()?;
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        bail!("--from {from} is after --to {to}");
    }
    let roster = &config.roster;
    let people = |person: &debrief_import::slack::Person| {
        [&person.real_name, &person.display_name, &person.name]
            .into_iter()
            .find_map(|name| roster.role_of(name))
            .map(str::to_string)
    };
    let filter = match (&args.reaction, args.pinned) {
        (Some(reaction), _) => Filter::Reaction(reaction.clone()),
        (None, true) => Filter::Pinned,
        (None, false) => Filter::All,
    };
    let options = SlackOptions {
        channel: &args.channel,
        from,
        to,
        filter,
        people: &people,
        workspace: &args.workspace,
        max_bytes: args.max_bytes,
        // The chat is kept in the postmortem; printed, only the entries are shown.
        keep_chat: document.is_some(),
    };
    let found = debrief_import::slack::import(&args.export, &options)?;
    Ok(Imported {
        summary: format!(
            "{}: #{}: {} days read, {} proposed as entries, {} skipped (bots, joins, deleted)",
            args.export.display(),
            found.channel,
            found.days,
            found.entries.len(),
            found.skipped
        ),
        entries: found.entries,
        chat: Some((found.channel, found.chat)),
    })
}

fn payloads(args: &PayloadImportArgs, system: &str) -> Result<Imported> {
    let mut entries = Vec::new();
    for path in &args.files {
        let shown = path.display().to_string();
        let mut body = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_PAYLOAD_BYTES + 1).read_to_end(&mut body))
            .with_context(|| format!("{shown}: cannot read"))?;
        if body.len() as u64 > MAX_PAYLOAD_BYTES {
            bail!("{shown}: more than {MAX_PAYLOAD_BYTES} bytes: not a webhook payload");
        }
        match system {
            "alertmanager" => {
                entries.extend(debrief_import::alertmanager::read(&body, &shown)?.entries)
            }
            _ => {
                if let Some(delivery) = debrief_import::pagerduty::read(&body, &shown)? {
                    entries.extend(delivery.entries);
                } else {
                    eprintln!("{shown}: not an incident's event: nothing to import");
                }
            }
        }
    }
    Ok(Imported {
        summary: format!(
            "{}: {}",
            count(args.files.len(), "payload", "payloads"),
            count(entries.len(), "entry", "entries")
        ),
        entries,
        chat: None,
    })
}

/// An instant given as RFC 3339, as a date and time in `zone`, or as a day in `zone` (its
/// start, or its end for `end`).
fn instant(flag: &str, text: &str, zone: &TimeZone, end: bool) -> Result<Timestamp> {
    if let Ok(at) = text.parse::<Timestamp>() {
        return Ok(at);
    }
    if let Ok(at) = text.parse::<jiff::civil::DateTime>() {
        return Ok(at.to_zoned(zone.clone())?.timestamp());
    }
    if let Ok(day) = text.parse::<jiff::civil::Date>() {
        let start = day.to_zoned(zone.clone())?;
        return Ok(if end {
            start.tomorrow()?.timestamp() - jiff::SignedDuration::from_secs(1)
        } else {
            start.timestamp()
        });
    }
    bail!(
        "{flag} {text:?} is not an instant (2026-06-14T09:00:00Z), a date and time or a day (2026-06-14)"
    )
}

/// "1 entry", "2 entries".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// An entry as a timeline line, dated, in `zone`.
fn line(entry: &Entry, zone: &TimeZone) -> String {
    let local = entry.at.to_zoned(zone.clone());
    let tag = entry
        .milestone
        .map_or(String::new(), |m| format!("[{}] ", m.name()));
    format!(
        "- {} {tag}{}",
        local.strftime("%Y-%m-%d %H:%M:%S"),
        merge::written(entry)
    )
}
