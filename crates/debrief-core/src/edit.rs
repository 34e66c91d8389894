//! Edits to one action item's line that leave every other byte of the document alone: a
//! tracker reference written back, a state brought back from the tracker (`[x]` ticked,
//! declined with the tracker's reason, opened again).
//!
//! Teams keep postmortems in git and review changes line by line, so an edit changes the
//! item's first line and nothing else: not the list's style, not the line ends, not the
//! front matter. The smallest edit is tried first (a field added inside the line's own
//! parenthesis, the task box ticked); when the line's form would read back differently
//! (a trailing `Owner: @x`), the line's tail is written in the canonical form instead, with
//! its list marker kept. Every edit is checked by reading the result back: the item must
//! say what was asked and everything else about it must be unchanged, or the edit is
//! refused with the reason and the document is left as it was.

use crate::model::ActionItem;
use crate::read::{ReadOptions, normalise, read_with};

/// What to change about an item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemEdit {
    /// The tracker reference to write (an issue's URL or key).
    pub tracker: Option<String>,
    /// The state to give it.
    pub state: Option<ItemState>,
    /// Its owner, as written (`@alice`, `payments team`).
    pub owner: Option<String>,
    /// Its due date, `YYYY-MM-DD`.
    pub due: Option<String>,
}

/// An action item's state, as a tracker tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemState {
    /// Not done.
    Open,
    /// Done: the task box ticked.
    Done,
    /// Will not be done, for this reason.
    Declined(String),
}

/// Why an item's line could not be edited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct EditError {
    /// 1-based line of the item, 0 when there is no such item.
    pub line: usize,
    /// What stood in the way.
    pub message: String,
}

/// `source` with action item `index` (in the order of [`crate::Postmortem::action_items`],
/// read with `options`) changed as `edit` says, or `Ok(None)` when it says so already.
pub fn edit_action_item(
    source: &str,
    options: &ReadOptions,
    index: usize,
    edit: &ItemEdit,
) -> Result<Option<String>, EditError> {
    let read = |text: &str| read_with(text, options);
    let before = read(source);
    let items: Vec<&ActionItem> = before.postmortem.action_items().collect();
    let (Some(item), Some(range)) = (items.get(index), before.source_map.action_items.get(index))
    else {
        return Err(EditError {
            line: 0,
            message: format!(
                "there is no action item {} (the document has {})",
                index + 1,
                items.len()
            ),
        });
    };
    let wanted = wanted(item, edit, before.postmortem.meta.date);
    if wanted == **item {
        return Ok(None);
    }
    // Offsets are in the normalised text, whose lines are the source's lines.
    let text = normalise(source);
    let line_number = text[..range.start].matches('\n').count();
    let line_start = text[..range.start].rfind('\n').map_or(0, |n| n + 1);
    let column = range.start - line_start;
    let lines = split_lines(source);
    let Some(&(line, ending)) = lines.get(line_number) else {
        return Err(EditError {
            line: line_number + 1,
            message: "the item's line is not in the document".into(),
        });
    };
    let at = |message: String| EditError {
        line: line_number + 1,
        message,
    };
    let candidates = [
        minimal_edit(line, column, item, &wanted),
        canonical_edit(line, column, &wanted),
    ];
    for candidate in candidates.into_iter().flatten() {
        let mut edited = String::with_capacity(source.len() + 64);
        for (n, (text, end)) in lines.iter().enumerate() {
            edited.push_str(if n == line_number { &candidate } else { text });
            edited.push_str(if n == line_number { ending } else { end });
        }
        let after = read(&edited);
        let now: Vec<&ActionItem> = after.postmortem.action_items().collect();
        if now.len() == items.len() && now.get(index).is_some_and(|i| **i == wanted) {
            return Ok(Some(edited));
        }
    }
    Err(at(format!(
        "debrief cannot write {} into this line without changing how it reads; write it by hand",
        describe(edit)
    )))
}

/// The item as it should read after the edit.
fn wanted(item: &ActionItem, edit: &ItemEdit, base: Option<jiff::civil::Date>) -> ActionItem {
    let mut wanted = item.clone();
    if let Some(owner) = &edit.owner {
        wanted.owner = Some(field_value(owner));
    }
    if let Some(due) = &edit.due {
        wanted.due = Some(crate::read::actions::due(&field_value(due), base));
    }
    if let Some(tracker) = &edit.tracker {
        wanted.tracker = Some(tracker.trim().to_string());
    }
    match &edit.state {
        None => {}
        Some(ItemState::Open) => {
            wanted.done = false;
            wanted.declined = None;
        }
        Some(ItemState::Done) => {
            wanted.done = true;
            wanted.declined = None;
        }
        Some(ItemState::Declined(reason)) => {
            wanted.done = false;
            wanted.declined = Some(field_value(reason));
        }
    }
    wanted
}

/// A value that reads back as one field: no commas, semicolons or parentheses, one line.
fn field_value(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            ',' | ';' | '(' | ')' | '\n' | '\r' => ' ',
            c => c,
        })
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    if words.is_empty() {
        "declined in the tracker".to_string()
    } else {
        words.join(" ")
    }
}

/// The change in words, for an error.
fn describe(edit: &ItemEdit) -> String {
    match (&edit.tracker, &edit.state) {
        (Some(tracker), _) => format!("the tracker reference {tracker}"),
        (None, Some(ItemState::Done)) => "that the item is done".into(),
        (None, Some(ItemState::Open)) => "that the item is open again".into(),
        (None, Some(ItemState::Declined(_))) => "that the item was declined".into(),
        (None, None) => "the new owner or due date".into(),
    }
}

/// The lines of `source` with their line ends (`\n`, `\r\n`, `\r` or none at the end).
fn split_lines(source: &str) -> Vec<(&str, &str)> {
    let mut lines = Vec::new();
    let mut rest = source;
    while !rest.is_empty() {
        let Some(end) = rest.find(['\n', '\r']) else {
            lines.push((rest, ""));
            break;
        };
        let width = if rest[end..].starts_with("\r\n") {
            2
        } else {
            1
        };
        lines.push((&rest[..end], &rest[end..end + width]));
        rest = &rest[end + width..];
    }
    lines
}

/// The line with the least change: the task box set, a field added to the line's own
/// parenthesis or a new one, a declined field taken out. `None` when the line's form
/// gives no such edit.
fn minimal_edit(
    line: &str,
    column: usize,
    item: &ActionItem,
    wanted: &ActionItem,
) -> Option<String> {
    // A byte-order mark is in the source but not in the normalised text.
    let column = column + line.len() - line.trim_start_matches('\u{feff}').len();
    let (prefix, tail) = line.split_at_checked(column)?;
    let mut prefix = prefix.to_string();
    let mut tail = tail.trim_end().to_string();
    if wanted.done != item.done {
        prefix = set_task_box(&prefix, wanted.done)?;
    }
    if item.declined.is_some() && wanted.declined.is_none() {
        tail = remove_field(&tail, "declined")?;
    }
    let mut add = Vec::new();
    // A field that is there has its value replaced; one that is not is added.
    let fields = [
        ("owner", item.owner.clone(), wanted.owner.clone()),
        (
            "due",
            item.due.as_ref().map(|d| d.written.clone()),
            wanted.due.as_ref().map(|d| d.written.clone()),
        ),
    ];
    for (key, old, new) in fields {
        match (old, new) {
            (old, Some(new)) if old.as_deref() != Some(new.as_str()) => match old {
                Some(old) if tail.matches(old.as_str()).count() == 1 => {
                    tail = tail.replacen(old.as_str(), &new, 1);
                }
                Some(_) => return None,
                None => add.push(format!("{key}: {new}")),
            },
            _ => {}
        }
    }
    if wanted.tracker != item.tracker
        && let Some(tracker) = &wanted.tracker
    {
        match &item.tracker {
            Some(old) if tail.matches(old.as_str()).count() == 1 => {
                tail = tail.replacen(old.as_str(), tracker, 1);
            }
            Some(_) => return None,
            None => add.push(format!("tracker: {tracker}")),
        }
    }
    if wanted.declined != item.declined
        && let Some(reason) = &wanted.declined
    {
        if item.declined.is_some() {
            return None;
        }
        add.push(format!("declined: {reason}"));
    }
    if !add.is_empty() {
        let has_fields = item.owner.is_some()
            || item.due.is_some()
            || item.priority.is_some()
            || item.tracker.is_some()
            || item.declined.is_some();
        match tail.strip_suffix(')') {
            Some(open) if has_fields => tail = format!("{open}, {})", add.join(", ")),
            _ => tail = format!("{tail} ({})", add.join(", ")),
        }
    }
    Some(format!("{prefix}{tail}"))
}

/// The prefix (indentation, list marker, task box) with its task box ticked or not; a
/// list item without one gets one.
fn set_task_box(prefix: &str, done: bool) -> Option<String> {
    let mark = if done { "[x]" } else { "[ ]" };
    for box_ in ["[ ]", "[x]", "[X]"] {
        if let Some(at) = prefix.rfind(box_) {
            return Some(format!("{}{mark}{}", &prefix[..at], &prefix[at + 3..]));
        }
    }
    // No box: one goes after the list marker and its spaces, which keep the indentation
    // that the item's further lines are read against.
    if done && prefix.trim_end().ends_with(['-', '*', '+', '.', ')']) {
        let spaced = if prefix.ends_with([' ', '\t']) {
            prefix.to_string()
        } else {
            format!("{prefix} ")
        };
        return Some(format!("{spaced}{mark} "));
    }
    None
}

/// The tail without its `key: value` field.
fn remove_field(tail: &str, key: &str) -> Option<String> {
    let open = tail.rfind('(')?;
    let inner = tail[open + 1..].strip_suffix(')')?;
    let kept: Vec<&str> = inner
        .split([',', ';'])
        .map(str::trim)
        .filter(|piece| {
            !piece
                .split_once(':')
                .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case(key))
        })
        .collect();
    let head = tail[..open].trim_end();
    Some(if kept.is_empty() {
        head.to_string()
    } else {
        format!("{head} ({})", kept.join(", "))
    })
}

/// The line with its list marker kept and the rest written as debrief writes an item.
fn canonical_edit(line: &str, column: usize, wanted: &ActionItem) -> Option<String> {
    let column = column + line.len() - line.trim_start_matches('\u{feff}').len();
    let prefix = line.get(..column)?;
    let prefix = set_task_box(prefix, wanted.done).unwrap_or_else(|| prefix.to_string());
    let mut tail = String::new();
    let single = ActionItem {
        details: String::new(),
        ..wanted.clone()
    };
    crate::write::write_action_item(&mut tail, &single);
    // The writer starts with its own marker and box: `- [ ] `.
    let tail = tail.get(6..)?;
    Some(format!("{prefix}{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(items: &str) -> String {
        format!("# Outage\n\n## Action items\n\n{items}\n")
    }

    fn tracker(reference: &str) -> ItemEdit {
        ItemEdit {
            tracker: Some(reference.into()),
            ..ItemEdit::default()
        }
    }

    fn state(state: ItemState) -> ItemEdit {
        ItemEdit {
            state: Some(state),
            ..ItemEdit::default()
        }
    }

    #[test]
    fn owner_and_due_date_are_replaced_or_added() {
        let source = doc("- [ ] Rotate keys (owner: @sec, due: 2026-07-01)\n- [ ] Add alert");
        let change = ItemEdit {
            owner: Some("@platform".into()),
            due: Some("2026-08-15".into()),
            ..ItemEdit::default()
        };
        let edited = edit_action_item(&source, &ReadOptions::default(), 0, &change)
            .expect("edited")
            .expect("changed");
        assert_eq!(
            edited,
            doc("- [ ] Rotate keys (owner: @platform, due: 2026-08-15)\n- [ ] Add alert")
        );
        let added = edit_action_item(&source, &ReadOptions::default(), 1, &change)
            .expect("edited")
            .expect("changed");
        assert!(added.ends_with("- [ ] Add alert (owner: @platform, due: 2026-08-15)\n"));
    }

    #[test]
    fn a_reference_joins_the_lines_own_fields() {
        let source =
            doc("- [ ] Add an alert on queue depth (owner: @sre, due: 2026-07-01)\n- [ ] Second");
        let edited = edit_action_item(&source, &ReadOptions::default(), 0, &tracker("OPS-42"))
            .expect("edited")
            .expect("changed");
        assert_eq!(
            edited,
            doc(
                "- [ ] Add an alert on queue depth (owner: @sre, due: 2026-07-01, tracker: OPS-42)\n- [ ] Second"
            )
        );
        let second = edit_action_item(
            &source,
            &ReadOptions::default(),
            1,
            &tracker("https://github.com/a/b/issues/7"),
        )
        .expect("edited")
        .expect("changed");
        assert!(second.ends_with("- [ ] Second (tracker: https://github.com/a/b/issues/7)\n"));
    }

    #[test]
    fn an_edit_already_made_changes_nothing() {
        let source = doc("- [x] Rotate keys (owner: @sec, tracker: OPS-1)");
        assert_eq!(
            edit_action_item(&source, &ReadOptions::default(), 0, &tracker("OPS-1")),
            Ok(None)
        );
        assert_eq!(
            edit_action_item(&source, &ReadOptions::default(), 0, &state(ItemState::Done)),
            Ok(None)
        );
    }

    #[test]
    fn states_tick_untick_and_decline() {
        let source = doc("* [ ] Rotate keys (owner: @sec)");
        let done = edit_action_item(&source, &ReadOptions::default(), 0, &state(ItemState::Done))
            .expect("edited")
            .expect("changed");
        assert_eq!(done, doc("* [x] Rotate keys (owner: @sec)"));
        let open = edit_action_item(&done, &ReadOptions::default(), 0, &state(ItemState::Open))
            .expect("edited")
            .expect("changed");
        assert_eq!(open, source);
        let declined = edit_action_item(
            &source,
            &ReadOptions::default(),
            0,
            &state(ItemState::Declined("not planned, (superseded)".into())),
        )
        .expect("edited")
        .expect("changed");
        assert_eq!(
            declined,
            doc("* [ ] Rotate keys (owner: @sec, declined: not planned superseded)")
        );
        let reopened = edit_action_item(
            &declined,
            &ReadOptions::default(),
            0,
            &state(ItemState::Open),
        )
        .expect("edited")
        .expect("changed");
        assert_eq!(reopened, source);
    }

    #[test]
    fn a_plain_list_item_gets_a_task_box_when_done() {
        let source = doc("1. Rotate keys (owner: @sec)");
        let done = edit_action_item(&source, &ReadOptions::default(), 0, &state(ItemState::Done))
            .expect("edited")
            .expect("changed");
        assert_eq!(done, doc("1. [x] Rotate keys (owner: @sec)"));
    }

    #[test]
    fn a_trailing_owner_is_written_canonically_on_that_line_only() {
        let source = doc("- Add a canary stage in CI. Owner: @lucas\n- Other");
        let edited = edit_action_item(&source, &ReadOptions::default(), 0, &tracker("#12"))
            .expect("edited")
            .expect("changed");
        assert_eq!(
            edited,
            doc("- Add a canary stage in CI. (owner: @lucas, tracker: #12)\n- Other")
        );
    }

    #[test]
    fn line_ends_and_other_lines_are_kept_byte_for_byte() {
        let source = "\u{feff}# Outage\r\n\r\n## Action items\r\n\r\n- [ ] Rotate keys\r\n- [ ] Add alert\r\n";
        let edited = edit_action_item(source, &ReadOptions::default(), 1, &tracker("OPS-2"))
            .expect("edited")
            .expect("changed");
        assert_eq!(
            edited,
            "\u{feff}# Outage\r\n\r\n## Action items\r\n\r\n- [ ] Rotate keys\r\n- [ ] Add alert (tracker: OPS-2)\r\n"
        );
    }

    #[test]
    fn a_missing_item_is_an_error() {
        let source = doc("- [ ] Rotate keys");
        let error = edit_action_item(&source, &ReadOptions::default(), 3, &tracker("OPS-2"))
            .expect_err("no item 4");
        assert!(error.message.contains("no action item 4"), "{error}");
    }
}
