//! Every document of `../shared/corpus` (found through `DEBRIEF_CORPUS`) reads without a
//! panic into JSON, formats idempotently and keeps every word. How well it is read (milestones,
//! timelines) is measured by `debrief-eval`.

use debrief_core::{ReadOptions, read_with, write};
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    match std::env::var_os("DEBRIEF_CORPUS") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            println!(
                "SKIPPED: DEBRIEF_CORPUS is not set; set it to ../shared/corpus to run the corpus tests"
            );
            None
        }
    }
}

/// Every text file in the corpus: Markdown, and files without an extension.
fn documents(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("corpus directory is readable") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_none_or(|e| e == "md" || e == "qmd" || e.to_string_lossy().contains(' '))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn options(path: &Path) -> ReadOptions {
    ReadOptions::for_path(path)
}

#[test]
fn every_document_reads_into_json_and_formats_idempotently() {
    let Some(dir) = corpus() else { return };
    let docs = documents(&dir);
    assert!(
        docs.len() >= 80,
        "expected the whole corpus, found {} documents",
        docs.len()
    );
    let mut entries = 0;
    for path in &docs {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let read = read_with(&text, &options(path));
        let json = serde_json::to_string(&read.postmortem).expect("model serialises");
        assert!(json.starts_with('{'), "{}", path.display());
        entries += read.postmortem.timeline_entries().count();

        let once = write(&read.postmortem);
        let again = read_with(&once, &options(path));
        let twice = write(&again.postmortem);
        assert_eq!(
            once,
            twice,
            "formatting is not idempotent for {}",
            path.display()
        );
        assert_eq!(
            read.postmortem.timeline_entries().count(),
            again.postmortem.timeline_entries().count(),
            "{}",
            path.display()
        );
        assert_eq!(
            read.postmortem
                .timeline_entries()
                .map(|e| e.at)
                .collect::<Vec<_>>(),
            again
                .postmortem
                .timeline_entries()
                .map(|e| e.at)
                .collect::<Vec<_>>(),
            "timeline instants change when formatted: {}",
            path.display()
        );
        assert_eq!(
            read.postmortem.action_items().collect::<Vec<_>>(),
            again.postmortem.action_items().collect::<Vec<_>>(),
            "action items change when formatted: {}",
            path.display()
        );
        assert_words_kept(path, &text, &once);
    }
    println!("{} documents, {entries} timeline entries read", docs.len());
}

/// Formatting never drops or reorders text: the words of the source appear in the output in
/// the same order. Left out: headings (recognised ones take their canonical wording, "Next
/// steps" becomes "Action items"), table header rows (a timeline table becomes a list), the calendar and zone words of the time expressions the
/// timeline rewrites ("7:09 AM Eastern" becomes "11:09"), and words under four letters.
/// Writing a tracker reference into any action item of any document changes that item's
/// line and no other, reads back as asked, and is refused rather than done wrongly.
#[test]
fn a_reference_written_into_any_item_changes_its_line_only() {
    use debrief_core::edit::{ItemEdit, ItemState, edit_action_item};
    let Some(dir) = corpus() else { return };
    let (mut written, mut refused, mut ticked) = (0, 0, 0);
    for path in documents(&dir) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let options = options(&path);
        let read = read_with(&text, &options);
        for (index, item) in read.postmortem.action_items().enumerate() {
            if item.tracker.is_some() {
                continue;
            }
            let edit = ItemEdit {
                tracker: Some("https://tracker.example/issues/1".into()),
                state: (!item.done).then_some(ItemState::Done),
                ..ItemEdit::default()
            };
            match edit_action_item(&text, &options, index, &edit) {
                Ok(Some(edited)) => {
                    let before: Vec<&str> = text.split('\n').collect();
                    let after: Vec<&str> = edited.split('\n').collect();
                    assert_eq!(before.len(), after.len(), "{}: lines added", path.display());
                    let changed = before.iter().zip(&after).filter(|(a, b)| a != b).count();
                    assert_eq!(changed, 1, "{}: item {index}", path.display());
                    written += 1;
                    ticked += usize::from(!item.done);
                    // Once written, the same edit changes nothing.
                    assert_eq!(
                        edit_action_item(&edited, &options, index, &edit),
                        Ok(None),
                        "{}: item {index} again",
                        path.display()
                    );
                }
                Ok(None) => panic!("{}: item {index} already said so", path.display()),
                Err(error) => {
                    assert!(error.line > 0, "{}: {error}", path.display());
                    refused += 1;
                    eprintln!(
                        "REFUSED {}:{} {:?}",
                        path.display(),
                        error.line,
                        text.lines().nth(error.line - 1)
                    );
                }
            }
        }
    }
    println!("references written into {written} items ({ticked} ticked done), {refused} refused");
    assert!(
        written >= 10 * refused.max(1),
        "{written} written, {refused} refused"
    );
}

fn assert_words_kept(path: &Path, source: &str, formatted: &str) {
    // Front matter is rewritten in canonical order (a title becomes the heading), so the
    // words of its values need only all be there.
    let (source_front, source) = split_front_matter(source);
    let (formatted_front, formatted) = split_front_matter(formatted);
    let values = source_front
        .lines()
        .filter_map(|l| l.split_once([':', '=']).map(|(_, value)| value));
    for word in values.flat_map(|v| v.split(|c: char| !c.is_alphanumeric())) {
        assert!(
            word.is_empty() || formatted_front.contains(word) || formatted.contains(word),
            "{}: front matter word {word:?} is lost",
            path.display()
        );
    }
    let lines: Vec<&str> = source.lines().collect();
    let setext = |l: &str| !l.trim().is_empty() && l.trim().chars().all(|c| c == '=' || c == '-');
    let source: String = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| {
            let next = lines.get(i + 1);
            !l.starts_with('#')
                && !next.is_some_and(|next| setext(next))
                && !next.is_some_and(|next| table_delimiter(next))
        })
        .map(|(_, l)| *l)
        .collect::<Vec<_>>()
        .join("\n");
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 4)
            .map(str::to_lowercase)
            .filter(|w| {
                !debrief_core::when::is_calendar_word(w)
                    && debrief_core::zone::parse_zone(w).is_none()
            })
            .collect()
    };
    let after = words(formatted);
    let mut at = 0;
    for (i, word) in words(&source).iter().enumerate() {
        match after[at..].iter().position(|w| w == word) {
            Some(found) => at += found + 1,
            None => panic!(
                "{}: word {i} of the source, {word:?}, is missing from the formatted text after {:?}",
                path.display(),
                &after[at.saturating_sub(8)..at]
            ),
        }
    }
}

/// The front matter (between `---` or `+++` fences at the start) and the rest.
fn split_front_matter(text: &str) -> (&str, &str) {
    let text = text.trim_start_matches('\u{feff}');
    for fence in ["---", "+++"] {
        if let Some(rest) = text.strip_prefix(fence)
            && rest.starts_with(['\n', '\r'])
            && let Some(end) = rest.find(&format!("\n{fence}"))
        {
            let after = &rest[end + 1 + fence.len()..];
            return (&rest[..end], after);
        }
    }
    ("", text)
}

/// `|---|:--|` under a table's header row.
fn table_delimiter(line: &str) -> bool {
    let line = line.trim();
    line.contains('-') && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}
