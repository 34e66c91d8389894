//! The action-item rules: wishes instead of actions, no owner, no due date, overdue, untracked.

use crate::{Ctx, Finding};
use debrief_core::RuleId;
use debrief_core::model::ActionItem;
use debrief_core::phrases::Phrases;
use debrief_core::read::has_tracker_reference;
use std::ops::Range;
use std::sync::OnceLock;

/// Checks one action item whose text is at `range` in the source.
pub(crate) fn check(item: &ActionItem, range: Range<usize>, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    if let Some(reason) = vague(&item.text) {
        out.push(ctx.finding(
            RuleId::VagueAction,
            range.clone(),
            format!("this action item is a wish, not an action: {reason}"),
            Some("write a specific change someone can finish, such as \"Add a CI step that fails on DROP COLUMN\"".to_string()),
        ));
    }
    // A done or declined item asks nothing more of anyone.
    if item.done || item.declined.is_some() {
        return;
    }
    if item.owner.is_none() && actor_in_text(&item.text).is_none() {
        out.push(ctx.finding(
            RuleId::MissingOwner,
            range.clone(),
            "this action item has no owner".to_string(),
            Some("add \"(owner: <team or role>)\"".to_string()),
        ));
    }
    match &item.due {
        None => out.push(ctx.finding(
            RuleId::MissingDue,
            range.clone(),
            "this action item has no due date".to_string(),
            Some("add \"due: <date or span such as 2 weeks>\"".to_string()),
        )),
        Some(due) => {
            if let Some(date) = due.date
                && date < ctx.today
            {
                out.push(ctx.finding(
                    RuleId::Overdue,
                    range.clone(),
                    format!("this action item was due on {date} and is not done"),
                    Some("finish it, or move the date and say why".to_string()),
                ));
            }
        }
    }
    if ctx.config.require_tracker && item.tracker.is_none() && !has_tracker_reference(&item.text) {
        out.push(ctx.finding(
            RuleId::UntrackedAction,
            range,
            "this action item is not tracked in an issue tracker".to_string(),
            Some("add \"tracker: <issue key or URL>\"".to_string()),
        ));
    }
}

/// Why an action item is a wish rather than an action, if it is one.
pub fn vague(text: &str) -> Option<&'static str> {
    // A link to an upstream bug ("[the bug we ran into](…/issues/1)") is what the item is
    // about, not where it is tracked.
    let tracked = has_tracker_reference(&without_prose_links(text));
    let plain = plain(text);
    let body = strip_actor(strip_label(&plain));
    let words: Vec<&str> = body
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let first = words.first().copied().unwrap_or("");
    let measurable = text.contains('`')
        || tracked
        || words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()));
    if tracked {
        return None;
    }
    if words.is_empty() {
        return Some("it says nothing to do");
    }
    let starts = |phrase: &str| {
        body.starts_with(phrase) && body[phrase.len()..].starts_with([' ', ',', '.', ':'])
    };
    let found = phrases_in(body);
    let has = |list: u8| found & list != 0;
    // "Admins should re-read the policy", "The idea should be abolished": a modal that
    // is the sentence's main verb states a norm, not a change.
    let modal_main = !ACTION_VERBS.contains(&first)
        && words
            .iter()
            .take(8)
            .any(|w| matches!(*w, "should" | "must" | "ought"));
    if WISHES.iter().any(|p| starts(p)) || modal_main {
        return Some("it states a need or a wish, not a change");
    }
    // "Always set a billing alert", "Never deploy on Fridays": a rule for people to follow
    // every time, which nothing checks.
    if matches!(first, "always" | "never") || starts("every time") || starts("whenever") {
        return Some("it is a rule for people to follow every time; build what enforces it");
    }
    // "Create some docs", "Add various checks": the work is not named.
    if words
        .get(1)
        .is_some_and(|w| matches!(*w, "some" | "various" | "certain" | "any"))
        && !measurable
    {
        return Some("\"some\" does not say what will exist when it is done");
    }
    // "Develop a policy around when to …": a policy or process is not yet a change.
    let soft = matches!(
        first,
        "develop" | "define" | "establish" | "create" | "formulate"
    ) && words
        .iter()
        .skip(1)
        .take(3)
        .any(|w| SOFT_DELIVERABLES.contains(w));
    if soft && !measurable {
        return Some(
            "a policy or process is not a change; name the check or tool that will carry it",
        );
    }
    if !measurable && words.iter().any(|w| QUALITY_ADVERBS.contains(w)) {
        return Some(
            "\"properly\" or \"effectively\" sets no criterion; say how it will be checked",
        );
    }
    if THINKING.iter().any(|p| starts(p)) || has(FURTHER) {
        return Some("thinking about a problem has no end; say what will change");
    }
    if has(ATTITUDE) {
        return Some("it asks people to try harder instead of changing the system");
    }
    if has(HEDGE) {
        return Some("it is hedged; decide what will be done");
    }
    // "Enhance the daily pipeline with synthetic monitoring" names the mechanism.
    let mechanism = matches!(
        first,
        "improve" | "enhance" | "strengthen" | "optimise" | "optimize"
    ) && has(MEANS);
    let unbounded = (UNBOUNDED.contains(&first) && !mechanism)
        || has(OPEN_ENDED)
        || (!measurable
            && words.iter().take(4).any(|w| {
                matches!(
                    *w,
                    "more" | "better" | "fewer" | "less" | "improved" | "greater"
                )
            }));
    // "Make the deploy process safer": a comparison with no target; "... page the team
    // earlier": a change whose measure ends in a comparison.
    let comparative = (matches!(first, "make" | "keep" | "ensure" | "get")
        && words.len() <= 8
        && words.iter().any(|w| COMPARATIVES.contains(w)))
        || words
            .last()
            .is_some_and(|w| matches!(*w, "earlier" | "sooner" | "faster" | "quicker" | "better"));
    if (unbounded || comparative) && !measurable {
        return Some("\"better\" or \"more\" has no target; say what will exist when it is done");
    }
    if !measurable && words.len() <= 3 && !ACTION_VERBS.contains(&first) {
        return Some("it names a topic, not a change");
    }
    None
}

/// The owner written as the subject of the item: "Ed to create the docs", "Platform team
/// will rotate the keys", "@nova to renew the certificate". Not "We will ..." (no one in
/// particular) nor an imperative ("Add ...").
pub fn actor_in_text(text: &str) -> Option<&str> {
    let text = text.trim_start_matches(['*', '_', ' ']);
    let mut end = 0;
    for (i, word) in text.split_whitespace().take(5).enumerate() {
        let start = text[end..].find(word).map_or(end, |p| end + p);
        if i > 0 && matches!(word, "to" | "will") {
            let actor = text[..start].trim_end();
            let first = actor.split_whitespace().next()?;
            let capitalised = first.starts_with(|c: char| c.is_uppercase() || c == '@');
            let lower = first.to_lowercase();
            let imperative = ACTION_VERBS.contains(&lower.as_str())
                || THINKING
                    .iter()
                    .any(|t| t.split(' ').next() == Some(lower.as_str()));
            return (capitalised && !imperative && !matches!(lower.as_str(), "we" | "i" | "they"))
                .then_some(actor);
        }
        end = start + word.len();
    }
    None
}

/// Deliverables that describe intentions rather than changes to a system.
const SOFT_DELIVERABLES: &[&str] = &[
    "policy",
    "policies",
    "process",
    "processes",
    "strategy",
    "guidelines",
    "guidance",
    "culture",
    "mindset",
];

/// Adverbs of quality that set no criterion.
const QUALITY_ADVERBS: &[&str] = &[
    "effectively",
    "properly",
    "appropriately",
    "adequately",
    "sufficiently",
    "efficiently",
];

/// "ed to create the docs", "we will add alerts", "sre team to rotate keys": the actor
/// written before the action, which is judged on its own.
fn strip_actor(body: &str) -> &str {
    let mut offset = 0;
    for (i, word) in body.split_whitespace().take(5).enumerate() {
        let word_start = body[offset..].find(word).map_or(offset, |p| offset + p);
        offset = word_start + word.len();
        if i == 0 && (ACTION_VERBS.contains(&word) || THINKING.iter().any(|t| t.starts_with(word)))
        {
            return body;
        }
        if i > 0 && matches!(word, "to" | "will") {
            let rest = body[offset..].trim_start();
            // "we will need to …" stays a wish.
            return if rest.is_empty() { body } else { rest };
        }
    }
    body
}

/// The text with Markdown links whose label is prose (three words or more) reduced to
/// their label: they cite, they do not track.
fn without_prose_links(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("](") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|c| open + c) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|e| close + e) else {
            break;
        };
        let label = &rest[open + 1..close];
        out.push_str(&rest[..open]);
        if label.split_whitespace().count() >= 3 {
            out.push_str(label);
        } else {
            out.push_str(&rest[open..=end]);
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

// Bits of the phrase lists an action item is searched for.
const ATTITUDE: u8 = 1;
const HEDGE: u8 = 1 << 1;
const FURTHER: u8 = 1 << 2;
const OPEN_ENDED: u8 = 1 << 3;
const MEANS: u8 = 1 << 4;

/// The phrase lists that occur in `body` at word boundaries, as bits: one pass.
fn phrases_in(body: &str) -> u8 {
    fn word(b: u8) -> bool {
        b.is_ascii_alphanumeric() || b >= 0x80
    }
    static PHRASES: OnceLock<(Phrases, Vec<u8>)> = OnceLock::new();
    let (phrases, bits) = PHRASES.get_or_init(|| {
        let lists: [(&[&str], u8); 5] = [
            (ATTITUDES, ATTITUDE),
            (HEDGES, HEDGE),
            (&["investigate further", "look further"], FURTHER),
            (
                &["even more", "as much as possible", "where possible"],
                OPEN_ENDED,
            ),
            (&["with", "by"], MEANS),
        ];
        let mut patterns = Vec::new();
        let mut bits = Vec::new();
        for (phrases, bit) in lists {
            for phrase in phrases {
                patterns.push(*phrase);
                bits.push(bit);
            }
        }
        (Phrases::new(&patterns, word), bits)
    });
    let bytes = body.as_bytes();
    let mut found = 0;
    phrases.find(body, |f| {
        if bytes.get(f.end).is_none_or(|&b| !word(b)) {
            found |= bits[f.phrase];
        }
    });
    found
}

/// Lower case, without emphasis and code marks.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '*' | '_' | '`' => {}
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// "**Circuit breakers**: Add ..." → "add ..."; "[#2227]: Add ..." → "add ..."; "high include ..." → "include ...".
fn strip_label(plain: &str) -> &str {
    let mut body = plain.trim();
    if let Some(rest) = body.strip_prefix('[')
        && let Some(close) = rest.find(']')
    {
        body = rest[close + 1..].trim_start_matches(':').trim();
    }
    for priority in [
        "high ",
        "medium ",
        "low ",
        "critical ",
        "p0 ",
        "p1 ",
        "p2 ",
        "p3 ",
    ] {
        if let Some(rest) = body.strip_prefix(priority) {
            body = rest.trim();
        }
    }
    if let Some((label, rest)) = body.split_once(':')
        && label.split_whitespace().count() <= 5
        && !rest.trim().is_empty()
    {
        body = rest.trim();
    }
    body
}

/// Openings that state a need instead of an action.
const WISHES: &[&str] = &[
    "we need",
    "we should",
    "we must",
    "need to",
    "needs to",
    "should",
    "must",
    "it would be",
    "would be",
    "would like",
    "we want",
    "want to",
    "ideally",
    "hopefully",
    "let's",
    "lets",
];
/// Openings that ask for thought instead of change.
const THINKING: &[&str] = &[
    "consider",
    "think about",
    "reflect on",
    "reflect",
    "figure out",
    "look into",
    "investigate",
    "explore",
    "discuss",
    "brainstorm",
    "research",
    "understand",
    "learn",
    "find out",
    "find a way",
    "evaluate whether",
    "assess whether",
    "decide whether",
    "determine whether",
    "keep an eye",
    "keep track of",
    "watch",
    "follow up on",
    "follow up with",
    "keep in mind",
    "continue to",
    "try to",
    "try and",
    "work on",
    "review",
];
/// Asking people to behave better.
const ATTITUDES: &[&str] = &[
    "carefully",
    "diligently",
    "closely monitor",
    "be more careful",
    "be careful",
    "more careful",
    "be more vigilant",
    "be vigilant",
    "be aware",
    "more aware",
    "pay more attention",
    "pay attention",
    "remember to",
    "don't forget",
    "do not forget",
    "double-check",
    "double check",
    "take care",
    "be more diligent",
    "raise awareness",
    "educate",
    "be mindful",
];
/// Hedges.
const HEDGES: &[&str] = &[
    "likely",
    "probably",
    "might",
    "maybe",
    "perhaps",
    "possibly",
    "could be an option",
    "if possible",
    "if feasible",
    "somehow",
    "at some point",
    "eventually",
    "as needed",
    "when possible",
    "when we have time",
];
/// Openings that are a comparison with no target.
const UNBOUNDED: &[&str] = &[
    "expand",
    "broaden",
    "better",
    "more",
    "improved",
    "increased",
    "greater",
    "fewer",
    "less",
    "further",
    "additional",
    "improve",
    "enhance",
    "optimise",
    "optimize",
    "strengthen",
];
/// Comparatives that set no target on their own.
const COMPARATIVES: &[&str] = &[
    "safer",
    "faster",
    "easier",
    "better",
    "clearer",
    "simpler",
    "stronger",
    "smoother",
    "quicker",
    "cheaper",
    "more",
    "less",
    "robust",
    "reliable",
    "resilient",
    "visible",
];
/// Verbs that begin a specific change.
const ACTION_VERBS: &[&str] = &[
    "add",
    "create",
    "run",
    "update",
    "remove",
    "delete",
    "automate",
    "implement",
    "configure",
    "set",
    "enable",
    "disable",
    "migrate",
    "write",
    "document",
    "alert",
    "page",
    "require",
    "block",
    "rename",
    "pin",
    "limit",
    "deploy",
    "include",
    "introduce",
    "move",
    "replace",
    "upgrade",
    "downgrade",
    "split",
    "switch",
    "schedule",
    "rotate",
    "restrict",
    "publish",
    "backfill",
    "test",
    "validate",
    "verify",
    "audit",
    "fix",
    "raise",
    "lower",
    "reduce",
    "increase",
    "drop",
    "revert",
    "adding",
    "added",
    "implemented",
    "automated",
    "created",
    "updated",
    "removed",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wishes_and_actions() {
        for wish in [
            "Be more careful with migrations",
            "Improve monitoring",
            "Investigate further",
            "We need better visibility",
            "Operators should re-read the failover guide before each drill",
            "Always take a snapshot before resizing a volume",
            "Sam to write some docs about the cache",
            "Define a process for when to page the database team",
            "Tune the autoscaler properly",
            "We will broaden the coverage of our synthetic checks",
            "Watch [the upstream regression in the driver](https://example.com/org/repo/issues/7)",
            "Carefully review every schema change",
            "Tune the disk alerts to warn the team sooner",
            "We probably need a second replica",
        ] {
            assert!(vague(wish).is_some(), "{wish}");
        }
        for action in [
            "Add a CI step that fails on DROP COLUMN",
            "Adopt expand-contract migration policy",
            "Add migration linter that flags drops",
            "Update runbook",
            "[#2741]: Release process should include explicit beta test period",
            "Sam to add a CI step that rejects DROP COLUMN",
            "SRE team will rotate the leaked API keys",
            "Add a process step to the release checklist that verifies the AMI digest",
            "Extend the health check timeout to 30 seconds",
        ] {
            assert_eq!(vague(action), None, "{action}");
        }
    }

    #[test]
    fn owners_written_as_the_subject() {
        assert_eq!(actor_in_text("Ed to create some docs"), Some("Ed"));
        assert_eq!(
            actor_in_text("Platform team will rotate the keys"),
            Some("Platform team")
        );
        assert_eq!(
            actor_in_text("@nova to renew the certificate"),
            Some("@nova")
        );
        for none in [
            "We will expand monitoring",
            "Add a check to CI",
            "Migrate the queue to the new cluster",
            "Review access to production",
        ] {
            assert_eq!(actor_in_text(none), None, "{none}");
        }
    }

    #[test]
    fn tracker_references() {
        assert!(has_tracker_reference(
            "Automate deploys ([#11957](https://github.com/k/t/issues/11957))"
        ));
        assert!(has_tracker_reference("Pin the AMI (OPS-42)"));
        assert!(!has_tracker_reference("Add per-node CPU alerts at 80%"));
    }
}
