//! The taxonomy of contributing factors, assigned to each postmortem from its own words.
//!
//! Each category has cue words, compared by stem. A word in the contributing factors or the
//! root cause counts twice, one in the summary or "what went badly" once; a category needs
//! two points, so one passing mention in the story does not decide it. The words that did
//! are kept and shown.

use crate::text::{Word, words};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The categories and their cue words, as people write them (stemmed when first used).
const CATEGORIES: [(&str, &[&str]); 10] = [
    (
        "change and deploy",
        &[
            "deploy",
            "deployment",
            "release",
            "rollout",
            "rollback",
            "migration",
            "upgrade",
            "merge",
            "revert",
            "reverted",
            "change",
            "changes",
            "patch",
            "version",
        ],
    ),
    (
        "configuration",
        &[
            "configuration",
            "config",
            "misconfiguration",
            "misconfigured",
            "setting",
            "settings",
            "flag",
            "parameter",
            "yaml",
            "value",
            "values",
            "default",
            "defaults",
        ],
    ),
    (
        "capacity",
        &[
            "capacity",
            "limit",
            "limits",
            "exhaustion",
            "exhausted",
            "starvation",
            "quota",
            "memory",
            "cpu",
            "disk",
            "saturation",
            "saturated",
            "overload",
            "overloaded",
            "throttling",
            "throttled",
            "scaling",
            "autoscaling",
        ],
    ),
    (
        "dependency",
        &[
            "dependency",
            "dependencies",
            "upstream",
            "downstream",
            "third-party",
            "vendor",
            "provider",
            "external",
            "aws",
            "azure",
            "gcp",
            "cloudflare",
            "saas",
        ],
    ),
    (
        "monitoring and alerting",
        &[
            "monitoring",
            "monitored",
            "alert",
            "alerts",
            "alerting",
            "alarm",
            "metrics",
            "metric",
            "dashboard",
            "observability",
            "logging",
            "logs",
            "exporter",
            "detection",
            "visibility",
            "paging",
        ],
    ),
    (
        "process",
        &[
            "process",
            "procedure",
            "review",
            "reviewed",
            "approval",
            "handover",
            "ownership",
            "checklist",
            "policy",
            "testing",
            "tested",
            "untested",
            "verification",
            "manual",
            "manually",
        ],
    ),
    (
        "documentation",
        &[
            "documentation",
            "documented",
            "undocumented",
            "runbook",
            "runbooks",
            "wiki",
            "readme",
            "playbook",
            "docs",
        ],
    ),
    (
        "tooling",
        &[
            "tool",
            "tools",
            "tooling",
            "script",
            "scripts",
            "automation",
            "automated",
            "pipeline",
            "terraform",
            "iac",
            "ci",
            "cli",
            "kubectl",
            "helm",
        ],
    ),
    (
        "communication",
        &[
            "communication",
            "communicated",
            "informed",
            "notification",
            "notified",
            "announcement",
            "stakeholders",
            "statuspage",
            "slack",
            "email",
            "escalation",
            "coordination",
        ],
    ),
    (
        "security",
        &[
            "security",
            "credential",
            "credentials",
            "secret",
            "secrets",
            "certificate",
            "certificates",
            "permission",
            "permissions",
            "iam",
            "vulnerability",
            "token",
            "tokens",
            "leak",
            "leaked",
            "rbac",
            "authentication",
        ],
    ),
];

/// The most words shown for one category.
const SHOWN_WORDS: usize = 6;

/// A category assigned to a postmortem, with the words that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assigned {
    /// The category.
    pub category: &'static str,
    /// Its points (two per word in the factors, one per word elsewhere).
    pub score: u32,
    /// The words, as written, most frequent first.
    pub words: Vec<String>,
}

/// The text a postmortem is classified from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sources<'a> {
    /// Contributing factors and root cause.
    pub factors: &'a str,
    /// Summary and what went badly.
    pub story: &'a str,
}

/// The categories of one postmortem, highest score first.
pub fn classify(sources: Sources<'_>) -> Vec<Assigned> {
    let cues = cues();
    // Per category: points, and per stem the written form and its count.
    let mut found: HashMap<usize, (u32, Vec<(String, u32)>)> = HashMap::new();
    let mut count = |list: Vec<Word<'_>>, points: u32| {
        for word in list {
            let Some(categories) = cues.get(&*word.stem) else {
                continue;
            };
            for &category in categories {
                let entry = found.entry(category).or_default();
                entry.0 += points;
                let written = word.written.to_lowercase();
                match entry.1.iter_mut().find(|(w, _)| *w == written) {
                    Some((_, n)) => *n += 1,
                    None => entry.1.push((written, 1)),
                }
            }
        }
    };
    count(words(sources.factors), 2);
    count(words(sources.story), 1);
    let mut assigned: Vec<Assigned> = found
        .into_iter()
        .filter(|(_, (score, _))| *score >= 2)
        .map(|(category, (score, mut seen))| {
            seen.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            Assigned {
                category: CATEGORIES[category].0,
                score,
                words: seen.into_iter().take(SHOWN_WORDS).map(|(w, _)| w).collect(),
            }
        })
        .collect();
    assigned.sort_by(|a, b| b.score.cmp(&a.score).then(a.category.cmp(b.category)));
    assigned
}

/// Every category's name, in the taxonomy's order.
pub fn categories() -> impl Iterator<Item = &'static str> {
    CATEGORIES.iter().map(|(name, _)| *name)
}

/// Stem → the categories it is a cue of.
fn cues() -> &'static HashMap<String, Vec<usize>> {
    static CUES: OnceLock<HashMap<String, Vec<usize>>> = OnceLock::new();
    CUES.get_or_init(|| {
        let mut cues: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (_, list)) in CATEGORIES.iter().enumerate() {
            for cue in *list {
                for word in words(cue) {
                    let categories = cues.entry(word.stem.to_string()).or_default();
                    if !categories.contains(&i) {
                        categories.push(i);
                    }
                }
            }
        }
        cues
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_come_with_their_words() {
        let assigned = classify(Sources {
            factors: "- No monitoring of subnet capacity.\n- The IP address limit was reached when the cluster scaled.",
            story: "The load balancer could not scale.",
        });
        let names: Vec<&str> = assigned.iter().map(|a| a.category).collect();
        assert_eq!(names, ["capacity", "monitoring and alerting"]);
        for word in ["capacity", "limit", "scaled", "scale"] {
            assert!(
                assigned[0].words.iter().any(|w| w == word),
                "{word}: {assigned:?}"
            );
        }
    }

    #[test]
    fn one_passing_mention_in_the_story_decides_nothing() {
        assert!(
            classify(Sources {
                factors: "",
                story: "The on-call engineer checked the dashboard."
            })
            .is_empty()
        );
    }
}
