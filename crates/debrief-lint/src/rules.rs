//! Every rule, once: its id, category, default severity and documentation. `debrief explain`,
//! the rules reference, SARIF's `rules[]` and the editor integration are generated from this
//! table; the checks that emit each rule live in `blame.rs`, `actions.rs`, `structure.rs` and
//! (for what the reader reports) `debrief-core`.

use debrief_core::{RuleId, Severity};
use serde::Serialize;

/// What a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Blame, judgement, counterfactuals, named individuals, hindsight.
    Blame,
    /// Action items that are wishes, unowned, undated or overdue.
    ActionItem,
    /// Missing sections, unquantified impact, timelines that cannot be measured.
    Structure,
}

impl Category {
    /// The name used in output.
    pub fn name(self) -> &'static str {
        match self {
            Category::Blame => "blame",
            Category::ActionItem => "action-item",
            Category::Structure => "structure",
        }
    }
}

/// One rule.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Rule {
    /// Its identity; its id is used in configuration and suppression comments.
    pub id: RuleId,
    /// What it is about.
    pub category: Category,
    /// Severity unless configured otherwise.
    pub severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// Why it matters and what to do instead.
    pub description: &'static str,
    /// Text the rule reports.
    pub bad: &'static str,
    /// The same written so that it does not.
    pub good: &'static str,
}

/// Every rule, in the order `debrief explain` lists them.
pub const RULES: &[Rule] = &[
    Rule {
        id: RuleId::NamedIndividual,
        category: Category::Blame,
        severity: Severity::Warning,
        summary: "A person is named in the narrative",
        description: "A postmortem asks what about the system made the incident possible, not who did \
            what. Names (and @handles) turn the reader's attention to individuals, and praise is no \
            exception: \"Priya saved us\" implies that someone else would not have. Write the role \
            instead: the on-call engineer, the deploying team, the reviewer. Names in owner fields, \
            front matter and attendee lists are not reported; a roster in debrief.toml maps names to \
            the roles `--fix` writes.",
        bad: "Priya noticed the error rate and rolled back.",
        good: "The on-call engineer noticed the error rate and rolled back.",
    },
    Rule {
        id: RuleId::BlameLanguage,
        category: Category::Blame,
        severity: Severity::Error,
        summary: "Blame or judgement of people",
        description: "\"Human error\", \"careless\", \"sloppy\", \"lazy\", \"a typo\", \"wrongly assumed\" \
            end the analysis where it should begin: with the conditions that made the action \
            reasonable at the time and the mistake possible. Describe what happened and what in the \
            system allowed it. Self-blame counts too. Words in quotation marks are mentions and are \
            not reported.",
        bad: "Human error: the operator carelessly ran the script against production.",
        good: "The script accepted production as a target without confirmation.",
    },
    Rule {
        id: RuleId::Counterfactual,
        category: Category::Blame,
        severity: Severity::Warning,
        summary: "A counterfactual about what people should have done",
        description: "\"Should have\", \"could have\", \"failed to\", \"forgot to\", \"if we had\" describe \
            a world that did not happen and judge people against it with hindsight. Describe what \
            did happen and why it made sense then. A system that \"failed to\" do something is a \
            mechanism and is not reported.",
        bad: "The reviewer should have caught the missing index.",
        good: "Review had no check for queries without an index.",
    },
    Rule {
        id: RuleId::WhoQuestion,
        category: Category::Blame,
        severity: Severity::Warning,
        summary: "A question about who, or why a person acted",
        description: "\"Who missed this step?\" looks for a culprit; \"How was this step missed?\" looks \
            for the gap. \"Why did Sam deploy on Friday?\" becomes \"What made deploying on Friday \
            possible?\". `--fix` rewrites simple who-questions.",
        bad: "Who missed this step?",
        good: "How was this step missed?",
    },
    Rule {
        id: RuleId::Hindsight,
        category: Category::Blame,
        severity: Severity::Warning,
        summary: "Hindsight: it was obvious, clearly, simply",
        description: "What is obvious now was not obvious during the incident; saying so implies the \
            responders should have seen it. Describe what the responders could see at the time.",
        bad: "The cause was obviously the new cache configuration.",
        good: "The cache configuration had changed ten minutes earlier; the dashboards did not show it.",
    },
    Rule {
        id: RuleId::VagueAction,
        category: Category::ActionItem,
        severity: Severity::Warning,
        summary: "An action item that is a wish, not an action",
        description: "\"Be more careful\", \"Improve monitoring\", \"Investigate further\", \"We need \
            better visibility\" cannot be done, checked or closed. Write a specific, bounded change \
            that someone can finish: a verb, an object and when it is done.",
        bad: "- [ ] Be more careful with migrations",
        good: "- [ ] Add a CI step that fails on DROP COLUMN (owner: Platform, due: 2 weeks)",
    },
    Rule {
        id: RuleId::MissingOwner,
        category: Category::ActionItem,
        severity: Severity::Error,
        summary: "An action item without an owner",
        description: "Work without an owner is not done. Name a team or role in `(owner: ...)`.",
        bad: "- [ ] Add a CI step that fails on DROP COLUMN",
        good: "- [ ] Add a CI step that fails on DROP COLUMN (owner: Platform, due: 2 weeks)",
    },
    Rule {
        id: RuleId::MissingDue,
        category: Category::ActionItem,
        severity: Severity::Error,
        summary: "An action item without a due date",
        description: "A date, or a span such as `2 weeks` counted from the postmortem's date, in \
            `(due: ...)`.",
        bad: "- [ ] Add a CI step that fails on DROP COLUMN (owner: Platform)",
        good: "- [ ] Add a CI step that fails on DROP COLUMN (owner: Platform, due: 2 weeks)",
    },
    Rule {
        id: RuleId::Overdue,
        category: Category::ActionItem,
        severity: Severity::Warning,
        summary: "An open action item past its due date",
        description: "Compared with `--today` (today by default). Finish it, or move the date and say why.",
        bad: "- [ ] Rotate the TLS certificates (owner: SRE, due: 2020-01-31)",
        good: "- [x] Rotate the TLS certificates (owner: SRE, due: 2020-01-31)",
    },
    Rule {
        id: RuleId::UntrackedAction,
        category: Category::ActionItem,
        severity: Severity::Warning,
        summary: "An action item with no tracker reference",
        description: "Reported only when debrief.toml sets `require_tracker = true`: action items kept \
            only in a document are forgotten. Add `tracker: OPS-123` or an issue URL.",
        bad: "- [ ] Alert on replication lag (owner: DBA, due: 2 weeks)",
        good: "- [ ] Alert on replication lag (owner: DBA, due: 2 weeks, tracker: OPS-123)",
    },
    Rule {
        id: RuleId::MissingSection,
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "A required section is missing",
        description: "By default a postmortem has a summary, an impact, a timeline, a root cause \
            analysis (or contributing factors) and action items; debrief.toml's `required_sections` \
            changes the list.",
        bad: "# Postmortem: Outage\n\n## Timeline\n...",
        good: "# Postmortem: Outage\n\n## Summary\n...\n## Impact\n...",
    },
    Rule {
        id: RuleId::UnquantifiedImpact,
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "The impact states no quantity",
        description: "Say how much: requests failed, customers affected, money, complaints, duration.",
        bad: "## Impact\n\nSome customers could not check out.",
        good: "## Impact\n\n- 4,812 failed checkouts over 23 minutes",
    },
    Rule {
        id: RuleId::TimelineOrder,
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "Timeline entries out of order",
        description: "An entry earlier than the one before it is usually a wrong date or time zone.",
        bad: "- 14:05 Alert fires\n- 14:02 Deploy starts",
        good: "- 14:02 Deploy starts\n- 14:05 Alert fires",
    },
    Rule {
        id: RuleId::NoDetection,
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "The timeline has no detection",
        description: "Without a detection time there is no time to detect. Mark the entry with \
            `[detected]` if its wording does not say so.",
        bad: "- 14:02 Deploy starts\n- 14:25 Rolled back",
        good: "- 14:02 Deploy starts\n- 14:05 [detected] Error rate alert fires\n- 14:25 Rolled back",
    },
    Rule {
        id: RuleId::NoTimezone,
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "The timeline does not say its time zone",
        description: "Write it in the heading (`## Timeline (UTC)`), in front matter (`timezone: CET`) or \
            in a line such as \"All times in UTC\".",
        bad: "## Timeline\n\n- 14:02 Deploy starts",
        good: "## Timeline (UTC)\n\n- 14:02 Deploy starts",
    },
    Rule {
        id: RuleId::NoActionItems,
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "No action items",
        description: "A postmortem without follow-up work changes nothing.",
        bad: "## Action items\n\nNone.",
        good: "## Action items\n\n- [ ] Alert on replication lag (owner: DBA, due: 2 weeks)",
    },
    Rule {
        id: RuleId::UnparsedTimelineEntry,
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "A timeline item without a readable time",
        description: "Reported by the reader; the item is kept as text and not measured.",
        bad: "- sometime later: cache warmed",
        good: "- 14:40 Cache warmed",
    },
    Rule {
        id: RuleId::MilestoneOrder,
        category: Category::Structure,
        severity: Severity::Error,
        summary: "Milestones out of order",
        description: "Reported by the reader: milestones follow started, detected, acknowledged, \
            mitigated, resolved; the affected figures are left unknown rather than negative.",
        bad: "- 14:10 [resolved] All clear\n- 14:20 [detected] Alert fires",
        good: "- 14:10 [detected] Alert fires\n- 14:20 [resolved] All clear",
    },
    Rule {
        id: RuleId::InvalidFrontMatter,
        category: Category::Structure,
        severity: Severity::Error,
        summary: "Front matter that cannot be read",
        description: "Reported by the reader, with the position of the YAML or TOML error.",
        bad: "---\ntitle: [unclosed\n---",
        good: "---\ntitle: \"[closed]\"\n---",
    },
    Rule {
        id: RuleId::InvalidDueDate,
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "A due date that is not a date",
        description: "Reported by the reader: use a date (2026-07-01) or a span (2 weeks).",
        bad: "(owner: SRE, due: soonish)",
        good: "(owner: SRE, due: 2 weeks)",
    },
    Rule {
        id: RuleId::MissingTitle,
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "No title",
        description: "Reported by the reader: add `# Postmortem: <title>, <date>` or `title:` in front matter.",
        bad: "## Summary",
        good: "# Postmortem: Checkout 500 errors, 2026-06-14",
    },
    Rule {
        id: RuleId::TimelineEntryWithoutTime,
        category: Category::Structure,
        severity: Severity::Info,
        summary: "A timeline entry with a day and no time",
        description: "Reported by the reader: the entry is kept at day precision, shown as its day, and \
            no milestone is inferred from it, since a day cannot say which minute impact began or ended.",
        bad: "| 2024-11-05 | | Follow-up review held |",
        good: "| 2024-11-05 | 10:00 | Follow-up review held |",
    },
    Rule {
        id: RuleId::TimelineDateAhead,
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "An entry dated days after the entries on both sides of it",
        description: "Reported by the reader: the date is most likely a typo; the entry is passed over \
            when milestones are placed. Correct the date.",
        bad: "- 2024-03-08 10:00 Alert fires\n- 2024-03-18 10:05 On-call paged\n- 2024-03-08 10:20 Rollback",
        good: "- 2024-03-08 10:00 Alert fires\n- 2024-03-08 10:05 On-call paged\n- 2024-03-08 10:20 Rollback",
    },
    Rule {
        id: RuleId::TimelineDateBackwards,
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "An entry dated weeks before the entries above it and the postmortem",
        description: "Reported by the reader, which reads the entry on the date around it and says so. \
            Correct the date.",
        bad: "date: 2024-03-08\n\n- 2024-03-08 10:00 Alert fires\n- 2024-02-08 10:20 Rollback",
        good: "date: 2024-03-08\n\n- 2024-03-08 10:00 Alert fires\n- 2024-03-08 10:20 Rollback",
    },
    Rule {
        id: RuleId::TimelineDateNotAdvanced,
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "An entry earlier than the one above it on the same date",
        description: "Reported by the reader: a timeline that crosses midnight under one date tag is read \
            on the next day. Write the new date.",
        bad: "- Mar 8 23:50 Queue stalls\n- Mar 8 00:10 Queue drains",
        good: "- Mar 8 23:50 Queue stalls\n- Mar 9 00:10 Queue drains",
    },
    Rule {
        id: RuleId::TimelineDateFromText,
        category: Category::Structure,
        severity: Severity::Info,
        summary: "Timeline entries dated by the text above them",
        description: "Reported by the reader: the entries give times alone, and the text above the \
            timeline names a different day than the postmortem's date, so they are read on that day.",
        bad: "date: 2024-03-09\n\nOn the night of March 8 the queue stalled.\n\n- 21:10 Queue stops",
        good: "- 2024-03-08 21:10 Queue stops",
    },
    Rule {
        id: RuleId::TimelineYearTypo,
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "A year with a digit too many",
        description: "Reported by the reader, which reads the year the postmortem's date suggests.",
        bad: "- 20224-03-08 10:00 Alert fires",
        good: "- 2024-03-08 10:00 Alert fires",
    },
    Rule {
        id: RuleId::TimelineZoneFromText,
        category: Category::Structure,
        severity: Severity::Info,
        summary: "Times read in the zone the text writes them in",
        description: "Reported by the reader: the timeline states no zone, and the text writes its times \
            in one, so the entries are read in it. State the zone in the timeline's heading.",
        bad: "The queue stalled at 9.10 PM PST.\n\n## Timeline\n\n- 21:10 Queue stops",
        good: "## Timeline (PST)\n\n- 21:10 Queue stops",
    },
];

/// The rule with this id.
pub fn rule(id: RuleId) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The category of a rule's findings; a diagnostic of the reader that no rule documents is
/// about the document's structure.
pub fn category_of(id: RuleId) -> Category {
    rule(id).map_or(Category::Structure, |r| r.category)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule the checks report under that this table does not document could not be
    /// explained, configured or indexed in SARIF.
    #[test]
    fn every_rule_is_documented_once() {
        for id in RuleId::ALL {
            assert_eq!(
                RULES.iter().filter(|r| r.id == *id).count(),
                1,
                "{id} must be in RULES once"
            );
        }
        assert_eq!(RULES.len(), RuleId::ALL.len());
    }
}
