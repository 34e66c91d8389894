//! Timelines: lists, tables and paragraphs of timestamped entries, date lines that group the
//! entries below them, statements of the time zone, and incidents that cross midnight.

use super::blocks::{BlockKind, item_content};
use super::{Reader, Unit, push_text, trim_block};
use crate::diagnostic::Severity;
use crate::model::{Metadata, Milestone, Part, Timeline, TimelineEntry};
use crate::rule::RuleId;
use crate::when::{DateSpec, find_dates, parse_date_leader, parse_date_line, parse_leader};
use crate::zone::{find_zone_of_times, find_zone_statement, parse_zone};
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use std::ops::Range;

/// What the first pass finds, before dates and zones are resolved.
enum Raw {
    Entry(RawEntry),
    Text(String),
    SetDate(DateSpec),
}

struct RawEntry {
    /// Where the entry starts in the source, for diagnostics.
    offset: usize,
    date: Option<DateSpec>,
    time: Time,
    zone: Option<(String, TimeZone)>,
    text: String,
    milestone: Option<Milestone>,
    /// A date and no time.
    day_only: bool,
}

/// A backwards step in time larger than this, without a new date, means the next day.
const MIDNIGHT_STEP_HOURS: i8 = 3;

impl Reader<'_> {
    /// Reads a timeline section; `before` is the text of the document above it (after any
    /// front matter), where a date or zone the timeline does not state may be written.
    pub(crate) fn timeline(
        &mut self,
        heading: &str,
        units: &[Unit<'_>],
        before: Range<usize>,
        meta: &mut Metadata,
    ) -> Timeline {
        let mut raw = Vec::new();
        let mut statement_zone = find_zone_statement(heading);
        // An entry written as a heading ("### 2021-06-03 9:00"), whose text is the blocks
        // under it up to the next heading.
        let mut heading_entry: Option<RawEntry> = None;
        for (k, unit) in units.iter().enumerate() {
            let block = match unit {
                Unit::Gap(range) => {
                    raw.push(Raw::Text(trim_block(&self.text[range.clone()]).to_string()));
                    continue;
                }
                Unit::Block(block) => block,
            };
            let source = &self.text[block.range.clone()];
            // A thematic break (`---`) ends the entry too: what follows is the author's.
            let rule = matches!(block.kind, BlockKind::Other) && is_thematic_break(source);
            if let Some(entry) = heading_entry.as_mut() {
                if !matches!(block.kind, BlockKind::Heading { .. }) && !rule {
                    if !entry.text.is_empty() {
                        entry.text.push_str("\n\n");
                    }
                    entry.text.push_str(trim_block(source));
                    continue;
                }
                raw.extend(heading_entry.take().map(Raw::Entry));
            }
            match &block.kind {
                BlockKind::Heading { text, .. } => {
                    if let Some(mut entry) = entry_from(text) {
                        entry.offset = block.range.start;
                        heading_entry = Some(entry);
                        continue;
                    }
                    // "{{ 2022-01-20 Between 02:00 and 02.30 PM }}": a day, and words about
                    // the time that only a person can read.
                    let unwrapped = text
                        .trim()
                        .strip_prefix("{{")
                        .and_then(|t| t.strip_suffix("}}"))
                        .unwrap_or(text);
                    // Above a list ("### 2025-07-26 Saturday", then timed items), it is
                    // the date of the entries below.
                    let list_follows = matches!(
                        units.get(k + 1),
                        Some(Unit::Block(next)) if matches!(next.kind, BlockKind::List { .. })
                    );
                    let day_entry = day_entry_from(unwrapped);
                    if parse_date_line(text).is_none()
                        && !list_follows
                        && let Some(mut entry) = day_entry
                    {
                        entry.offset = block.range.start;
                        heading_entry = Some(entry);
                        continue;
                    }
                    raw.push(Raw::Text(trim_block(source).to_string()));
                    let date_line = parse_date_line(text)
                        .or_else(|| day_entry.and_then(|e| e.date).filter(|_| list_follows));
                    if let Some(date) = date_line {
                        raw.push(Raw::SetDate(date));
                    }
                }
                BlockKind::Paragraph => self.timeline_paragraph(
                    source,
                    block.range.start,
                    &mut raw,
                    &mut statement_zone,
                ),
                BlockKind::List { items } => {
                    // A list in which no item has a time ("**Root causes:**" and its
                    // bullets inside a timeline section) is prose, kept without a word.
                    let timed = items.iter().any(|item| {
                        let (content, _) = item_content(self.text, item.range.clone());
                        parse_leader(&content).is_some()
                            || parse_date_line(content.lines().next().unwrap_or("")).is_some()
                            || parse_date_leader(&content).is_some()
                    });
                    if !timed {
                        raw.push(Raw::Text(trim_block(source).to_string()));
                        continue;
                    }
                    for item in items {
                        let (content, offset) = item_content(self.text, item.range.clone());
                        if let Some(mut entry) = entry_from(&content) {
                            entry.offset = offset;
                            raw.push(Raw::Entry(entry));
                        } else {
                            let first_line = content.lines().next().unwrap_or("");
                            if let Some(date) = parse_date_line(
                                first_line
                                    .trim_end_matches(|c: char| c == ':' || c.is_whitespace())
                                    .split("[^")
                                    .next()
                                    .unwrap_or(""),
                            ) {
                                raw.push(Raw::SetDate(date));
                            } else if let Some(mut entry) = day_entry_from(&content) {
                                entry.offset = offset;
                                raw.push(Raw::Entry(entry));
                                continue;
                            } else if find_zone_statement(&content).is_some()
                                && content.split_whitespace().count() <= 12
                            {
                                statement_zone =
                                    statement_zone.or_else(|| find_zone_statement(&content));
                            } else {
                                let end = offset + first_line.len();
                                self.report(
                                    RuleId::UnparsedTimelineEntry,
                                    Severity::Warning,
                                    offset..end,
                                    "this timeline item has no time debrief can read; it is kept as text",
                                );
                            }
                            raw.push(Raw::Text(
                                trim_block(&self.text[item.range.clone()]).to_string(),
                            ));
                        }
                    }
                }
                BlockKind::Table { rows } => {
                    let header = rows.first().map(|cells| {
                        cells
                            .iter()
                            .map(|c| self.text[c.clone()].trim())
                            .collect::<Vec<_>>()
                            .join(" ")
                    });
                    if let Some(zone) = header.as_deref().and_then(table_header_zone) {
                        statement_zone = statement_zone.or(Some(zone));
                    }
                    // "| Who | Date | Time (UTC) | Event |": the date and time go first.
                    let order = rows.first().and_then(|cells| {
                        let names: Vec<&str> =
                            cells.iter().map(|c| self.text[c.clone()].trim()).collect();
                        column_order(&names)
                    });
                    let mut typos: Vec<(usize, String)> = Vec::new();
                    let parsed: Vec<Option<RawEntry>> = rows
                        .iter()
                        .skip(1)
                        .enumerate()
                        .map(|(row, cells)| {
                            let mut cells: Vec<String> = cells
                                .iter()
                                .map(|c| self.text[c.clone()].trim().to_string())
                                .collect();
                            if let Some(order) = &order {
                                cells = order
                                    .iter()
                                    .filter_map(|&i| cells.get(i).cloned())
                                    .collect();
                            }
                            let read = |cells: &[String]| {
                                let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
                                entry_from_row(&cells).or_else(|| day_entry_from_row(&cells))
                            };
                            read(&cells).or_else(|| {
                                let (fixed, year) = typo_year(cells.first()?)?;
                                cells[0] = fixed;
                                let entry = read(&cells)?;
                                typos.push((row, year));
                                Some(entry)
                            })
                        })
                        .collect();
                    if parsed.iter().all(Option::is_none) {
                        // Not a timeline table (or an empty template): keep it whole.
                        raw.push(Raw::Text(trim_block(source).to_string()));
                        continue;
                    }
                    for (row, (cells, entry)) in rows.iter().skip(1).zip(parsed).enumerate() {
                        match entry {
                            Some(mut entry) => {
                                entry.offset = cells.first().map_or(block.range.start, |c| c.start);
                                if let Some((_, year)) = typos.iter().find(|(r, _)| *r == row) {
                                    let cell = cells.first().map_or("", |c| &self.text[c.clone()]);
                                    let at = entry.offset + cell.len() - cell.trim_start().len();
                                    self.report(
                                        RuleId::TimelineYearTypo,
                                        Severity::Warning,
                                        at..at + year.len(),
                                        format!(
                                            "the year {year} has a digit too many; it is read as {}",
                                            &year[..4]
                                        ),
                                    );
                                }
                                raw.push(Raw::Entry(entry));
                            }
                            None => {
                                let texts: Vec<&str> =
                                    cells.iter().map(|c| self.text[c.clone()].trim()).collect();
                                if texts.iter().all(|t| t.is_empty()) {
                                    continue;
                                }
                                let range =
                                    cells.first().map_or(block.range.clone(), |c| c.clone());
                                self.report(
                                    RuleId::UnparsedTimelineEntry,
                                    Severity::Warning,
                                    range,
                                    "this timeline row has no time debrief can read; it is kept as text",
                                );
                                // As an item of the list the table becomes: a row alone would
                                // be a stray line of pipes.
                                let cells: Vec<&str> =
                                    texts.into_iter().filter(|t| !t.is_empty()).collect();
                                raw.push(Raw::Text(format!("- {}", cells.join(" \u{2014} "))));
                            }
                        }
                    }
                }
                BlockKind::Other => raw.push(Raw::Text(trim_block(source).to_string())),
            }
        }
        raw.extend(heading_entry.map(Raw::Entry));
        self.resolve(raw, statement_zone, before, meta)
    }

    fn timeline_paragraph(
        &mut self,
        source: &str,
        start: usize,
        raw: &mut Vec<Raw>,
        statement_zone: &mut Option<(String, TimeZone)>,
    ) {
        let words = source.split_whitespace().count();
        if let Some(zone) = find_zone_statement(source) {
            let had = statement_zone.is_some();
            if !had {
                *statement_zone = Some(zone);
            }
            if let Some(date) = crate::when::find_iso_date(source) {
                raw.push(Raw::SetDate(DateSpec::Full(date)));
            }
            // The statement stays as written: the heading names the zone too, but the
            // author's sentence ("All times listed in PST") is theirs to keep.
        }
        if let Some(date) = parse_date_line(source)
            && words <= 6
        {
            raw.push(Raw::SetDate(date));
            return;
        }
        // Entries written as lines of a paragraph: "14:02 Deploy starts\n14:05 Alert fires".
        if parse_leader(source).is_some() {
            let mut current: Option<RawEntry> = None;
            let mut line_start = start;
            for line in source.split_inclusive('\n') {
                let line_offset = line_start;
                line_start += line.len();
                let line = line.trim_end_matches('\n');
                match entry_from(line) {
                    Some(mut entry) => {
                        entry.offset = line_offset;
                        if let Some(done) = current.replace(entry) {
                            raw.push(Raw::Entry(done));
                        }
                    }
                    None => {
                        if let Some(entry) = current.as_mut() {
                            entry.text.push('\n');
                            entry.text.push_str(line.trim());
                        }
                    }
                }
            }
            if let Some(done) = current {
                raw.push(Raw::Entry(done));
            }
            return;
        }
        raw.push(Raw::Text(trim_block(source).to_string()));
    }

    /// The second pass: dates, midnight, zones.
    fn resolve(
        &mut self,
        raw: Vec<Raw>,
        statement_zone: Option<(String, TimeZone)>,
        before: Range<usize>,
        meta: &mut Metadata,
    ) -> Timeline {
        // Without a statement, a zone written on every entry ("21:17 UTC: ...") is the
        // document's zone.
        let statement_zone = statement_zone.or_else(|| {
            let mut zones = raw.iter().filter_map(|r| match r {
                Raw::Entry(e) => Some(e.zone.as_ref()),
                _ => None,
            });
            let first = zones.next()??;
            zones
                .all(|z| z.is_some_and(|z| z.0 == first.0))
                .then(|| first.clone())
        });
        let doc_zone = match meta.timezone.as_deref() {
            Some(label) => parse_zone(label),
            None => {
                // Else the one zone the text writes its times in ("an issue raised around
                // 5.45 AM PST"), said, since nothing in the timeline states it.
                let statement_zone = statement_zone.or_else(|| {
                    let body = &self.text[self.body_start..];
                    let (label, zone) = find_zone_of_times(body)?;
                    let at = self.timeline_start(&raw, before.end);
                    self.report(
                        RuleId::TimelineZoneFromText,
                        Severity::Info,
                        at..at + 1,
                        format!(
                            "the timeline states no time zone; its times are read in {label}, \
                             the zone the text writes its times in"
                        ),
                    );
                    Some((label, zone))
                });
                if let Some((label, _)) = &statement_zone {
                    meta.timezone = Some(label.clone());
                }
                statement_zone.map(|(_, zone)| zone)
            }
        };
        let zone = doc_zone.unwrap_or(TimeZone::UTC);

        let first_full = raw.iter().find_map(|r| match r {
            Raw::Entry(RawEntry {
                date: Some(DateSpec::Full(d)),
                ..
            })
            | Raw::SetDate(DateSpec::Full(d)) => Some(*d),
            _ => None,
        });
        if meta.date.is_none() {
            meta.date = first_full;
        }
        let mut anchor = meta.date.or(first_full).unwrap_or(UNDATED);
        // Entries with times alone happened on the day the text above them gives ("On the
        // evening of Feb 23, ..."), when it gives one a few days before the postmortem's own
        // date, which is often the day it was written.
        let dated = raw.iter().any(|r| {
            matches!(
                r,
                Raw::SetDate(_) | Raw::Entry(RawEntry { date: Some(_), .. })
            )
        });
        if !dated
            && let Some(date) = meta.date
            && let Some(stated) = only_date(&self.text[before.clone()], date)
            && stated < date
            && date
                .since(stated)
                .is_ok_and(|gap| gap.get_days() <= STATED_DATE_DAYS)
        {
            anchor = stated;
            let at = self.timeline_start(&raw, before.end);
            self.report(
                RuleId::TimelineDateFromText,
                Severity::Info,
                at..at + 1,
                format!(
                    "the timeline's entries give no date; they are read on {stated}, the date \
                     the text above them gives, not the postmortem's date, {date}"
                ),
            );
        }

        let mut parts = Vec::with_capacity(raw.len());
        let mut date = anchor;
        let mut last: Option<Time> = None;
        let mut previous_entry_date: Option<Date> = None;
        // The full date written on each entry, to see whether a jump ahead comes back.
        let written_dates: Vec<Option<Date>> = raw
            .iter()
            .filter_map(|r| match r {
                Raw::Entry(e) => Some(match e.date {
                    Some(DateSpec::Full(d)) => Some(d),
                    _ => None,
                }),
                _ => None,
            })
            .collect();
        let mut entry_index = 0;
        for item in raw {
            match item {
                Raw::Text(text) => push_text(&mut parts, &text),
                Raw::SetDate(spec) => {
                    if let Some(d) = spec.resolve(Some(date)) {
                        date = d;
                        last = None;
                    }
                }
                Raw::Entry(entry) => {
                    let written = entry.date.and_then(|spec| spec.resolve(Some(date)));
                    let next_written = written_dates
                        .get(entry_index + 1..)
                        .and_then(|rest| rest.iter().flatten().next().copied());
                    entry_index += 1;
                    // "2021-06-11 14:15" after entries of 2021-06-28, in a report of
                    // 2021-06-28, is a typo read as the running day; "2022-02-20" between
                    // entries of 2022-02-02 is said.
                    let behind = written.is_some_and(|d| {
                        previous_entry_date.is_some_and(|previous| d < previous)
                            && meta.date.is_some_and(|doc| d < doc)
                    });
                    let ahead = written.is_some_and(|d| {
                        previous_entry_date.is_some_and(|previous| {
                            d > previous.checked_add(1.day()).unwrap_or(previous)
                                && next_written.is_some_and(|next| previous <= next && next < d)
                        })
                    });
                    if let Some(d) = written
                        && ahead
                    {
                        // Kept as written (the milestones pass over it): only the author
                        // knows which date was meant.
                        self.report(
                            RuleId::TimelineDateAhead,
                            Severity::Warning,
                            entry.offset..entry.offset + 1,
                            format!(
                                "this entry's date, {d}, is days after the entries on both \
                                 sides of it; is it a typo?"
                            ),
                        );
                    }
                    if let Some(d) = written
                        && behind
                    {
                        self.report(
                            RuleId::TimelineDateBackwards,
                            Severity::Warning,
                            entry.offset..entry.offset + 1,
                            format!(
                                "this entry's date, {d}, is before the entries above it and \
                                 the postmortem's date; it is read as {date}"
                            ),
                        );
                        if let Some(previous) = last
                            && !reads_as_same_day(previous, entry.time)
                        {
                            date = date.checked_add(1.day()).unwrap_or(date);
                        }
                    } else if let Some(d) = written
                        && !entry.day_only
                        && matches!(entry.date, Some(DateSpec::MonthDay(..)))
                        && previous_entry_date == Some(d)
                        && last.is_some_and(|previous| !reads_as_same_day(previous, entry.time))
                    {
                        // "[03-26 23:04] ..." then "[03-26 02:50] ...": a short date tag was
                        // carried past midnight. Read as the next day, and said. (A full date
                        // is taken as written: the canonical form writes one where a step
                        // back would otherwise read as midnight.)
                        date = d.checked_add(1.day()).unwrap_or(d);
                        self.report(
                            RuleId::TimelineDateNotAdvanced,
                            Severity::Warning,
                            entry.offset..entry.offset + 1,
                            format!(
                                "this entry steps back in time on the same date, {d}, as the one \
                                 above it; it is read as the next day, {date}"
                            ),
                        );
                    } else if let Some(d) = written {
                        date = d;
                        if entry.day_only {
                            last = None;
                        }
                    } else if let Some(previous) = last
                        && !reads_as_same_day(previous, entry.time)
                    {
                        date = date.checked_add(1.day()).unwrap_or(date);
                    }
                    if entry.day_only {
                        self.report(
                            RuleId::TimelineEntryWithoutTime,
                            Severity::Info,
                            entry.offset..entry.offset + 1,
                            "this entry gives a day but no time; it is kept at day precision \
                             and no milestone is inferred from it",
                        );
                    } else {
                        last = Some(entry.time);
                    }
                    previous_entry_date = Some(date);
                    let zone = entry.zone.as_ref().map_or(&zone, |z| &z.1);
                    let at = instant(date, entry.time, zone);
                    self.entry_offsets.push(entry.offset);
                    parts.push(Part::Item(TimelineEntry {
                        at,
                        text: entry.text,
                        milestone: entry.milestone,
                        day_only: entry.day_only,
                    }));
                }
            }
        }
        Timeline { parts }
    }
}

/// How many days before the postmortem's date a date stated above the timeline may be, to
/// be taken as the day of its entries.
const STATED_DATE_DAYS: i32 = 7;

/// The one date a text gives, completed with the year nearest `reference`; `None` when it
/// gives none or several.
fn only_date(text: &str, reference: Date) -> Option<Date> {
    let mut dates = find_dates(text).filter_map(|spec| spec.resolve(Some(reference)));
    let first = dates.next()?;
    dates.all(|d| d == first).then_some(first)
}

impl Reader<'_> {
    /// Where the first entry starts, else the end of the text above the timeline: where a
    /// diagnostic about the whole timeline points.
    fn timeline_start(&self, raw: &[Raw], fallback: usize) -> usize {
        raw.iter()
            .find_map(|r| match r {
                Raw::Entry(e) => Some(e.offset),
                _ => None,
            })
            .unwrap_or(fallback)
    }
}

/// Whether a time written after `previous` without a date stays on the same day: it does unless
/// it steps back by [`MIDNIGHT_STEP_HOURS`] or more ("23:50" then "00:10" crosses midnight).
pub(crate) fn reads_as_same_day(previous: Time, next: Time) -> bool {
    previous <= next
        || previous
            .since(next)
            .is_ok_and(|gap| gap.get_hours() < i32::from(MIDNIGHT_STEP_HOURS))
}

/// `---`, `***`, `___` (with spaces between, as CommonMark allows).
fn is_thematic_break(source: &str) -> bool {
    let marks: Vec<char> = source.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3
        && ['-', '*', '_']
            .iter()
            .any(|&m| marks.iter().all(|&c| c == m))
}

/// The date undated timelines are anchored to, so that their durations can still be measured.
pub(crate) const UNDATED: Date = Date::constant(1970, 1, 1);

fn instant(date: Date, time: Time, zone: &TimeZone) -> Timestamp {
    let local = DateTime::from_parts(date, time);
    zone.to_ambiguous_zoned(local).compatible().map_or_else(
        |_| {
            local
                .to_zoned(TimeZone::UTC)
                .map_or(Timestamp::UNIX_EPOCH, |z| z.timestamp())
        },
        |z| z.timestamp(),
    )
}

/// "Date and Time in CET", "Time (UTC)".
fn table_header_zone(header: &str) -> Option<(String, TimeZone)> {
    find_zone_statement(header).or_else(|| {
        header
            .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
            .find_map(|w| {
                let zone = parse_zone(w)?;
                Some((w.to_string(), zone))
            })
    })
}

/// An entry from a list item or a line: a leading time, an optional `[milestone]` marker, text.
fn entry_from(content: &str) -> Option<RawEntry> {
    let leader = parse_leader(content)?;
    let mut text = content[leader.consumed..].trim();
    if let Some(close) = leader.trailing_close {
        text = text.strip_suffix(close).unwrap_or(text).trim_end();
    }
    let (milestone, text) = split_marker(text);
    Some(RawEntry {
        offset: 0,
        date: leader.date,
        time: leader.time,
        zone: leader.zone,
        text: dedent_continuation(text),
        milestone,
        day_only: false,
    })
}

/// "20202-01-16 12:00": a year of five digits whose first four are a plausible year, as an
/// extra keystroke writes it. Returns the text with that year and the year as written.
fn typo_year(text: &str) -> Option<(String, String)> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 5 || !text[5..].starts_with(['-', '/']) {
        return None;
    }
    let year: i16 = text[..4].parse().ok()?;
    (1970..=2100).contains(&year).then(|| {
        (
            format!("{}{}", &text[..4], &text[5..]),
            text[..5].to_string(),
        )
    })
}

/// An entry with a date and no time: "2021-06-22 Vendor notified".
fn day_entry_from(content: &str) -> Option<RawEntry> {
    let (date, consumed) = parse_date_leader(content)?;
    let (milestone, text) = split_marker(content[consumed..].trim());
    Some(RawEntry {
        offset: 0,
        date: Some(date),
        time: Time::midnight(),
        zone: None,
        text: dedent_continuation(text),
        milestone,
        day_only: true,
    })
}

/// An entry from a table row: the time in the first cell (or date and time in the first two).
/// The order to read a timeline table's columns in, from its header, when the time is not
/// already first (or second, after the date): the date column, the time column, then the
/// others as written. `None` when the usual order holds or no column is named for the time.
fn column_order(header: &[&str]) -> Option<Vec<usize>> {
    let named = |names: &[&str]| {
        header.iter().position(|h| {
            h.to_ascii_lowercase()
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|word| names.contains(&word))
        })
    };
    let time = named(&["time", "when", "timestamp", "hour"])?;
    let date = named(&["date", "day"]).filter(|&d| d != time);
    if (time == 0 && date.is_none()) || (date == Some(0) && time == 1) {
        return None;
    }
    let first: Vec<usize> = date.into_iter().chain([time]).collect();
    let rest = (0..header.len()).filter(|i| !first.contains(i));
    Some(first.iter().copied().chain(rest).collect())
}

fn entry_from_row(cells: &[&str]) -> Option<RawEntry> {
    let first = *cells.first()?;
    let (leader_text, rest_start) = match parse_leader(first) {
        Some(_) => (first.to_string(), 1),
        None => {
            // "| 2021-06-22 | 08:21 | Event |"
            let second = cells.get(1)?;
            (format!("{first} {second}"), 2)
        }
    };
    let leader = parse_leader(&leader_text)?;
    let mut pieces: Vec<&str> = Vec::new();
    let leftover = leader_text[leader.consumed..].trim();
    if !leftover.is_empty() {
        pieces.push(leftover);
    }
    pieces.extend(
        cells[rest_start.min(cells.len())..]
            .iter()
            .copied()
            .filter(|c| !c.is_empty()),
    );
    let joined = pieces.join(" \u{2014} ");
    let (milestone, text) = split_marker(&joined);
    Some(RawEntry {
        offset: 0,
        date: leader.date,
        time: leader.time,
        zone: leader.zone,
        text: text.to_string(),
        milestone,
        day_only: false,
    })
}

/// A table row with a date and no time: "| 2021-06-22 | Vendor notified |".
fn day_entry_from_row(cells: &[&str]) -> Option<RawEntry> {
    let (first, rest) = cells.split_first()?;
    // "2021-06-22", or a date with a placeholder for the time ("2020-12-21 HH:mm"), which
    // stays in the text as the list item it becomes would keep it.
    let (date, leftover) = match parse_date_line(first) {
        Some(date) => (date, ""),
        None => {
            let (date, consumed) = parse_date_leader(first)?;
            (date, first[consumed..].trim())
        }
    };
    let text = std::iter::once(leftover)
        .chain(rest.iter().copied())
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(" \u{2014} ");
    if text.is_empty() {
        return None;
    }
    let (milestone, text) = split_marker(&text);
    Some(RawEntry {
        offset: 0,
        date: Some(date),
        time: Time::midnight(),
        zone: None,
        text: text.to_string(),
        milestone,
        day_only: true,
    })
}

/// Splits a leading `[detected]` marker from an entry's text.
fn split_marker(text: &str) -> (Option<Milestone>, &str) {
    if let Some(rest) = text.strip_prefix('[')
        && let Some(close) = rest.find(']')
        && let Some(milestone) = Milestone::from_marker(&rest[..close])
    {
        return (Some(milestone), rest[close + 1..].trim_start());
    }
    (None, text)
}

/// Continuation lines of an entry keep their relative indentation but lose the common one.
fn dedent_continuation(text: &str) -> String {
    if !text.contains('\n') {
        return text.trim().to_string();
    }
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("").trim();
    let rest: Vec<&str> = lines.collect();
    let indent = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(text.len());
    out.push_str(first);
    for line in rest {
        out.push('\n');
        out.push_str(line.get(indent..).unwrap_or(line.trim_start()).trim_end());
    }
    // An entry whose text starts on the next line ("- 2024-06-28 7:09 AM Eastern:\n  Report").
    trim_block(&out).to_string()
}
