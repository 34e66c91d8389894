//! Whether documents with a timeline yield its entries.
//!
//! A document has a timeline when a heading (or a line in bold on its own) names a timeline
//! and the text below it, up to the next heading as high, has lines with a clock time, or
//! when three list items elsewhere start with a clock time. It
//! counts as read when the reader found timeline entries in it; it is reported when it found
//! fewer entries than half those lines.

use crate::{Error, Evaluation, read};
use debrief_core::{ReadOptions, read_with};
use std::path::Path;

pub(crate) fn measure(root: &Path, evaluation: &mut Evaluation) -> Result<(), Error> {
    for path in crate::documents(root)? {
        let Ok(relative) = path.strip_prefix(root) else {
            continue;
        };
        let relative = relative.to_string_lossy().into_owned();
        let repo = crate::repo_of(&relative).to_string();
        let text = read(&path)?;
        let timed = timed_lines(&text);
        if timed == 0 {
            continue;
        }
        let read = read_with(&text, &ReadOptions::for_path(&path));
        let entries = read.postmortem.timeline_entries().count();
        evaluation.repo(&repo).timelines.count(entries > 0);
        if entries * 2 < timed {
            evaluation.disagree(
                &repo,
                format!("timeline: {relative}: {timed} lines with a time, {entries} entries read"),
            );
        }
    }
    Ok(())
}

/// Lines with a clock time under the document's timeline headings.
fn timed_lines(text: &str) -> usize {
    let mut level = None;
    let mut count = 0;
    let mut loose = 0;
    let mut fenced = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        if let Some(this) = heading_level(trimmed) {
            if trimmed.to_ascii_lowercase().contains("timeline") {
                level = Some(this);
                continue;
            }
            if level.is_some_and(|l| this <= l) {
                level = None;
            }
        }
        if level.is_some() && has_clock_time(trimmed) {
            count += 1;
        } else if level.is_none() && timed_item(trimmed) {
            // A list of entries under another heading ("## Leadup").
            loose += 1;
        }
    }
    if loose >= 3 { count + loose } else { count }
}

/// A list item that starts with a clock time: "- **00:27 UTC:** ...", "* 14:02 ...".
fn timed_item(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) else {
        return false;
    };
    let rest = rest.trim_start_matches(['*', '_', '`', '[', ' ']);
    let head: String = rest.chars().take(6).collect();
    has_clock_time(&head)
}

/// The level of an ATX heading; a paragraph that is only bold text counts as level 6.
fn heading_level(line: &str) -> Option<usize> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
        return Some(hashes);
    }
    let bold = line.strip_prefix("**")?.strip_suffix("**")?;
    (!bold.contains("**") && !has_clock_time(bold)).then_some(6)
}

/// `9:05`, `21:10:57`, `7 PM`, `10:45a`, or a four-digit `1625:`.
fn has_clock_time(line: &str) -> bool {
    let bytes = line.as_bytes();
    for i in 0..bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            continue;
        }
        let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        let rest = &bytes[i + digits..];
        let colon_minutes = rest.first() == Some(&b':')
            && rest.len() >= 3
            && rest[1].is_ascii_digit()
            && rest[2].is_ascii_digit();
        if (1..=2).contains(&digits) && colon_minutes {
            return true;
        }
        let after_space = rest.strip_prefix(b" ").unwrap_or(rest);
        let meridiem = after_space.len() >= 2
            && matches!(after_space[0].to_ascii_lowercase(), b'a' | b'p')
            && after_space[1].eq_ignore_ascii_case(&b'm');
        if (1..=2).contains(&digits) && meridiem {
            return true;
        }
    }
    leading_hhmm(line)
}

/// An entry led by a four-digit time, after any list marker and date: `- 2022-02-02 1625:`.
fn leading_hhmm(line: &str) -> bool {
    let line = line.trim_start_matches(['-', '*', ' ']);
    let line = match line.get(..10) {
        Some(date) if debrief_core::when::find_iso_date(date).is_some() => line[10..].trim_start(),
        _ => line,
    };
    let bytes = line.as_bytes();
    bytes.len() >= 5
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b':'
        && (&line[..2] <= "23" && &line[2..4] <= "59")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times() {
        for yes in [
            "9:05 deploy",
            "### 21:10:57",
            "at 7 PM",
            "- 2022-02-02 1625: paged",
            "10:45am",
        ] {
            assert!(has_clock_time(yes), "{yes}");
        }
        for no in [
            "2017-02-24",
            "version 1.2.3",
            "500 errors",
            "in 2019:",
            "- 2419: no such hour",
        ] {
            assert!(!has_clock_time(no), "{no}");
        }
    }

    #[test]
    fn lines_under_timeline_headings() {
        let text = "# T\n\n## Timeline\n\n- 9:05 a\n- 9:10 b\n\n### Day two\n\n- 10:00 c\n\n## Actions\n\n- 11:00 not timeline\n";
        assert_eq!(timed_lines(text), 3);
    }
}
