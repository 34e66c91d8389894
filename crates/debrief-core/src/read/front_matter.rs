//! YAML (`---`) and TOML (`+++`) front matter.

use super::{INVALID_FRONT_MATTER, Reader, simple_yaml};
use crate::diagnostic::Severity;
use crate::model::Metadata;
use crate::when::parse_full_date;
use jiff::civil::Date;
use serde_json::Value;
use std::ops::Range;

/// The front matter's syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    Yaml,
    Toml,
}

/// Finds front matter at the start of `text`: its syntax, the range of its content, and
/// where the body starts.
pub(crate) fn split(text: &str) -> Option<(Syntax, Range<usize>, usize)> {
    let (syntax, fence) = if text.starts_with("---") {
        (Syntax::Yaml, "---")
    } else if text.starts_with("+++") {
        (Syntax::Toml, "+++")
    } else {
        return None;
    };
    let first_line_end = text.find('\n')?;
    if text[..first_line_end].trim_end() != fence {
        return None;
    }
    let content_start = first_line_end + 1;
    let mut offset = content_start;
    for line in text[content_start..].split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == fence || (syntax == Syntax::Yaml && bare == "...") {
            return Some((syntax, content_start..offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

impl Reader<'_> {
    /// Parses front matter into `meta`; reports what it cannot read.
    pub(crate) fn front_matter(
        &mut self,
        syntax: Syntax,
        range: Range<usize>,
        meta: &mut Metadata,
    ) {
        let content = &self.text[range.clone()];
        let parsed: Result<Value, (String, usize)> = match syntax {
            Syntax::Yaml => {
                if content.trim().is_empty() {
                    Ok(Value::Object(serde_json::Map::new()))
                } else if let Some(value) = simple_yaml::parse(content) {
                    Ok(value)
                } else {
                    serde_saphyr::from_str_with_options::<Value>(content, yaml_options()).map_err(
                        |e| {
                            let offset = e
                                .location()
                                .map_or(0, |l| offset_of(content, l.line(), l.column()));
                            (first_line(&e.to_string()), offset)
                        },
                    )
                }
            }
            Syntax::Toml => content
                .parse::<toml::Table>()
                .map(|t| toml_to_json(toml::Value::Table(t)))
                .map_err(|e| {
                    let offset = e.span().map_or(0, |s| s.start);
                    (e.message().to_string(), offset)
                }),
        };
        let value = match parsed {
            Ok(value) => value,
            Err((message, offset)) => {
                let at = range.start + offset.min(content.len());
                self.report(
                    INVALID_FRONT_MATTER,
                    Severity::Error,
                    at..at,
                    format!("front matter could not be read: {message}"),
                );
                meta.extra.push((
                    "front_matter".to_string(),
                    Value::String(content.to_string()),
                ));
                return;
            }
        };
        let Value::Object(map) = value else {
            self.report(
                INVALID_FRONT_MATTER,
                Severity::Error,
                range.start..range.start,
                "front matter is not a table of keys",
            );
            meta.extra.push(("front_matter".to_string(), value));
            return;
        };
        for (key, value) in map {
            let taken = match key.as_str() {
                "title" => take_string(&value).map(|s| meta.title = s).is_some(),
                "date" => match &value {
                    Value::String(s) => parse_date_value(s).map(|d| meta.date = Some(d)).is_some(),
                    _ => false,
                },
                "severity" | "sev" => take_string(&value)
                    .map(|s| meta.severity = Some(s))
                    .is_some(),
                "status" => take_string(&value).map(|s| meta.status = Some(s)).is_some(),
                "services" | "service" => take_list(&value).map(|l| meta.services = l).is_some(),
                "tags" => take_list(&value).map(|l| meta.tags = l).is_some(),
                "timezone" | "time_zone" | "tz" => take_string(&value)
                    .map(|s| meta.timezone = Some(s))
                    .is_some(),
                "restricted" => {
                    // Fails closed: only a clear "no" makes a postmortem public. A value
                    // debrief cannot read as yes or no restricts it, and says so.
                    meta.restricted = restricted(&value).unwrap_or_else(|| {
                        let at = self.find_key(range.clone(), &key);
                        self.report(
                            INVALID_FRONT_MATTER,
                            Severity::Warning,
                            at,
                            format!(
                                "`restricted: {value}` is neither true nor false; the postmortem \
                                 is treated as restricted"
                            ),
                        );
                        true
                    });
                    true
                }
                "facilitator" => take_string(&value)
                    .map(|s| meta.facilitator = Some(s))
                    .is_some(),
                "scribe" => take_string(&value).map(|s| meta.scribe = Some(s)).is_some(),
                _ => false,
            };
            if !taken {
                if is_known_key(&key) {
                    let at = self.find_key(range.clone(), &key);
                    self.report(
                        INVALID_FRONT_MATTER,
                        Severity::Warning,
                        at,
                        format!("front matter `{key}` has a value debrief cannot interpret; it is kept as written"),
                    );
                }
                meta.extra.push((key, value));
            }
        }
        // Site generators date a post by its address ("path = \"2025/09/12/crates-io-...\""
        // in Zola, "permalink: /2021/06/03/outage/" in Jekyll) when it has no `date`.
        if meta.date.is_none() {
            meta.date = meta.extra.iter().find_map(|(key, value)| {
                let address = matches!(key.as_str(), "path" | "slug" | "permalink" | "url");
                address
                    .then(|| value.as_str().and_then(date_in_address))
                    .flatten()
            });
        }
    }

    fn find_key(&self, range: Range<usize>, key: &str) -> Range<usize> {
        let content = &self.text[range.clone()];
        let mut offset = range.start;
        for line in content.split_inclusive('\n') {
            let bare = line.trim_start();
            if bare.starts_with(key) && bare[key.len()..].trim_start().starts_with([':', '=']) {
                let start = offset + (line.len() - bare.len());
                return start..start + key.len();
            }
            offset += line.len();
        }
        range.start..range.start
    }
}

/// Limits for front matter, which is a few lines of facts: aliases may repeat a value, but
/// not expand a few hundred bytes into megabytes that every version of the postmortem would
/// store (389 bytes of nested aliases once became 1.36 MB).
fn yaml_options() -> serde_saphyr::Options {
    let mut alias_limits = serde_saphyr::options::AliasLimits::default();
    alias_limits.max_total_replayed_events = 1_000;
    alias_limits.max_replay_stack_depth = 8;
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 50_000;
    budget.max_nodes = 10_000;
    budget.max_total_scalar_bytes = 1024 * 1024;
    let mut options = serde_saphyr::Options::default();
    options.alias_limits = alias_limits;
    options.budget = Some(budget);
    options
}

/// Whether `restricted` says yes or no: a boolean, `1` or `0`, or yes/no words as YAML 1.1
/// and people write them (`"true"`, `yes`, `on`, `no`); `None` for anything else.
fn restricted(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "on" | "1" => Some(true),
            "false" | "no" | "n" | "off" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Keys the model has a field for; canonical writing emits them in this order.
pub(crate) const KNOWN_KEYS: [&str; 10] = [
    "title",
    "date",
    "severity",
    "status",
    "services",
    "tags",
    "timezone",
    "restricted",
    "facilitator",
    "scribe",
];

fn is_known_key(key: &str) -> bool {
    KNOWN_KEYS.contains(&key) || matches!(key, "sev" | "service" | "time_zone" | "tz")
}

fn take_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn take_list(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::Array(items) => items.iter().map(take_string).collect(),
        Value::String(s) => Some(
            s.split(',')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect(),
        ),
        _ => None,
    }
}

/// `2026-06-14`, `2026-06-14T10:00:00Z`, `2026-06-14 10:00`, `June 14, 2026`.
fn parse_date_value(s: &str) -> Option<Date> {
    let s = s.trim();
    match s.as_bytes().get(10) {
        Some(b'T' | b' ') => s.get(..10).and_then(parse_full_date),
        _ => parse_full_date(s),
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}

/// Byte offset of a 1-based line and column in `text`.
fn offset_of(text: &str, line: u64, column: u64) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if (i as u64) + 1 == line {
            let col = usize::try_from(column.saturating_sub(1)).unwrap_or(0);
            return offset + l.char_indices().nth(col).map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

/// `YYYY/MM/DD` or `YYYY-MM-DD` in a site address.
fn date_in_address(address: &str) -> Option<Date> {
    let bytes = address.as_bytes();
    bytes.windows(10).enumerate().find_map(|(i, part)| {
        let at_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let digits = |range: std::ops::Range<usize>| part[range].iter().all(u8::is_ascii_digit);
        let shaped = digits(0..4)
            && digits(5..7)
            && digits(8..10)
            && matches!(part[4], b'/' | b'-')
            && part[7] == part[4];
        if !at_start || !shaped {
            return None;
        }
        // Only ASCII digits were checked, so these are whole characters.
        let number = |range: std::ops::Range<usize>| {
            address[i + range.start..i + range.end].parse::<i16>().ok()
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
    })
}
