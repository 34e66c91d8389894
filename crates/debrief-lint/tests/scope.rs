//! What the blame rules read and what they leave alone: the narrative only, not front matter,
//! owner and due fields, code, quotes of logs or chat, or URLs; systems that fail are mechanisms.

use debrief_lint::{Category, Config, Options, lint};

fn blame(text: &str) -> Vec<(&'static str, u32)> {
    let config = Config::default();
    let linted = lint(text, &Options::new(&config, jiff::civil::date(2026, 1, 1)));
    linted
        .findings
        .iter()
        .filter(|f| f.category == Category::Blame)
        .map(|f| (f.diagnostic.rule.as_str(), f.diagnostic.span.line))
        .collect()
}

#[test]
fn only_the_narrative_is_read() {
    let text = "---\ntitle: Outage\nfacilitator: Priya Raman\nauthor: \"@jdoe\"\n---\n\
        # Postmortem: Outage, 2026-01-01\n\n## Root cause analysis\n\n\
        The script ran `sudo careless-cleanup --user priya` against production.\n\n\
        ```\nERROR: human error detected by operator Sam\n```\n\n\
        > 14:02 <priya> I think I fat-fingered the replica count\n\n\
        See https://example.com/blame/should-have-known for the log.\n\n\
        ## Action items\n\n- [ ] Require confirmation for production targets (owner: Priya, due: 2 weeks)\n\
        - Add a dry-run flag. Owner: @sam\n";
    assert_eq!(
        blame(text),
        vec![],
        "front matter, code, quotes, URLs and owner fields are not narrative"
    );
}

#[test]
fn systems_that_fail_are_mechanisms() {
    let text = "# Postmortem: Outage, 2026-01-01\n\n## Root cause analysis\n\n\
        The health check failed to detect the hung worker.\n\n\
        The deploy job did not wait for pods to drain.\n\n\
        We failed to verify the backup before the migration.\n";
    assert_eq!(blame(text), vec![("counterfactual", 9)]);
}

#[test]
fn mentions_and_denials_are_not_judgements() {
    let text = "# Postmortem: Outage, 2026-01-01\n\n## Root cause analysis\n\n\
        \u{201c}Human error\u{201d} is never a root cause.\n\n\
        This was not careless: the runbook described the old flag.\n\n\
        The cause was human error.\n";
    assert_eq!(blame(text), vec![("blame-language", 9)]);
}

#[test]
fn praise_names_a_person_too() {
    let found = blame(
        "# Postmortem: Outage, 2026-01-01\n\n## What went well\n\nThanks to Elena, the backups were restored.\n",
    );
    assert_eq!(found, vec![("named-individual", 5)]);
}

#[test]
fn attendee_lists_name_people_by_design() {
    let found =
        blame("# Postmortem: Outage, 2026-01-01\n\n## Attendees\n\n- Maria Lopez\n- Daniel Chen\n");
    assert_eq!(found, vec![]);
}

#[test]
fn a_review_meetings_record_names_who_took_part_but_is_still_judged_for_blame() {
    let text = "# Postmortem: Outage, 2026-01-01\n\n## Review meeting\n\n\
        ### Attendance\n\n- Maria Lopez (Dev), facilitator\n- Daniel Chen (Ops)\n\n\
        ### Contributing factors\n\n- **Change:** The retry budget was shared.\n\n\
        ### Reflections\n\n- **Daniel Chen:** I learned where the budget is set.\n\n\
        ### Decisions\n\n- The cause was human error.\n";
    // Its parts stay inside it: "### Contributing factors" is the record's, not a section.
    let read = debrief_core::read(text);
    assert_eq!(
        read.postmortem.sections.len(),
        1,
        "{:#?}",
        read.postmortem.sections
    );
    assert_eq!(blame(text), vec![("blame-language", 20)]);
}

#[test]
fn a_passage_is_judged_for_blame_on_its_own_with_its_own_positions() {
    let config = Config::default();
    let options = Options::new(&config, jiff::civil::date(2026, 1, 1));
    let passage = "The cache filled up.\nBob should have checked the limit before deploying.";
    let findings = debrief_lint::lint_passage(passage, &options);
    assert!(!findings.is_empty(), "the counterfactual about a person");
    for finding in &findings {
        assert_eq!(finding.category, Category::Blame);
        assert_eq!(finding.diagnostic.span.line, 2, "{finding:?}");
        assert!(passage[finding.range.clone()].contains("Bob") || finding.range.start >= 21);
    }
    assert!(
        debrief_lint::lint_passage("The health check did not fail over.", &options).is_empty(),
        "a system is a mechanism"
    );
    // A passage has no structure: no missing sections, no action items to judge.
    assert!(debrief_lint::lint_passage("Add monitoring.", &options).is_empty());
    assert!(debrief_lint::lint_passage("", &options).is_empty());
}

#[test]
fn an_action_item_drafted_alone_is_judged_as_in_the_document() {
    let config = Config::default();
    let options = Options::new(&config, jiff::civil::date(2026, 1, 1));
    let rules = |item: &str| -> Vec<&'static str> {
        debrief_lint::lint_action_item(item, &options)
            .iter()
            .map(|f| f.diagnostic.rule.as_str())
            .collect()
    };
    assert_eq!(
        rules(
            "Alert when the order queue is deeper than 10,000 for 5 minutes (owner: @sre, due: 2026-02-01)"
        ),
        Vec::<&str>::new()
    );
    assert!(
        rules("Be more careful with deploys (owner: @sre, due: 2026-02-01)")
            .contains(&"vague-action")
    );
    let unowned = rules("Alert when the order queue is deeper than 10,000");
    assert!(
        unowned.contains(&"missing-owner") && unowned.contains(&"missing-due"),
        "{unowned:?}"
    );
    assert!(
        rules("Rotate the signing key (owner: @security, due: 2025-06-01)").contains(&"overdue")
    );
}
