//! Time zones as people write them in postmortems: `UTC`, `CET`, `PST`, `Eastern`, `+02:00`,
//! `UTC+2`, or an IANA name. Zone rules come from the tz database bundled into the binary, so
//! reading a document never touches the file system.

use jiff::tz::{Offset, TimeZone};

/// Resolves a written zone label to a time zone, or `None` when it is not one.
///
/// Regional abbreviations resolve to the region's rules rather than a fixed offset: writers
/// commonly say "PST" all year round and mean the local time in California.
pub fn parse_zone(label: &str) -> Option<TimeZone> {
    let label = label
        .trim()
        .trim_matches(|c: char| matches!(c, '(' | ')' | '.' | ',' | ':' | '*'));
    if label.is_empty() || label.len() > 40 || !label.is_ascii() {
        return None;
    }
    // Lower case on the stack: this runs for the word after every time in a timeline.
    let mut buffer = [0u8; 40];
    let lower = &mut buffer[..label.len()];
    lower.copy_from_slice(label.as_bytes());
    lower.make_ascii_lowercase();
    let lower = std::str::from_utf8(lower).unwrap_or_default();
    let region = match lower {
        "utc" | "gmt" | "z" | "zulu" | "uct" | "coordinated universal time" => {
            return Some(TimeZone::UTC);
        }
        "cet" | "cest" | "central european time" | "central european summer time" => "Europe/Paris",
        "eet" | "eest" => "Europe/Athens",
        "wet" | "west" => "Europe/Lisbon",
        "bst" | "british summer time" => "Europe/London",
        "pt" | "pst" | "pdt" | "pacific" | "pacific time" | "us/pacific" => "America/Los_Angeles",
        "mt" | "mst" | "mdt" | "mountain" | "mountain time" => "America/Denver",
        "ct" | "cst" | "cdt" | "central" | "central time" => "America/Chicago",
        "et" | "est" | "edt" | "eastern" | "eastern time" | "us/eastern" => "America/New_York",
        "jst" => "Asia/Tokyo",
        "aest" | "aedt" => "Australia/Sydney",
        "nzst" | "nzdt" => "Pacific/Auckland",
        _ => "",
    };
    if !region.is_empty() {
        return TimeZone::get(region).ok();
    }
    if let Some(offset) = parse_offset(lower) {
        return Some(TimeZone::fixed(offset));
    }
    if label.contains('/')
        && label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c))
    {
        return TimeZone::get(label).ok();
    }
    None
}

/// Parses `+02:00`, `+0200`, `+2`, `-05`, `UTC+2`, `GMT-05:30`.
fn parse_offset(lower: &str) -> Option<Offset> {
    let rest = lower
        .strip_prefix("utc")
        .or_else(|| lower.strip_prefix("gmt"))
        .unwrap_or(lower);
    let mut chars = rest.chars();
    let sign = match chars.next()? {
        '+' => 1,
        '-' | '\u{2212}' => -1,
        _ => return None,
    };
    let digits: String = chars.as_str().chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes): (i32, i32) = match digits.len() {
        1 | 2 => (digits.parse().ok()?, 0),
        3 => (digits[..1].parse().ok()?, digits[1..].parse().ok()?),
        4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        _ => return None,
    };
    if hours > 14 || minutes > 59 {
        return None;
    }
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

/// Finds a statement of the time zone in free text: "All times in UTC", "times are in PST",
/// "Time (CET)", "Date and Time in CET". Returns the zone label as written and the zone.
pub fn find_zone_statement(text: &str) -> Option<(String, TimeZone)> {
    // Parenthesised zones first: "Timeline (UTC)", "Time (all times PT)".
    for (open, _) in text.match_indices('(') {
        let inner = &text[open + 1..];
        let Some(close) = inner.find(')') else {
            continue;
        };
        let inner = &inner[..close];
        for word in inner.split(|c: char| c.is_whitespace() || c == ',').rev() {
            if let Some(zone) = parse_zone(word) {
                return Some((clean_label(word), zone));
            }
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        let lower = word.to_ascii_lowercase();
        if !lower.starts_with("time") {
            continue;
        }
        // "times in UTC", "times are in UTC", "times are shown in Pacific time".
        for candidate in words.iter().skip(i + 1).take(5) {
            if let Some(zone) = parse_zone(candidate) {
                return Some((clean_label(candidate), zone));
            }
        }
    }
    None
}

/// The zone the text writes its times in, when it writes them in one: "merged between 2 AM
/// and 2.30 AM PST", "a GitHub issue around 5.45 AM PST". Only abbreviations and offsets
/// written right after a time count ("Pacific" alone may be an ocean); times in two zones
/// ("14:00 UTC (07:00 PDT)") give none. Returns the first label as written and its zone.
pub fn find_zone_of_times(text: &str) -> Option<(String, TimeZone)> {
    let mut found: Option<(String, TimeZone)> = None;
    let mut previous: [&str; 2] = ["", ""];
    let wrapper = |c: char| matches!(c, '(' | ')' | '.' | ',' | ':' | ';' | '*');
    for word in text.split_ascii_whitespace() {
        // An abbreviation starts with a capital: most words are let go at their first letter,
        // before any trimming.
        let capital = word
            .bytes()
            .find(|&b| !wrapper(char::from(b)))
            .is_some_and(|b| b.is_ascii_uppercase());
        let label = if capital {
            word.trim_matches(wrapper)
        } else {
            ""
        };
        let abbreviation = capital
            && (2..=9).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b"+-:".contains(&b));
        // The time before is looked at only after an abbreviation: this runs for every word
        // above a timeline, and few are abbreviations.
        if abbreviation
            && (is_time_word(previous[1], false)
                || (is_meridiem(previous[1]) && is_time_word(previous[0], true)))
            && let Some(zone) = parse_zone(label)
        {
            match &found {
                None => found = Some((label.to_string(), zone)),
                Some((first, known)) => {
                    let same = match (known.iana_name(), zone.iana_name()) {
                        (Some(a), Some(b)) => a == b,
                        _ => first.eq_ignore_ascii_case(label),
                    };
                    if !same {
                        return None;
                    }
                }
            }
        }
        previous = [previous[1], word];
    }
    found
}

/// `14:05`, `2.30`, `5pm`, `1900`, `(08:47`: a word that reads as a time of day; a bare
/// hour (`2`) only when `bare_hour` (an "AM" or "PM" follows).
fn is_time_word(word: &str, bare_hour: bool) -> bool {
    let word = word.trim_start_matches(['(', '~', '*']);
    // Every reading below starts with an hour: most words stop here, before any allocation.
    if !word.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let lower = word.to_ascii_lowercase();
    let digits = lower
        .trim_end_matches(['.', ','])
        .trim_end_matches("am")
        .trim_end_matches("pm");
    if digits.is_empty() || digits.len() > 8 {
        return false;
    }
    let parts: Vec<&str> = digits.split([':', '.']).collect();
    let numeric = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        // "1900", "0730": hours and minutes written together.
        [hhmm] if hhmm.len() == 4 => numeric(hhmm) && hhmm[..2] < *"24" && hhmm[2..] < *"60",
        [hour] => numeric(hour) && hour.len() <= 2 && (bare_hour || digits.len() < lower.len()),
        [hour, rest @ ..] => {
            numeric(hour) && hour.len() <= 2 && rest.iter().all(|p| numeric(p) && p.len() == 2)
        }
        [] => false,
    }
}

fn is_meridiem(word: &str) -> bool {
    let lower = word.trim_end_matches([',', ';']).to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "am" | "pm" | "a.m." | "p.m." | "a.m" | "p.m"
    )
}

fn clean_label(word: &str) -> String {
    word.trim_matches(|c: char| matches!(c, '(' | ')' | '.' | ',' | ':' | '*'))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_labels_resolve() {
        for label in [
            "UTC",
            "gmt",
            "CET",
            "CEST",
            "PST",
            "PT",
            "Eastern",
            "ET",
            "+02:00",
            "UTC+2",
            "Europe/Oslo",
        ] {
            assert!(parse_zone(label).is_some(), "{label}");
        }
        for label in ["Kafka", "AM", "", "+99", "In"] {
            assert!(parse_zone(label).is_none(), "{label}");
        }
    }

    #[test]
    fn statements_are_found() {
        assert_eq!(
            find_zone_statement("All times in CET.").map(|z| z.0),
            Some("CET".into())
        );
        assert_eq!(
            find_zone_statement("Unless otherwise noted all times are in UTC.").map(|z| z.0),
            Some("UTC".into())
        );
        assert_eq!(
            find_zone_statement("Timeline (PT)").map(|z| z.0),
            Some("PT".into())
        );
        assert!(find_zone_statement("The pipeline timed out in production").is_none());
    }

    #[test]
    fn zones_of_times_in_the_text() {
        let zone = |text: &str| find_zone_of_times(text).map(|z| z.0);
        assert_eq!(
            zone("merged between 2 AM and 2.30 AM PST on 1/20; an issue around 5.45 AM PST."),
            Some("PST".into())
        );
        assert_eq!(
            zone("between the hours of 1900 and 2100 UTC"),
            Some("UTC".into())
        );
        assert_eq!(zone("at 14:00 PST and later 16:10 PDT"), Some("PST".into()));
        // Two zones: none is the text's.
        assert_eq!(zone("at 14:00 UTC (07:00 PDT)"), None);
        // A zone not written after a time, or a word that is not one.
        assert_eq!(zone("Our PST office and the UTC clock"), None);
        assert_eq!(zone("version 5.45 AM"), None);
        assert_eq!(zone("at 10:00 ET"), Some("ET".into()));
    }
}
