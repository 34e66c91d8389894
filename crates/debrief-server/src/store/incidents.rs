//! Incidents from the alerting, and the timeline entries imported records propose.
//!
//! A delivery of Alertmanager or PagerDuty ([`Store::deliver`]) is kept under its
//! incident's key, each entry once (a second delivery adds nothing). The delivery that says
//! the incident is resolved opens a draft postmortem holding every entry the incident has;
//! later ones add to the postmortem still open for the key. An entry joins the document at
//! once while the draft is still debrief's own, that is while nobody has changed it since
//! it opened, since then there is nobody's work to disturb; after that it is proposed, and
//! somebody accepts or drops it ([`Store::decide_proposal`]). Entries imported into one
//! postmortem ([`Store::propose_entries`], a Slack export) are proposed the same way.

use super::document::{MAX_DOCUMENT_BYTES, read_document};
use super::postmortems::Current;
use super::versions::Change;
use super::{Backend, Postmortem, Result, Store, StoreError, Tx, User, require_writer};
use crate::workflow::State;
use debrief_core::model::SectionBody;
use debrief_import::{Delivery, Entry, Source, merge};
use debrief_wire::api::{Decided, Decision, HookDelivery, Proposal, ProposalState};
use jiff::tz::TimeZone;
use sqlx::AssertSqlSafe;

/// A proposal as stored, with who decided it.
#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    at: i64,
    text: String,
    milestone: Option<String>,
    system: String,
    source_id: String,
    link: Option<String>,
    state: String,
    decided_by: Option<String>,
    decided_at: Option<i64>,
}

/// What a [`Row`] is read from.
const SELECT: &str = "SELECT t.id, t.at, t.text, t.milestone, t.system, t.source_id, t.link, \
     t.state, u.username AS decided_by, t.decided_at \
     FROM timeline_proposals t LEFT JOIN users u ON u.id = t.decided_by";

impl Row {
    /// The proposal as the API shows it; a held entry belongs to no postmortem yet, and is
    /// never read as one.
    fn proposal(self) -> Result<Proposal> {
        let state = match self.state.as_str() {
            "proposed" => ProposalState::Proposed,
            "accepted" => ProposalState::Accepted,
            "dropped" => ProposalState::Dropped,
            other => {
                return Err(StoreError::Corrupt(format!(
                    "timeline proposal {}: state {other:?}",
                    self.id
                )));
            }
        };
        Ok(Proposal {
            id: self.id,
            at: self.at,
            text: self.text,
            milestone: self.milestone,
            system: self.system,
            source_id: self.source_id,
            link: self.link,
            state,
            decided_by: self.decided_by,
            decided_at: self.decided_at,
        })
    }

    /// The entry it proposes, for a merge.
    fn entry(&self) -> Result<Entry> {
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("timeline proposal {}: {what}", self.id));
        Ok(Entry {
            at: jiff::Timestamp::from_second(self.at).map_err(|_| corrupt("instant"))?,
            text: self.text.clone(),
            milestone: match &self.milestone {
                Some(name) => Some(
                    debrief_core::model::Milestone::from_marker(name)
                        .ok_or_else(|| corrupt("milestone"))?,
                ),
                None => None,
            },
            source: Source {
                system: debrief_import::SYSTEMS
                    .into_iter()
                    .find(|s| *s == self.system)
                    .ok_or_else(|| corrupt("system"))?,
                id: self.source_id.clone(),
                link: self.link.clone(),
            },
        })
    }
}

impl Store {
    /// Keeps what an Alertmanager or PagerDuty delivery says under its incident's key and
    /// opens, or adds to, the incident's postmortem, in one transaction. Deliveries about
    /// one incident take turns on its row, on every instance.
    pub async fn deliver(&self, delivery: &Delivery) -> Result<HookDelivery> {
        let system = self.system_user().await?;
        let now = self.clock.now();
        let key = &delivery.incident_key;
        let mut tx = self.begin_write().await?;
        let services = serde_json::to_string(&delivery.services)
            .map_err(|e| StoreError::Invalid(format!("services: {e}")))?;
        sqlx::query(
            "INSERT INTO incidents (incident_key, title, severity, services, first_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (incident_key) DO NOTHING",
        )
        .bind(key)
        .bind(&delivery.title)
        .bind(&delivery.severity)
        .bind(&services)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let lock = if self.backend == Backend::Postgres {
            " FOR UPDATE"
        } else {
            ""
        };
        let postmortem_id: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT postmortem_id FROM incidents WHERE incident_key = $1{lock}"
        )))
        .bind(key)
        .fetch_one(&mut *tx)
        .await?;
        // What a later delivery knows that the first did not.
        sqlx::query(
            "UPDATE incidents SET severity = COALESCE(severity, $2),
             services = CASE WHEN services = '[]' THEN $3 ELSE services END
             WHERE incident_key = $1",
        )
        .bind(key)
        .bind(&delivery.severity)
        .bind(&services)
        .execute(&mut *tx)
        .await?;

        let scope = format!("incident:{key}");
        let mut new = Vec::new();
        for entry in &delivery.entries {
            let id = insert_proposal(&mut tx, &scope, Some(key), None, entry, now).await?;
            new.extend(id);
        }
        let open = match postmortem_id {
            Some(id) => self.open_postmortem(&mut tx, &system, id).await?,
            None => None,
        };
        let mut outcome = HookDelivery {
            incident_key: Some(key.clone()),
            postmortem: open.as_ref().map(|c| c.postmortem.id),
            opened: false,
            new_entries: new.len(),
            joined: 0,
            proposed: 0,
            held: 0,
        };
        if new.is_empty() {
            tx.commit().await?;
            return Ok(outcome);
        }
        match open {
            Some(current) => {
                let id = current.postmortem.id;
                if self.debriefs_own(&mut tx, id, &system).await? {
                    let entries = self.entries(&mut tx, &new).await?;
                    let note = joined_note(&entries);
                    self.join(&mut tx, &system, &current, &entries, &note)
                        .await?;
                    self.settle(&mut tx, &new, id, "accepted", Some(&system))
                        .await?;
                    outcome.joined = new.len();
                } else {
                    self.settle(&mut tx, &new, id, "proposed", None).await?;
                    outcome.proposed = new.len();
                }
            }
            None if delivery.resolved => {
                let held: Vec<i64> = sqlx::query_scalar(
                    "SELECT id FROM timeline_proposals WHERE incident_key = $1 AND state = 'held'
                     ORDER BY at, id",
                )
                .bind(key)
                .fetch_all(&mut *tx)
                .await?;
                let entries = self.entries(&mut tx, &held).await?;
                let document = self.draft(&mut tx, key, &entries).await?;
                let postmortem = self
                    .insert_postmortem(&mut tx, &system, document, State::Draft, false)
                    .await?;
                self.settle(&mut tx, &held, postmortem.id, "accepted", Some(&system))
                    .await?;
                sqlx::query("UPDATE incidents SET postmortem_id = $1 WHERE incident_key = $2")
                    .bind(postmortem.id)
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
                tracing::info!(
                    postmortem = postmortem.id,
                    incident = %key,
                    entries = held.len(),
                    "a resolved incident opened a draft postmortem"
                );
                outcome.postmortem = Some(postmortem.id);
                outcome.opened = true;
                outcome.joined = new.len();
            }
            None => outcome.held = new.len(),
        }
        tx.commit().await?;
        Ok(outcome)
    }

    /// Proposes `entries` for postmortem `id` (an import of its chat), each source once:
    /// what was proposed before, whatever was decided of it, is not proposed again. Answers
    /// how many are new.
    pub async fn propose_entries(&self, actor: &User, id: i64, entries: &[Entry]) -> Result<usize> {
        require_writer(actor)?;
        let mut tx = self.begin_write().await?;
        let current = self.current_in(&mut tx, actor, id).await?;
        crate::workflow::check_edit(current.postmortem.status).map_err(StoreError::Invalid)?;
        let scope = format!("postmortem:{id}");
        let now = self.clock.now();
        let mut new = 0;
        for entry in entries {
            let inserted = insert_proposal(&mut tx, &scope, None, Some(id), entry, now).await?;
            new += usize::from(inserted.is_some());
        }
        tx.commit().await?;
        Ok(new)
    }

    /// The entries proposed for a postmortem the viewer may see, every state, by instant.
    pub async fn proposals(&self, viewer: &User, id: i64) -> Result<Vec<Proposal>> {
        self.current(viewer, id).await?;
        let rows: Vec<Row> = sqlx::query_as(AssertSqlSafe(format!(
            "{SELECT} WHERE t.postmortem_id = $1 AND t.state <> 'held' ORDER BY t.at, t.id"
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Row::proposal).collect()
    }

    /// Accepts a proposed entry into the postmortem's timeline (a new version, unless the
    /// timeline has it already) or drops it. A proposal decided already is a conflict.
    pub async fn decide_proposal(
        &self,
        actor: &User,
        id: i64,
        proposal: i64,
        decision: Decision,
    ) -> Result<Decided> {
        require_writer(actor)?;
        let mut tx = self.begin_write().await?;
        let current = self.current_in(&mut tx, actor, id).await?;
        crate::workflow::check_edit(current.postmortem.status).map_err(StoreError::Invalid)?;
        let row: Row = sqlx::query_as(AssertSqlSafe(format!(
            "{SELECT} WHERE t.id = $1 AND t.postmortem_id = $2 AND t.state <> 'held'"
        )))
        .bind(proposal)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        if row.state != "proposed" {
            return Err(StoreError::Exists(format!(
                "this entry was {} already",
                row.state
            )));
        }
        let (state, version) = match decision {
            Decision::Accept => {
                let entry = row.entry()?;
                let note = format!(
                    "timeline: an entry from {} accepted",
                    merge::source_label(entry.source.system)
                );
                let written = self.join(&mut tx, actor, &current, &[entry], &note).await?;
                (
                    ProposalState::Accepted,
                    written.map_or(current.postmortem.version, |p| p.version),
                )
            }
            Decision::Drop => (ProposalState::Dropped, current.postmortem.version),
        };
        self.settle(&mut tx, &[proposal], id, state.as_str(), Some(actor))
            .await?;
        tx.commit().await?;
        let mut proposal = row.proposal()?;
        proposal.state = state;
        proposal.decided_by = Some(actor.username.clone());
        proposal.decided_at = Some(self.clock.now());
        Ok(Decided { proposal, version })
    }

    /// The postmortem `id` while it is open for an incident's entries (not yet published),
    /// locked.
    async fn open_postmortem(
        &self,
        tx: &mut Tx,
        system: &User,
        id: i64,
    ) -> Result<Option<Current>> {
        match self.current_in(tx, system, id).await {
            Ok(current) if current.postmortem.status < State::Published => Ok(Some(current)),
            Ok(_) | Err(StoreError::NotFound) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Whether nobody but debrief has written a version of postmortem `id`.
    async fn debriefs_own(&self, tx: &mut Tx, id: i64, system: &User) -> Result<bool> {
        let others: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM postmortem_versions WHERE postmortem_id = $1 AND author_id <> $2",
        )
        .bind(id)
        .bind(system.id)
        .fetch_one(&mut **tx)
        .await?;
        Ok(others == 0)
    }

    /// The entries of proposals `ids`, by instant.
    async fn entries(&self, tx: &mut Tx, ids: &[i64]) -> Result<Vec<Entry>> {
        let mut entries = Vec::with_capacity(ids.len());
        for id in ids {
            let row: Row = sqlx::query_as(AssertSqlSafe(format!("{SELECT} WHERE t.id = $1")))
                .bind(id)
                .fetch_one(&mut **tx)
                .await?;
            entries.push(row.entry()?);
        }
        entries.sort_by_key(|e| e.at);
        Ok(entries)
    }

    /// Marks proposals `ids` as belonging to postmortem `id`, in `state`, decided by
    /// `decider` (none while they wait).
    async fn settle(
        &self,
        tx: &mut Tx,
        ids: &[i64],
        id: i64,
        state: &str,
        decider: Option<&User>,
    ) -> Result<()> {
        let at = decider.map(|_| self.clock.now());
        for proposal in ids {
            sqlx::query(
                "UPDATE timeline_proposals SET postmortem_id = $1, state = $2, decided_by = $3,
                 decided_at = $4 WHERE id = $5",
            )
            .bind(id)
            .bind(state)
            .bind(decider.map(|u| u.id))
            .bind(at)
            .bind(proposal)
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

    /// Merges `entries` into the postmortem's timeline as a new version by `actor`; `None`
    /// when the timeline has every one of them already.
    async fn join(
        &self,
        tx: &mut Tx,
        actor: &User,
        current: &Current,
        entries: &[Entry],
        note: &str,
    ) -> Result<Option<Postmortem>> {
        let mut document = read_document(&current.postmortem.markdown)?;
        if merge::merge(&mut document, entries).added == 0 {
            return Ok(None);
        }
        fits(&document)?;
        let workflow = self.workflow_of(current);
        let change = Change {
            note,
            changes_text: true,
            audit: Vec::new(),
        };
        self.commit(tx, actor, current, document, &workflow, &change)
            .await
            .map(Some)
    }

    /// The draft an incident opens: the template, titled and dated by the incident, with its
    /// entries as the timeline, in the zone `[hooks]` names.
    async fn draft(
        &self,
        tx: &mut Tx,
        key: &str,
        entries: &[Entry],
    ) -> Result<debrief_core::Postmortem> {
        let (title, severity, services): (String, Option<String>, String) = sqlx::query_as(
            "SELECT title, severity, services FROM incidents WHERE incident_key = $1",
        )
        .bind(key)
        .fetch_one(&mut **tx)
        .await?;
        let hooks = &self.policy.hooks;
        let zone = hooks.zone();
        let first = match entries.first() {
            Some(entry) => entry.at,
            None => jiff::Timestamp::from_second(self.clock.now())
                .map_err(|e| StoreError::Invalid(format!("the clock: {e}")))?,
        };
        let title = match title.trim() {
            "" => format!("Incident {}", key.get(..8).unwrap_or(key)),
            title => title.to_string(),
        };
        let mut document =
            debrief_core::template::template(&title, first.to_zoned(zone.clone()).date(), severity);
        document.meta.services = serde_json::from_str(&services).unwrap_or_default();
        document.meta.timezone = Some(zone_label(hooks.timezone.as_deref(), &zone));
        // The timeline's hint shows how to write an entry; the incident's entries show it.
        for section in &mut document.sections {
            if let SectionBody::Timeline(timeline) = &mut section.body
                && !entries.is_empty()
            {
                timeline.parts.clear();
            }
        }
        merge::merge(&mut document, entries);
        fits(&document)?;
        Ok(document)
    }
}

/// Keeps an entry as a proposal under `scope`: `held` while it belongs to no postmortem,
/// else `proposed`. `None` when the scope has it already.
async fn insert_proposal(
    tx: &mut Tx,
    scope: &str,
    incident: Option<&str>,
    postmortem: Option<i64>,
    entry: &Entry,
    now: i64,
) -> Result<Option<i64>> {
    let state = if postmortem.is_some() {
        "proposed"
    } else {
        "held"
    };
    Ok(sqlx::query_scalar(
        "INSERT INTO timeline_proposals
         (scope, incident_key, postmortem_id, system, source_id, link, at, text, milestone, state,
          proposed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (scope, system, source_id) DO NOTHING RETURNING id",
    )
    .bind(scope)
    .bind(incident)
    .bind(postmortem)
    .bind(entry.source.system)
    .bind(&entry.source.id)
    .bind(&entry.source.link)
    .bind(entry.at.as_second())
    .bind(&entry.text)
    .bind(entry.milestone.map(|m| m.name()))
    .bind(state)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?)
}

/// How a draft names its zone: as `[hooks]` writes it, else by its IANA name.
fn zone_label(configured: Option<&str>, zone: &TimeZone) -> String {
    configured
        .map(str::to_string)
        .or_else(|| zone.iana_name().map(str::to_string))
        .unwrap_or_else(|| "UTC".to_string())
}

/// The history's note for entries a delivery wrote itself.
fn joined_note(entries: &[Entry]) -> String {
    let mut systems: Vec<&str> = entries
        .iter()
        .map(|e| merge::source_label(e.source.system))
        .collect();
    systems.sort_unstable();
    systems.dedup();
    format!(
        "timeline: {} from {}",
        match entries.len() {
            1 => "an entry".to_string(),
            n => format!("{n} entries"),
        },
        systems.join(" and ")
    )
}

/// Refuses a document the store could not keep.
fn fits(document: &debrief_core::Postmortem) -> Result<()> {
    let length = debrief_core::write(document).len();
    if length > MAX_DOCUMENT_BYTES {
        return Err(StoreError::Invalid(format!(
            "with these entries the document would be {length} bytes; a postmortem may have at most {MAX_DOCUMENT_BYTES}"
        )));
    }
    Ok(())
}
