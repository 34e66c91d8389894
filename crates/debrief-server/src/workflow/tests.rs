//! The workflow's rules, called directly.

use super::*;

fn assignment(state: State, part: Part, other: bool, responder: bool) -> Result<(), String> {
    check_assignment(&AssignmentFacts {
        state,
        part,
        username: "dana",
        is_other_part: other,
        is_responder: responder,
    })
}

#[test]
fn assignments_keep_facilitator_scribe_and_responders_apart() {
    assert!(assignment(State::Draft, Part::Facilitator, false, false).is_ok());
    // A responder may record the meeting, not run it.
    assert!(assignment(State::InReview, Part::Scribe, false, true).is_ok());
    let responder = assignment(State::Draft, Part::Facilitator, false, true)
        .expect_err("a responder does not facilitate");
    assert!(responder.contains("dana cannot facilitate"), "{responder}");
    let both =
        assignment(State::Draft, Part::Scribe, true, false).expect_err("one person, one part");
    assert!(both.contains("two different people"), "{both}");
    let late =
        assignment(State::Published, Part::Scribe, false, false).expect_err("fixed once published");
    assert!(late.contains("is published"), "{late}");
    assert!(check_responder("dana", false).is_ok());
    assert!(check_responder("dana", true).is_err());
}

#[test]
fn restrictions_are_lifted_by_admins_only() {
    assert_eq!(check_restriction(false, false, false), Ok(None));
    assert_eq!(
        check_restriction(false, true, false),
        Ok(Some(RestrictionChange::Restrict))
    );
    assert!(check_restriction(true, false, false).is_err());
    assert_eq!(
        check_restriction(true, false, true),
        Ok(Some(RestrictionChange::Lift))
    );
}

#[test]
fn edits_contributions_and_closing_follow_the_state() {
    assert!(check_edit(State::Published).is_ok());
    assert!(check_edit(State::Closed).is_err());
    assert!(check_contribution(State::Reviewed).is_ok());
    assert!(check_contribution(State::Published).is_err());
    let read = debrief_core::read(
        "# Postmortem: X\n\n## Action items\n\n- [x] Add an alert (owner: A, due: 2026-07-01)\n",
    );
    let items: Vec<_> = read.postmortem.action_items().collect();
    assert!(closes(State::Published, items.iter().copied()));
    assert!(!closes(State::Reviewed, items.iter().copied()));
    assert!(!closes(State::Published, std::iter::empty()));
}

fn ready() -> Facts {
    Facts {
        facilitator: true,
        scribe: true,
        action_items: 2,
        ..Facts::default()
    }
}

#[test]
fn publishing_lists_everything_missing() {
    let facts = Facts {
        without_owner: 2,
        without_due: 1,
        blame_errors: 1,
        missing_roles: vec!["Product".into()],
        ..ready()
    };
    let refusal = check(State::Reviewed, State::Published, &facts).expect_err("refused");
    assert_eq!(
        refusal.message,
        "cannot publish: 1 blame finding of error severity remains in the narrative; \
         2 action items have no owner; 1 action item has no due date; \
         the Product role has not contributed"
    );
    assert_eq!(refusal.missing.len(), 4);
    assert!(check(State::Reviewed, State::Published, &ready()).is_ok());
}

#[test]
fn states_are_not_skipped() {
    let refusal = check(State::Draft, State::Published, &ready()).expect_err("refused");
    assert!(
        refusal
            .message
            .starts_with("cannot go from draft to published")
    );
    assert!(check(State::Reviewed, State::InReview, &Facts::default()).is_ok());
    assert!(check(State::Published, State::Reviewed, &ready()).is_err());
}

#[test]
fn review_needs_facilitator_and_scribe() {
    let refusal = check(State::Draft, State::InReview, &Facts::default()).expect_err("refused");
    assert_eq!(
        refusal.message,
        "cannot start the review: no facilitator is assigned; no scribe is assigned"
    );
}

#[test]
fn closing_needs_every_item_settled() {
    let facts = Facts {
        open_items: 1,
        ..ready()
    };
    assert!(check(State::Published, State::Closed, &facts).is_err());
    assert!(check(State::Published, State::Closed, &ready()).is_ok());
}

#[test]
fn rotation_prefers_the_function_then_the_person_least_recent() {
    let rotation: Vec<String> = vec!["Dev".into(), "Ops".into(), "Product".into()];
    let candidate = |name: &str, function: &str, last| Candidate {
        username: name.into(),
        function: function.into(),
        last_facilitated: last,
    };
    let candidates = [
        candidate("dana", "Dev", Some(300)),
        candidate("dev2", "Dev", None),
        candidate("olga", "Ops", Some(100)),
        candidate("pia", "Product", Some(200)),
        candidate("sam", "SRE", None),
    ];
    // Dev facilitated last at 300, Ops at 100, Product at 200: Ops first.
    let last = |f: &str| match f {
        "Dev" => Some(300),
        "Ops" => Some(100),
        _ => Some(200),
    };
    let ranked = rank_facilitators(&candidates, &rotation, &last);
    let names: Vec<&str> = ranked.iter().map(|r| r.username.as_str()).collect();
    assert_eq!(
        names,
        ["olga", "pia", "dev2", "dana"],
        "SRE is not in the rotation"
    );
    // A function that never facilitated beats every other; within it, ties by name.
    let never_product = |f: &str| if f == "Product" { None } else { Some(1) };
    assert_eq!(
        rank_facilitators(&candidates, &rotation, &never_product)[0].username,
        "pia"
    );
}
