//! Blame decided by grammar: who the subject is, what is said of them, and whether a
//! counterfactual is about a person or a mechanism. The sentences are written here, in the
//! spirit of real postmortems; none is copied from the corpus.

use debrief_lint::{Category, Config, Options, lint};

/// Whether the one sentence is flagged as blame, and by which rules.
fn rules(sentence: &str) -> Vec<&'static str> {
    let text =
        format!("# Postmortem: Outage, 2026-01-01\n\n## Root cause analysis\n\n{sentence}\n");
    let config = Config::default();
    let linted = lint(&text, &Options::new(&config, jiff::civil::date(2026, 1, 1)));
    linted
        .findings
        .iter()
        .filter(|f| f.category == Category::Blame)
        .map(|f| f.diagnostic.rule.as_str())
        .collect()
}

fn flagged(sentence: &str) -> bool {
    !rules(sentence).is_empty()
}

#[test]
fn a_mechanism_that_would_have_acted_is_not_blame() {
    for ok in [
        "A canary stage would have caught the bad build within minutes.",
        "This check would have detected the drift before the rollout.",
        "The retry budget could have absorbed a shorter spike.",
        "It took four hours to restore a service that could have been restored in one.",
        // A relative clause naming people describes the subject; it is not the subject.
        "Dashboards that relied on user sessions would have shown gaps.",
        // A state, and a mechanism named as the agent, are no hidden person.
        "It should not have been possible for one account to publish that many packages.",
        "Queued jobs should have been automatically retried by the scheduler.",
        // What happened to people is no duty left undone.
        "We did not receive any alert from the exporter.",
        "We didn't learn much from the first outage.",
    ] {
        assert!(!flagged(ok), "{ok}: {:?}", rules(ok));
    }
    for flag in [
        "We should have rolled back sooner.",
        "The reviewer could have spotted the typo in the manifest.",
        "This should have been caught in code review.",
        "Asking the storage team first would have saved an hour.",
        "If the limit was raised before the sale, the queue wouldn't have overflowed.",
        "Anyone who should have reviewed the change was on leave.",
        "The operator who ran the script should have checked the target first.",
    ] {
        assert!(flagged(flag), "{flag}");
    }
}

#[test]
fn people_judged_by_what_is_said_of_them() {
    for flag in [
        "We were overconfident about the migration plan.",
        "Disabling the alert was the wrong call.",
        "The release was delayed by our failure to update the runbook.",
        "We saw the disk filling up, but did not keep a close eye on it.",
        "An accidental deletion of the namespace removed every pod.",
        "She accidentally deleted the namespace.",
    ] {
        assert!(flagged(flag), "{flag}");
    }
    for ok in [
        "The config map was accidentally reverted by the sync job.",
        "Because the canary passed, we never encountered errors in staging.",
        "The graph was close enough to the threshold to page.",
    ] {
        assert!(!flagged(ok), "{ok}: {:?}", rules(ok));
    }
}

#[test]
fn names_in_any_position() {
    for flag in [
        "Marta and Jonas restart the workers.",
        "Oskar quickly jumped in to rebuild the index.",
        "JD and KL reviewed the change.",
        "Joe is paged.",
        "`@priya` confirms the rollback",
        "TB noticed the queue growing.",
        "The regression was caught by Marta within minutes.",
    ] {
        assert!(
            rules(flag).contains(&"named-individual"),
            "{flag}: {:?}",
            rules(flag)
        );
    }
}

#[test]
fn bylines_credits_and_bot_commands_are_not_narrative() {
    for ok in [
        "Created By: Benjamin Elder",
        "Written by Priya Raman.",
        "The vulnerability was reported by Jonas Keller, a security researcher.",
        "We thank Marta Silva for responsibly disclosing the issue.",
        "/assign @nova",
    ] {
        assert!(!flagged(ok), "{ok}: {:?}", rules(ok));
    }
    for flag in [
        "The rollback was started by Jonas Keller.",
        "Thanks to Elena for the quick fix.",
    ] {
        assert!(flagged(flag), "{flag}");
    }
}

#[test]
fn a_rewrite_is_offered_only_where_it_stays_a_sentence() {
    let config = Config::from_toml("[roster]\n\"Priya Raman\" = \"the database engineer\"\n")
        .expect("valid configuration");
    let fixes = |sentence: &str| -> Vec<String> {
        let text = format!("# Postmortem: Outage, 2026-01-01\n\n## Summary\n\n{sentence}\n");
        lint(&text, &Options::new(&config, jiff::civil::date(2026, 1, 1)))
            .findings
            .into_iter()
            .filter(|f| f.diagnostic.rule.as_str() == "named-individual")
            .filter_map(|f| f.fix)
            .collect()
    };
    assert_eq!(
        fixes("Priya Raman restarted the primary."),
        ["The database engineer"]
    );
    assert!(fixes("Great job Priya Raman!").is_empty());
}

#[test]
fn a_name_with_particles_is_one_name_and_acronyms_are_not_initials() {
    let config = Config::default();
    let named = |sentence: &str| -> Vec<String> {
        let text = format!("# Postmortem: Outage, 2026-01-01\n\n## Summary\n\n{sentence}\n");
        let linted = lint(&text, &Options::new(&config, jiff::civil::date(2026, 1, 1)));
        linted
            .findings
            .iter()
            .filter(|f| f.diagnostic.rule.as_str() == "named-individual")
            .map(|f| linted.text[f.range.clone()].to_string())
            .collect()
    };
    assert_eq!(
        named("Maria de la Cruz pushed a fix."),
        ["Maria de la Cruz"]
    );
    for ok in [
        "CI reviewed nothing: the job was skipped.",
        "AWS noticed the abuse report first.",
        "The DNS and CDN caches disagreed.",
    ] {
        assert!(named(ok).is_empty(), "{ok}: {:?}", named(ok));
    }
}

#[test]
fn culprit_questions_local_rationality_and_evidence() {
    for flag in [
        "Whose change broke the build?",
        "Who approved the deploy?",
        "The reviewer thought the same.",
        "She deleted the config by mistake.",
        "Clearly, the cache was the cause.",
        "Clearly the retry loop was wrong.",
        "Any reasonable engineer would have checked the replica first.",
    ] {
        assert!(flagged(flag), "{flag}");
    }
    for ok in [
        "Who responded to the incident, and what obstacles did they encounter?",
        "The engineer thought the job was idempotent.",
        "The on-call engineer believed that the replica had caught up.",
        "The spike is clearly visible in the graph.",
        "The config was deleted by mistake during the sync.",
        // Manner, not hindsight: a verb qualified, a speed.
        "Clearly state the motivation for each schema change.",
        "The upload could not finish with any reasonable speed over that link.",
    ] {
        assert!(!flagged(ok), "{ok}: {:?}", rules(ok));
    }
}
