//! The workflow in the store: facilitator, scribe and responders, the rotation suggestion,
//! which roles have contributed, and transitions through the gates of
//! [`crate::workflow`]. Every assignment and transition is a new version, so it is kept in
//! the history, written into the front matter, and safe against concurrent writers.

use super::members::add_member_in;
use super::postmortems::Current;
use super::query::visible;
use super::versions::{Change, Workflow, check_version};
use super::{
    Gate, Result, RoleCoverage, Store, StoreError, Suggestion, Tx, User, WorkflowView, audit,
    person_named, require_writer,
};
use crate::workflow::{self, Candidate, Facts, Refusal, State};
use sqlx::AssertSqlSafe;
use std::collections::HashMap;

pub use crate::workflow::Part;

/// A postmortem as its page shows it ([`Store::postmortem_view`]).
pub struct PostmortemView {
    /// The current version.
    pub postmortem: super::Postmortem,
    /// Its state, assignments, responders, role coverage and next steps.
    pub workflow: WorkflowView,
    /// The current version as the linter judged it for the gates.
    pub linted: debrief_lint::Linted,
}

/// Whom a writer may make facilitator or scribe of a postmortem ([`Store::assignment_offer`]).
pub struct Offer {
    /// Everybody; empty for a viewer, who may not assign.
    pub people: Vec<User>,
    /// The rotation's suggestion for facilitator, for a writer, while the meeting is still
    /// to be held and nobody facilitates it.
    pub suggestion: Option<Suggestion>,
}

impl Store {
    /// The workflow of a postmortem the viewer may see.
    pub async fn workflow(&self, viewer: &User, id: i64) -> Result<WorkflowView> {
        Ok(self.postmortem_view(viewer, id).await?.workflow)
    }

    /// A postmortem as its page shows it: the current version, its workflow, and the lint
    /// the gates judged it by, from one read and one lint.
    pub async fn postmortem_view(&self, viewer: &User, id: i64) -> Result<PostmortemView> {
        // Read first: the pooled connection goes back before the next is taken, so one
        // request never holds two.
        let current = self.current(viewer, id).await?;
        let mut conn = self.pool.acquire().await?;
        let linted = self.lint(&current);
        let (facts, roles) = self.facts(&mut conn, &current, &linted).await?;
        let state = current.postmortem.status;
        let next = State::ALL
            .into_iter()
            .filter(|to| crate::workflow::may_become(state, *to))
            .map(|to| Gate {
                to,
                missing: workflow::check(state, to, &facts)
                    .err()
                    .map(|r| r.missing)
                    .unwrap_or_default(),
            })
            .collect();
        let responders = responders_of(&mut conn, id).await?;
        drop(conn);
        let workflow = WorkflowView {
            state,
            version: current.postmortem.version,
            assignment: current.postmortem.assignment.clone(),
            responders,
            roles,
            next,
        };
        Ok(PostmortemView {
            postmortem: current.postmortem,
            workflow,
            linted,
        })
    }

    /// Whom the viewer may make facilitator or scribe of postmortem `id`, and whom the
    /// rotation suggests while the meeting has no facilitator: nothing for a viewer, who may
    /// not assign.
    pub async fn assignment_offer(&self, viewer: &User, id: i64) -> Result<Offer> {
        if viewer.role == super::Role::Viewer {
            return Ok(Offer {
                people: Vec::new(),
                suggestion: None,
            });
        }
        let current = self.current(viewer, id).await?;
        let people = self.users().await?;
        let open = matches!(current.postmortem.status, State::Draft | State::InReview);
        let suggestion = if open && current.facilitator_id.is_none() {
            let mut conn = self.pool.acquire().await?;
            let responders = responders_of(&mut conn, id).await?;
            drop(conn);
            Some(
                self.rank_facilitators(viewer, &current, &responders, &people)
                    .await?,
            )
        } else {
            None
        };
        Ok(Offer { people, suggestion })
    }

    /// Assigns the facilitator or the scribe, as a new version based on `based_on`, and makes
    /// them a member, in one transaction. The two are different people, and the facilitator
    /// is not one of the responders ([`workflow::check_assignment`]).
    pub async fn assign(
        &self,
        actor: &User,
        id: i64,
        based_on: i64,
        part: Part,
        username: &str,
    ) -> Result<super::Postmortem> {
        require_writer(actor)?;
        let mut tx = self.begin_write().await?;
        let current = self.current_in(&mut tx, actor, id).await?;
        check_version(&current, based_on)?;
        let person = person_named(&mut tx, username).await?;
        let mut workflow = self.workflow_of(&current);
        let responders = responders_of(&mut tx, id).await?;
        let (scribe, facilitator) = (
            workflow.scribe.as_ref().map(|(id, _)| *id),
            workflow.facilitator.as_ref().map(|(id, _)| *id),
        );
        workflow::check_assignment(&workflow::AssignmentFacts {
            state: current.postmortem.status,
            part,
            username,
            is_other_part: match part {
                Part::Facilitator => scribe == Some(person.id),
                Part::Scribe => facilitator == Some(person.id),
            },
            is_responder: responders.contains(&person.username),
        })
        .map_err(StoreError::Invalid)?;
        let at = self.clock.now();
        match part {
            Part::Facilitator => {
                workflow.facilitator = Some((person.id, person.username.clone()));
                workflow.facilitator_assigned_at = Some(at);
            }
            Part::Scribe => {
                workflow.scribe = Some((person.id, person.username.clone()));
                workflow.scribe_assigned_at = Some(at);
            }
        }
        let note = format!(
            "{}: {} ({})",
            part.as_str(),
            person.username,
            person.function
        );
        let assigned = self
            .commit_workflow(
                &mut tx,
                actor,
                &current,
                &workflow,
                &note,
                "postmortem.assign",
            )
            .await?;
        // Whoever runs or records the review sees the postmortem, restricted or not.
        add_member_in(&mut tx, self.clock.now(), actor, id, &person).await?;
        tx.commit().await?;
        Ok(assigned)
    }

    /// The responders of a postmortem, by username.
    pub async fn responders(&self, id: i64) -> Result<Vec<String>> {
        responders_of(&mut *self.pool.acquire().await?, id).await
    }

    /// Replaces the responders of a postmortem, in one transaction. They become members; the
    /// facilitator cannot be one of them.
    pub async fn set_responders(
        &self,
        actor: &User,
        id: i64,
        usernames: &[String],
    ) -> Result<Vec<String>> {
        require_writer(actor)?;
        let mut tx = self.begin_write().await?;
        let current = self.current_in(&mut tx, actor, id).await?;
        let mut people: Vec<User> = Vec::with_capacity(usernames.len());
        for username in usernames {
            let person = person_named(&mut tx, username).await?;
            workflow::check_responder(username, current.facilitator_id == Some(person.id))
                .map_err(StoreError::Invalid)?;
            if !people.iter().any(|p| p.id == person.id) {
                people.push(person);
            }
        }
        sqlx::query("DELETE FROM postmortem_responders WHERE postmortem_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for person in &people {
            sqlx::query(
                "INSERT INTO postmortem_responders (postmortem_id, user_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(person.id)
            .execute(&mut *tx)
            .await?;
            add_member_in(&mut tx, self.clock.now(), actor, id, person).await?;
        }
        audit(
            &mut tx,
            self.clock.now(),
            Some(actor),
            "postmortem.responders",
            &format!("postmortem:{id}"),
        )
        .await?;
        let responders = responders_of(&mut tx, id).await?;
        tx.commit().await?;
        Ok(responders)
    }

    /// Whom to ask to facilitate: eligible people (contributors and admins whose function is
    /// in the rotation, not responders, not the scribe), ranked by
    /// [`workflow::rank_facilitators`].
    pub async fn suggest_facilitator(&self, viewer: &User, id: i64) -> Result<Suggestion> {
        let current = self.current(viewer, id).await?;
        let responders = self.responders(id).await?;
        let users = self.users().await?;
        self.rank_facilitators(viewer, &current, &responders, &users)
            .await
    }

    /// [`Store::suggest_facilitator`] from what the caller has read already.
    async fn rank_facilitators(
        &self,
        viewer: &User,
        current: &Current,
        responders: &[String],
        users: &[User],
    ) -> Result<Suggestion> {
        let id = current.postmortem.id;
        // Only the facilitations the viewer may see count: the ranking's reasons name who
        // facilitated when, and must not tell of a restricted postmortem.
        let history = sqlx::query_as::<_, FacilitatedRow>(AssertSqlSafe(format!(
            "SELECT p.facilitator_id, MAX(p.facilitator_assigned_at) AS last_assigned_at
             FROM postmortems p WHERE p.facilitator_id IS NOT NULL AND p.id <> $1 AND {}
             GROUP BY p.facilitator_id",
            visible(2, 3)
        )))
        .bind(id)
        .bind(viewer.id)
        .bind(i64::from(viewer.role == super::Role::Admin))
        .fetch_all(&self.pool)
        .await?;
        let person_last: HashMap<i64, i64> = history
            .into_iter()
            .map(|row| (row.facilitator_id, row.last_assigned_at.unwrap_or(0)))
            .collect();
        let mut function_last: HashMap<String, i64> = HashMap::new();
        for user in users {
            if let Some(at) = person_last.get(&user.id) {
                let entry = function_last
                    .entry(user.function.to_lowercase())
                    .or_insert(*at);
                *entry = (*entry).max(*at);
            }
        }
        let candidates: Vec<Candidate> = users
            .iter()
            .filter(|u| u.role != super::Role::Viewer && u.active)
            .filter(|u| !responders.contains(&u.username))
            .filter(|u| current.scribe_id != Some(u.id))
            .map(|u| Candidate {
                username: u.username.clone(),
                function: u.function.clone(),
                last_facilitated: person_last.get(&u.id).copied(),
            })
            .collect();
        let ranking =
            workflow::rank_facilitators(&candidates, &self.policy.workflow.rotation, &|function| {
                function_last.get(&function.to_lowercase()).copied()
            });
        Ok(Suggestion {
            suggested: ranking.first().cloned(),
            ranking,
        })
    }

    /// Moves a postmortem to another state, as a new version based on `based_on`. A step the
    /// gates refuse changes nothing and answers with [`StoreError::Refused`].
    pub async fn transition(
        &self,
        actor: &User,
        id: i64,
        based_on: i64,
        to: State,
    ) -> Result<super::Postmortem> {
        require_writer(actor)?;
        let mut tx = self.begin_write().await?;
        let current = self.current_in(&mut tx, actor, id).await?;
        check_version(&current, based_on)?;
        let linted = self.lint(&current);
        let (facts, _) = self.facts(&mut tx, &current, &linted).await?;
        let from = current.postmortem.status;
        workflow::check(from, to, &facts).map_err(StoreError::Refused)?;
        let mut workflow = self.workflow_of(&current);
        workflow.state = to;
        let note = format!("status: {} → {}", from.as_str(), to.as_str());
        let moved = self
            .commit_workflow(
                &mut tx,
                actor,
                &current,
                &workflow,
                &note,
                "postmortem.transition",
            )
            .await?;
        tx.commit().await?;
        Ok(moved)
    }

    /// Writes a workflow step (an assignment, a transition) as a new version in the caller's
    /// transaction: the text is the current one, only the workflow's fields change.
    async fn commit_workflow(
        &self,
        tx: &mut Tx,
        actor: &User,
        current: &Current,
        workflow: &Workflow,
        note: &str,
        action: &'static str,
    ) -> Result<super::Postmortem> {
        let document = super::document::read_document(&current.postmortem.markdown)?;
        let change = Change {
            note,
            changes_text: false,
            audit: vec![action],
        };
        self.commit(tx, actor, current, document, workflow, &change)
            .await
    }

    /// The current version linted under the store's configuration, today.
    fn lint(&self, current: &Current) -> debrief_lint::Linted {
        let options = debrief_lint::Options::new(&self.policy.lint, self.clock.today());
        debrief_lint::lint(&current.postmortem.markdown, &options)
    }

    /// What the gates look at, and the role coverage.
    async fn facts(
        &self,
        conn: &mut sqlx::AnyConnection,
        current: &Current,
        linted: &debrief_lint::Linted,
    ) -> Result<(Facts, RoleCoverage)> {
        let blame_errors = linted
            .blame()
            .filter(|f| f.diagnostic.severity == debrief_core::Severity::Error)
            .count();
        let items: Vec<_> = linted.read.postmortem.action_items().collect();
        let roles = self.role_coverage(conn, current.postmortem.id).await?;
        let facts = Facts {
            facilitator: current.facilitator_id.is_some(),
            scribe: current.scribe_id.is_some(),
            action_items: items.len(),
            without_owner: items.iter().filter(|i| i.owner.is_none()).count(),
            without_due: items.iter().filter(|i| i.due.is_none()).count(),
            open_items: items.iter().filter(|i| !i.is_settled()).count(),
            blame_errors,
            missing_roles: roles.missing.clone(),
        };
        Ok((facts, roles))
    }

    /// Of the postmortems `ids`, those that `function` has contributed to (a contribution,
    /// or a change of the text), in one query: the home page asks this of a list.
    pub async fn contributed_by_function(&self, ids: &[i64], function: &str) -> Result<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = super::query::Query::default();
        let f = query.param(super::query::Param::Text(function.to_string()));
        let list: Vec<String> = ids
            .iter()
            .map(|id| format!("${}", query.param(super::query::Param::Int(*id))))
            .collect();
        let list = list.join(", ");
        query.sql = format!(
            "SELECT c.postmortem_id AS id FROM contributions c
             WHERE LOWER(c.function) = LOWER(${f}) AND c.postmortem_id IN ({list})
             UNION
             SELECT v.postmortem_id AS id FROM postmortem_versions v JOIN users u ON u.id = v.author_id
             WHERE LOWER(u.function) = LOWER(${f}) AND v.changes_text = 1 AND v.postmortem_id IN ({list})"
        );
        let rows: Vec<IdRow> = query.fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    /// Which required functions have contributed: through contributions, or by changing the
    /// text (workflow steps do not count).
    pub(super) async fn role_coverage(
        &self,
        conn: &mut sqlx::AnyConnection,
        id: i64,
    ) -> Result<RoleCoverage> {
        let mut contributed: Vec<String> = sqlx::query_scalar(
            "SELECT function FROM contributions WHERE postmortem_id = $1
             UNION
             SELECT u.function FROM postmortem_versions v JOIN users u ON u.id = v.author_id
             WHERE v.postmortem_id = $1 AND v.changes_text = 1",
        )
        .bind(id)
        .fetch_all(conn)
        .await?;
        contributed.sort();
        contributed.dedup();
        let required = self.policy.workflow.required_roles.clone();
        let missing = required
            .iter()
            .filter(|r| !contributed.iter().any(|c| c.eq_ignore_ascii_case(r)))
            .cloned()
            .collect();
        Ok(RoleCoverage {
            required,
            contributed,
            missing,
        })
    }
}

/// The responders of a postmortem, by username, on a connection or in a transaction.
async fn responders_of(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT u.username FROM postmortem_responders r JOIN users u ON u.id = r.user_id
         WHERE r.postmortem_id = $1 ORDER BY u.username",
    )
    .bind(id)
    .fetch_all(conn)
    .await?)
}

/// The last time someone was assigned as facilitator, elsewhere than the postmortem at hand.
#[derive(sqlx::FromRow)]
struct FacilitatedRow {
    facilitator_id: i64,
    last_assigned_at: Option<i64>,
}

impl From<Refusal> for StoreError {
    fn from(refusal: Refusal) -> Self {
        StoreError::Refused(refusal)
    }
}

/// One id, from a query that returns ids.
#[derive(sqlx::FromRow)]
struct IdRow {
    id: i64,
}
