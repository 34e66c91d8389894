//! Where a comment may be attached: the postmortem as a whole, a section or a timeline
//! entry. A comment keeps the key of its place, made of what the place says (a heading, an
//! entry's time and first words) rather than where it stands, so that it finds its place
//! again after edits above it; a place edited away leaves its comments in the list, marked
//! as no longer found. Pure: the store validates keys with it, the pages place comments with it.

/// A place a comment may be attached to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// What the comment keeps: `document`, `section:HEADING` or `entry:INSTANT TEXT`.
    pub key: String,
    /// How people read it: "Timeline: 14:05 Alert fired".
    pub label: String,
    /// The `id` of the place in the rendered article (`section-2`, `entry-5`), empty for
    /// the document.
    pub html_id: String,
}

/// The key of the whole postmortem.
pub const DOCUMENT: &str = "document";

/// The longest comment, in bytes: a comment is a remark, not a second document.
pub const MAX_COMMENT_BYTES: usize = 10_000;

/// How many characters of an entry's text its key and label keep.
const ENTRY_WORDS: usize = 40;

/// Every place of `document` a comment may be attached to, in document order: the whole
/// document first, then each section and, inside a timeline, each entry.
pub fn anchors(document: &debrief_core::Postmortem) -> Vec<Anchor> {
    use debrief_core::model::{Part, SectionBody};
    let mut anchors = vec![Anchor {
        key: DOCUMENT.to_string(),
        label: "The postmortem as a whole".to_string(),
        html_id: String::new(),
    }];
    let mut entry_index = 0;
    for (position, section) in document.sections.iter().enumerate() {
        let heading = match section.heading.trim() {
            "" => section.body.kind().canonical_heading().to_string(),
            heading => heading.to_string(),
        };
        anchors.push(Anchor {
            key: format!("section:{heading}"),
            label: heading.clone(),
            html_id: format!("section-{position}"),
        });
        if let SectionBody::Timeline(timeline) = &section.body {
            for part in &timeline.parts {
                let Part::Item(entry) = part else { continue };
                let words: String = entry.text.chars().take(ENTRY_WORDS).collect();
                let words = words.trim();
                // The label ends on a whole word; the key keeps its characters as they are.
                let cut = words.len() < entry.text.trim().len();
                let label_words = match words.rfind(char::is_whitespace) {
                    Some(end) if cut => format!("{}…", words[..end].trim_end()),
                    _ => words.to_string(),
                };
                let shown = entry.at.strftime("%Y-%m-%d %H:%M");
                anchors.push(Anchor {
                    key: format!("entry:{} {words}", entry.at),
                    label: format!("{heading}: {shown} {label_words}"),
                    html_id: format!("entry-{entry_index}"),
                });
                entry_index += 1;
            }
        }
    }
    // Two sections with one heading, or two entries with one time and text, share a key;
    // a comment goes to the first, which is where a reader would look.
    let mut seen = std::collections::HashSet::new();
    anchors.retain(|a| seen.insert(a.key.clone()));
    anchors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_keyed_by_what_they_say_not_where_they_stand() {
        let text = "---\ntitle: Outage\ndate: 2026-06-14\n---\n\n## Summary\n\nDown.\n\n\
                    ## Timeline\n\n- 14:05 Alert fired for checkout errors\n- 14:09 Rolled back\n";
        let read = debrief_core::read(text);
        let keys: Vec<String> = anchors(&read.postmortem)
            .into_iter()
            .map(|a| format!("{} #{}", a.key, a.html_id))
            .collect();
        assert_eq!(
            keys,
            [
                "document #",
                "section:Summary #section-0",
                "section:Timeline #section-1",
                "entry:2026-06-14T14:05:00Z Alert fired for checkout errors #entry-0",
                "entry:2026-06-14T14:09:00Z Rolled back #entry-1",
            ]
        );
        // A section added above keeps every key and moves the ids.
        let edited = text.replace("## Summary", "## Impact\n\nSome.\n\n## Summary");
        let again = anchors(&debrief_core::read(&edited).postmortem);
        let entry = again
            .iter()
            .find(|a| a.key.contains("Rolled back"))
            .expect("the entry");
        assert_eq!(entry.html_id, "entry-1");
        let summary = again
            .iter()
            .find(|a| a.key == "section:Summary")
            .expect("the section");
        assert_eq!(summary.html_id, "section-1");
    }
}
