//! Postmortems: created from Markdown, read, listed with filters, revised with every version
//! kept, compared between versions, and shared with members.
//!
//! Every change, whether new Markdown or a workflow step, goes through [`Store::commit`]: it
//! writes the server's workflow fields (status, facilitator, scribe) into the front matter,
//! stores the canonical Markdown as a new version, and applies only if the version it was
//! based on is still the current one.

use super::{
    Backend, Diff, Postmortem, Result, Store, StoreError, Tx, USER_COLUMNS, User, Version, audit,
    person_named, require_writer, user_from,
};
use crate::workflow::State;
use debrief_core::model::Milestone;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

/// What lists and searches may be narrowed to, and the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    /// A service the postmortem names.
    pub service: Option<String>,
    /// A tag it carries.
    pub tag: Option<String>,
    /// Its severity, as written.
    pub severity: Option<String>,
    /// Its state.
    pub status: Option<State>,
    /// Incidents on or after this date.
    pub from: Option<jiff::civil::Date>,
    /// Incidents on or before this date.
    pub to: Option<jiff::civil::Date>,
    /// Skip this many.
    pub offset: i64,
    /// Return at most this many (1 to 500).
    pub limit: i64,
}

impl Default for Filters {
    fn default() -> Self {
        Filters {
            service: None,
            tag: None,
            severity: None,
            status: None,
            from: None,
            to: None,
            offset: 0,
            limit: 50,
        }
    }
}

/// The columns of a postmortem summary; [`summary_from`] reads them in this order.
pub(super) const SUMMARY: &str = "SELECT p.id, p.version, p.title, p.status, p.restricted, \
     p.severity, p.incident_date, p.created_at, p.updated_at, p.resolved_at, \
     f.username, s.username, p.labels";
/// The facilitator and scribe of postmortems `p`, as `f` and `s`.
pub(super) const PEOPLE: &str = "LEFT JOIN users f ON f.id = p.facilitator_id \
     LEFT JOIN users s ON s.id = p.scribe_id";
/// Postmortems with their facilitator and scribe, as `p`.
pub(super) const FROM: &str = "FROM postmortems p LEFT JOIN users f ON f.id = p.facilitator_id \
     LEFT JOIN users s ON s.id = p.scribe_id";

/// The visibility rule, with the viewer's id as parameter `viewer` and whether they are an
/// admin as parameter `admin`: everybody sees what is not restricted; members and admins see
/// the rest. Every query that returns postmortems goes through it.
pub(super) fn visible(viewer: usize, admin: usize) -> String {
    format!(
        "(p.restricted = 0 OR ${admin} = 1 OR EXISTS (SELECT 1 FROM postmortem_members m \
         WHERE m.postmortem_id = p.id AND m.user_id = ${viewer}))"
    )
}

/// A query under construction: SQL text and its parameters, numbered as they are added.
/// Only constants and `$n` placeholders go into the text; every value is bound.
#[derive(Debug, Default)]
pub(super) struct Query {
    pub sql: String,
    pub params: Vec<Param>,
}

#[derive(Debug, Clone)]
pub(super) enum Param {
    Int(i64),
    Text(String),
}

impl Query {
    /// Adds a parameter and returns its number.
    pub fn param(&mut self, value: Param) -> usize {
        self.params.push(value);
        self.params.len()
    }

    /// Appends the visibility rule for `viewer`.
    pub fn visible_to(&mut self, viewer: &User) {
        let id = self.param(Param::Int(viewer.id));
        let admin = self.param(Param::Int(i64::from(viewer.role == super::Role::Admin)));
        self.sql.push_str(&visible(id, admin));
    }

    /// Appends ` AND ...` for every filter that is set.
    pub fn filters(&mut self, filters: &Filters) {
        for (kind, value) in [("service", &filters.service), ("tag", &filters.tag)] {
            if let Some(value) = value {
                let n = self.param(Param::Text(value.clone()));
                self.sql.push_str(&format!(
                    " AND EXISTS (SELECT 1 FROM postmortem_labels l WHERE l.postmortem_id = p.id \
                     AND l.kind = '{kind}' AND LOWER(l.value) = LOWER(${n}))"
                ));
            }
        }
        if let Some(severity) = &filters.severity {
            let n = self.param(Param::Text(severity.clone()));
            self.sql
                .push_str(&format!(" AND LOWER(p.severity) = LOWER(${n})"));
        }
        if let Some(status) = filters.status {
            let n = self.param(Param::Text(status.as_str().into()));
            self.sql.push_str(&format!(" AND p.status = ${n}"));
        }
        if let Some(from) = filters.from {
            let n = self.param(Param::Text(from.to_string()));
            self.sql.push_str(&format!(" AND p.incident_date >= ${n}"));
        }
        if let Some(to) = filters.to {
            let n = self.param(Param::Text(to.to_string()));
            self.sql.push_str(&format!(" AND p.incident_date <= ${n}"));
        }
    }

    /// Appends the page.
    pub fn page(&mut self, filters: &Filters) {
        let limit = self.param(Param::Int(filters.limit.clamp(1, 500)));
        let offset = self.param(Param::Int(filters.offset.max(0)));
        self.sql
            .push_str(&format!(" LIMIT ${limit} OFFSET ${offset}"));
    }

    pub async fn fetch_all<'c>(
        self,
        executor: impl sqlx::Executor<'c, Database = sqlx::Any>,
    ) -> Result<Vec<AnyRow>> {
        let mut query = sqlx::query(AssertSqlSafe(self.sql));
        for param in self.params {
            query = match param {
                Param::Int(v) => query.bind(v),
                Param::Text(v) => query.bind(v),
            };
        }
        Ok(query.fetch_all(executor).await?)
    }
}

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

/// A postmortem row with what only the store needs: who created it, its workflow ids.
pub(super) struct Current {
    pub postmortem: Postmortem,
    pub facilitator_id: Option<i64>,
    pub facilitator_assigned_at: Option<i64>,
    pub scribe_id: Option<i64>,
    pub scribe_assigned_at: Option<i64>,
}

/// What a new version is, for its history entry and the audit log.
pub(super) struct Change<'a> {
    /// The history's note.
    pub note: &'a str,
    /// The text changed (an edit, which counts as its author's contribution), or only the
    /// workflow did (an assignment, a transition).
    pub changes_text: bool,
    /// The audit log's actions, for permission-relevant steps.
    pub audit: Vec<&'static str>,
}

/// The server's part of a new version: state and assignments.
#[derive(Debug, Clone)]
pub(super) struct Workflow {
    pub state: State,
    pub facilitator: Option<(i64, String)>,
    pub facilitator_assigned_at: Option<i64>,
    pub scribe: Option<(i64, String)>,
    pub scribe_assigned_at: Option<i64>,
}

impl Store {
    /// Stores a new postmortem from Markdown, as version 1 in `draft` (an admin's import keeps
    /// the state its front matter names). Its author is a member
    /// (a restricted postmortem stays visible to the one who started it) and a responder.
    pub async fn create_postmortem(&self, actor: &User, markdown: &str) -> Result<Postmortem> {
        require_writer(actor)?;
        let mut document = read_document(markdown)?;
        // An admin importing past postmortems keeps the state they reached; everybody else
        // starts a draft.
        let state = match (&document.meta.status, actor.role) {
            (Some(status), super::Role::Admin) => State::parse(status).unwrap_or(State::Draft),
            _ => State::Draft,
        };
        let workflow = Workflow {
            state,
            facilitator: None,
            facilitator_assigned_at: None,
            scribe: None,
            scribe_assigned_at: None,
        };
        let facts = DocumentFacts::of(&mut document, &workflow);
        let at = self.clock.now();
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO postmortems (version, title, status, restricted, markdown, created_by,
             created_at, updated_at, severity, incident_date, resolved_at, labels)
             VALUES (1, $1, $9, $2, $3, $4, $5, $5, $6, $7, $8, $10) RETURNING id",
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
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        self.index(&mut tx, id, &facts, false).await?;
        insert_version(&mut tx, id, 1, actor, at, "created", &facts.markdown, true).await?;
        for table in ["postmortem_members", "postmortem_responders"] {
            sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO {table} (postmortem_id, user_id) VALUES ($1, $2)"
            )))
            .bind(id)
            .bind(actor.id)
            .execute(&mut *tx)
            .await?;
        }
        audit(
            &mut tx,
            self.clock.now(),
            Some(actor),
            "postmortem.create",
            &format!("postmortem:{id}"),
        )
        .await?;
        tx.commit().await?;
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

    fn current_from(&self, rows: Vec<AnyRow>) -> Result<Current> {
        let row = rows.first().ok_or(StoreError::NotFound)?;
        let mut postmortem = summary_from(row, &self.policy.workflow, self.clock.now())?;
        postmortem.markdown = row.try_get(13)?;
        Ok(Current {
            postmortem,
            facilitator_id: row.try_get(14)?,
            facilitator_assigned_at: row.try_get(15)?,
            scribe_id: row.try_get(16)?,
            scribe_assigned_at: row.try_get(17)?,
        })
    }

    /// The postmortems the viewer may see that pass the filters, most recently changed first,
    /// without their Markdown.
    pub async fn postmortems(&self, viewer: &User, filters: &Filters) -> Result<Vec<Postmortem>> {
        let mut query = Query {
            sql: format!("{SUMMARY} {FROM} WHERE "),
            ..Query::default()
        };
        query.visible_to(viewer);
        query.filters(filters);
        query.sql.push_str(" ORDER BY p.updated_at DESC, p.id DESC");
        query.page(filters);
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| summary_from(row, &self.policy.workflow, self.clock.now()))
            .collect()
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

    /// Writes a new version in the caller's transaction: the document with the workflow's
    /// fields written into it, based on `current`, which the transaction read locked
    /// ([`Store::current_in`]). The update still names the version it replaces, so that no
    /// path can overwrite a version it did not read.
    pub(super) async fn commit(
        &self,
        tx: &mut Tx,
        actor: &User,
        current: &Current,
        mut document: debrief_core::Postmortem,
        workflow: &Workflow,
        change: &Change<'_>,
    ) -> Result<Postmortem> {
        let id = current.postmortem.id;
        let based_on = current.postmortem.version;
        let facts = DocumentFacts::of(&mut document, workflow);
        let at = self.clock.now();
        let updated = sqlx::query(
            "UPDATE postmortems SET version = version + 1, title = $1, restricted = $2,
             markdown = $3, updated_at = $4, severity = $5, incident_date = $6, resolved_at = $7,
             status = $8, facilitator_id = $9, facilitator_assigned_at = $10, scribe_id = $11,
             scribe_assigned_at = $12, labels = $15
             WHERE id = $13 AND version = $14",
        )
        .bind(&facts.title)
        .bind(i64::from(facts.restricted))
        .bind(&facts.markdown)
        .bind(at)
        .bind(&facts.severity)
        .bind(&facts.date)
        .bind(facts.resolved_at)
        .bind(workflow.state.as_str())
        .bind(workflow.facilitator.as_ref().map(|f| f.0))
        .bind(workflow.facilitator_assigned_at)
        .bind(workflow.scribe.as_ref().map(|s| s.0))
        .bind(workflow.scribe_assigned_at)
        .bind(id)
        .bind(based_on)
        .bind(facts.labels_json())
        .execute(&mut **tx)
        .await?;
        if updated.rows_affected() == 0 {
            let now_current = self.current_in(tx, actor, id).await?;
            return Err(StoreError::Conflict {
                based_on,
                current: now_current.postmortem.version,
            });
        }
        self.index(tx, id, &facts, true).await?;
        insert_version(
            tx,
            id,
            based_on + 1,
            actor,
            at,
            change.note,
            &facts.markdown,
            change.changes_text,
        )
        .await?;
        for action in &change.audit {
            audit(
                tx,
                self.clock.now(),
                Some(actor),
                action,
                &format!("postmortem:{id}"),
            )
            .await?;
        }
        Ok(facts.postmortem(
            &self.policy.workflow,
            self.clock.now(),
            id,
            based_on + 1,
            workflow,
            current.postmortem.created_at,
            at,
        ))
    }

    /// Keeps labels and (on SQLite) the full-text index in step with a version.
    async fn index(
        &self,
        tx: &mut Tx,
        id: i64,
        facts: &DocumentFacts,
        replace: bool,
    ) -> Result<()> {
        if replace {
            sqlx::query("DELETE FROM postmortem_labels WHERE postmortem_id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        let mut seen = std::collections::HashSet::new();
        let labels = facts
            .services
            .iter()
            .map(|s| ("service", s))
            .chain(facts.tags.iter().map(|t| ("tag", t)));
        for (kind, value) in labels {
            if !seen.insert((kind, value.as_str())) {
                continue;
            }
            sqlx::query(
                "INSERT INTO postmortem_labels (postmortem_id, kind, value) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(kind)
            .bind(value)
            .execute(&mut **tx)
            .await?;
        }
        // PostgreSQL computes its tsvector column itself.
        if self.backend == Backend::Sqlite {
            if replace {
                sqlx::query("DELETE FROM postmortem_search WHERE rowid = $1")
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
            }
            sqlx::query("INSERT INTO postmortem_search (rowid, title, body) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(&facts.title)
                .bind(&facts.markdown)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// The workflow as it stands, to carry into a new version unchanged.
    pub(super) fn workflow_of(&self, current: &Current) -> Workflow {
        let a = &current.postmortem.assignment;
        Workflow {
            state: current.postmortem.status,
            facilitator: current.facilitator_id.zip(a.facilitator.clone()),
            facilitator_assigned_at: current.facilitator_assigned_at,
            scribe: current.scribe_id.zip(a.scribe.clone()),
            scribe_assigned_at: current.scribe_assigned_at,
        }
    }

    /// The versions of a postmortem, oldest first.
    pub async fn history(&self, viewer: &User, id: i64) -> Result<Vec<Version>> {
        self.current(viewer, id).await?;
        let rows = sqlx::query(
            "SELECT v.version, u.username, v.created_at, v.note FROM postmortem_versions v
             JOIN users u ON u.id = v.author_id WHERE v.postmortem_id = $1 ORDER BY v.version",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Version {
                    version: row.try_get(0)?,
                    author: row.try_get(1)?,
                    created_at: row.try_get(2)?,
                    note: row.try_get(3)?,
                })
            })
            .collect()
    }

    /// The Markdown of one version of a postmortem.
    pub async fn version_markdown(&self, viewer: &User, id: i64, version: i64) -> Result<String> {
        self.current(viewer, id).await?;
        let row = sqlx::query(
            "SELECT markdown FROM postmortem_versions WHERE postmortem_id = $1 AND version = $2",
        )
        .bind(id)
        .bind(version)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(row.try_get(0)?)
    }

    /// What changed between two versions of a postmortem.
    pub async fn diff(&self, viewer: &User, id: i64, from: i64, to: i64) -> Result<Diff> {
        let old = self.version_markdown(viewer, id, from).await?;
        let new = self.version_markdown(viewer, id, to).await?;
        let diff = similar::TextDiff::from_lines(&old, &new);
        let (mut added, mut removed) = (0, 0);
        for change in diff.iter_all_changes() {
            match change.tag() {
                similar::ChangeTag::Insert => added += 1,
                similar::ChangeTag::Delete => removed += 1,
                similar::ChangeTag::Equal => {}
            }
        }
        let unified = diff
            .unified_diff()
            .context_radius(3)
            .header(&format!("version {from}"), &format!("version {to}"))
            .to_string();
        Ok(Diff {
            from,
            to,
            unified,
            added,
            removed,
        })
    }

    /// Makes the user named `member` a member of a postmortem: they see it even when it is
    /// restricted. An unknown name is invalid input (422), told apart from a database that
    /// cannot answer.
    pub async fn add_member(&self, actor: &User, id: i64, member: &str) -> Result<()> {
        require_writer(actor)?;
        let mut tx = self.begin_write().await?;
        self.current_in(&mut tx, actor, id).await?;
        let member = person_named(&mut tx, member).await?;
        add_member_in(&mut tx, self.clock.now(), actor, id, &member).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The members of a postmortem.
    pub async fn members(&self, viewer: &User, id: i64) -> Result<Vec<User>> {
        self.current(viewer, id).await?;
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{USER_COLUMNS} FROM users JOIN postmortem_members m ON m.user_id = users.id
             WHERE m.postmortem_id = $1 ORDER BY users.username"
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_from).collect()
    }
}

/// Adds a member in the caller's transaction, once: adding someone twice changes nothing.
pub(super) async fn add_member_in(
    tx: &mut Tx,
    at: i64,
    actor: &User,
    id: i64,
    member: &User,
) -> Result<()> {
    let exists =
        sqlx::query("SELECT 1 FROM postmortem_members WHERE postmortem_id = $1 AND user_id = $2")
            .bind(id)
            .bind(member.id)
            .fetch_optional(&mut **tx)
            .await?;
    if exists.is_none() {
        sqlx::query("INSERT INTO postmortem_members (postmortem_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(member.id)
            .execute(&mut **tx)
            .await?;
        let target = format!("postmortem:{id} user:{}", member.id);
        audit(tx, at, Some(actor), "member.add", &target).await?;
    }
    Ok(())
}

/// Refuses a write based on a version that is not the current one.
pub(super) fn check_version(current: &Current, based_on: i64) -> Result<()> {
    if based_on != current.postmortem.version {
        return Err(StoreError::Conflict {
            based_on,
            current: current.postmortem.version,
        });
    }
    Ok(())
}

/// Reads a summary (the [`SUMMARY`] columns).
pub(super) fn summary_from(
    row: &AnyRow,
    settings: &crate::workflow::Settings,
    now: i64,
) -> Result<Postmortem> {
    let status: String = row.try_get(3)?;
    let created_at: i64 = row.try_get(7)?;
    let resolved_at: Option<i64> = row.try_get(9)?;
    let facilitator: Option<String> = row.try_get(10)?;
    let scribe: Option<String> = row.try_get(11)?;
    let labels: String = row.try_get(12)?;
    let labels: Labels = serde_json::from_str(&labels)
        .map_err(|e| StoreError::Corrupt(format!("unreadable labels: {e}")))?;
    Ok(Postmortem {
        id: row.try_get(0)?,
        version: row.try_get(1)?,
        title: row.try_get(2)?,
        status: State::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown state {status:?}")))?,
        restricted: row.try_get::<i64, _>(4)? != 0,
        severity: row.try_get(5)?,
        date: row.try_get(6)?,
        services: labels.services,
        tags: labels.tags,
        created_at,
        updated_at: row.try_get(8)?,
        assignment: crate::workflow::assignment(
            settings,
            now,
            created_at,
            resolved_at,
            facilitator,
            scribe,
        ),
        markdown: String::new(),
    })
}

impl DocumentFacts {
    /// The postmortem as this write left it. Built from what was written rather than read
    /// back afterwards: a read after the commit could already see a later writer's version,
    /// and answering with that version's ETag would let the caller overwrite it unseen.
    #[expect(clippy::too_many_arguments, reason = "one answer, described in full")]
    fn postmortem(
        self,
        settings: &crate::workflow::Settings,
        now: i64,
        id: i64,
        version: i64,
        workflow: &Workflow,
        created_at: i64,
        updated_at: i64,
    ) -> Postmortem {
        let labels = self.labels();
        Postmortem {
            id,
            version,
            title: self.title,
            status: workflow.state,
            restricted: self.restricted,
            severity: self.severity,
            date: self.date,
            services: labels.services,
            tags: labels.tags,
            created_at,
            updated_at,
            assignment: crate::workflow::assignment(
                settings,
                now,
                created_at,
                self.resolved_at,
                workflow.facilitator.as_ref().map(|f| f.1.clone()),
                workflow.scribe.as_ref().map(|s| s.1.clone()),
            ),
            markdown: self.markdown,
        }
    }
}

/// Reads Markdown the store will keep, refusing what cannot be rewritten without loss.
pub(super) fn read_document(markdown: &str) -> Result<debrief_core::Postmortem> {
    let read = debrief_core::read(markdown);
    if !read.rewritable() {
        let reason = read
            .diagnostics
            .iter()
            .find(|d| d.severity == debrief_core::Severity::Error)
            .map_or_else(
                || "the front matter cannot be read".to_string(),
                |d| {
                    format!(
                        "line {}, column {}: {}",
                        d.span.line, d.span.column, d.message
                    )
                },
            );
        return Err(StoreError::Invalid(reason));
    }
    if read.postmortem.meta.title.trim().is_empty() {
        return Err(StoreError::Invalid(
            "a postmortem needs a title (front matter `title:` or `# Postmortem: ...`)".into(),
        ));
    }
    Ok(read.postmortem)
}

/// Services and tags as kept on the row (`labels`, JSON).
#[derive(serde::Serialize, serde::Deserialize)]
struct Labels {
    services: Vec<String>,
    tags: Vec<String>,
}

/// What the store keeps of a document besides its Markdown.
pub(super) struct DocumentFacts {
    pub title: String,
    pub restricted: bool,
    pub severity: Option<String>,
    pub date: Option<String>,
    pub services: Vec<String>,
    pub tags: Vec<String>,
    pub resolved_at: Option<i64>,
    pub markdown: String,
}

impl DocumentFacts {
    /// Services and tags, sorted and without repeats.
    fn labels(&self) -> Labels {
        let sorted = |values: &[String]| {
            let mut values = values.to_vec();
            values.sort();
            values.dedup();
            values
        };
        Labels {
            services: sorted(&self.services),
            tags: sorted(&self.tags),
        }
    }

    /// [`Self::labels`] as the row keeps them.
    fn labels_json(&self) -> String {
        serde_json::to_string(&self.labels())
            .unwrap_or_else(|_| r#"{"services":[],"tags":[]}"#.into())
    }

    /// Writes the workflow's fields into the document and reads off its facts.
    fn of(document: &mut debrief_core::Postmortem, workflow: &Workflow) -> DocumentFacts {
        let meta = &mut document.meta;
        meta.status = Some(workflow.state.as_str().to_string());
        // An assignment made here replaces what the text says; without one, a name the
        // document carries (an imported postmortem's facilitator) is kept, not lost.
        if let Some((_, username)) = &workflow.facilitator {
            meta.facilitator = Some(username.clone());
        }
        if let Some((_, username)) = &workflow.scribe {
            meta.scribe = Some(username.clone());
        }
        let analysis = debrief_core::analyse(document);
        let entries: Vec<_> = document.timeline_entries().collect();
        let resolved_at = [Milestone::Resolved, Milestone::Mitigated]
            .into_iter()
            .find_map(|m| analysis.entry_of(m))
            .and_then(|i| entries.get(i))
            .map(|entry| entry.at.as_second());
        let meta = &document.meta;
        DocumentFacts {
            title: meta.title.trim().to_string(),
            restricted: meta.restricted,
            severity: meta.severity.clone(),
            date: meta.date.map(|d| d.to_string()),
            services: meta.services.clone(),
            tags: meta.tags.clone(),
            resolved_at,
            markdown: debrief_core::write(document),
        }
    }
}

#[expect(clippy::too_many_arguments, reason = "one row, described in full")]
async fn insert_version(
    tx: &mut Tx,
    id: i64,
    version: i64,
    author: &User,
    at: i64,
    note: &str,
    markdown: &str,
    changes_text: bool,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO postmortem_versions
         (postmortem_id, version, author_id, created_at, note, markdown, changes_text)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(version)
    .bind(author.id)
    .bind(at)
    .bind(note)
    .bind(markdown)
    .bind(i64::from(changes_text))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
