//! Postmortems: created from Markdown, read one at a time (locked for a write) or listed
//! with filters, and revised. Every revision is a new version ([`super::versions`]).

use super::document::{DocumentFacts, read_document};
use super::query::{FROM, Filters, Param, Query, SUMMARY, SummaryRow};
use super::versions::{Change, Workflow, check_version, insert_version};
use super::{Backend, Postmortem, Result, Store, StoreError, Tx, User, audit, require_writer};
use crate::workflow::State;
use sqlx::AssertSqlSafe;

/// The query of [`Store::current`]: one postmortem the viewer may see, with its Markdown and
/// workflow ids; locked for update when `lock` (PostgreSQL only).
fn current_query(viewer: &User, id: i64, lock: bool) -> Query {
    let mut query = Query::default();
    let n = query.param(Param::Int(id));
    query.sql = format!(
        "{SUMMARY}, p.markdown, p.facilitator_id, p.facilitator_assigned_at, p.scribe_id, \
         p.scribe_assigned_at {FROM} WHERE p.id = ${n} AND "
    );
    query.visible_to(viewer);
    if lock {
        query.sql.push_str(" FOR UPDATE OF p");
    }
    query
}

/// The columns of [`current_query`]: a summary, the Markdown and the workflow's ids.
#[derive(sqlx::FromRow)]
struct CurrentRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    markdown: String,
    facilitator_id: Option<i64>,
    facilitator_assigned_at: Option<i64>,
    scribe_id: Option<i64>,
    scribe_assigned_at: Option<i64>,
}

/// A postmortem row with what only the store needs: who created it, its workflow ids.
pub(super) struct Current {
    pub postmortem: Postmortem,
    pub facilitator_id: Option<i64>,
    pub facilitator_assigned_at: Option<i64>,
    pub scribe_id: Option<i64>,
    pub scribe_assigned_at: Option<i64>,
}

impl Store {
    /// Stores a new postmortem from Markdown, as version 1 in `draft` (an admin's import keeps
    /// the state its front matter names). Its author is a member
    /// (a restricted postmortem stays visible to the one who started it) and a responder.
    pub async fn create_postmortem(&self, actor: &User, markdown: &str) -> Result<Postmortem> {
        require_writer(actor)?;
        let document = read_document(markdown)?;
        // An admin importing past postmortems keeps the state they reached; everybody else
        // starts a draft.
        let state = match (&document.meta.status, actor.role) {
            (Some(status), super::Role::Admin) => State::parse(status).unwrap_or(State::Draft),
            _ => State::Draft,
        };
        let mut tx = self.begin_write().await?;
        let postmortem = self
            .insert_postmortem(&mut tx, actor, document, state, true)
            .await?;
        tx.commit().await?;
        Ok(postmortem)
    }

    /// Stores a new postmortem in the caller's transaction, as version 1 in `state`. When
    /// `author_takes_part`, its author is a member and a responder (not so for the system
    /// account, which opens drafts for incidents nobody has looked at yet).
    pub(super) async fn insert_postmortem(
        &self,
        tx: &mut Tx,
        actor: &User,
        mut document: debrief_core::Postmortem,
        state: State,
        author_takes_part: bool,
    ) -> Result<Postmortem> {
        let workflow = Workflow {
            state,
            facilitator: None,
            facilitator_assigned_at: None,
            scribe: None,
            scribe_assigned_at: None,
        };
        let facts = DocumentFacts::of(&mut document, &workflow);
        let at = self.clock.now();
        let id = crate::secret::random_id().map_err(StoreError::Invalid)?;
        sqlx::query(
            "INSERT INTO postmortems (id, version, title, status, restricted, markdown, created_by,
             created_at, updated_at, severity, incident_date, resolved_at, labels, published_at)
             VALUES ($11, 1, $1, $9, $2, $3, $4, $5, $5, $6, $7, $8, $10,
             CASE WHEN $9 IN ('published', 'closed') THEN $5 END)",
        )
        .bind(&facts.title)
        .bind(i64::from(facts.restricted))
        .bind(&facts.markdown)
        .bind(actor.id)
        .bind(at)
        .bind(&facts.severity)
        .bind(&facts.date)
        .bind(facts.resolved_at)
        .bind(state.as_str())
        .bind(facts.labels_json())
        .bind(id)
        .execute(&mut **tx)
        .await?;
        self.index(tx, id, &facts, false).await?;
        // An admin's import of a published postmortem publishes it here: its open items go
        // to their tracker as a publication's do.
        self.enqueue_tracking(tx, id, &document, state).await?;
        insert_version(tx, id, 1, actor, at, "created", &facts.markdown, true).await?;
        if author_takes_part {
            for table in ["postmortem_members", "postmortem_responders"] {
                sqlx::query(AssertSqlSafe(format!(
                    "INSERT INTO {table} (postmortem_id, user_id) VALUES ($1, $2)"
                )))
                .bind(id)
                .bind(actor.id)
                .execute(&mut **tx)
                .await?;
            }
        }
        audit(
            tx,
            self.clock.now(),
            Some(actor),
            "postmortem.create",
            &format!("postmortem:{id}"),
        )
        .await?;
        Ok(facts.postmortem(
            &self.policy.workflow,
            self.clock.now(),
            id,
            1,
            &workflow,
            at,
            at,
        ))
    }

    /// A postmortem the viewer may see, with its Markdown; [`StoreError::NotFound`] otherwise.
    pub async fn postmortem(&self, viewer: &User, id: i64) -> Result<Postmortem> {
        Ok(self.current(viewer, id).await?.postmortem)
    }

    /// The postmortem with what the store needs to change it.
    pub(super) async fn current(&self, viewer: &User, id: i64) -> Result<Current> {
        let query = current_query(viewer, id, false);
        let rows = query.fetch_all(&self.pool).await?;
        self.current_from(rows)
    }

    /// [`Store::current`] inside a write transaction, locked: on PostgreSQL the row is read
    /// `FOR UPDATE`, so a concurrent use case on any instance waits for this one to commit
    /// and then sees what it wrote; on SQLite the transaction holds the write lock already.
    pub(super) async fn current_in(&self, tx: &mut Tx, viewer: &User, id: i64) -> Result<Current> {
        let query = current_query(viewer, id, self.backend == Backend::Postgres);
        let rows = query.fetch_all(&mut **tx).await?;
        self.current_from(rows)
    }

    /// The first of the rows of [`current_query`]; none is [`StoreError::NotFound`].
    fn current_from(&self, rows: Vec<CurrentRow>) -> Result<Current> {
        let row = rows.into_iter().next().ok_or(StoreError::NotFound)?;
        let mut postmortem = row
            .summary
            .into_postmortem(&self.policy.workflow, self.clock.now())?;
        postmortem.markdown = row.markdown;
        Ok(Current {
            postmortem,
            facilitator_id: row.facilitator_id,
            facilitator_assigned_at: row.facilitator_assigned_at,
            scribe_id: row.scribe_id,
            scribe_assigned_at: row.scribe_assigned_at,
        })
    }

    /// The postmortems the viewer may see that pass the filters, most recently changed first,
    /// without their Markdown.
    pub async fn postmortems(&self, viewer: &User, filters: &Filters) -> Result<Vec<Postmortem>> {
        let many_involvements = self.many_involvements(filters).await?;
        self.list(viewer, filters, many_involvements).await
    }

    /// The postmortems still in progress (draft, in review, reviewed) that pass the filters,
    /// at most `filters.limit` of each state, most recently changed first: my work's lists.
    /// How to find those someone takes part in is decided once for the three states.
    pub async fn in_progress(&self, viewer: &User, filters: &Filters) -> Result<Vec<Postmortem>> {
        let many_involvements = self.many_involvements(filters).await?;
        let mut found = Vec::new();
        for status in [State::Draft, State::InReview, State::Reviewed] {
            let filters = Filters {
                status: Some(status),
                ..filters.clone()
            };
            found.extend(self.list(viewer, &filters, many_involvements).await?);
        }
        found.sort_by_key(|p| std::cmp::Reverse(p.updated_at));
        Ok(found)
    }

    /// Whether the `involving` filter's user takes part in many postmortems
    /// ([`super::query::MANY_INVOLVEMENTS`]).
    async fn many_involvements(&self, filters: &Filters) -> Result<bool> {
        Ok(match filters.involving {
            Some(user) => self.involvements(user).await? > super::query::MANY_INVOLVEMENTS,
            None => false,
        })
    }

    /// One list query.
    async fn list(
        &self,
        viewer: &User,
        filters: &Filters,
        many_involvements: bool,
    ) -> Result<Vec<Postmortem>> {
        let mut query = Query {
            sql: format!("{SUMMARY} {FROM} WHERE "),
            many_involvements,
            ..Query::default()
        };
        query.visible_to(viewer);
        query.filters(filters);
        query.sql.push_str(" ORDER BY p.updated_at DESC, p.id DESC");
        query.page(filters);
        let rows: Vec<SummaryRow> = query.fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(|row| row.into_postmortem(&self.policy.workflow, self.clock.now()))
            .collect()
    }

    /// How many memberships and responder parts `user` has, counted only up to just past
    /// [`super::query::MANY_INVOLVEMENTS`] each: enough to choose how to list theirs.
    async fn involvements(&self, user: i64) -> Result<i64> {
        let limit = super::query::MANY_INVOLVEMENTS + 1;
        let count: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM postmortem_members WHERE user_id = $1 LIMIT $2) m)
                  + (SELECT COUNT(*) FROM (SELECT 1 FROM postmortem_responders WHERE user_id = $1 LIMIT $2) r)",
        )
        .bind(user)
        .bind(limit)
        .fetch_one(&self.pool)
        .await?;
        Ok(count)
    }

    /// Replaces a postmortem's Markdown, based on version `based_on`. A write based on an
    /// older version is refused with [`StoreError::Conflict`] and changes nothing. The
    /// workflow fields of the front matter are the server's: `status` always, `facilitator`
    /// and `scribe` once assigned; whatever the Markdown says of them is replaced.
    pub async fn update_postmortem(
        &self,
        actor: &User,
        id: i64,
        based_on: i64,
        markdown: &str,
        note: &str,
    ) -> Result<Postmortem> {
        require_writer(actor)?;
        let document = read_document(markdown)?;
        let mut tx = self.begin_write().await?;
        let current = self.current_in(&mut tx, actor, id).await?;
        check_version(&current, based_on)?;
        crate::workflow::check_edit(current.postmortem.status).map_err(StoreError::Invalid)?;
        let mut workflow = self.workflow_of(&current);
        let mut note = if note.trim().is_empty() {
            "edited".to_string()
        } else {
            note.trim().to_string()
        };
        let mut audit = Vec::new();
        let restriction = crate::workflow::check_restriction(
            current.postmortem.restricted,
            document.meta.restricted,
            actor.role == super::Role::Admin,
        )
        .map_err(StoreError::Forbidden)?;
        match restriction {
            Some(crate::workflow::RestrictionChange::Lift) => audit.push("postmortem.unrestrict"),
            Some(crate::workflow::RestrictionChange::Restrict) => audit.push("postmortem.restrict"),
            None => {}
        }
        if crate::workflow::closes(workflow.state, document.action_items()) {
            workflow.state = State::Closed;
            note.push_str("; closed: every action item is done or declined");
            audit.push("postmortem.close");
        }
        let change = Change {
            note: &note,
            changes_text: true,
            audit,
        };
        let updated = self
            .commit(&mut tx, actor, &current, document, &workflow, &change)
            .await?;
        tx.commit().await?;
        Ok(updated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NewUser, Role};

    /// Both ways of listing the postmortems someone takes part in find the same ones, in the
    /// same order: as facilitator, as member, as responder, and not the others'.
    #[tokio::test]
    async fn both_ways_of_finding_my_postmortems_agree() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::open_dir(dir.path()).await.expect("store");
        let person = |username: &'static str, role| NewUser {
            username,
            display_name: username,
            function: "SRE",
            role,
            password: "a long enough password",
            team: None,
        };
        let admin = store
            .add_user(&person("admin", Role::Admin), None)
            .await
            .expect("admin");
        let me = store
            .add_user(&person("me", Role::Contributor), Some(&admin))
            .await
            .expect("me");
        let mut mine = Vec::new();
        for i in 0..6 {
            let text =
                format!("---\ntitle: Outage {i}\ndate: 2026-06-1{i}\n---\n\n## Summary\n\nDown.\n");
            let author = if i % 3 == 0 { &me } else { &admin };
            let created = store
                .create_postmortem(author, &text)
                .await
                .expect("created");
            if i % 3 == 0 {
                mine.push(created.id); // a member and a responder, as its author
            } else if i == 1 {
                store
                    .assign(
                        &admin,
                        created.id,
                        created.version,
                        crate::store::Part::Facilitator,
                        "me",
                    )
                    .await
                    .expect("facilitator");
                mine.push(created.id);
            } else if i == 2 {
                store
                    .add_member(&admin, created.id, "me")
                    .await
                    .expect("member");
                mine.push(created.id);
            }
        }
        let filters = Filters {
            involving: Some(me.id),
            ..Filters::default()
        };
        let mut found = Vec::new();
        for many_involvements in [false, true] {
            let mut query = Query {
                sql: format!("{SUMMARY} {FROM} WHERE "),
                many_involvements,
                ..Query::default()
            };
            query.visible_to(&me);
            query.filters(&filters);
            query.sql.push_str(" ORDER BY p.updated_at DESC, p.id DESC");
            query.page(&filters);
            let rows: Vec<super::super::query::SummaryRow> =
                query.fetch_all(&store.pool).await.expect("listed");
            let mut ids: Vec<i64> = rows
                .into_iter()
                .map(|r| {
                    r.into_postmortem(&store.policy.workflow, 0)
                        .expect("row")
                        .id
                })
                .collect();
            ids.sort_unstable();
            found.push(ids);
        }
        mine.sort_unstable();
        assert_eq!(found[0], mine);
        assert_eq!(found[1], mine);
    }
}
