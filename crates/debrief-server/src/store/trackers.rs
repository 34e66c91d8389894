//! Action items in trackers, as the store keeps them: the jobs that a publication asks for,
//! the intents recorded before an issue is created, the account that writes references and
//! states back, and the items a tracker's issue names.
//!
//! What the trackers say comes back as new versions of the postmortem, written by
//! [`SYSTEM_USERNAME`], each changing one action item's line
//! ([`debrief_core::edit::edit_action_item`]): the history shows who changed what, and a
//! reader of the Markdown sees the tracker's truth.

use super::{Result, Store, StoreError, Tx, User};
use crate::workflow::State;
use debrief_core::edit::{ItemEdit, edit_action_item};
use debrief_core::model::ActionItem;

/// The account the trackers' changes are written by. Not a valid username for people (the
/// brackets), so that nobody can take it; it cannot sign in (no password, deactivated).
pub const SYSTEM_USERNAME: &str = "debrief[bot]";

/// The job that creates an item's issue.
pub const CREATE_JOB: &str = "tracker.create";

/// What an item's issue job carries.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CreateIssue {
    /// The postmortem's id.
    pub postmortem: i64,
    /// The item's marker ([`item_marker`]).
    pub marker: String,
    /// The tracker's name in `debrief.toml`.
    pub tracker: String,
}

/// The marker of item `item` of postmortem `id`: what its issue carries.
pub fn item_marker(id: i64, item: &ActionItem) -> String {
    debrief_trackers::marker(&format!("pm{id}"), item)
}

/// An intent to create an issue, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intent {
    /// When it was first recorded (Unix seconds): a search for its issue starts there.
    pub recorded_at: i64,
    /// Whether an earlier attempt recorded it: that attempt may have created the issue.
    pub earlier: bool,
    /// The issue, once created or found: its key and its URL.
    pub issue: Option<(String, String)>,
}

/// Which item of a postmortem to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemAt {
    /// The item with this marker, not yet tracked.
    Marker(String),
    /// The item whose tracker reference is one of these (an issue's URL, its key).
    Reference(Vec<String>),
}

impl Store {
    /// The account of [`SYSTEM_USERNAME`], made the first time it is needed.
    pub async fn system_user(&self) -> Result<User> {
        if let Ok(user) = self.user(SYSTEM_USERNAME).await {
            return Ok(user);
        }
        let now = self.clock.now();
        // Two instances may make it at once: the second insert does nothing.
        sqlx::query(
            "INSERT INTO users (username, display_name, function, role, password_hash, created_at, deactivated_at)
             VALUES ($1, 'debrief', 'Automation', 'admin', '!', $2, $2) ON CONFLICT (username) DO NOTHING",
        )
        .bind(SYSTEM_USERNAME)
        .bind(now)
        .execute(&self.pool)
        .await?;
        self.user(SYSTEM_USERNAME).await
    }

    /// Asks, in the caller's transaction, for an issue for every open, untracked action item
    /// of a published postmortem, in the tracker [`debrief_trackers::Trackers::choose`]
    /// picks. A job per item, known by the item's marker: asking again adds nothing.
    pub(super) async fn enqueue_tracking(
        &self,
        tx: &mut Tx,
        id: i64,
        document: &debrief_core::Postmortem,
        state: State,
    ) -> Result<()> {
        if state != State::Published || self.policy.trackers.trackers.is_empty() {
            return Ok(());
        }
        let tracker = match self.policy.trackers.choose(&document.meta) {
            Ok(Some(tracker)) => tracker,
            Ok(None) => return Ok(()),
            Err(reason) => {
                tracing::warn!(postmortem = id, %reason, "action items not sent to a tracker");
                return Ok(());
            }
        };
        let now = self.clock.now();
        for item in document.action_items() {
            if item.tracker.is_some() || item.is_settled() {
                continue;
            }
            let (key, payload) = create_job(id, item, &tracker.name)?;
            self.enqueue_in(tx, CREATE_JOB, &key, &payload, now).await?;
        }
        Ok(())
    }

    /// Asks for an issue for item `position` (0-based) of a postmortem now, whatever its
    /// state: the "send to the tracker" of one item. Fails when it is tracked already or
    /// no tracker is configured for it.
    pub async fn track_item(&self, actor: &User, id: i64, position: usize) -> Result<String> {
        super::users::require_writer(actor)?;
        let current = self.current(actor, id).await?;
        let document = super::document::read_document(&current.postmortem.markdown)?;
        let item = document
            .action_items()
            .nth(position)
            .ok_or(StoreError::NotFound)?;
        if let Some(reference) = &item.tracker {
            return Err(StoreError::Invalid(format!(
                "this action item is tracked already: {reference}"
            )));
        }
        let tracker = self
            .policy
            .trackers
            .choose(&document.meta)
            .map_err(StoreError::Invalid)?
            .ok_or_else(|| {
                StoreError::Invalid(
                    "no tracker is configured for this postmortem: add [trackers.NAME] to debrief.toml"
                        .into(),
                )
            })?;
        let (key, payload) = create_job(id, item, &tracker.name)?;
        self.enqueue(CREATE_JOB, &key, &payload, self.clock.now())
            .await?;
        Ok(tracker.name.clone())
    }

    /// Records the intent to create the issue of `marker`, or reads the one an earlier
    /// attempt recorded.
    pub async fn record_intent(&self, marker: &str, tracker: &str, id: i64) -> Result<Intent> {
        let now = self.clock.now();
        let added = sqlx::query(
            "INSERT INTO tracker_intents (marker, tracker, postmortem_id, recorded_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT (marker) DO NOTHING",
        )
        .bind(marker)
        .bind(tracker)
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        let (recorded_at, key, url): (i64, Option<String>, Option<String>) = sqlx::query_as(
            "SELECT recorded_at, issue_key, issue_url FROM tracker_intents WHERE marker = $1",
        )
        .bind(marker)
        .fetch_one(&self.pool)
        .await?;
        Ok(Intent {
            recorded_at,
            earlier: added.rows_affected() == 0,
            issue: key.zip(url),
        })
    }

    /// Forgets an intent whose request the tracker refused: nothing was created, and the
    /// next attempt creates without looking first.
    pub async fn forget_intent(&self, marker: &str) -> Result<()> {
        sqlx::query("DELETE FROM tracker_intents WHERE marker = $1 AND issue_url IS NULL")
            .bind(marker)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records the issue an intent led to.
    pub async fn intent_fulfilled(&self, marker: &str, key: &str, url: &str) -> Result<()> {
        sqlx::query("UPDATE tracker_intents SET issue_key = $2, issue_url = $3 WHERE marker = $1")
            .bind(marker)
            .bind(key)
            .bind(url)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The postmortems with an action item whose reference is one of `references`.
    pub async fn postmortems_tracking(&self, references: &[String]) -> Result<Vec<i64>> {
        let mut ids = Vec::new();
        for reference in references {
            let found: Vec<i64> = sqlx::query_scalar(
                "SELECT DISTINCT postmortem_id FROM action_items WHERE tracker = $1",
            )
            .bind(reference)
            .fetch_all(&self.pool)
            .await?;
            ids.extend(found);
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// Every tracked action item of a postmortem that is published (its items are being
    /// worked on): postmortem id and reference, for reconciling with the trackers.
    pub async fn tracked_items(&self) -> Result<Vec<(i64, String)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT a.postmortem_id, a.tracker FROM action_items a
             JOIN postmortems p ON p.id = a.postmortem_id
             WHERE a.tracker IS NOT NULL AND p.status = 'published'
             ORDER BY a.postmortem_id, a.position",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Changes one action item of a postmortem as `edit` says of it, as a new version by the
    /// system account, noted with `note`; a concurrent edit is met by reading again. `None`
    /// when there is no such item or it says so already. A published postmortem whose last
    /// item this settles closes, as any edit would close it.
    pub async fn edit_item(
        &self,
        id: i64,
        at: &ItemAt,
        edit: impl Fn(&ActionItem) -> ItemEdit,
        note: &str,
    ) -> Result<Option<super::Postmortem>> {
        let system = self.system_user().await?;
        for _ in 0..5 {
            let current = self.postmortem(&system, id).await?;
            if current.status == State::Closed {
                return Ok(None);
            }
            let read = debrief_core::read(&current.markdown);
            let position = read
                .postmortem
                .action_items()
                .enumerate()
                .find(|(_, item)| match at {
                    ItemAt::Marker(marker) => {
                        item.tracker.is_none() && item_marker(id, item) == *marker
                    }
                    ItemAt::Reference(references) => item
                        .tracker
                        .as_deref()
                        .is_some_and(|t| references.iter().any(|r| r == t)),
                });
            let Some((position, item)) = position else {
                return Ok(None);
            };
            let options = debrief_core::ReadOptions::default();
            let edited = edit_action_item(&current.markdown, &options, position, &edit(item))
                .map_err(|e| StoreError::Invalid(format!("action item {}: {e}", position + 1)))?;
            let Some(edited) = edited else {
                return Ok(None);
            };
            match self
                .update_postmortem(&system, id, current.version, &edited, note)
                .await
            {
                Err(StoreError::Conflict { .. }) => continue,
                other => return other.map(Some),
            }
        }
        Err(StoreError::Invalid(
            "the postmortem kept changing while an action item was written back; it will be tried again".into(),
        ))
    }
}

/// The key and payload of the job that creates an item's issue: one key per item, ever.
fn create_job(id: i64, item: &ActionItem, tracker: &str) -> Result<(String, String)> {
    let job = CreateIssue {
        postmortem: id,
        marker: item_marker(id, item),
        tracker: tracker.to_string(),
    };
    let payload = serde_json::to_string(&job)
        .map_err(|e| StoreError::Invalid(format!("a job's payload: {e}")))?;
    Ok((format!("{CREATE_JOB}:{}", job.marker), payload))
}

/// Whether `user` is the system account, which nobody may change.
pub(super) fn is_system(username: &str) -> bool {
    username == SYSTEM_USERNAME
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_account_is_no_persons_name() {
        assert!(!super::super::users::is_valid_username(SYSTEM_USERNAME));
        assert!(is_system(SYSTEM_USERNAME));
    }
}
