//! Dates and times as people write them at the start of a timeline entry.
//!
//! `14:02`, `**16:58 UTC**`, `[08:47]`, `7:32 PM`, `8:02 AM PST:`, `2021-06-22 08:21`,
//! `[03-26 23:04]`, `Jan 14, 10:18 AM`, `2024-06-28 7:09 AM Eastern:`, `2021-06-22T08:21:00Z`.
//! Everything here is a pure function of its input.

use crate::zone::parse_zone;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

/// The date part of a timestamp: complete, or a month and day whose year comes from context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSpec {
    /// A complete date.
    Full(Date),
    /// Month and day; the year is the postmortem's.
    MonthDay(i8, i8),
}

impl DateSpec {
    /// Completes the date with the year that puts it nearest `reference` (or keeps it when
    /// already full): "12-05" in a timeline of March 2019 is December 2018.
    pub fn resolve(self, reference: Option<Date>) -> Option<Date> {
        match self {
            DateSpec::Full(date) => Some(date),
            DateSpec::MonthDay(month, day) => {
                let Some(reference) = reference else {
                    return Date::new(1970, month, day).ok();
                };
                let year = reference.year();
                [year, year - 1, year + 1]
                    .into_iter()
                    .filter_map(|y| Date::new(y, month, day).ok())
                    .min_by_key(|d| {
                        d.since(reference)
                            .map_or(i32::MAX, |span| span.get_days().abs())
                    })
            }
        }
    }
}

/// A time found at the start of a piece of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Leader {
    /// The date, when one was written before the time.
    pub date: Option<DateSpec>,
    /// The local time of day.
    pub time: Time,
    /// The zone, when one was written after the time.
    pub zone: Option<(String, TimeZone)>,
    /// Bytes of the input taken by the time, its wrappers and the separator after it.
    pub consumed: usize,
    /// A closing wrapper (`**`) that was opened before the time but closes at the end of the text.
    pub trailing_close: Option<&'static str>,
}

const WRAPPERS: [(&str, &str); 11] = [
    // Unfilled template braces around a real time: "{{ 06:10 }}".
    ("{{", "}}"),
    // HTML emphasis, as documents exported from wikis write it: "<b>11:02</b>".
    ("<b>", "</b>"),
    ("<strong>", "</strong>"),
    ("<i>", "</i>"),
    ("<em>", "</em>"),
    ("**", "**"),
    ("__", "__"),
    ("*", "*"),
    ("_", "_"),
    ("[", "]"),
    ("`", "`"),
];

/// Takes an opening wrapper (`**`, `[`, `` ` ``, ...) and returns what closes it.
fn open_wrapper(cur: &mut Cursor<'_>) -> Option<&'static str> {
    WRAPPERS
        .iter()
        .find(|(open, _)| cur.eat(open))
        .map(|(_, close)| *close)
}

/// Parses a leading timestamp. Returns `None` when the text does not start with a time.
pub fn parse_leader(text: &str) -> Option<Leader> {
    let mut cur = Cursor::new(text);
    cur.skip_ws();
    let mut opened = open_wrapper(&mut cur);
    cur.skip_ws();
    let mut date = parse_date_at(&mut cur);
    if date.is_some() {
        // "2021-06-22 08:21", "2021-06-22T08:21", "Jan 14, 10:18 AM", "2021-12-13   09:15".
        cur.eat("T");
        cur.eat(",");
        cur.skip_ws();
        // "Feb 28th **01:52**": the time alone set in bold or code after the date.
        if opened.is_none() {
            opened = open_wrapper(&mut cur);
            cur.skip_ws();
        }
    }
    // "~19:30", "≈ 19:30": an approximate time is still a time.
    let before_approx = cur.pos;
    if cur.eat("~") || cur.eat("\u{2248}") {
        cur.skip_ws();
    } else {
        cur.pos = before_approx;
    }
    let time = match parse_time_at(&mut cur) {
        Some(time) => time,
        // "2022-02-02 1625: ...": military time, read only after a date, where four digits
        // cannot be a year or a count.
        None if date.is_some() => parse_hhmm_at(&mut cur)?,
        None => return None,
    };
    // "10:45~": an approximate time is still a time.
    cur.eat("~");
    let mut zone = parse_zone_at(&mut cur);
    // "**22:30 UTC (Oct 29)**": the date after the time, in parentheses.
    if date.is_none() {
        let save = cur.pos;
        cur.skip_ws();
        let spec = if cur.eat("(") {
            parse_date_at(&mut cur).filter(|_| cur.eat(")"))
        } else {
            None
        };
        match spec {
            Some(spec) => date = Some(spec),
            None => cur.pos = save,
        }
    }
    let mut trailing_close = None;
    if let Some(close) = opened {
        cur.skip_ws();
        // "**00:32 UTC:**": the separator inside the emphasis.
        let before_colon = cur.pos;
        if !(cur.eat(":") && cur.rest().starts_with(close)) {
            cur.pos = before_colon;
        }
        if !cur.eat(close) {
            let rest = cur.rest().trim_end();
            if rest.ends_with(close) && close.len() > 1 {
                trailing_close = Some(close);
            } else if !(close == "]" && cur.rest().trim_start().starts_with(']')) {
                // An opener we cannot match: not a timestamp wrapper after all.
                return None;
            }
        }
    }
    if zone.is_none() {
        zone = parse_zone_at(&mut cur);
    }
    let before_sep = cur.pos;
    cur.skip_ws();
    // "14:33, admin@pypi.org receives an email": a comma separates too.
    let seps: [&str; 8] = [" - ", "- ", "-", "\u{2013}", "\u{2014}", ":", "|", ","];
    let mut had_sep = false;
    for sep in seps {
        if cur.eat(sep.trim_start()) {
            had_sep = true;
            break;
        }
    }
    if !had_sep {
        cur.pos = before_sep;
    }
    // A time must be followed by a separator, white space or the end: "14:02am" is fine
    // (handled above), "14:02x" is not a timestamp.
    if let Some(c) = text[before_sep..].chars().next()
        && !had_sep
        && !c.is_whitespace()
    {
        return None;
    }
    cur.skip_ws();
    Some(Leader {
        date,
        time,
        zone,
        consumed: cur.pos,
        trailing_close,
    })
}

/// A date at the start of an entry that has no time: `2021-06-22 Vendor notified`,
/// `**June 22, 2021**: Vendor notified`. Returns the date and the bytes it took with its
/// wrappers and separator; `None` when a time follows the date (that is a [`Leader`]) or
/// nothing follows it (that is a date line).
pub fn parse_date_leader(text: &str) -> Option<(DateSpec, usize)> {
    if parse_leader(text).is_some() {
        return None;
    }
    let mut cur = Cursor::new(text);
    cur.skip_ws();
    let opened = open_wrapper(&mut cur);
    let date = parse_date_at(&mut cur)?;
    if let Some(close) = opened
        && !cur.eat(close)
    {
        return None;
    }
    let before = cur.pos;
    cur.skip_ws();
    for sep in [":", "-", "\u{2013}", "\u{2014}", "|"] {
        if cur.eat(sep) {
            break;
        }
    }
    // "2021-06-22x" is no date followed by text.
    if cur.pos == before
        && !cur.rest().is_empty()
        && !text[before..].starts_with(char::is_whitespace)
    {
        return None;
    }
    cur.skip_ws();
    (!cur.rest().trim().is_empty()).then_some((date, cur.pos))
}

/// Parses text that is only a date, as in a line that groups the entries below it:
/// `2019-01-22`, `**2019-01-22**`, `January 22, 2019:`, `Monday 22 January 2019`,
/// `October 21, 2025 - Redis Overload` (a date followed by a dash and a title).
pub fn parse_date_line(text: &str) -> Option<DateSpec> {
    let trimmed = text
        .trim()
        .trim_matches(|c: char| matches!(c, '*' | '_' | '#' | '`' | '[' | ']'))
        .trim();
    let mut cur = Cursor::new(trimmed);
    let date = parse_date_at(&mut cur)?;
    let rest = cur.rest().trim_start_matches(['*', '_']).trim();
    let rest = rest.trim_start_matches(':').trim();
    if rest.is_empty()
        || rest.starts_with('-')
        || rest.starts_with('\u{2013}')
        || rest.starts_with('\u{2014}')
        || rest.starts_with('(')
    {
        Some(date)
    } else {
        None
    }
}

/// Parses a complete date written anywhere people write one: `2026-06-28`, `2026/06/28`,
/// `June 28, 2026`, `28 June 2026`, `Jun 28 2026`. The whole text must be the date.
pub fn parse_full_date(text: &str) -> Option<Date> {
    let mut cur = Cursor::new(text.trim());
    match parse_date_at(&mut cur)? {
        DateSpec::Full(date) if cur.rest().trim().is_empty() => Some(date),
        _ => None,
    }
}

/// Finds the first ISO date (`YYYY-MM-DD`) anywhere in the text.
pub fn find_iso_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 10 <= bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_digit()) {
            let mut cur = Cursor::new(&text[i..]);
            if let Some(date) = parse_iso(&mut cur) {
                return Some(date);
            }
        }
        i += 1;
    }
    None
}

/// Every date a text writes, complete or as a month and day ("On the evening of Feb 23"), in
/// order. A numeric month-day counts only before a time ("03-26 23:04"): alone ("1/20") it
/// is ambiguous with other numbers.
pub fn find_dates(text: &str) -> impl Iterator<Item = DateSpec> + '_ {
    let bytes = text.as_bytes();
    let mut resume = 0;
    // Bytes rather than characters: a word starts at an ASCII letter or digit, which is never
    // inside a multi-byte character, and decoding every character cost more than the search.
    (0..bytes.len()).filter_map(move |i| {
        let b = bytes[i];
        let starts_word =
            b.is_ascii_alphanumeric() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        if i < resume || !starts_word {
            return None;
        }
        // Most words start no date: only digits and month or weekday names can.
        if b.is_ascii_alphabetic() && !starts_calendar_word(bytes.get(i..i + 3)?) {
            return None;
        }
        let mut cur = Cursor::new(&text[i..]);
        let spec = parse_date_at(&mut cur)?;
        resume = i + cur.pos;
        Some(spec)
    })
}

/// Whether three bytes are, in any case, the first three letters of a month or weekday name.
fn starts_calendar_word(head: &[u8]) -> bool {
    // The names' first three letters, packed as in `key` below; computed at compile time.
    const HEADS: [u32; 19] = {
        let mut heads = [0; 19];
        let mut k = 0;
        while k < 19 {
            let name = if k < 12 { MONTHS[k] } else { WEEKDAYS[k - 12] }.as_bytes();
            heads[k] = u32::from_le_bytes([name[0], name[1], name[2], 0]);
            k += 1;
        }
        heads
    };
    // Setting bit 5 lowers ASCII capitals and turns no other byte into a lower-case letter,
    // so comparing with the lower-case names ignores ASCII case exactly.
    let key = match head {
        [a, b, c] => u32::from_le_bytes([a | 0x20, b | 0x20, c | 0x20, 0]),
        _ => return false,
    };
    HEADS.contains(&key)
}

/// Finds a date written in words or ISO anywhere in a short text, such as a title
/// "January 23rd, 2019 Prow Outage".
pub fn find_date(text: &str) -> Option<Date> {
    if let Some(date) = find_iso_date(text) {
        return Some(date);
    }
    for (i, _) in text.char_indices().filter(|&(i, c)| {
        c.is_ascii_alphanumeric() && (i == 0 || !text.as_bytes()[i - 1].is_ascii_alphanumeric())
    }) {
        let mut cur = Cursor::new(&text[i..]);
        if let Some(DateSpec::Full(date)) = parse_date_at(&mut cur) {
            return Some(date);
        }
    }
    None
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor { text, pos: 0 }
    }

    /// Runs a sub-parser; when it fails, the cursor is back where it was.
    fn attempt<T>(&mut self, parse: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let start = self.pos;
        let result = parse(self);
        if result.is_none() {
            self.pos = start;
        }
        result
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn eat(&mut self, prefix: &str) -> bool {
        if self.rest().starts_with(prefix) {
            self.pos += prefix.len();
            true
        } else {
            false
        }
    }

    fn eat_ignore_case(&mut self, prefix: &str) -> bool {
        let rest = self.rest();
        if rest.len() >= prefix.len()
            && rest.is_char_boundary(prefix.len())
            && rest[..prefix.len()].eq_ignore_ascii_case(prefix)
        {
            self.pos += prefix.len();
            true
        } else {
            false
        }
    }

    fn skip_ws(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start_matches([' ', '\t']).len();
    }

    /// Reads up to `max` ASCII digits; returns the value and how many were read.
    fn digits(&mut self, max: usize) -> Option<(u32, usize)> {
        let rest = self.rest().as_bytes();
        let n = rest
            .iter()
            .take(max)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if n == 0 {
            return None;
        }
        let value = rest[..n]
            .iter()
            .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'));
        self.pos += n;
        Some((value, n))
    }

    fn word(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        let n = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        if n == 0 {
            return None;
        }
        self.pos += n;
        Some(&rest[..n])
    }

    fn next_is_digit(&self) -> bool {
        self.rest()
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_digit)
    }
}

fn parse_time_at(cur: &mut Cursor<'_>) -> Option<Time> {
    cur.attempt(|cur| {
        let (hour, _) = cur.digits(2)?;
        if !cur.eat(":") && !cur.eat(".") {
            return None;
        }
        let (minute, n) = cur.digits(2)?;
        if n != 2 || cur.next_is_digit() {
            return None;
        }
        let mut second = 0;
        let save = cur.pos;
        if cur.eat(":") {
            match cur.digits(2) {
                Some((s, 2)) => second = s,
                _ => cur.pos = save,
            }
            // Fractions of a second: "16:54:16.154136".
            if cur.eat(".") && cur.digits(9).is_none() {
                cur.pos -= 1;
            }
        }
        let mut hour = hour;
        let save = cur.pos;
        cur.skip_ws();
        let meridiem =
            if (cur.eat_ignore_case("a.m.") || cur.eat_ignore_case("am")) && boundary(cur) {
                Some(false)
            } else {
                cur.pos = save;
                cur.skip_ws();
                if (cur.eat_ignore_case("p.m.") || cur.eat_ignore_case("pm")) && boundary(cur) {
                    Some(true)
                } else {
                    None
                }
            };
        match meridiem {
            Some(false) if hour == 12 => hour = 0,
            Some(true) if hour < 12 => hour += 12,
            Some(_) if hour > 12 => return None,
            Some(_) => {}
            None => cur.pos = save,
        }
        if cur.eat("Z") && !boundary(cur) {
            return None;
        }
        Time::new(
            i8::try_from(hour).ok()?,
            i8::try_from(minute).ok()?,
            i8::try_from(second).ok()?,
            0,
        )
        .ok()
    })
}

/// Four digits `HHMM` ending a word: `1625`.
fn parse_hhmm_at(cur: &mut Cursor<'_>) -> Option<Time> {
    cur.attempt(|cur| {
        let (value, n) = cur.digits(4)?;
        if n != 4 || !boundary(cur) {
            return None;
        }
        Time::new(
            i8::try_from(value / 100).ok()?,
            i8::try_from(value % 100).ok()?,
            0,
            0,
        )
        .ok()
    })
}

fn boundary(cur: &Cursor<'_>) -> bool {
    cur.rest()
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric())
}

fn parse_zone_at(cur: &mut Cursor<'_>) -> Option<(String, TimeZone)> {
    let save = cur.pos;
    cur.skip_ws();
    let rest = cur.rest();
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | ':' | '/' | '_')))
        .unwrap_or(rest.len());
    let mut candidate = &rest[..end];
    // "PST:" - the colon is a separator, not part of the zone.
    while let Some(stripped) = candidate.strip_suffix(':') {
        candidate = stripped;
    }
    if candidate.is_empty() || candidate.starts_with('-') && candidate.len() == 1 {
        cur.pos = save;
        return None;
    }
    // A bare offset must be written in full ("+02:00", "-0500"): "12:26-12:30" is a range.
    let bare_offset = candidate.starts_with(['+', '-']);
    if bare_offset && candidate.len() < 5 {
        cur.pos = save;
        return None;
    }
    if let Some(zone) = parse_zone(candidate) {
        cur.pos += candidate.len();
        return Some((candidate.to_string(), zone));
    }
    cur.pos = save;
    None
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Whether a lower-case word is the name of a month or a day of the week.
pub fn is_calendar_word(lower: &str) -> bool {
    calendar_words().any(|w| w == lower)
}

/// The names of the months and the days of the week, lower case.
pub fn calendar_words() -> impl Iterator<Item = &'static str> {
    MONTHS.iter().chain(&WEEKDAYS).copied()
}

/// Whether `word` is `name` or a prefix of it, ignoring ASCII case: "Sep", "sept" and
/// "SEPTEMBER" all abbreviate "september".
fn abbreviates(word: &str, name: &str) -> bool {
    name.get(..word.len())
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case(word))
}

fn month_from_word(word: &str) -> Option<i8> {
    if word.len() < 3 {
        return None;
    }
    let index = MONTHS.iter().position(|m| {
        abbreviates(word, m) || (*m == "september" && word.eq_ignore_ascii_case("sept"))
    })?;
    i8::try_from(index + 1).ok()
}

fn parse_date_at(cur: &mut Cursor<'_>) -> Option<DateSpec> {
    let start = cur.pos;
    // "14:02", the usual start of a timeline entry, is a time and never a date.
    let digits = cur.rest().bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits) && cur.rest().as_bytes().get(digits) == Some(&b':') {
        return None;
    }
    // An optional weekday: "Monday, ", "Mon ".
    if let Some(word) = cur.word() {
        if word.len() >= 3 && WEEKDAYS.iter().any(|d| abbreviates(word, d)) {
            cur.eat(",");
            cur.skip_ws();
        } else {
            cur.pos = start;
        }
    }
    let after_weekday = cur.pos;
    if let Some(date) = parse_iso(cur) {
        return Some(DateSpec::Full(date));
    }
    cur.pos = after_weekday;
    if let Some(date) = parse_day_month_year(cur) {
        return Some(DateSpec::Full(date));
    }
    cur.pos = after_weekday;
    if let Some(spec) = parse_month_first(cur) {
        return Some(spec);
    }
    cur.pos = after_weekday;
    if let Some(spec) = parse_day_first(cur) {
        return Some(spec);
    }
    cur.pos = after_weekday;
    if let Some(spec) = parse_numeric_month_day(cur) {
        return Some(spec);
    }
    cur.pos = start;
    None
}

/// `2021-06-22`, `2021/06/22`.
fn parse_iso(cur: &mut Cursor<'_>) -> Option<Date> {
    cur.attempt(|cur| {
        let (year, n) = cur.digits(4)?;
        if n != 4 || cur.next_is_digit() {
            return None;
        }
        let sep = if cur.eat("-") {
            "-"
        } else if cur.eat("/") {
            "/"
        } else {
            return None;
        };
        let (month, _) = cur.digits(2)?;
        if !cur.eat(sep) {
            return None;
        }
        let (day, _) = cur.digits(2)?;
        if cur.next_is_digit() {
            return None;
        }
        Date::new(
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
        )
        .ok()
    })
}

/// `09-03-2024` and `09.03.2024`, day first as Europe writes them; `03/09/2024` month first
/// as the United States writes it, unless the first number cannot be a month (`21/06/2024`).
/// Either way a reading that is no date gives way to the other.
fn parse_day_month_year(cur: &mut Cursor<'_>) -> Option<Date> {
    cur.attempt(|cur| {
        let (first, n) = cur.digits(2)?;
        if n == 0 {
            return None;
        }
        let sep = ["-", ".", "/"].into_iter().find(|sep| cur.eat(sep))?;
        let (second, n) = cur.digits(2)?;
        if n == 0 || !cur.eat(sep) {
            return None;
        }
        let (year, n) = cur.digits(4)?;
        if n != 4 || cur.next_is_digit() {
            return None;
        }
        let year = i16::try_from(year).ok()?;
        let (first, second) = (i8::try_from(first).ok()?, i8::try_from(second).ok()?);
        let day_first = sep != "/" || first > 12;
        let (day, month) = if day_first {
            (first, second)
        } else {
            (second, first)
        };
        Date::new(year, month, day)
            .or_else(|_| Date::new(year, day, month))
            .ok()
    })
}

/// `Jan 14`, `January 14th, 2025`, `Oct 21 2025`.
fn parse_month_first(cur: &mut Cursor<'_>) -> Option<DateSpec> {
    let month = month_from_word(cur.word()?)?;
    cur.eat(".");
    cur.skip_ws();
    let (day, _) = cur.digits(2)?;
    for suffix in ["st", "nd", "rd", "th"] {
        if cur.eat_ignore_case(suffix) {
            break;
        }
    }
    if !boundary(cur) {
        return None;
    }
    let day = i8::try_from(day).ok()?;
    let save = cur.pos;
    cur.eat(",");
    cur.skip_ws();
    if let Some((year, 4)) = cur.digits(4)
        && !cur.next_is_digit()
        && !cur.rest().starts_with(':')
    {
        return Date::new(i16::try_from(year).ok()?, month, day)
            .ok()
            .map(DateSpec::Full);
    }
    cur.pos = save;
    Date::new(2000, month, day).ok()?; // validates day-of-month (2000 is a leap year)
    Some(DateSpec::MonthDay(month, day))
}

/// `14 Jan 2025`, `22 January`.
fn parse_day_first(cur: &mut Cursor<'_>) -> Option<DateSpec> {
    let (day, _) = cur.digits(2)?;
    for suffix in ["st", "nd", "rd", "th"] {
        if cur.eat_ignore_case(suffix) {
            break;
        }
    }
    cur.skip_ws();
    let month = month_from_word(cur.word()?)?;
    cur.eat(".");
    let day = i8::try_from(day).ok()?;
    let save = cur.pos;
    cur.eat(",");
    cur.skip_ws();
    if let Some((year, 4)) = cur.digits(4)
        && !cur.next_is_digit()
        && !cur.rest().starts_with(':')
    {
        return Date::new(i16::try_from(year).ok()?, month, day)
            .ok()
            .map(DateSpec::Full);
    }
    cur.pos = save;
    Date::new(2000, month, day).ok()?;
    Some(DateSpec::MonthDay(month, day))
}

/// `03-26` or `03/26` directly followed by a time (`[03-26 23:04]`); never alone, where it
/// would be ambiguous with other numbers.
fn parse_numeric_month_day(cur: &mut Cursor<'_>) -> Option<DateSpec> {
    let (month, n) = cur.digits(2)?;
    if n != 2 {
        return None;
    }
    if !cur.eat("-") && !cur.eat("/") {
        return None;
    }
    let (day, n) = cur.digits(2)?;
    if n != 2 || !cur.rest().starts_with(' ') {
        return None;
    }
    let save = cur.pos;
    cur.skip_ws();
    let followed_by_time = parse_time_at(cur).is_some();
    cur.pos = save;
    if !followed_by_time {
        return None;
    }
    let (month, day) = (i8::try_from(month).ok()?, i8::try_from(day).ok()?);
    Date::new(2000, month, day).ok()?;
    Some(DateSpec::MonthDay(month, day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn leader(text: &str) -> Option<(Option<DateSpec>, Time, Option<String>, String)> {
        parse_leader(text).map(|l| {
            (
                l.date,
                l.time,
                l.zone.map(|z| z.0),
                text[l.consumed..].to_string(),
            )
        })
    }

    #[test]
    fn times_in_the_wild() {
        assert_eq!(
            leader("14:02 Migration deploy starts"),
            Some((
                None,
                time(14, 2, 0, 0),
                None,
                "Migration deploy starts".into()
            ))
        );
        assert_eq!(
            leader("**16:58 UTC** - Writer db"),
            Some((
                None,
                time(16, 58, 0, 0),
                Some("UTC".into()),
                "Writer db".into()
            ))
        );
        assert_eq!(
            leader("[08:47] hook down"),
            Some((None, time(8, 47, 0, 0), None, "hook down".into()))
        );
        assert_eq!(
            leader("7:32 PM PT: rollback"),
            Some((
                None,
                time(19, 32, 0, 0),
                Some("PT".into()),
                "rollback".into()
            ))
        );
        assert_eq!(
            leader("01:02 AMI released"),
            Some((None, time(1, 2, 0, 0), None, "AMI released".into()))
        );
        assert_eq!(
            leader("12:05 AM: x"),
            Some((None, time(0, 5, 0, 0), None, "x".into()))
        );
        assert_eq!(
            leader("2021-06-22 08:21 | Pipeline"),
            Some((
                Some(DateSpec::Full(date(2021, 6, 22))),
                time(8, 21, 0, 0),
                None,
                "Pipeline".into()
            ))
        );
        assert_eq!(
            leader("[03-26 23:04] The node"),
            Some((
                Some(DateSpec::MonthDay(3, 26)),
                time(23, 4, 0, 0),
                None,
                "The node".into()
            ))
        );
        assert_eq!(
            leader("Jan 14, 10:18 AM"),
            Some((
                Some(DateSpec::MonthDay(1, 14)),
                time(10, 18, 0, 0),
                None,
                String::new()
            ))
        );
        assert_eq!(
            leader("2024-06-28 7:09 AM Eastern:\n    Report"),
            Some((
                Some(DateSpec::Full(date(2024, 6, 28))),
                time(7, 9, 0, 0),
                Some("Eastern".into()),
                "\n    Report".into()
            ))
        );
        let bold = parse_leader("**2019-10-20 00:55: crate builds failing**").expect("leader");
        assert_eq!(bold.trailing_close, Some("**"));
        assert_eq!(
            leader("2021-06-22T08:21:00Z deploy").map(|l| l.1),
            Some(time(8, 21, 0, 0))
        );
    }

    #[test]
    fn not_times() {
        for text in [
            "3 minutes later",
            "14:2 x",
            "2022-05-?? HH:mm | Detected",
            "version 1.2.3",
            "25:00 x",
            "10:45x",
        ] {
            assert_eq!(leader(text), None, "{text}");
        }
    }

    #[test]
    fn date_lines() {
        assert_eq!(
            parse_date_line("2019-01-22"),
            Some(DateSpec::Full(date(2019, 1, 22)))
        );
        assert_eq!(
            parse_date_line("October 21, 2025 - Redis Overload"),
            Some(DateSpec::Full(date(2025, 10, 21)))
        );
        assert_eq!(
            parse_date_line("**Monday, 22 January 2019**:"),
            Some(DateSpec::Full(date(2019, 1, 22)))
        );
        assert_eq!(parse_date_line("2019-01-22 the deploy"), None);
        assert_eq!(
            find_date("January 23rd, 2019 Prow Outage"),
            Some(date(2019, 1, 23))
        );
    }
}
