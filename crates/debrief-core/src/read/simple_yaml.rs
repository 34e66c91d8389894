//! A fast reader for the front matter most documents have: one `key: value` a line, values
//! plain, quoted or a flow list. Anything else, or anything it is not sure of, is `None`, and
//! the caller parses the YAML in full with serde-saphyr.
//!
//! The reason is speed: serde-saphyr takes about 1.6 µs a line, 12 µs for the seven lines of a
//! typical Jekyll header, which was ten times the cost of reading the rest of a short
//! postmortem and 5 % of linting the corpus. This path takes well under a microsecond. What it
//! answers must be what serde-saphyr would answer, value for value: the tests and the fuzzer
//! compare the two on real front matter and on generated lines.

use serde_json::{Map, Value};

/// The front matter `content` as serde-saphyr would read it, if it is of the simple kind.
pub(crate) fn parse(content: &str) -> Option<Value> {
    let mut map = Map::new();
    // The key whose value is a block sequence being read, and the items' indentation.
    let mut sequence: Option<(String, Option<usize>)> = None;
    for line in content.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(item) = line[indent..].strip_prefix("- ") {
            // An item of the sequence under the last `key:`, all at one indentation.
            let (key, items_indent) = sequence.as_mut()?;
            if *items_indent.get_or_insert(indent) != indent || item.starts_with('[') {
                return None;
            }
            let item = scalar_or_list(item.trim())?;
            match map.get_mut(key.as_str())? {
                Value::Array(items) => items.push(item),
                value => *value = Value::Array(vec![item]),
            }
            continue;
        }
        // Anything else indented (a nested mapping, a continued scalar) is not simple.
        if indent > 0 || line.starts_with(['\t', '-']) {
            return None;
        }
        sequence = None;
        let colon = line.find(':')?;
        let key = &line[..colon];
        if !is_simple_key(key) || map.contains_key(key) {
            return None;
        }
        let rest = &line[colon + 1..];
        let value = if rest.trim().is_empty() {
            // `key:` alone is null, unless a sequence follows.
            sequence = Some((key.to_string(), None));
            Value::Null
        } else if let Some(value) = rest.strip_prefix(' ') {
            scalar_or_list(value.trim())?
        } else {
            return None;
        };
        map.insert(key.to_string(), value);
    }
    // Nothing but comments is not a mapping: the full parser says what it is.
    (!map.is_empty()).then_some(Value::Object(map))
}

/// A key of letters, digits, `_` and `-` that starts with a letter or `_`, and that YAML
/// reads as a string.
fn is_simple_key(key: &str) -> bool {
    let mut bytes = key.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && special(key).is_none()
}

/// A value: a flow list of scalars, or one scalar with an optional comment after it.
fn scalar_or_list(value: &str) -> Option<Value> {
    if let Some(inner) = value.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        if inner.trim().is_empty() {
            return Some(Value::Array(Vec::new()));
        }
        return inner
            .split(',')
            .map(|item| match item.trim() {
                "" => None,
                item if item.contains(['[', ']', '{', '}', '#']) => None,
                item => scalar(item, true),
            })
            .collect::<Option<Vec<_>>>()
            .map(Value::Array);
    }
    // A comment starts at a `#` after a space, outside quotes.
    let value = match value.find(" #") {
        Some(at) if !value.starts_with(['"', '\'']) => value[..at].trim_end(),
        _ => value,
    };
    scalar(value, false)
}

/// One scalar: quoted without escapes, or plain and clearly a string, a date, a small
/// integer, a boolean or null.
fn scalar(value: &str, in_list: bool) -> Option<Value> {
    if !value.chars().all(printable) {
        return None;
    }
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote) {
            // Only a closing quote at the end, perhaps followed by a comment.
            let end = inner.find(quote)?;
            let after = inner[end + 1..].trim_start();
            let escapes = quote == '"' && inner[..end].contains('\\');
            let comment_or_nothing = after.is_empty() || (!in_list && after.starts_with('#'));
            let spaced = after.is_empty() || inner[end + 1..].starts_with(' ');
            return (!escapes && comment_or_nothing && spaced)
                .then(|| Value::String(inner[..end].to_string()));
        }
    }
    let first = value.bytes().next()?;
    if b"-?:,[]{}#&*!|>'\"%@`".contains(&first)
        || value.contains(": ")
        || value.ends_with(':')
        || value.contains(" #")
    {
        return None;
    }
    if let Some(special) = special(value) {
        return Some(special);
    }
    if first.is_ascii_digit() || first == b'+' || first == b'.' {
        return number_or_date(value);
    }
    Some(Value::String(value.to_string()))
}

/// The value of a plain scalar that YAML reads as a boolean or null (serde-saphyr reads the
/// YAML 1.1 words too), or `None` for a string.
fn special(value: &str) -> Option<Value> {
    const TRUE: [&str; 4] = ["true", "yes", "on", "y"];
    const FALSE: [&str; 4] = ["false", "no", "off", "n"];
    let lower = value.to_ascii_lowercase();
    if TRUE.contains(&lower.as_str()) {
        Some(Value::Bool(true))
    } else if FALSE.contains(&lower.as_str()) {
        Some(Value::Bool(false))
    } else if matches!(lower.as_str(), "null" | "~") {
        Some(Value::Null)
    } else {
        None
    }
}

/// A plain scalar starting with a digit, `+` or `.`: a decimal integer without a leading
/// zero, or a date (`2024-03-02`, perhaps with a time after it), which stays a string.
/// Octal, hexadecimal, floats and anything else go to the full parser.
fn number_or_date(value: &str) -> Option<Value> {
    let bytes = value.as_bytes();
    if bytes.iter().all(u8::is_ascii_digit) && bytes.len() <= 15 {
        if bytes.len() > 1 && bytes[0] == b'0' {
            return None;
        }
        return value.parse::<i64>().ok().map(Value::from);
    }
    let date = bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit)
        && (bytes.len() == 10 || matches!(bytes[10], b'T' | b't' | b' '));
    date.then(|| Value::String(value.to_string()))
}

/// Characters YAML accepts as they are: no control characters (tab included, which this
/// path leaves to the full parser), no C1 controls, no byte order mark or non-characters.
fn printable(c: char) -> bool {
    !(c.is_control() || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the full parser says, as the caller would use it.
    fn full(content: &str) -> Option<Value> {
        serde_saphyr::from_str::<Value>(content).ok()
    }

    /// Every answer of the fast path is the full parser's.
    fn agrees(content: &str) -> bool {
        match parse(content) {
            Some(fast) => {
                assert_eq!(Some(&fast), full(content).as_ref(), "in {content:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn reads_the_usual_headers() {
        for content in [
            "title: \"Outage of the payments API\"\ndate: 2024-03-02\nlayout: post\n",
            "tags: [outage, api, 'quoted']\nseverity: 2\nrestricted: false\n",
            "title: 'It is down'   # a comment\nauthor: someone else\n\n# a note\n",
            "date: 2024-03-02 10:00:00 +0100\ndraft: yes\nempty:\nlist: []\n",
            "authors:\n  - joe\n  - 'ann'\n\n  # more\n  - 2\ntags:\n- a # c\n- yes\n",
            "title: Redis: the second outage\n",
            "key: value\r\nother: value\r\n",
        ] {
            let simple = !content.contains("Redis");
            assert_eq!(agrees(content), simple, "{content:?}");
        }
    }

    #[test]
    fn leaves_the_rest_to_the_full_parser() {
        for content in [
            "tags:\n  - a\n   - b\n",
            "tags:\n  - a\n  - b: c\n",
            "tags:\n  - [a]\n",
            "nested:\n  a: b\n",
            "text: a\n  continued\n",
            "- a\n",
            "title: a\ntitle: b\n",
            "anchor: &a x\nref: *a\n",
            "octal: 012\n",
            "hex: 0x1f\n",
            "float: 1.5\n",
            "escaped: \"a\\nb\"\n",
            "folded: >\n  text\n",
            "\ttab: x\n",
            "key:value\n",
            "list: [a, , b]\n",
            "quoted: 'it''s'\n",
            "nested: {a: b}\n",
            "time: 10:30\n",
            "big: 99999999999999999999\n",
        ] {
            assert!(parse(content).is_none(), "{content:?}");
        }
    }

    #[test]
    fn agrees_with_the_full_parser_on_generated_lines() {
        let keys = ["title", "date", "tags", "x_1", "true", "a-b"];
        let values = [
            "plain text",
            "\"double\"",
            "'single'",
            "2024-03-02",
            "2024-3-2",
            "12",
            "007",
            "-5",
            "+5",
            ".5",
            "yes",
            "No",
            "~",
            "null",
            "[a, b]",
            "[1, x]",
            "[]",
            "[ a ]",
            "a # c",
            "a#c",
            "x: y",
            "\"a\" # c",
            "\"a\"b",
            "'a' x",
            "é",
            "v1.2",
            "1e3",
            "2024-03-02T10:00:00Z",
            "",
            "  spaced  ",
            "[a, [b]]",
            "[\"q\", 'r']",
            "*",
            "- a",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        // Pieces to make values of, one to three at a time.
        let atoms = [
            "a",
            "y",
            "N",
            "n",
            "Y",
            "1",
            "0",
            "-",
            ":",
            " ",
            "#",
            "'",
            "\"",
            "[",
            "]",
            ",",
            ".",
            "é",
            "2024-03-02",
            "T10",
            "~",
            "on",
            "Off",
            "NULL",
            "True",
            "yes",
            "x",
            "\\",
            "&",
        ];
        let mut fast = 0;
        for _ in 0..20_000 {
            let lines = 1 + next(4);
            let content: String = (0..lines)
                .map(|_| {
                    let value = if next(2) == 0 {
                        values[next(values.len())].to_string()
                    } else {
                        (0..1 + next(3)).map(|_| atoms[next(atoms.len())]).collect()
                    };
                    let key = keys[next(keys.len())];
                    match next(4) {
                        // A block sequence, its items indented alike or not.
                        0 => {
                            let indents = ["", "  ", " ", "\t"];
                            let first = next(3);
                            let items: String = (0..1 + next(3))
                                .map(|_| {
                                    let indent = if next(5) == 0 { next(4) } else { first };
                                    format!("{}- {value}\n", indents[indent])
                                })
                                .collect();
                            format!("{key}:\n{items}")
                        }
                        1 => format!("# {value}\n{key}: {value}\n"),
                        _ => format!("{key}: {value}\n"),
                    }
                })
                .collect();
            fast += usize::from(agrees(&content));
        }
        // The generator must reach the fast path often enough to test it.
        assert!(fast > 2000, "only {fast} of 20,000 took the fast path");
    }

    #[test]
    fn agrees_with_the_full_parser_on_the_corpus() {
        let Some(corpus) = std::env::var_os("DEBRIEF_CORPUS") else {
            eprintln!("SKIPPED: DEBRIEF_CORPUS is not set; the real front matter is not compared");
            return;
        };
        let mut pending = vec![std::path::PathBuf::from(corpus)];
        let (mut headers, mut fast) = (0, 0);
        while let Some(path) = pending.pop() {
            if path.is_dir() {
                let entries = std::fs::read_dir(&path).expect("the corpus is readable");
                pending.extend(entries.flatten().map(|e| e.path()));
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if let Some((crate::read::front_matter::Syntax::Yaml, range, _)) =
                crate::read::front_matter::split(&text)
            {
                headers += 1;
                fast += usize::from(agrees(&text[range]));
            }
        }
        eprintln!("{fast} of {headers} YAML headers of the corpus took the fast path");
        assert!(headers > 0);
    }
}
