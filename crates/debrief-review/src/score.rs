//! The write-up quality score: how thorough one postmortem is, from 0 to 100, so that the
//! review can celebrate the thorough ones.
//!
//! The score is the sum of six parts, each a plain fact a reader can check in the document,
//! each shown with what earned its points and what is missing ([`Part::found`],
//! [`Part::lacking`]). The weights are in [`PARTS`]:
//!
//! | part | points | earned by |
//! |---|---:|---|
//! | `sections` | 24 | 4 for each of six sections with words of their own: summary, impact, timeline, root cause or contributing factors, what went well or badly, action items |
//! | `impact` | 12 | the impact states a quantity (requests, customers, money, minutes) |
//! | `milestones` | 16 | 8 each for detection and resolution placed on the timeline (or the time to detect, to resolve, computed from it) |
//! | `blame_free` | 16 | the narrative has no blame finding from the linter |
//! | `evidence` | 12 | 4 for each link, image or code block in the narrative (logs, dashboards, PRs), up to 3 |
//! | `action_items` | 20 | shared among the items; each earns a third for an owner, a due date and a specific (not vague) action |
//!
//! A section counts when it has words of its own ([`debrief_core::kind::own_words`], the rule
//! that recognises an unfilled template): a heading with only prompts, placeholders or an
//! empty table is not a section written. A timeline counts when it has an entry, action
//! items when they say something; an opening paragraph of twenty words before the first
//! section counts as the summary. When the document was not linted the `blame_free` part is
//! not checked, and the total is scaled to 100 over the other parts.

use crate::Entry;
use debrief_core::Analysis;
use debrief_core::kind::have_own_words;
use debrief_core::model::{Milestone, Postmortem, QuantityKind, SectionBody, SectionKind};
use pulldown_cmark::{Event, Parser, Tag};
use serde::Serialize;
use std::fmt::Write;

/// Points for the six expected sections together, [`SECTION_POINTS`] each.
pub const SECTIONS: u32 = 24;
/// Points for each expected section written.
pub const SECTION_POINTS: u32 = SECTIONS / EXPECTED_SECTIONS.len() as u32;
/// Points for an impact that states a quantity.
pub const IMPACT: u32 = 12;
/// Points for the timeline's milestones: half for detection, half for resolution.
pub const MILESTONES: u32 = 16;
/// Points for a narrative without blame findings.
pub const BLAME_FREE: u32 = 16;
/// Points for evidence linked, [`EVIDENCE_POINTS`] per piece.
pub const EVIDENCE: u32 = 12;
/// Points for each piece of evidence, up to [`EVIDENCE`].
pub const EVIDENCE_POINTS: u32 = 4;
/// Points for SMART action items, shared among the items.
pub const ACTION_ITEMS: u32 = 20;

const _: () = assert!(SECTIONS + IMPACT + MILESTONES + BLAME_FREE + EVIDENCE + ACTION_ITEMS == 100);
const _: () = assert!(SECTION_POINTS * EXPECTED_SECTIONS.len() as u32 == SECTIONS);

/// The parts of the score, in order: (id, what it rewards, points).
pub const PARTS: [(&str, &str, u32); 6] = [
    ("sections", "sections complete", SECTIONS),
    ("impact", "impact quantified", IMPACT),
    (
        "milestones",
        "detection and resolution on the timeline",
        MILESTONES,
    ),
    ("blame_free", "a blame-free narrative", BLAME_FREE),
    ("evidence", "evidence linked", EVIDENCE),
    ("action_items", "SMART action items", ACTION_ITEMS),
];

/// The sections a thorough write-up has: (name, the kinds that count as it).
pub const EXPECTED_SECTIONS: [(&str, &[SectionKind]); 6] = [
    ("summary", &[SectionKind::Summary]),
    ("impact", &[SectionKind::Impact]),
    ("timeline", &[SectionKind::Timeline]),
    (
        "root cause",
        &[SectionKind::RootCause, SectionKind::ContributingFactors],
    ),
    (
        "what went well or badly",
        &[SectionKind::WentWell, SectionKind::WentBadly],
    ),
    ("action items", &[SectionKind::ActionItems]),
];

/// Words that make a section written (as a template is recognised in `debrief_core::kind`).
const FILLED_WORDS: usize = 3;
/// Words an opening paragraph needs to stand as the summary.
const OPENING_SUMMARY_WORDS: usize = 20;

/// What the score reads from one document, gathered by [`Entry::new`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Facts {
    /// Which of [`EXPECTED_SECTIONS`] are written, in that order.
    pub sections: [bool; 6],
    /// The impact's quantities, as written.
    pub quantities: Vec<String>,
    /// The timeline places detection.
    pub detected: bool,
    /// The timeline places resolution.
    pub resolved: bool,
    /// Evidence in the narrative.
    pub evidence: Evidence,
}

/// Evidence in the narrative: what a reader can follow to the logs, dashboards and changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Evidence {
    /// Links (not to an anchor of the page itself, not mail), and bare URLs.
    pub links: usize,
    /// Images: graphs, screenshots.
    pub images: usize,
    /// Code blocks: logs, commands, configuration.
    pub code_blocks: usize,
}

impl Evidence {
    /// Pieces of evidence in all.
    pub fn total(&self) -> usize {
        self.links + self.images + self.code_blocks
    }
}

/// A write-up's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// 0 to 100: the points of the parts checked, out of the points they could earn.
    pub total: u32,
    /// The parts, in [`PARTS`] order.
    pub parts: Vec<Part>,
}

/// One part of a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    /// Its id in [`PARTS`] (`sections`, `impact`, ...).
    pub part: &'static str,
    /// Points earned, to a tenth; `None` when the part was not checked (an unlinted document
    /// is not known to be blame-free).
    pub points: Option<f64>,
    /// Points it could earn.
    pub out_of: u32,
    /// What earned its points, in words ("impact quantified: 1200 requests"); empty when
    /// nothing did.
    pub found: String,
    /// What it lacks, in words ("no detection on the timeline"); empty when nothing is
    /// missing.
    pub lacking: String,
}

impl Part {
    /// Every point earned.
    pub fn full(&self) -> bool {
        self.points == Some(f64::from(self.out_of))
    }

    /// Checked and no point earned.
    pub fn missing(&self) -> bool {
        self.points == Some(0.0)
    }
}

/// What a part rewards, in words ("impact quantified").
pub fn label(part: &str) -> &'static str {
    PARTS
        .iter()
        .find(|(id, _, _)| *id == part)
        .map_or("", |(_, label, _)| label)
}

/// Gathers what the score reads from a document and its analysis.
pub(crate) fn facts(postmortem: &Postmortem, analysis: &Analysis) -> Facts {
    let mut sections = [false; 6];
    for section in &postmortem.sections {
        let kind = section.body.kind();
        let Some(slot) = EXPECTED_SECTIONS
            .iter()
            .position(|(_, kinds)| kinds.contains(&kind))
        else {
            continue;
        };
        sections[slot] |= written(&section.body);
    }
    sections[0] |= have_own_words(
        [first_paragraph(&postmortem.preamble)],
        OPENING_SUMMARY_WORDS,
    );
    let quantities = postmortem
        .impact()
        .into_iter()
        .flat_map(|impact| &impact.items)
        .flat_map(|item| &item.quantities)
        .map(|q| match (q.kind, &q.unit) {
            // A count's noun follows it ("1200 requests failed"): say it with the number.
            (QuantityKind::Count, Some(unit)) => format!("{} {unit}", q.written),
            (QuantityKind::Percent, _) if !q.written.ends_with('%') => format!("{}%", q.written),
            _ => q.written.clone(),
        })
        .collect();
    Facts {
        sections,
        quantities,
        // Where nothing marks detection, the first acknowledgement bounds it and gives the
        // time to detect the review reports: the timeline serves as well.
        detected: analysis.entry_of(Milestone::Detected).is_some()
            || analysis.metrics.time_to_detect_s.is_some(),
        resolved: analysis.entry_of(Milestone::Resolved).is_some()
            || analysis.metrics.time_to_resolve_s.is_some(),
        evidence: evidence(postmortem),
    }
}

/// Whether a section has something of its own: words, timeline entries, action items.
fn written(body: &SectionBody) -> bool {
    match body {
        SectionBody::Summary(t)
        | SectionBody::RootCause(t)
        | SectionBody::ContributingFactors(t)
        | SectionBody::WentWell(t)
        | SectionBody::WentBadly(t)
        | SectionBody::Lucky(t)
        | SectionBody::ReviewMeeting(t)
        | SectionBody::Other(t) => have_own_words([t.as_str()], FILLED_WORDS),
        // "- 1200 requests failed" says enough: a quantity is written.
        SectionBody::Impact(impact) => {
            have_own_words([impact.text.as_str()], FILLED_WORDS)
                || impact.items.iter().any(|i| !i.quantities.is_empty())
        }
        SectionBody::Timeline(timeline) => timeline.entries().next().is_some(),
        SectionBody::ActionItems(items) => {
            have_own_words(items.items().map(|item| item.text.as_str()), FILLED_WORDS)
        }
    }
}

fn first_paragraph(text: &str) -> &str {
    let text = text.trim_start();
    text.split_once("\n\n").map_or(text, |(first, _)| first)
}

/// Links, images and code blocks in the narrative: the preamble and every section but the
/// action items (whose tracker links are the follow-up, not the evidence).
fn evidence(postmortem: &Postmortem) -> Evidence {
    let mut narrative = String::with_capacity(4096);
    let mut add = |text: &str| {
        narrative.push_str(text);
        narrative.push_str("\n\n");
    };
    add(&postmortem.preamble);
    for section in &postmortem.sections {
        if section.body.kind() != SectionKind::ActionItems {
            section.body.texts().for_each(&mut add);
        }
    }
    let mut found = Evidence::default();
    // Cheap before the parser: most documents without a link, image or code block have no
    // character that could start one.
    if !narrative.contains(['[', '`', '~', '<'])
        && !narrative.contains("http")
        && !narrative.contains("\n    ")
        && !narrative.contains("\n\t")
    {
        return found;
    }
    let mut in_link = 0usize;
    for event in Parser::new(&narrative) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                in_link += 1;
                if !dest_url.starts_with('#') && !dest_url.starts_with("mailto:") {
                    found.links += 1;
                }
            }
            Event::End(pulldown_cmark::TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Start(Tag::Image { .. }) => found.images += 1,
            Event::Start(Tag::CodeBlock(_)) => found.code_blocks += 1,
            // A bare address in the text: `://` is rare, so one byte scan rejects most texts.
            Event::Text(text) if in_link == 0 && text.contains(':') => {
                found.links += text.matches("https://").count() + text.matches("http://").count();
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                found.images += html.matches("<img").count();
            }
            _ => {}
        }
    }
    found
}

/// Scores one postmortem's write-up.
pub fn score(entry: &Entry) -> Score {
    let facts = &entry.facts;
    let mut parts = Vec::with_capacity(PARTS.len());

    let (written, absent): (Vec<_>, Vec<_>) = EXPECTED_SECTIONS
        .iter()
        .zip(facts.sections)
        .partition(|(_, w)| *w);
    let written: Vec<String> = written.iter().map(|((n, _), _)| n.to_string()).collect();
    let absent: Vec<String> = absent.iter().map(|((n, _), _)| format!("no {n}")).collect();
    parts.push(part(
        "sections",
        Some(f64::from(SECTION_POINTS) * written.len() as f64),
        match written.len() {
            0 => String::new(),
            6 => "all six sections written".to_string(),
            _ => format!("{} written", and_list(&written)),
        },
        absent.join(", "),
    ));

    let quantities = &facts.quantities;
    let quantified = !quantities.is_empty();
    parts.push(part(
        "impact",
        Some(if quantified { f64::from(IMPACT) } else { 0.0 }),
        if quantified {
            let shown: Vec<&str> = quantities.iter().take(3).map(String::as_str).collect();
            let more = quantities.len() - shown.len();
            let mut found = format!("impact quantified: {}", shown.join(", "));
            if more > 0 {
                let _ = write!(found, " and {more} more");
            }
            found
        } else {
            String::new()
        },
        if quantified {
            String::new()
        } else if facts.sections[1] {
            "the impact states no quantity".to_string()
        } else {
            "no impact written".to_string()
        },
    ));

    let half = f64::from(MILESTONES) / 2.0;
    let (found, lacking) = match (facts.detected, facts.resolved) {
        (true, true) => ("detection and resolution placed on the timeline", ""),
        (true, false) => (
            "detection placed on the timeline",
            "no resolution on the timeline",
        ),
        (false, true) => (
            "resolution placed on the timeline",
            "no detection on the timeline",
        ),
        (false, false) => ("", "neither detection nor resolution on the timeline"),
    };
    parts.push(part(
        "milestones",
        Some(half * f64::from(u8::from(facts.detected) + u8::from(facts.resolved))),
        found.to_string(),
        lacking.to_string(),
    ));

    parts.push(match entry.blame_free {
        Some(true) => part(
            "blame_free",
            Some(f64::from(BLAME_FREE)),
            "no blame finding in the narrative".to_string(),
            String::new(),
        ),
        Some(false) => part(
            "blame_free",
            Some(0.0),
            String::new(),
            "the linter finds blame in the narrative".to_string(),
        ),
        None => part("blame_free", None, String::new(), "not linted".to_string()),
    });

    let evidence = facts.evidence;
    let pieces = evidence.total();
    let kinds: Vec<String> = [
        (evidence.links, "link", "links"),
        (evidence.images, "image", "images"),
        (evidence.code_blocks, "code block", "code blocks"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
    .collect();
    parts.push(part(
        "evidence",
        Some(f64::from(
            EVIDENCE_POINTS
                .saturating_mul(u32::try_from(pieces).unwrap_or(u32::MAX))
                .min(EVIDENCE),
        )),
        if pieces == 0 {
            String::new()
        } else {
            format!("evidence linked: {}", and_list(&kinds))
        },
        if pieces == 0 {
            "no link, image or code block in the narrative".to_string()
        } else {
            String::new()
        },
    ));

    let items = &entry.items;
    let n = items.len();
    let owned = items.iter().filter(|i| i.owner.is_some()).count();
    let dated = items.iter().filter(|i| i.due.is_some()).count();
    let specific = items.iter().filter(|i| !i.vague).count();
    let criteria = [
        (owned, "with an owner", "without an owner"),
        (dated, "with a due date", "without a due date"),
        (specific, "specific", "vague"),
    ];
    let found: Vec<String> = criteria
        .iter()
        .filter(|(k, _, _)| *k > 0)
        .map(|(k, yes, _)| format!("{k} {yes}"))
        .collect();
    let lacking: Vec<String> = criteria
        .iter()
        .filter(|(k, _, _)| *k < n)
        .map(|(k, _, no)| format!("{} {no}", n - k))
        .collect();
    parts.push(part(
        "action_items",
        Some(if n == 0 {
            0.0
        } else {
            f64::from(ACTION_ITEMS) * (owned + dated + specific) as f64 / (3 * n) as f64
        }),
        if n > 0 && lacking.is_empty() {
            format!(
                "{} owned, dated and specific",
                if n == 1 {
                    "the action item".to_string()
                } else {
                    format!("all {n} action items")
                }
            )
        } else if found.is_empty() {
            String::new()
        } else {
            format!(
                "{n} action item{}: {}",
                if n == 1 { "" } else { "s" },
                and_list(&found)
            )
        },
        if n == 0 {
            "no action items".to_string()
        } else if lacking.is_empty() {
            String::new()
        } else {
            and_list(&lacking)
        },
    ));

    let earned: f64 = parts.iter().filter_map(|p| p.points).sum();
    let available: u32 = parts
        .iter()
        .filter(|p| p.points.is_some())
        .map(|p| p.out_of)
        .sum();
    let total = if available == 0 {
        0
    } else {
        (earned * 100.0 / f64::from(available)).round() as u32
    };
    Score {
        total: total.min(100),
        parts,
    }
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn part(id: &'static str, points: Option<f64>, found: String, lacking: String) -> Part {
    let out_of = PARTS
        .iter()
        .find(|(p, _, _)| *p == id)
        .map_or(0, |(_, _, w)| *w);
    Part {
        part: id,
        points: points.map(|p| (p * 10.0).round() / 10.0),
        out_of,
        found,
        lacking,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(text: &str, blame_free: Option<bool>) -> Score {
        let read = debrief_core::read(text);
        score(&Entry::new(
            "x.md",
            &read.postmortem,
            &read.analysis,
            blame_free,
        ))
    }

    fn points(score: &Score) -> Vec<(&str, Option<f64>)> {
        score.parts.iter().map(|p| (p.part, p.points)).collect()
    }

    const THOROUGH: &str = "---\ntitle: Checkout 500 errors\ndate: 2026-06-14\n---\n\n\
        ## Summary\n\nA migration dropped a column the checkout service still read.\n\n\
        ## Impact\n\n- 1200 requests failed\n- 23 minutes of errors, 40% of checkouts\n\n\
        ## Timeline (UTC)\n\n\
        - 14:02 [started] Migration deploy starts ([PR 42](https://git.example.com/pr/42))\n\
        - 14:05 [detected] Error rate alert fires, see the [dashboard](https://grafana.example.com/d/1)\n\
        - 14:25 [resolved] Error rate returns to baseline\n\n\
        ```\nERROR column \"cart_id\" does not exist\n```\n\n\
        ## Contributing factors\n\n- The migration linter did not check for dropped columns.\n\n\
        ## What went well\n\n- The alert fired within three minutes.\n\n\
        ## Action items\n\n\
        - [ ] Add a migration linter that flags dropped columns (owner: platform, due: 2026-07-01)\n\
        - [ ] Page the owning team on checkout error rates (owner: payments, due: 2026-07-15)\n";

    #[test]
    fn a_thorough_write_up_earns_every_point() {
        let score = scored(THOROUGH, Some(true));
        assert_eq!(
            points(&score),
            [
                ("sections", Some(24.0)),
                ("impact", Some(12.0)),
                ("milestones", Some(16.0)),
                ("blame_free", Some(16.0)),
                ("evidence", Some(12.0)),
                ("action_items", Some(20.0)),
            ]
        );
        assert_eq!(score.total, 100);
        assert_eq!(
            score.parts[1].found,
            "impact quantified: 1200 requests failed, 23 minutes, 40%"
        );
        assert_eq!(
            score.parts[4].found,
            "evidence linked: 2 links and 1 code block"
        );
        assert_eq!(
            score.parts[5].found,
            "all 2 action items owned, dated and specific"
        );
        assert!(
            score.parts.iter().all(|p| p.lacking.is_empty()),
            "{score:?}"
        );
    }

    #[test]
    fn blame_costs_its_part_and_unlinted_is_scaled() {
        assert_eq!(scored(THOROUGH, Some(false)).total, 84);
        let unlinted = scored(THOROUGH, None);
        assert_eq!(unlinted.parts[3].points, None);
        assert_eq!(unlinted.parts[3].lacking, "not linted");
        assert_eq!(unlinted.total, 100, "84 of 84 points checked");
    }

    #[test]
    fn a_bare_write_up_scored_by_hand() {
        // Summary, impact, timeline and action items written (16); the impact says no
        // number (0); detection is placed, resolution is not (8); blame-free (16); a bare URL
        // (4); two items, one with an owner, a due date and a specific action, one vague
        // without either: 3 of 6 thirds of 20 (10). 54 in all.
        let text = "# Disk full, 2026-03-02\n\n## Summary\n\nThe database disk filled up overnight.\n\n\
                    ## Impact\n\nSome customers could not save their work.\n\n\
                    ## Timeline\n\n- 02:00 Disk usage climbs\n- 02:40 [detected] Customer reports \
                    errors, logs at https://logs.example.com/q/7\n\n\
                    ## Action items\n\n- [ ] Alert at 80% disk usage (owner: dba, due: 2026-03-20)\n\
                    - [ ] Improve monitoring\n";
        let score = scored(text, Some(true));
        assert_eq!(
            points(&score),
            [
                ("sections", Some(16.0)),
                ("impact", Some(0.0)),
                ("milestones", Some(8.0)),
                ("blame_free", Some(16.0)),
                ("evidence", Some(4.0)),
                ("action_items", Some(10.0)),
            ]
        );
        assert_eq!(score.total, 54);
        assert_eq!(
            score.parts[0].found,
            "summary, impact, timeline and action items written"
        );
        assert_eq!(
            score.parts[0].lacking,
            "no root cause, no what went well or badly"
        );
        assert_eq!(score.parts[1].lacking, "the impact states no quantity");
        assert_eq!(
            (
                score.parts[5].found.as_str(),
                score.parts[5].lacking.as_str()
            ),
            (
                "2 action items: 1 with an owner, 1 with a due date and 1 specific",
                "1 without an owner, 1 without a due date and 1 vague"
            )
        );
    }

    #[test]
    fn headings_with_only_prompts_are_not_sections() {
        // What a template leaves: prompts, placeholders, an empty table, an empty list.
        let text = "# Incident, 2026-01-05\n\n## Summary\n\n_What happened, in two sentences._\n\n\
                    ## Impact\n\n| Users | Requests |\n|---|---|\n| | |\n\n\
                    ## Timeline\n\nAll times in UTC.\n\n| Time | Event |\n|---|---|\n| YYYY-MM-DD HH:MM | |\n\n\
                    ## Root cause\n\n<!-- Why did it happen? -->\n\n## What went badly\n\n{{ badly }}\n\n\
                    ## Action items\n\n- [ ] \n";
        let score = scored(text, Some(true));
        assert_eq!(score.parts[0].points, Some(0.0), "{:?}", score.parts[0]);
        assert_eq!(score.parts[5].lacking, "no action items");
        assert_eq!(score.total, 16, "only the blame-free part: {score:?}");
    }

    #[test]
    fn an_opening_paragraph_stands_as_the_summary() {
        let text = "# Queue backlog, 2026-02-01\n\nOn the first of February the billing queue backed \
                    up for two hours because a consumer deploy pinned an old client library that \
                    could not read the new message format.\n\n## Timeline\n\n- 10:00 Backlog grows\n";
        let score = scored(text, None);
        assert_eq!(score.parts[0].points, Some(8.0), "{:?}", score.parts[0]);
    }
}
