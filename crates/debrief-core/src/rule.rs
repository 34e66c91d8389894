//! Every rule debrief reports under, the reader's and the linter's, as one enum: a check
//! names its rule by a variant, so a misspelt id is a compile error instead of findings
//! filed under a rule nobody documents or configures. The linter's table of rules
//! (`debrief_lint::RULES`) documents every variant; a test holds it to that.

use serde::{Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;

macro_rules! rules {
    ($($(#[$doc:meta])* $variant:ident = $id:literal,)*) => {
        /// A rule's identity. Written as its id (`blame-language`) in output, configuration
        /// and suppression comments.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RuleId {
            $($(#[$doc])* $variant,)*
        }

        impl RuleId {
            /// Every rule.
            pub const ALL: &[RuleId] = &[$(RuleId::$variant,)*];

            /// The rule's id: `blame-language`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id,)*
                }
            }
        }
    };
}

rules! {
    /// A person named in the narrative.
    NamedIndividual = "named-individual",
    /// Blame or judgement of people.
    BlameLanguage = "blame-language",
    /// What people should have done.
    Counterfactual = "counterfactual",
    /// A question about who rather than what.
    WhoQuestion = "who-question",
    /// Hindsight: the outcome read back into the past.
    Hindsight = "hindsight",
    /// An action item that is a wish.
    VagueAction = "vague-action",
    /// An action item without an owner.
    MissingOwner = "missing-owner",
    /// An action item without a due date.
    MissingDue = "missing-due",
    /// An action item past its due date.
    Overdue = "overdue",
    /// An action item not tracked in an issue tracker.
    UntrackedAction = "untracked-action",
    /// A section the template asks for is missing.
    MissingSection = "missing-section",
    /// Impact without a number.
    UnquantifiedImpact = "unquantified-impact",
    /// Timeline entries out of order.
    TimelineOrder = "timeline-order",
    /// No detection on the timeline.
    NoDetection = "no-detection",
    /// The timeline's zone is not stated.
    NoTimezone = "no-timezone",
    /// No action items.
    NoActionItems = "no-action-items",
    /// A timeline item without a readable time.
    UnparsedTimelineEntry = "unparsed-timeline-entry",
    /// Milestones marked out of order.
    MilestoneOrder = "milestone-order",
    /// Front matter that cannot be read.
    InvalidFrontMatter = "invalid-front-matter",
    /// A due date that is not a date.
    InvalidDueDate = "invalid-due-date",
    /// No title.
    MissingTitle = "missing-title",
    /// A timeline entry with a day and no time.
    TimelineEntryWithoutTime = "timeline-entry-without-time",
    /// An entry's date days after its neighbours'.
    TimelineDateAhead = "timeline-date-ahead",
    /// An entry's date before the entries above it.
    TimelineDateBackwards = "timeline-date-backwards",
    /// An entry earlier than the one above it on the same date.
    TimelineDateNotAdvanced = "timeline-date-not-advanced",
    /// Entries dated by the text above the timeline.
    TimelineDateFromText = "timeline-date-from-text",
    /// A year with a digit too many.
    TimelineYearTypo = "timeline-year-typo",
    /// Times read in the zone the text writes them in.
    TimelineZoneFromText = "timeline-zone-from-text",
}

impl RuleId {
    /// The rule with this id.
    pub fn parse(id: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|r| r.as_str() == id)
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Rules sort by their ids, so that output ordered by rule reads alphabetically.
impl Ord for RuleId {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for RuleId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::RuleId;

    #[test]
    fn ids_are_unique_and_parse_back() {
        for rule in RuleId::ALL {
            assert_eq!(RuleId::parse(rule.as_str()), Some(*rule));
        }
        let mut ids: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RuleId::ALL.len());
    }
}
