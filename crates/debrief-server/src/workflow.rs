//! The review workflow, as rules over facts: which state may follow which, what each gate
//! requires, and whom to suggest as facilitator. No database here: the store gathers the
//! facts and applies the answer, so the rules read (and are tested) on their own.

use serde::Serialize;

pub use debrief_wire::api::{Assignment, Ranked, State};

/// Whether the workflow allows going from `from` to `to` at all: one step forward, or one
/// step back before publishing (a review that needs more work).
pub fn may_become(from: State, to: State) -> bool {
    use State::*;
    matches!(
        (from, to),
        (Draft, InReview)
            | (InReview, Reviewed)
            | (Reviewed, Published)
            | (Published, Closed)
            | (InReview, Draft)
            | (Reviewed, InReview)
    )
}

/// The verb a refusal of a step to `to` starts with: "cannot publish".
fn verb(to: State) -> &'static str {
    match to {
        State::Draft => "return to draft",
        State::InReview => "start the review",
        State::Reviewed => "mark as reviewed",
        State::Published => "publish",
        State::Closed => "close",
    }
}

/// Facilitator and scribe, due the assignment window after resolution (after creation
/// when the resolution is unknown), overdue when past that and not both assigned.
pub fn assignment(
    settings: &Settings,
    now: i64,
    created_at: i64,
    resolved_at: Option<i64>,
    facilitator: Option<String>,
    scribe: Option<String>,
) -> Assignment {
    let due_at = resolved_at.unwrap_or(created_at) + settings.assignment_window_s;
    let overdue = (facilitator.is_none() || scribe.is_none()) && now > due_at;
    Assignment {
        facilitator,
        scribe,
        resolved_at,
        due_at,
        overdue,
    }
}

/// The workflow's settings: `[server]` in `debrief.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Functions that must have contributed before publishing.
    pub required_roles: Vec<String>,
    /// Functions the facilitator rotates across, in order of preference on a tie.
    pub rotation: Vec<String>,
    /// Seconds after the incident's resolution by which facilitator and scribe are due.
    pub assignment_window_s: i64,
    /// The categories of the review meeting's contributing factors, in the order the board
    /// and the fishbone diagram show them.
    pub factor_categories: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            required_roles: vec!["Dev".into(), "Product".into(), "SRE".into()],
            rotation: vec!["Dev".into(), "Ops".into(), "Product".into()],
            assignment_window_s: 48 * 3600,
            factor_categories: crate::meeting::DEFAULT_FACTOR_CATEGORIES
                .iter()
                .map(|c| c.to_string())
                .collect(),
        }
    }
}

/// What the gates look at, gathered by the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// A facilitator is assigned.
    pub facilitator: bool,
    /// A scribe is assigned.
    pub scribe: bool,
    /// Action items in the document.
    pub action_items: usize,
    /// Action items with no owner.
    pub without_owner: usize,
    /// Action items with no due date.
    pub without_due: usize,
    /// Action items neither done nor declined.
    pub open_items: usize,
    /// Blame findings of error severity in the narrative.
    pub blame_errors: usize,
    /// Required functions that have not contributed yet.
    pub missing_roles: Vec<String>,
}

/// A transition the workflow refused, with everything that is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// One sentence: "cannot publish: 2 action items have no owner; the Product role has not
    /// contributed".
    pub message: String,
    /// Each missing thing on its own.
    pub missing: Vec<String>,
}

/// Checks a transition from `from` to `to` against the facts.
pub fn check(from: State, to: State, facts: &Facts) -> Result<(), Refusal> {
    if from == to {
        return Err(Refusal {
            message: format!("the postmortem is already {}", to.as_str()),
            missing: Vec::new(),
        });
    }
    if !may_become(from, to) {
        let path: Vec<&str> = State::ALL.iter().map(|s| s.as_str()).collect();
        return Err(Refusal {
            message: format!(
                "cannot go from {} to {}: the workflow is {}",
                from.as_str(),
                to.as_str(),
                path.join(" → ")
            ),
            missing: Vec::new(),
        });
    }
    let mut missing = Vec::new();
    let backwards = to < from;
    if !backwards && to >= State::InReview {
        if !facts.facilitator {
            missing.push("no facilitator is assigned".to_string());
        }
        if !facts.scribe {
            missing.push("no scribe is assigned".to_string());
        }
    }
    if !backwards && to >= State::Reviewed && facts.action_items == 0 {
        missing.push("the review has recorded no action items".to_string());
    }
    if to == State::Published {
        if facts.blame_errors > 0 {
            missing.push(count(
                facts.blame_errors,
                "blame finding of error severity remains in the narrative",
                "blame findings of error severity remain in the narrative",
            ));
        }
        if facts.without_owner > 0 {
            missing.push(count(
                facts.without_owner,
                "action item has no owner",
                "action items have no owner",
            ));
        }
        if facts.without_due > 0 {
            missing.push(count(
                facts.without_due,
                "action item has no due date",
                "action items have no due date",
            ));
        }
        for role in &facts.missing_roles {
            missing.push(format!("the {role} role has not contributed"));
        }
    }
    if to == State::Closed && facts.open_items > 0 {
        missing.push(count(
            facts.open_items,
            "action item is neither done nor declined",
            "action items are neither done nor declined",
        ));
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Refusal {
            message: format!("cannot {}: {}", verb(to), missing.join("; ")),
            missing,
        })
    }
}

/// Which assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Runs the review meeting.
    Facilitator,
    /// Records its decisions.
    Scribe,
}

impl Part {
    /// The part's name, as the history and the API write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Facilitator => "facilitator",
            Part::Scribe => "scribe",
        }
    }
}

/// What an assignment is checked against, read in the transaction that makes it.
#[derive(Debug, Clone, Copy)]
pub struct AssignmentFacts<'a> {
    /// The postmortem's state.
    pub state: State,
    /// The part being assigned.
    pub part: Part,
    /// Who is named for it.
    pub username: &'a str,
    /// They hold the other part already.
    pub is_other_part: bool,
    /// They responded to the incident.
    pub is_responder: bool,
}

/// Checks an assignment: facilitator and scribe no longer change once published; they are
/// two different people; the facilitator is not one of the responders (someone who was not
/// in the incident asks the questions). The error is the reason, for the person assigning.
pub fn check_assignment(facts: &AssignmentFacts<'_>) -> Result<(), String> {
    let AssignmentFacts {
        state,
        part,
        username,
        ..
    } = *facts;
    if state >= State::Published {
        return Err(format!(
            "the postmortem is {}: its facilitator and scribe no longer change",
            state.as_str()
        ));
    }
    if facts.is_other_part {
        return Err(format!(
            "{username} cannot be {}: facilitator and scribe must be two different people",
            part.as_str()
        ));
    }
    if part == Part::Facilitator && facts.is_responder {
        return Err(format!(
            "{username} cannot facilitate: they responded to the incident, and the \
             facilitator must not be one of the responders"
        ));
    }
    Ok(())
}

/// Checks a responder: the facilitator cannot be one.
pub fn check_responder(username: &str, is_facilitator: bool) -> Result<(), String> {
    if is_facilitator {
        return Err(format!(
            "{username} is the facilitator, and the facilitator must not be one of the \
             responders"
        ));
    }
    Ok(())
}

/// Checks an edit of the text: a closed postmortem no longer changes.
pub fn check_edit(state: State) -> Result<(), String> {
    if state == State::Closed {
        return Err("the postmortem is closed: its text no longer changes".into());
    }
    Ok(())
}

/// Checks a contribution: contributions are taken until the postmortem is published.
pub fn check_contribution(state: State) -> Result<(), String> {
    if state >= State::Published {
        return Err(format!(
            "the postmortem is {}: contributions are closed",
            state.as_str()
        ));
    }
    Ok(())
}

/// A change to a postmortem's restriction, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestrictionChange {
    /// It becomes visible to its members and admins only.
    Restrict,
    /// It becomes visible to everybody.
    Lift,
}

/// Checks an edit's restriction: restricting is anyone's to do; lifting a restriction
/// exposes a security incident to everybody, so only an admin may. `Ok(None)`: unchanged.
pub fn check_restriction(
    was: bool,
    will_be: bool,
    by_admin: bool,
) -> Result<Option<RestrictionChange>, String> {
    match (was, will_be) {
        (true, false) if !by_admin => {
            Err("only an admin can lift a postmortem's restriction".into())
        }
        (true, false) => Ok(Some(RestrictionChange::Lift)),
        (false, true) => Ok(Some(RestrictionChange::Restrict)),
        _ => Ok(None),
    }
}

/// Whether an edit closes the postmortem: a published one closes with the edit that settles
/// its last action item (every item done, or declined with a reason).
pub fn closes<'a>(
    state: State,
    items: impl IntoIterator<Item = &'a debrief_core::model::ActionItem>,
) -> bool {
    let mut items = items.into_iter().peekable();
    state == State::Published
        && items.peek().is_some()
        && items.all(debrief_core::model::ActionItem::is_settled)
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Someone who could facilitate, with when they last did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Login name.
    pub username: String,
    /// Their function.
    pub function: String,
    /// Unix seconds of their latest facilitator assignment; `None`: never.
    pub last_facilitated: Option<i64>,
}

/// Ranks eligible candidates for facilitator. Only functions in `rotation` take part. The
/// function that facilitated least recently comes first (`function_last`: the latest
/// facilitation by anyone of that function, including people no longer eligible); within a
/// function, the person who facilitated least recently; "never" is the least recent of all.
/// Ties go by the rotation's order, then by username, so the answer is deterministic.
pub fn rank_facilitators(
    candidates: &[Candidate],
    rotation: &[String],
    function_last: &dyn Fn(&str) -> Option<i64>,
) -> Vec<Ranked> {
    let position = |function: &str| {
        rotation
            .iter()
            .position(|r| r.eq_ignore_ascii_case(function))
    };
    let mut eligible: Vec<(&Candidate, usize, Option<i64>)> = candidates
        .iter()
        .filter_map(|c| {
            let at = position(&c.function)?;
            Some((c, at, function_last(&rotation[at])))
        })
        .collect();
    // `None` sorts before `Some`: never facilitated is the least recent.
    eligible.sort_by(|a, b| {
        (a.2, a.1, a.0.last_facilitated, &a.0.username).cmp(&(
            b.2,
            b.1,
            b.0.last_facilitated,
            &b.0.username,
        ))
    });
    eligible
        .into_iter()
        .map(|(c, at, function_last)| Ranked {
            username: c.username.clone(),
            function: rotation[at].clone(),
            reason: format!(
                "{} last facilitated {}; {} last facilitated {}",
                rotation[at],
                when(function_last),
                c.username,
                when(c.last_facilitated)
            ),
        })
        .collect()
}

fn when(at: Option<i64>) -> String {
    match at.and_then(|s| jiff::Timestamp::from_second(s).ok()) {
        Some(t) => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        None => "never".to_string(),
    }
}

#[cfg(test)]
mod tests;
