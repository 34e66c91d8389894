//! Action items: task lists and plain lists, with owner, due date, priority and tracker
//! reference written in a trailing parenthesis `(owner: A, due: 2 weeks)` or as a trailing
//! `Owner: @handle`.

use super::blocks::{BlockKind, item_content};
use super::{Reader, Unit, push_text, trim_block};
use crate::diagnostic::Severity;
use crate::model::{ActionItem, ActionItems, Due, Metadata, Part};
use crate::rule::RuleId;
use crate::when::parse_full_date;
use jiff::civil::Date;
use jiff::{Span, ToSpan};

impl Reader<'_> {
    pub(crate) fn action_items(&mut self, units: &[Unit<'_>], meta: &Metadata) -> ActionItems {
        let mut parts = Vec::new();
        // Items under a sub-heading such as "Immediate actions (completed)" are done.
        let mut under_done_heading = false;
        for unit in units {
            let Unit::Block(block) = unit else {
                push_text(&mut parts, &self.text[unit.range()]);
                continue;
            };
            match &block.kind {
                BlockKind::List { items } => {
                    for item in items {
                        let (content, offset) = item_content(self.text, item.range.clone());
                        let (first, details) = match content.split_once('\n') {
                            Some((first, rest)) => (first, trim_block(rest)),
                            None => (content.as_str(), ""),
                        };
                        if first.trim().is_empty() {
                            push_text(&mut parts, &self.text[item.range.clone()]);
                            continue;
                        }
                        let mut action = parse_item(first, meta.date);
                        action.details = details.to_string();
                        // A declined item was not done, however it is marked: a struck line
                        // with a reason for declining it was struck because it was dropped.
                        action.done = action.declined.is_none()
                            && item
                                .task
                                .unwrap_or(under_done_heading || written_as_done(&action.text));
                        if let Some(due) = &action.due
                            && due.date.is_none()
                        {
                            self.report(
                                RuleId::InvalidDueDate,
                                Severity::Warning,
                                offset..offset + first.len(),
                                format!(
                                    "due date `{}` is not a date debrief can read",
                                    due.written
                                ),
                            );
                        }
                        self.action_ranges.push(offset..offset + action.text.len());
                        parts.push(Part::Item(action));
                    }
                }
                BlockKind::Heading { text, .. } => {
                    let lower = text.to_ascii_lowercase();
                    under_done_heading = ["completed", "done", "finished"]
                        .iter()
                        .any(|w| lower.contains(w));
                    push_text(&mut parts, &self.text[block.range.clone()]);
                }
                _ => push_text(&mut parts, &self.text[block.range.clone()]),
            }
        }
        ActionItems { parts }
    }
}

/// Whether an item's own words say it is done, as a list without task boxes writes it:
/// "✅ Rotate the key", "~~Rotate the key~~", "Rotate the key (done)",
/// "Rotate the key **(Done during this incident)**", "DONE: rotate the key".
fn written_as_done(text: &str) -> bool {
    let text = text.trim();
    if text.starts_with(['\u{2705}', '\u{2714}', '\u{2611}'])
        || text.ends_with(['\u{2705}', '\u{2714}', '\u{2611}'])
    {
        return true;
    }
    if text.len() > 4 && text.starts_with("~~") && text.ends_with("~~") {
        return true;
    }
    let status = |word: &str| {
        let lower = word.trim().to_ascii_lowercase();
        [
            "done",
            "completed",
            "complete",
            "finished",
            "fixed",
            "shipped",
        ]
        .iter()
        .any(|w| lower == *w || lower.starts_with(&format!("{w} ")))
    };
    let plain = text.trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
    // A set-apart status at the end: "(done)", "[Done]", "- done", "**Done**".
    if let Some(body) = plain.strip_suffix([')', ']'])
        && let Some(open) = body.rfind(['(', '['])
        && status(body[open + 1..].trim_matches(['*', '_']))
    {
        return true;
    }
    if let Some((_, tail)) = plain.rsplit_once([' ', '\u{2014}'])
        && plain.len() > tail.len() + 2
        && matches!(
            plain[..plain.len() - tail.len()].trim_end().chars().last(),
            Some('-' | '\u{2014}' | ':' | '|')
        )
        && status(tail.trim_matches(['*', '_', '.']))
    {
        return true;
    }
    // A leading status: "DONE: rotate the key", "**Done** - rotate the key"; not
    // "Completed-state handling".
    [":", " - ", " \u{2014} "].iter().any(|sep| {
        plain.split_once(sep).is_some_and(|(head, rest)| {
            !rest.trim().is_empty() && status(head.trim_matches(['*', '_']))
        })
    })
}

/// Parses one action item's first line.
pub(crate) fn parse_item(line: &str, base: Option<Date>) -> ActionItem {
    let mut item = ActionItem::default();
    let mut text = line.trim();
    if let Some((fields, rest)) = trailing_fields(text) {
        for (key, value) in fields {
            match key {
                Field::Owner => item.owner = Some(value),
                Field::Due => item.due = Some(due(&value, base)),
                Field::Priority => item.priority = Some(value),
                Field::Tracker => item.tracker = Some(value),
                Field::Declined => item.declined = Some(value),
            }
        }
        text = rest;
    }
    item.text = text.to_string();
    item
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Owner,
    Due,
    Priority,
    Tracker,
    Declined,
}

fn field(key: &str) -> Option<Field> {
    let key = key.trim().trim_matches('*').trim().to_ascii_lowercase();
    Some(match key.as_str() {
        "owner" | "owners" | "assignee" | "assigned to" | "dri" | "who" => Field::Owner,
        "due" | "due date" | "deadline" | "by" | "eta" | "target" | "when" => Field::Due,
        "priority" | "prio" | "pri" => Field::Priority,
        "tracker" | "issue" | "ticket" | "jira" | "tracked in" | "tracking" => Field::Tracker,
        "declined" | "won't do" | "wont do" | "wontfix" | "not doing" => Field::Declined,
        _ => return None,
    })
}

/// `(owner: A, due: 2 weeks)` at the end of the line, or `Owner: @x` after the last sentence.
/// Returns the fields and the text before them, or `None` when the line has none.
fn trailing_fields(text: &str) -> Option<(Vec<(Field, String)>, &str)> {
    if let Some(body) = text.strip_suffix(')')
        && let Some(open) = matching_open(body)
    {
        let inner = &body[open + 1..];
        let mut fields = Vec::new();
        for piece in split_fields(inner) {
            // A bare reference among the fields: `(owner: sre, due: 2026-03-30, OPS-118)`.
            if is_reference(piece) {
                fields.push((Field::Tracker, piece.to_string()));
                continue;
            }
            let (key, value) = piece.split_once(':')?;
            let value = value.trim();
            if value.is_empty() {
                return None;
            }
            fields.push((field(key)?, value.to_string()));
        }
        if !fields.is_empty() {
            return Some((fields, body[..open].trim_end()));
        }
    }
    // "... in CI. Owner: @lucasheriques"
    let lower = text.to_ascii_lowercase();
    for key in ["owner:", "owners:", "assignee:", "dri:"] {
        if let Some(at) = lower.rfind(key) {
            let value = text[at + key.len()..].trim();
            let before = text[..at].trim_end();
            let separated = before.is_empty()
                || before.ends_with(['.', '-', '\u{2014}', '|', ';', ',', ')', '*']);
            if separated
                && !value.is_empty()
                && value.split_whitespace().count() <= 4
                && !value.contains(['(', '.'])
            {
                let before = before
                    .trim_end_matches(['-', '\u{2014}', '|', ';', ','])
                    .trim_end();
                return Some((vec![(Field::Owner, value.to_string())], before));
            }
        }
    }
    None
}

/// The index of the `(` that matches the final `)` (already removed from `body`).
fn matching_open(body: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in body.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => return Some(i),
            '(' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Splits `owner: A, due: 2 weeks; priority: P1` at commas and semicolons that start a new
/// `key:` or a bare tracker reference (`, OPS-118`); a comma inside a value ("due: June 28,
/// 2026") stays in the value.
fn split_fields(inner: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        if c != ',' && c != ';' {
            continue;
        }
        // One byte: the rest starts on a character boundary.
        let rest = &inner[i + 1..];
        let next = rest.split([',', ';']).next().unwrap_or(rest);
        if starts_with_key(rest) || is_reference(next) {
            pieces.push(inner[start..i].trim());
            start = i + 1;
        }
    }
    pieces.push(inner[start..].trim());
    pieces
}

/// One word that is a tracker reference and nothing else: `OPS-118`, `#42`, an issue's URL.
fn is_reference(piece: &str) -> bool {
    let piece = piece.trim();
    !piece.is_empty() && !piece.contains(char::is_whitespace) && has_tracker_reference(piece)
}

fn starts_with_key(rest: &str) -> bool {
    rest.split_once(':')
        .is_some_and(|(key, _)| field(key).is_some())
}

/// Whether `text` names a tracker issue: `[#123]`, `#123`, `OPS-42`, or a link to an issue.
pub fn has_tracker_reference(text: &str) -> bool {
    let bytes = text.as_bytes();
    let hash_number = text
        .match_indices('#')
        .any(|(i, _)| bytes.get(i + 1).is_some_and(u8::is_ascii_digit));
    // Each search below needs a byte that most items do not have: look for that first.
    let issue_url = text.contains('/')
        && [
            "/issues/",
            "/pull/",
            "/browse/",
            "/-/issues/",
            "/merge_requests/",
        ]
        .iter()
        .any(|p| text.contains(p));
    let key = text.contains('-')
        && text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .any(|w| {
                let Some((project, number)) = w.split_once('-') else {
                    return false;
                };
                project.len() >= 2
                    && project.chars().all(|c| c.is_ascii_uppercase())
                    && !number.is_empty()
                    && number.chars().all(|c| c.is_ascii_digit())
            });
    hash_number || issue_url || key
}

/// Resolves a written due date against the postmortem's date.
pub fn due(written: &str, base: Option<Date>) -> Due {
    Due {
        written: written.to_string(),
        date: resolve_due(written, base),
    }
}

fn resolve_due(written: &str, base: Option<Date>) -> Option<Date> {
    let text = written.trim().trim_matches('*').trim();
    if let Some(date) = parse_full_date(text) {
        return Some(date);
    }
    let lower = text.to_ascii_lowercase();
    let lower = lower.strip_prefix("in ").unwrap_or(&lower);
    let lower = lower.strip_prefix("within ").unwrap_or(lower);
    // "Q3 2026", "2026-Q3": the last day of the quarter.
    if let Some(date) = quarter_end(lower) {
        return Some(date);
    }
    let base = base?;
    let span = relative_span(lower)?;
    base.checked_add(span).ok()
}

fn quarter_end(lower: &str) -> Option<Date> {
    let compact: String = lower
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let (quarter, year) = if let Some(rest) = compact.strip_prefix('q') {
        let q: i8 = rest.get(..1)?.parse().ok()?;
        (q, rest.get(1..)?.parse::<i16>().ok()?)
    } else {
        let at = compact.find('q')?;
        (
            compact.get(at + 1..)?.parse::<i8>().ok()?,
            compact.get(..at)?.parse::<i16>().ok()?,
        )
    };
    if !(1..=4).contains(&quarter) || year < 1000 {
        return None;
    }
    Date::new(year, quarter * 3, 1).ok()?.last_of_month().into()
}

/// `2 weeks`, `a week`, `one month`, `10d`, `3 business days` (counted as calendar days).
fn relative_span(lower: &str) -> Option<Span> {
    let words: Vec<&str> = lower.split_whitespace().collect();
    let (count, unit) = match words.as_slice() {
        [single] => {
            let digits = single.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return match *single {
                    "tomorrow" => Some(1.day()),
                    _ => None,
                };
            }
            (single[..digits].parse::<i64>().ok()?, &single[digits..])
        }
        [count, unit] | [count, _, unit] => (number_word(count)?, *unit),
        _ => return None,
    };
    let count = i32::try_from(count)
        .ok()
        .filter(|c| (0..=1000).contains(c))?;
    let unit = unit.trim_end_matches('s');
    Some(match unit {
        "d" | "day" => count.days(),
        "w" | "wk" | "week" => count.weeks(),
        "m" | "mo" | "month" => count.months(),
        "q" | "quarter" => (count * 3).months(),
        "y" | "yr" | "year" => count.years(),
        _ => return None,
    })
}

fn number_word(word: &str) -> Option<i64> {
    Some(match word {
        "a" | "an" | "one" | "next" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "eight" => 8,
        "ten" => 10,
        "twelve" => 12,
        _ => word.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn owner_and_relative_due() {
        let item = parse_item(
            "Adopt expand-contract migration policy (owner: A, due: 2 weeks)",
            Some(date(2026, 6, 14)),
        );
        assert_eq!(item.text, "Adopt expand-contract migration policy");
        assert_eq!(item.owner.as_deref(), Some("A"));
        assert_eq!(
            item.due,
            Some(Due {
                written: "2 weeks".into(),
                date: Some(date(2026, 6, 28))
            })
        );
    }

    #[test]
    fn items_written_as_done() {
        for done in [
            "\u{2705} Rotate the leaked key",
            "~~Rotate the leaked key~~",
            "Rotate the leaked key (done)",
            "Set up CloudWatch alarms. **(Done during this incident)**",
            "Rotate the leaked key [Completed]",
            "Rotate the leaked key - DONE",
            "DONE: rotate the leaked key",
        ] {
            assert!(written_as_done(done), "{done}");
        }
        for open in [
            "Rotate the leaked key",
            "Document what done means for a migration",
            "Fix the flaky test (owner: SRE)",
            "Make sure the job is done before the backup starts",
            "~~",
            "Completed-state handling for the job queue",
        ] {
            assert!(!written_as_done(open), "{open}");
        }
    }

    #[test]
    fn declined_with_a_reason() {
        let item = parse_item(
            "Shard the queue (owner: platform, due: 2026-07-01, declined: the new broker scales, so sharding is moot)",
            None,
        );
        assert_eq!(item.text, "Shard the queue");
        assert_eq!(
            item.declined.as_deref(),
            Some("the new broker scales, so sharding is moot")
        );
        assert_eq!(item.owner.as_deref(), Some("platform"));
    }

    #[test]
    fn trailing_owner_handle() {
        let item = parse_item("**Testing**: Add tests. Owner: @lucasheriques", None);
        assert_eq!(item.text, "**Testing**: Add tests.");
        assert_eq!(item.owner.as_deref(), Some("@lucasheriques"));
    }

    #[test]
    fn parentheses_that_are_not_fields_stay() {
        let item = parse_item("Alert on NodeNotReady (and sockets)", None);
        assert_eq!(item.text, "Alert on NodeNotReady (and sockets)");
        assert_eq!(item.owner, None);
    }

    #[test]
    fn a_bare_reference_among_the_fields_is_the_tracker() {
        let item = parse_item(
            "Validate worker configuration in CI (owner: platform, due: 2026-03-30, OPS-118)",
            None,
        );
        assert_eq!(item.text, "Validate worker configuration in CI");
        assert_eq!(item.owner.as_deref(), Some("platform"));
        assert_eq!(item.due.and_then(|d| d.date), Some(date(2026, 3, 30)));
        assert_eq!(item.tracker.as_deref(), Some("OPS-118"));
        let item = parse_item(
            "Shard the queue (owner: platform, https://github.com/acme/q/issues/7)",
            None,
        );
        assert_eq!(
            item.tracker.as_deref(),
            Some("https://github.com/acme/q/issues/7")
        );
        // A due date's comma is not a reference.
        let item = parse_item("Rotate keys (due: June 28, 2026)", None);
        assert_eq!(item.tracker, None);
        // Fields with characters of several bytes are split at their commas alone.
        let item = parse_item(
            "Warm the cache → Redis (owner: données, due: 2 weeks)",
            None,
        );
        assert_eq!(item.owner.as_deref(), Some("données"));
    }

    #[test]
    fn due_forms() {
        let base = Some(date(2026, 6, 14));
        assert_eq!(resolve_due("2026-07-01", base), Some(date(2026, 7, 1)));
        assert_eq!(resolve_due("June 30, 2026", base), Some(date(2026, 6, 30)));
        assert_eq!(resolve_due("1 week", base), Some(date(2026, 6, 21)));
        assert_eq!(resolve_due("a month", base), Some(date(2026, 7, 14)));
        assert_eq!(resolve_due("10d", base), Some(date(2026, 6, 24)));
        assert_eq!(resolve_due("Q3 2026", base), Some(date(2026, 9, 30)));
        assert_eq!(resolve_due("someday", base), None);
        assert_eq!(resolve_due("2 weeks", None), None);
    }
}
