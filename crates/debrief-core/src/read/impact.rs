//! The impact section: kept verbatim, with the quantities written in it (counts, money,
//! durations, percentages) picked out per statement.

use super::blocks::{Block, BlockKind, item_content};
use super::trim_block;
use crate::model::{Impact, ImpactItem, Quantity, QuantityKind};
use std::ops::Range;

pub(crate) fn read(text: &str, body: Range<usize>, indices: &[usize], blocks: &[Block]) -> Impact {
    let mut items = Vec::new();
    for &i in indices {
        let block = &blocks[i];
        match &block.kind {
            BlockKind::List { items: list } => {
                for item in list {
                    let (content, _) = item_content(text, item.range.clone());
                    items.push(ImpactItem {
                        quantities: quantities(&content),
                        text: content,
                    });
                }
            }
            BlockKind::Paragraph => {
                let content = text[block.range.clone()].trim().to_string();
                items.push(ImpactItem {
                    quantities: quantities(&content),
                    text: content,
                });
            }
            BlockKind::Table { rows } => {
                for row in rows.iter().skip(1) {
                    let content = row
                        .iter()
                        .map(|c| text[c.clone()].trim())
                        .collect::<Vec<_>>()
                        .join(": ");
                    items.push(ImpactItem {
                        quantities: quantities(&content),
                        text: content,
                    });
                }
            }
            _ => {}
        }
    }
    Impact {
        text: trim_block(&text[body]).to_string(),
        items,
    }
}

/// The quantities written in a statement: `4,812 failed checkouts`, `$18,400`, `7%`,
/// `23 minutes`, `1h 30m`, `Customer complaints: 37`.
pub fn quantities(statement: &str) -> Vec<Quantity> {
    let mut found = Vec::new();
    let bytes = statement.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts_number = bytes[i].is_ascii_digit()
            && (i == 0
                || !(bytes[i - 1].is_ascii_alphanumeric()
                    || bytes[i - 1] == b'.'
                    || bytes[i - 1] == b':'
                    || bytes[i - 1] == b'-'
                    || bytes[i - 1] == b'/'));
        if !starts_number {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_digit()
                || ((bytes[i] == b',' || bytes[i] == b'.')
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
        {
            i += 1;
        }
        // Part of a date, a time or a version: not a quantity.
        if matches!(bytes.get(i), Some(b':' | b'-' | b'/'))
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
        {
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            continue;
        }
        let number_text = &statement[start..i];
        let Ok(mut value) = number_text.replace(',', "").parse::<f64>() else {
            continue;
        };
        let before = statement[..start].trim_end();
        let after = &statement[i..];
        let (multiplier, after_mult) = scale(after);
        value *= multiplier;
        let rest = after_mult.trim_start();
        let next_word: String = rest
            .chars()
            .take_while(|c| c.is_alphabetic())
            .collect::<String>()
            .to_lowercase();

        let currency = currency_before(before).or_else(|| currency_after(rest));
        let (kind, unit, consumed) = if let Some((symbol, _)) = currency {
            (QuantityKind::Money, Some(symbol.to_string()), 0)
        } else if rest.starts_with('%') || next_word == "percent" {
            (QuantityKind::Percent, Some("%".to_string()), 0)
        } else if let Some(seconds) = unit_seconds(&next_word) {
            value *= seconds;
            (QuantityKind::Duration, None, next_word.len())
        } else {
            let unit = if next_word.is_empty() {
                label_before(before)
            } else {
                Some(noun_phrase(rest))
            };
            (QuantityKind::Count, unit, 0)
        };
        let written_end =
            i + (after.len() - after_mult.len()) + (after_mult.len() - rest.len()) + consumed;
        let written_start = if kind == QuantityKind::Money && currency_before(before).is_some() {
            before.len() - currency_before(before).map_or(0, |c| c.1)
        } else {
            start
        };
        let written = statement
            .get(written_start..written_end.min(statement.len()))
            .unwrap_or(number_text)
            .trim()
            .to_string();
        found.push(Quantity {
            kind,
            value,
            unit,
            written,
        });
    }
    merge_compound_durations(found)
}

/// "1h 30m" is one duration.
fn merge_compound_durations(found: Vec<Quantity>) -> Vec<Quantity> {
    let mut out: Vec<Quantity> = Vec::with_capacity(found.len());
    for q in found {
        if q.kind == QuantityKind::Duration
            && let Some(last) = out.last_mut()
            && last.kind == QuantityKind::Duration
            && last.value > q.value
            && last.written.len() + q.written.len() < 24
        {
            last.value += q.value;
            last.written = format!("{} {}", last.written, q.written);
            continue;
        }
        out.push(q);
    }
    out
}

fn scale(after: &str) -> (f64, &str) {
    let trimmed = after.trim_start();
    for (word, factor) in [
        ("million", 1e6),
        ("billion", 1e9),
        ("thousand", 1e3),
        ("k", 1e3),
        ("K", 1e3),
        ("M", 1e6),
        ("m", 1e6),
        ("bn", 1e9),
        ("B", 1e9),
    ] {
        if let Some(rest) = trimmed.strip_prefix(word)
            && rest.chars().next().is_none_or(|c| !c.is_alphanumeric())
        {
            // "5m" is five minutes, not five million, unless money is involved; only
            // whole words scale a bare number.
            if word.len() == 1 && !after.starts_with(word) {
                continue;
            }
            if word == "m" {
                continue;
            }
            return (factor, rest);
        }
    }
    (1.0, after)
}

fn currency_before(before: &str) -> Option<(&'static str, usize)> {
    for (symbol, name) in [
        ("$", "$"),
        ("€", "€"),
        ("£", "£"),
        ("¥", "¥"),
        ("USD", "USD"),
        ("EUR", "EUR"),
        ("GBP", "GBP"),
    ] {
        if before.ends_with(symbol) {
            return Some((name, symbol.len()));
        }
    }
    None
}

fn currency_after(rest: &str) -> Option<(&'static str, usize)> {
    for symbol in ["USD", "EUR", "GBP", "dollars", "euros", "€"] {
        if rest.starts_with(symbol) {
            return Some((
                if symbol == "dollars" {
                    "USD"
                } else if symbol == "euros" {
                    "EUR"
                } else {
                    symbol
                },
                0,
            ));
        }
    }
    None
}

fn unit_seconds(word: &str) -> Option<f64> {
    Some(match word {
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
        "d" | "day" | "days" => 86400.0,
        "week" | "weeks" => 604_800.0,
        _ => return None,
    })
}

/// The words after a count: "4,812 failed checkouts" gives "failed checkouts".
fn noun_phrase(rest: &str) -> String {
    rest.split([',', '.', ';', '(', ')', ':'])
        .next()
        .unwrap_or("")
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The label before a count written last: "Customer complaints: 37" gives "Customer complaints".
fn label_before(before: &str) -> Option<String> {
    let label = before.strip_suffix(':')?.trim();
    let label = label.rsplit(['.', ';', ',']).next().unwrap_or(label).trim();
    (!label.is_empty()).then(|| label.trim_start_matches(['-', '*']).trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(statement: &str) -> Vec<(QuantityKind, f64, Option<String>)> {
        quantities(statement)
            .into_iter()
            .map(|q| (q.kind, q.value, q.unit))
            .collect()
    }

    #[test]
    fn classic_impact() {
        assert_eq!(
            kinds("4,812 failed checkouts"),
            vec![(QuantityKind::Count, 4812.0, Some("failed checkouts".into()))]
        );
        assert_eq!(
            kinds("Estimated revenue impact: $18,400"),
            vec![(QuantityKind::Money, 18400.0, Some("$".into()))]
        );
        assert_eq!(
            kinds("Customer complaints: 37"),
            vec![(
                QuantityKind::Count,
                37.0,
                Some("Customer complaints".into())
            )]
        );
        assert_eq!(
            kinds("7% of requests for 23 minutes"),
            vec![
                (QuantityKind::Percent, 7.0, Some("%".into())),
                (QuantityKind::Duration, 1380.0, None)
            ]
        );
        assert_eq!(
            kinds("down for 1h 30m"),
            vec![(QuantityKind::Duration, 5400.0, None)]
        );
        assert_eq!(
            kinds("$1.2 million lost"),
            vec![(QuantityKind::Money, 1_200_000.0, Some("$".into()))]
        );
    }

    #[test]
    fn dates_times_and_versions_are_not_quantities() {
        assert!(quantities("on 2026-06-14 at 14:02 with v1.2.3").is_empty());
    }
}
