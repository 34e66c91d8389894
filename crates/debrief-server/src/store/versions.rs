//! Versions: every change, whether new Markdown or a workflow step, goes through
//! [`Store::commit`], which writes the server's workflow fields (status, facilitator,
//! scribe) into the front matter, stores the canonical Markdown as a new version, and
//! applies only if the version it was based on is still the current one; then the history,
//! one version's Markdown, and the difference between two.

use super::document::DocumentFacts;
use super::postmortems::Current;
use super::{Backend, Diff, Postmortem, Result, Store, StoreError, Tx, User, Version, audit};
use crate::workflow::State;
use sqlx::AssertSqlSafe;

/// The edition of the derived tables: raise it when [`Store::index`] derives something new,
/// and the store indexes every older row again when it opens. 1: teams and action items.
const INDEXED: i64 = 1;

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
             scribe_assigned_at = $12, labels = $15,
             published_at = COALESCE(published_at, CASE WHEN $8 = 'published' THEN $4 END)
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
        self.enqueue_tracking(tx, id, &document, workflow.state)
            .await?;
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

    /// Keeps what is derived from a version in step with it: labels (services, tags, teams),
    /// action items and, on SQLite, the full-text index; then marks the row as indexed by
    /// this edition of the derived tables ([`INDEXED`]).
    pub(super) async fn index(
        &self,
        tx: &mut Tx,
        id: i64,
        facts: &DocumentFacts,
        replace: bool,
    ) -> Result<()> {
        if replace {
            for table in ["postmortem_labels", "action_items"] {
                sqlx::query(AssertSqlSafe(format!(
                    "DELETE FROM {table} WHERE postmortem_id = $1"
                )))
                .bind(id)
                .execute(&mut **tx)
                .await?;
            }
        }
        let mut seen = std::collections::HashSet::new();
        let labels = facts
            .services
            .iter()
            .map(|s| ("service", s))
            .chain(facts.tags.iter().map(|t| ("tag", t)))
            .chain(facts.teams.iter().map(|t| ("team", t)));
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
        for (position, action) in (0_i64..).zip(&facts.actions) {
            let item = &action.item;
            sqlx::query(
                "INSERT INTO action_items (postmortem_id, position, text, owner, owner_key, due,
                 due_written, state, declined, priority, tracker)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(id)
            .bind(position)
            .bind(&item.text)
            .bind(&item.owner)
            .bind(&action.owner_key)
            .bind(&item.due)
            .bind(&item.due_written)
            .bind(action.state())
            .bind(&item.declined)
            .bind(&item.priority)
            .bind(&item.tracker)
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
        sqlx::query("UPDATE postmortems SET indexed_edition = $1 WHERE id = $2")
            .bind(INDEXED)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Indexes again every postmortem indexed by an older edition of the derived tables, a
    /// hundred to a transaction; the store does this when it opens. Several instances may do
    /// it at once: each row is rewritten whole, so the last one to write wins with the same
    /// facts.
    pub(super) async fn reindex_stale(&self) -> Result<usize> {
        let mut done = 0;
        loop {
            let mut tx = self.begin_write().await?;
            let stale: Vec<(i64, String)> = sqlx::query_as(
                "SELECT id, markdown FROM postmortems WHERE indexed_edition < $1 ORDER BY id LIMIT 100",
            )
            .bind(INDEXED)
            .fetch_all(&mut *tx)
            .await?;
            if stale.is_empty() {
                tx.commit().await?;
                return Ok(done);
            }
            for (id, markdown) in &stale {
                let read = debrief_core::read(markdown);
                let facts = DocumentFacts::read(&read.postmortem);
                self.index(&mut tx, *id, &facts, true).await?;
            }
            tx.commit().await?;
            done += stale.len();
        }
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
        let rows = sqlx::query_as::<_, VersionRow>(
            "SELECT v.version, u.username AS author, v.created_at, v.note
             FROM postmortem_versions v JOIN users u ON u.id = v.author_id
             WHERE v.postmortem_id = $1 ORDER BY v.version",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Version::from).collect())
    }

    /// The Markdown of one version of a postmortem.
    pub async fn version_markdown(&self, viewer: &User, id: i64, version: i64) -> Result<String> {
        self.current(viewer, id).await?;
        sqlx::query_scalar(
            "SELECT markdown FROM postmortem_versions WHERE postmortem_id = $1 AND version = $2",
        )
        .bind(id)
        .bind(version)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)
    }

    /// What changed between two versions of a postmortem.
    pub async fn diff(&self, viewer: &User, id: i64, from: i64, to: i64) -> Result<Diff> {
        let old = self.version_markdown(viewer, id, from).await?;
        let new = self.version_markdown(viewer, id, to).await?;
        // Comparing two large documents is CPU work: it runs on a blocking thread, so that
        // the async workers go on answering other requests (health checks among them).
        tokio::task::spawn_blocking(move || diff_versions(&old, &new, from, to))
            .await
            .map_err(|e| StoreError::Corrupt(format!("the comparison failed: {e}")))
    }
}

/// How long a comparison may search for the smallest diff; after it, the diff is still
/// correct but may be larger than the smallest.
pub const DIFF_DEADLINE: std::time::Duration = std::time::Duration::from_millis(500);

/// The unified diff of two versions' Markdown. Patience diffing anchors on lines that occur
/// once in each text, and the deadline bounds the search, so its cost stays near linear
/// even when every paragraph changed (Myers' algorithm, the default, took 69 s on two
/// versions of 60,000 paragraphs that differed everywhere).
pub fn diff_versions(old: &str, new: &str, from: i64, to: i64) -> Diff {
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .timeout(DIFF_DEADLINE)
        .diff_lines(old, new);
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
    Diff {
        from,
        to,
        unified,
        added,
        removed,
    }
}

/// An entry of a postmortem's history, with its author's username.
#[derive(sqlx::FromRow)]
struct VersionRow {
    version: i64,
    author: String,
    created_at: i64,
    note: String,
}

impl From<VersionRow> for Version {
    fn from(row: VersionRow) -> Version {
        Version {
            version: row.version,
            author: row.author,
            created_at: row.created_at,
            note: row.note,
        }
    }
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

#[expect(clippy::too_many_arguments, reason = "one row, described in full")]
pub(super) async fn insert_version(
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
