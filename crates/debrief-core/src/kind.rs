//! What a document is: a postmortem, a template for one, or a page that is about postmortems
//! (a README, an index listing them, a licence).
//!
//! Commands that take every postmortem in a tree (metrics, the review, the published site)
//! leave out templates and pages; commands that check documents (lint, fmt) take everything.
//! The rule reads the document as the reader built it, and the file's name (no directories,
//! never opened), so it is a pure function like the rest of the core:
//!
//! - **Template**, when any of these holds:
//!   - its title is a placeholder or names a template: every word is generic ("Title",
//!     "Incident Title", "Title (incident #)", "[Date]: [Title]", "Incident title -
//!     DD/MM/YYYY", "Postmortem Template", "Incident 000: Report template"), or "template"
//!     follows "postmortem", "incident", "report" and the like ("Postmortem template for
//!     payments"); a title that is only generic words without "title", "template" or a
//!     placeholder ("Incident report") is not enough;
//!   - the text before the first section, or the front matter's `description`, says it is one
//!     ("This is a template for incident reports", "> Template from: ...");
//!   - it is mostly unfilled: at least three sections, fewer than a quarter of them with three
//!     words of their own once placeholders (`{{ }}`, `YYYY-MM-DD`, `HH:MM`, `[Date]`,
//!     `<service>`), italic, quoted or bracketed prompts, HTML comments, empty table cells
//!     and empty list items are taken away, no timeline entry, and no date (a dated skeleton,
//!     as `debrief new` writes, is a postmortem being written);
//!   - its file name says template the same way as a title does (`template.md`,
//!     `000-template.md`, `postmortem-template-azure.md`, `PMyyyy-nnn - Postmortem
//!     template.md`, but not `2024-01-05-helm-template-outage.md`).
//! - **Page**, when the file is named like a page of a documentation site or repository
//!   (README, CONTRIBUTING, CHANGELOG, LICENSE, LICENCE, CODE_OF_CONDUCT, SECURITY, SUMMARY,
//!   index, _index; any extension) and its content does not read as an incident: a
//!   postmortem has a date (its own, or one in its file or folder name, as a Hugo page
//!   bundle's `2022-12-13-root-filesystem-full/index.md` has) and at least one of a timeline
//!   entry, an action item, a recognised section, or a title naming one incident
//!   ("Moderation Postmortem"). An index listing postmortems has none of that.
//! - **Page** too, whatever the file's name, when the document tells of no incident: no date
//!   (its own, its file's or its folder's, or a full one written in its text), no timeline
//!   entry and no action item, as an essay on how to write postmortems.
//! - **Postmortem** otherwise.

use crate::model::{Postmortem, SectionKind};
use crate::when::{DateSpec, find_dates};

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A postmortem: taken by every command.
    Postmortem,
    /// A template for postmortems, filled in or not.
    Template,
    /// A page about postmortems rather than one: a README, an index, a licence.
    Page,
}

impl Kind {
    /// Whether this is a postmortem.
    pub fn is_postmortem(self) -> bool {
        self == Kind::Postmortem
    }

    /// A short name for messages: `postmortem`, `template`, `page`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Postmortem => "postmortem",
            Kind::Template => "template",
            Kind::Page => "page",
        }
    }
}

/// What a document is, from the document as read and its file name (`README.md`,
/// `000-template.md`; directories are ignored). See the module documentation for the rule.
pub fn classify(postmortem: &Postmortem, file_name: Option<&str>) -> Kind {
    let stem = file_name.map(stem);
    if is_template(postmortem) || stem.is_some_and(says_template) {
        return Kind::Template;
    }
    if stem.is_some_and(is_page_name) && !reads_as_incident(postmortem) {
        return Kind::Page;
    }
    if tells_of_no_incident(postmortem) {
        return Kind::Page;
    }
    Kind::Postmortem
}

/// Whether the document is a template, from its content alone.
pub fn is_template(postmortem: &Postmortem) -> bool {
    says_template(&postmortem.meta.title)
        || introduces_itself_as_template(&postmortem.preamble)
        || postmortem.meta.extra.iter().any(|(key, value)| {
            key == "description" && value.as_str().is_some_and(introduces_itself_as_template)
        })
        || mostly_unfilled(postmortem)
}

/// A file name without its directories and its extension (`Outage in v1.2 rollout` has none:
/// an "extension" with a space in it is part of the name).
fn stem(name: &str) -> &str {
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.contains(' ') => stem,
        _ => name,
    }
}

/// File names of the pages that surround postmortems in repositories and documentation sites.
const PAGE_NAMES: [&str; 10] = [
    "readme",
    "contributing",
    "changelog",
    "license",
    "licence",
    "code_of_conduct",
    "security",
    "summary",
    "index",
    "_index",
];

fn is_page_name(stem: &str) -> bool {
    PAGE_NAMES.iter().any(|n| stem.eq_ignore_ascii_case(n))
}

/// Words that name what a document is rather than what happened.
const DOCUMENT_WORDS: [&str; 11] = [
    "postmortem",
    "mortem",
    "pm",
    "incident",
    "report",
    "retrospective",
    "retro",
    "rca",
    "review",
    "analysis",
    "outage",
];

/// Words a placeholder title is made of.
const GENERIC_WORDS: [&str; 27] = [
    "title",
    "template",
    "name",
    "date",
    "time",
    "the",
    "of",
    "a",
    "an",
    "for",
    "and",
    "here",
    "your",
    "short",
    "brief",
    "description",
    "summary",
    "number",
    "id",
    "service",
    "event",
    "post",
    "sample",
    "example",
    "document",
    "team",
    "goes",
];

/// Whether a title (or a file name) is a placeholder or names a template.
fn says_template(title: &str) -> bool {
    let (words, placeholders) = title_words(title);
    if words.is_empty() {
        return placeholders > 0;
    }
    // "Postmortem template for payments": template right after a word for the document.
    if words
        .windows(2)
        .any(|pair| pair[1] == "template" && DOCUMENT_WORDS.contains(&pair[0].as_str()))
        || words == ["template"]
    {
        return true;
    }
    let marked = placeholders > 0
        || words
            .iter()
            .any(|w| w == "title" || w == "template" || is_zero_number(w));
    marked
        && words.iter().all(|w| {
            GENERIC_WORDS.contains(&w.as_str())
                || DOCUMENT_WORDS.contains(&w.as_str())
                || is_zero_number(w)
        })
}

/// The lower-case words of a title without its placeholders, and how many placeholders it had.
fn title_words(title: &str) -> (Vec<String>, usize) {
    let (text, mut placeholders) = remove_placeholder_spans(title);
    let mut words = Vec::new();
    for token in text.split(|c: char| c.is_whitespace() || c == '_') {
        let token = token.trim_matches(|c: char| !c.is_alphanumeric());
        if token.is_empty() {
            continue;
        }
        if is_mask(token) {
            placeholders += 1;
            continue;
        }
        for word in token
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if is_mask(word) {
                placeholders += 1;
            } else {
                words.push(word.to_lowercase());
            }
        }
    }
    (words, placeholders)
}

/// "000", "0", "nnn", "xxx": a number left to fill in.
fn is_zero_number(word: &str) -> bool {
    !word.is_empty() && (word.bytes().all(|b| b == b'0') || is_repeated_mask_letter(word))
}

fn is_repeated_mask_letter(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() >= 3 && bytes.iter().all(|b| *b == bytes[0]) && b"nNxXyYzZ".contains(&bytes[0])
}

/// A date or time mask left unfilled: `YYYY-MM-DD`, `yyyy-mm-dd`, `DD/MM/YYYY`, `HH:MM`,
/// `hh:mm`, `20xx-MM-DD`, `XX:XX`, `PMyyyy`, `XXX`, `nnn`.
fn is_mask(token: &str) -> bool {
    const MASK_BYTES: &[u8] = b"YyMmDdHhSsXx0123456789:/-.";
    let bytes = token.as_bytes();
    if bytes.windows(4).any(|w| w == b"yyyy" || w == b"YYYY") || is_repeated_mask_letter(token) {
        return true;
    }
    // Every word of a section passes here: most have a letter no mask has, and stop at it.
    bytes.iter().all(|b| MASK_BYTES.contains(b))
        && bytes.iter().any(|b| matches!(b, b':' | b'/' | b'-'))
        && bytes
            .windows(2)
            .any(|w| w[0] == w[1] && b"YyMmDdHhXxSs".contains(&w[0]))
}

/// HTML elements that may appear in a postmortem: `<details>` is not a placeholder.
const HTML_TAGS: [&str; 27] = [
    "a", "abbr", "b", "br", "code", "details", "div", "em", "hr", "i", "img", "kbd", "li", "ol",
    "p", "pre", "small", "span", "strong", "sub", "summary", "sup", "table", "td", "th", "tr",
    "ul",
];

/// Removes `{{ ... }}`, `{% ... %}`, `<placeholder>` and `[Generic words]` from a text;
/// returns what is left and how many were removed.
fn remove_placeholder_spans(text: &str) -> (std::borrow::Cow<'_, str>, usize) {
    if !text.contains(['{', '<', '[']) {
        return (text.into(), 0);
    }
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut rest = text;
    while let Some(at) = rest.find(['{', '<', '[']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = if let Some(inner) = tail.strip_prefix("{{").or_else(|| tail.strip_prefix("{%")) {
            inner.find(['}', '%']).map(|e| {
                let close = &inner[e..];
                let len = if close.starts_with("}}") || close.starts_with("%}") {
                    2
                } else {
                    1
                };
                2 + e + len
            })
        } else if let Some(inner) = tail.strip_prefix('<') {
            inner
                .find('>')
                .filter(|e| is_angle_placeholder(&inner[..*e]))
                .map(|e| e + 2)
        } else {
            let inner = &tail[1..];
            inner
                .find(']')
                .filter(|e| {
                    let after = &inner[e + 1..];
                    !after.starts_with('(')
                        && !after.starts_with('[')
                        && is_generic_phrase(&inner[..*e])
                })
                .map(|e| e + 2)
        };
        match end {
            Some(end) => {
                count += 1;
                out.push(' ');
                rest = &tail[end..];
            }
            None => {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    (out.into(), count)
}

/// `<service name>`, `<Incident title>`, `<date>`: not a tag, an autolink or a comment.
fn is_angle_placeholder(inner: &str) -> bool {
    let inner = inner.trim();
    if inner.is_empty()
        || inner.len() > 60
        || inner.starts_with(['/', '!', '?'])
        || inner.contains(['=', '"', ':', '@', '<', '\n'])
    {
        return false;
    }
    let first = inner
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("");
    !HTML_TAGS.iter().any(|t| first.eq_ignore_ascii_case(t))
        && inner
            .chars()
            .all(|c| c.is_alphanumeric() || " -_#./".contains(c))
}

/// `Date`, `Title`, `Date and time`, `Service name`: bracketed words every one of which is
/// generic (`[Public]` and `[The morning]` are not placeholders).
fn is_generic_phrase(inner: &str) -> bool {
    let words: Vec<String> = inner
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    !words.is_empty()
        && words
            .iter()
            .all(|w| GENERIC_WORDS.contains(&w.as_str()) || DOCUMENT_WORDS.contains(&w.as_str()))
        && words
            .iter()
            .any(|w| !["the", "of", "a", "an", "for", "and"].contains(&w.as_str()))
}

/// "This is a template for incident reports", "> Template from: ...".
fn introduces_itself_as_template(text: &str) -> bool {
    let lower = text.to_lowercase();
    const PHRASES: [&str; 8] = [
        "this is a template",
        "this is a standard template",
        "this is the template",
        "this is our template",
        "this template is",
        "use this template",
        "copy this template",
        "copy of this template",
    ];
    if PHRASES.iter().any(|p| lower.contains(p)) {
        return true;
    }
    lower.lines().any(|line| {
        let line = line.trim_start_matches(|c: char| c.is_whitespace() || "*_>#".contains(c));
        line.starts_with("template from") || line.starts_with("sample template from")
    })
}

/// At least three sections, fewer than a quarter of them with words of their own, no
/// timeline entry and no date. A dated skeleton is a postmortem being written (as `debrief
/// new` starts one), not a template.
fn mostly_unfilled(postmortem: &Postmortem) -> bool {
    let sections = &postmortem.sections;
    if sections.len() < 3
        || postmortem.meta.date.is_some()
        || postmortem.timeline_entries().next().is_some()
    {
        return false;
    }
    let filled = sections
        .iter()
        .filter(|s| have_own_words(s.body.texts(), 3))
        .count();
    filled * 4 < sections.len()
}

/// Words a section has of its own: not placeholders, not italic or quoted prompts, not the
/// labels of an empty table, not HTML comments. A section with three of them is filled in;
/// the review's write-up score counts a section the same way.
pub fn own_words(text: &str) -> usize {
    own_words_up_to(text, usize::MAX)
}

/// Whether `texts` together have at least `wanted` words of their own ([`own_words`]);
/// counting stops there, since callers ask whether a section is filled in, not how long it is.
pub fn have_own_words<'a>(texts: impl IntoIterator<Item = &'a str>, wanted: usize) -> bool {
    let mut words = 0;
    texts.into_iter().any(|text| {
        words += own_words_up_to(text, wanted - words);
        words >= wanted
    }) || wanted == 0
}

/// [`own_words`], counting no further than `limit`.
fn own_words_up_to(text: &str, limit: usize) -> usize {
    let mut count = 0;
    let mut in_comment = false;
    for line in text.lines() {
        if count >= limit {
            break;
        }
        let mut rest = line.trim();
        if in_comment {
            match rest.find("-->") {
                Some(end) => {
                    in_comment = false;
                    rest = &rest[end + 3..];
                }
                None => continue,
            }
        }
        // What is outside comments: `<!-- What happened. -->` on one line says nothing.
        let kept: std::borrow::Cow<'_, str> = if rest.contains("<!--") {
            let mut kept = String::new();
            while let Some(start) = rest.find("<!--") {
                kept.push_str(&rest[..start]);
                kept.push(' ');
                match rest[start + 4..].find("-->") {
                    Some(end) => rest = &rest[start + 4 + end + 3..],
                    None => {
                        in_comment = true;
                        rest = "";
                    }
                }
            }
            kept.push_str(rest);
            kept.into()
        } else {
            rest.into()
        };
        let line = kept.trim();
        if line.starts_with('>') || is_prompt(line) || is_empty_table_row(line) {
            continue;
        }
        let (line, _) = remove_placeholder_spans(line);
        count += line
            .split_whitespace()
            .filter(|w| w.chars().filter(|c| c.is_alphabetic()).nth(1).is_some())
            .filter(|w| !is_mask(w.trim_matches(|c: char| !c.is_alphanumeric())))
            .take(limit - count)
            .count();
    }
    count
}

/// A line that is all italics, `_List the events that led to the incident_`: an instruction.
fn is_prompt(line: &str) -> bool {
    let line = line
        .trim_start_matches(['-', '*', '+'])
        .trim_start()
        .trim_start_matches("[ ]")
        .trim();
    // Bold (`**Date:**`) is a label, not a prompt.
    let italic = |open: char| {
        let double = format!("{open}{open}");
        line.len() > 2
            && line.starts_with(open)
            && line.ends_with(open)
            && !line.starts_with(&double)
    };
    italic('_') || italic('*') || (line.starts_with('(') && line.ends_with(')'))
}

/// A table row whose cells are empty, or whose cells are all on a row with an empty twin:
/// `|   |   |`, `|---|---|`.
fn is_empty_table_row(line: &str) -> bool {
    line.starts_with('|')
        && line
            .split('|')
            .all(|cell| cell.trim().chars().all(|c| c == '-' || c == ':'))
}

/// A date, and something only an incident has.
/// Whether a document, whatever its name, tells of no incident at all: no date (its own, its
/// file's or its folder's, or a full one anywhere in its text), no timeline entry and no
/// action item. An essay on how to run
/// postmortems reads so; a postmortem being written has at least the date `debrief new`
/// gives it.
fn tells_of_no_incident(postmortem: &Postmortem) -> bool {
    let full_date = |text: &str| find_dates(text).any(|d| matches!(d, DateSpec::Full(_)));
    postmortem.meta.date.is_none()
        && postmortem.timeline_entries().next().is_none()
        && postmortem.action_items().next().is_none()
        && !full_date(&postmortem.preamble)
        && !postmortem
            .sections
            .iter()
            .any(|s| s.body.texts().any(full_date))
}

fn reads_as_incident(postmortem: &Postmortem) -> bool {
    if postmortem.meta.date.is_none() {
        return false;
    }
    let (words, _) = title_words(&postmortem.meta.title);
    let names_one = words.iter().any(|w| {
        matches!(
            w.as_str(),
            "postmortem" | "mortem" | "incident" | "outage" | "retrospective" | "retro" | "rca"
        )
    });
    names_one
        || postmortem.timeline_entries().next().is_some()
        || postmortem.action_items().next().is_some()
        || postmortem
            .sections
            .iter()
            .any(|s| s.body.kind() != SectionKind::Other)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str, name: &str) -> Kind {
        let read = crate::read_with(
            text,
            &crate::ReadOptions::for_path(std::path::Path::new(name)),
        );
        classify(&read.postmortem, Some(name))
    }

    const REAL: &str = "# Postmortem: Checkout 500 errors, 2026-06-14\n\n## Summary\n\nA migration \
                        dropped a column the checkout service still read.\n\n## Timeline (UTC)\n\n\
                        - 14:02 Migration deploy starts\n- 14:05 [detected] Error rate alert fires\n";

    #[test]
    fn an_essay_that_tells_of_no_incident_is_a_page() {
        let essay = "# Blameless culture\n\n## Summary\n\nA postmortem asks what made an \
                     incident possible, not who caused it.\n\n## Why it matters\n\nPeople \
                     report what they see when they are not blamed for it.\n";
        assert_eq!(kind(essay, "blameless.md"), Kind::Page);
        // A full date in the text, or in a site generator's address, is an incident's.
        let dated = essay.replace(
            "A postmortem asks",
            "On July 21st, 2021 the release broke. It asks",
        );
        assert_eq!(kind(&dated, "blameless.md"), Kind::Postmortem);
        let zola = format!(
            "+++\ntitle = \"Phishing campaign\"\npath = \"2025/09/12/phishing\"\n+++\n\n{essay}"
        );
        assert_eq!(kind(&zola, "phishing.md"), Kind::Postmortem);
        // So is a timeline entry or an action item.
        let acted = format!("{essay}\n## Action items\n\n- [ ] Add an alert (owner: sre)\n");
        assert_eq!(kind(&acted, "blameless.md"), Kind::Postmortem);
    }

    #[test]
    fn placeholder_titles_are_templates() {
        for title in [
            "Title",
            "Title (incident #)",
            "Title of the incident: Date",
            "Incident Title",
            "Incident title - DD/MM/YYYY",
            "[Date]: [Title]",
            "Postmortem Template",
            "Incident 000: Report template",
            "Postmortem template for the payments team",
            "{{ title }}",
            "<Incident title>",
        ] {
            assert!(says_template(title), "{title}");
        }
        for title in [
            "Incident report",
            "Checkout 500 errors",
            "Bad Helm template breaks ingress",
            "Template rendering outage",
            "[Public] 4/26 Transaction Delays Post-Mortem",
            "Incident 001: Lambda retries",
            "Moderation Postmortem",
            "Some title",
            "Postmortems",
        ] {
            assert!(!says_template(title), "{title}");
        }
    }

    #[test]
    fn file_names_that_say_template() {
        for name in [
            "template.md",
            "000-template.md",
            "post_mortem_template.md",
            "postmortem-template-azure.md",
            "PMyyyy-nnn - Postmortem template.md",
        ] {
            assert_eq!(kind(REAL, name), Kind::Template, "{name}");
        }
        for name in [
            "2024-01-05-helm-template-outage.md",
            "checkout.md",
            "PM2022-009 - Bad A.W.S",
        ] {
            assert_eq!(kind(REAL, name), Kind::Postmortem, "{name}");
        }
    }

    #[test]
    fn a_template_that_says_so_or_is_empty() {
        let says = "This is a template for incident reports.\n\n# Outage\n\n## Summary\n\nWhat went wrong.\n";
        assert_eq!(kind(says, "x.md"), Kind::Template);
        let quoted =
            "> Template from: [the SRE book](https://sre.google)\n\n# Outage\n\n## Summary\n";
        assert_eq!(kind(quoted, "x.md"), Kind::Template);
        let empty = "# Checkout outage\n\n## Summary\n\n_What happened, in two sentences._\n\n\
                     ## Impact\n\n| Users | |\n|---|---|\n| | |\n\n## Timeline\n\n- YYYY-MM-DD HH:MM \n\n\
                     ## Action items\n\n- [ ] \n";
        assert_eq!(kind(empty, "x.md"), Kind::Template);
        assert_eq!(kind(REAL, "x.md"), Kind::Postmortem);
        // A real postmortem with a prompt and a placeholder left in is still one.
        let left_in = format!("{REAL}\n## Where we got lucky\n\n_Fill in._ {{{{ lucky }}}}\n");
        assert_eq!(kind(&left_in, "x.md"), Kind::Postmortem);
        // What `debrief new` writes: a dated skeleton is a postmortem being written.
        let new = "# Postmortem: Checkout 500 errors, 2026-06-14\n\n## Summary\n\n<!-- What happened. -->\n\n\
                   ## Impact\n\n<!-- Who was affected. -->\n\n## Timeline\n\n<!-- - 14:02 [started] What happened -->\n";
        assert_eq!(
            kind(new, "2026-06-14-checkout-500-errors.md"),
            Kind::Postmortem
        );
    }

    #[test]
    fn comments_are_not_words_of_a_section() {
        assert_eq!(own_words("<!-- What happened, in two sentences. -->"), 0);
        assert_eq!(
            own_words("Disk filled <!-- say which --> overnight <!-- and\nwhen --> at last"),
            5
        );
        assert_eq!(
            own_words("<!--\nWho was affected?\n-->\nCheckout failed"),
            2
        );
    }

    #[test]
    fn pages_unless_they_read_as_an_incident() {
        let listing =
            "# Postmortems\n\n- [Checkout](2026-06-14-checkout.md)\n- [DNS](2026-05-01-dns.md)\n";
        for name in [
            "README.md",
            "index.md",
            "_index.md",
            "index.qmd",
            "LICENSE.md",
        ] {
            assert_eq!(kind(listing, name), Kind::Page, "{name}");
        }
        assert_eq!(kind(listing, "postmortems.md"), Kind::Postmortem);
        // A Hugo page bundle: the date is in the folder's name.
        let bundle =
            "---\ntitle: Root filesystem full\n---\n\n## Timeline\n\n- 18:53 Disk alert fires\n";
        assert_eq!(
            kind(bundle, "2022-12-13-root-filesystem-full/index.md"),
            Kind::Postmortem
        );
        assert_eq!(kind(bundle, "incidents/index.md"), Kind::Page);
        let prose = "---\ndate: 2023-05-02\ntitle: Moderation Postmortem\n---\n\nWhat happened this week.\n";
        assert_eq!(kind(prose, "2023-05-moderation/index.md"), Kind::Postmortem);
    }
}
