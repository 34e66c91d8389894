//! The work the job queue does for action items: creating each item's issue in its tracker
//! and writing the reference back, bringing the trackers' states back (from webhooks, and
//! by reconciling now and then for deliveries that never came).
//!
//! Exactly once: the job that creates an issue records its intent before it calls the
//! tracker ([`Store::record_intent`]); an attempt that finds an earlier one's intent without
//! an issue (the answer was lost, the instance was killed) looks for the issue by its
//! marker before creating one. The queue runs a job on one instance at a time under a lease
//! far longer than a tracker request may take, so a second attempt starts only after the
//! first one's requests have ended.

use crate::store::{
    CREATE_JOB, CreateIssue, Failure, ItemAt, Job, Result as StoreResult, Store, StoreError,
};
use debrief_core::edit::{ItemEdit, ItemState};
use debrief_core::model::ActionItem;
use debrief_trackers::webhooks::Event;
use debrief_trackers::{RemoteState, Status, Tracker, TrackerConfig, TrackerError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The job that reconciles every tracked item with its tracker.
pub const RECONCILE_JOB: &str = "tracker.reconcile";

/// How long a job is held before another instance may take it again, by default: far
/// longer than the requests of one job may take (a 30-second timeout each).
pub const LEASE_SECONDS: i64 = 300;

/// Jobs taken at a time.
const BATCH: i64 = 8;

/// Runs the queue's jobs on one instance.
#[derive(Clone)]
pub struct Worker {
    store: Store,
    /// This instance's name in the queue's leases.
    name: String,
    /// The server's address as people reach it, for the links in issues.
    public_url: Option<String>,
    /// How often to look for due jobs when there were none.
    poll: Duration,
    /// Seconds between reconciliations.
    reconcile_every: i64,
    /// Seconds a job is held (see [`LEASE_SECONDS`]).
    lease: i64,
    /// Clients, made once per tracker; a tracker whose token is missing says so per job.
    clients: Arc<Mutex<HashMap<String, Tracker>>>,
    /// Trackers that limit the rate, until when (Unix seconds): their jobs wait without a
    /// request.
    limited: Arc<Mutex<HashMap<String, (i64, String)>>>,
}

impl Worker {
    /// A worker for `store`, named after this process.
    pub fn new(store: Store, public_url: Option<String>) -> Worker {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "debrief".to_string());
        Worker {
            store,
            name: format!("{host}-{}", std::process::id()),
            public_url: public_url.map(|u| u.trim_end_matches('/').to_string()),
            poll: Duration::from_secs(1),
            reconcile_every: 900,
            lease: LEASE_SECONDS,
            clients: Arc::default(),
            limited: Arc::default(),
        }
    }

    /// The same worker under another name: two workers in one test are two instances.
    pub fn named(mut self, name: &str) -> Worker {
        self.name = name.to_string();
        self
    }

    /// Holds each job this long before another instance may take it again: how soon the
    /// work of an instance that died is taken up elsewhere. Keep it longer than a tracker
    /// request may take (30 s), or a slow request may be made twice.
    pub fn leasing(mut self, seconds: i64) -> Worker {
        self.lease = seconds.max(1);
        self
    }

    /// Looks for due jobs this often when there were none.
    pub fn polling(mut self, poll: Duration) -> Worker {
        self.poll = poll;
        self
    }

    /// Runs until `shutdown` completes; a job under way is finished first.
    pub async fn run(self, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            let ran = match self.run_due().await {
                Ok(ran) => ran,
                Err(error) => {
                    tracing::warn!(%error, "the job queue could not be read");
                    0
                }
            };
            if ran > 0 {
                continue;
            }
            tokio::select! {
                () = &mut shutdown => break,
                () = tokio::time::sleep(self.poll) => {}
            }
        }
    }

    /// Takes the jobs that are due and runs them; returns how many ran.
    pub async fn run_due(&self) -> StoreResult<usize> {
        if !self.store.policy().trackers.trackers.is_empty() {
            self.schedule_reconcile().await?;
        }
        if self.store.policy().notify.enabled() {
            self.schedule_scan().await?;
        }
        let jobs = self.store.take_jobs(&self.name, BATCH, self.lease).await?;
        for job in &jobs {
            match self.run_job(job).await {
                Ok(()) => {
                    self.store.finish_job(&self.name, job.id).await?;
                }
                Err(failure) => {
                    if let Some(now) = self.store.fail_job(&self.name, job.id, &failure).await? {
                        tracing::warn!(
                            job = job.id,
                            kind = %job.kind,
                            state = %now.state,
                            attempts = now.attempts,
                            error = now.last_error.as_deref().unwrap_or(""),
                            "a job did not succeed"
                        );
                    }
                }
            }
        }
        Ok(jobs.len())
    }

    /// Runs until no job is due: what tests call.
    pub async fn drain(&self) -> StoreResult<usize> {
        let mut total = 0;
        loop {
            let ran = self.run_due().await?;
            if ran == 0 {
                return Ok(total);
            }
            total += ran;
        }
    }

    /// One reconciliation per period, whichever instance asks first.
    async fn schedule_reconcile(&self) -> StoreResult<()> {
        let now = self.store.clock().now();
        let period = now / self.reconcile_every;
        self.store
            .enqueue(
                RECONCILE_JOB,
                &format!("{RECONCILE_JOB}:{period}"),
                "{}",
                period * self.reconcile_every,
            )
            .await?;
        Ok(())
    }

    async fn run_job(&self, job: &Job) -> Result<(), Failure> {
        let result = self.run_kind(job).await;
        // A tracker that limits the rate will refuse the next jobs too: they wait.
        if let (Err(Failure::Postpone { reason, until }), Some(tracker)) =
            (&result, tracker_of(job))
        {
            self.limited
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(tracker, (*until, reason.clone()));
        }
        result
    }

    /// One reminder scan an hour, whichever instance asks first.
    async fn schedule_scan(&self) -> StoreResult<()> {
        let hour = self.store.clock().now() / 3600;
        self.store
            .enqueue(
                crate::reminders::SCAN_JOB,
                &format!("{}:{hour}", crate::reminders::SCAN_JOB),
                "{}",
                hour * 3600,
            )
            .await?;
        Ok(())
    }

    async fn run_kind(&self, job: &Job) -> Result<(), Failure> {
        match job.kind.as_str() {
            crate::reminders::SCAN_JOB => {
                let now = self.store.clock().now();
                crate::reminders::scan(&self.store, now, self.public_url.as_deref())
                    .await
                    .map(|_| ())
                    .map_err(store_failure)
            }
            crate::reminders::SEND_JOB => {
                let send: crate::reminders::Send =
                    serde_json::from_str(&job.payload).map_err(|e| {
                        Failure::Permanent(format!("a payload debrief cannot read: {e}"))
                    })?;
                crate::reminders::deliver(&self.store, &send).await
            }
            CREATE_JOB => {
                let work: CreateIssue = serde_json::from_str(&job.payload).map_err(|e| {
                    Failure::Permanent(format!("a payload debrief cannot read: {e}"))
                })?;
                self.create_issue(&work).await
            }
            RECONCILE_JOB => self.reconcile().await,
            other => Err(Failure::Permanent(format!("no job is called {other:?}"))),
        }
    }

    /// The client of tracker `name`, unless it limits the rate now: then the job waits.
    fn tracker(&self, name: &str) -> Result<Tracker, Failure> {
        let now = self.store.clock().now();
        if let Some((until, reason)) = self
            .limited
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .filter(|(until, _)| *until > now)
        {
            return Err(Failure::Postpone {
                reason: reason.clone(),
                until: *until,
            });
        }
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(client) = clients.get(name) {
            return Ok(client.clone());
        }
        let config = self.store.policy().trackers.named(name).ok_or_else(|| {
            Failure::Permanent(format!("tracker {name} is no longer in debrief.toml"))
        })?;
        let client = Tracker::connect(config).map_err(failure)?;
        clients.insert(name.to_string(), client.clone());
        Ok(client)
    }

    /// Creates an item's issue, exactly once, and writes its reference back.
    async fn create_issue(&self, work: &CreateIssue) -> Result<(), Failure> {
        let system = self.store.system_user().await.map_err(store_failure)?;
        let current = match self.store.postmortem(&system, work.postmortem).await {
            Ok(current) => current,
            Err(StoreError::NotFound) => return Ok(()),
            Err(error) => return Err(store_failure(error)),
        };
        let document = debrief_core::read(&current.markdown).postmortem;
        // The item may have been tracked, settled or edited away since the job was asked for.
        let Some(item) = document.action_items().find(|item| {
            item.tracker.is_none()
                && crate::store::item_marker(work.postmortem, item) == work.marker
        }) else {
            return Ok(());
        };
        if item.is_settled() {
            return Ok(());
        }
        let tracker = self.tracker(&work.tracker)?;
        let intent = self
            .store
            .record_intent(&work.marker, &work.tracker, work.postmortem)
            .await
            .map_err(store_failure)?;
        let (key, url) = match intent.issue {
            Some(issue) => issue,
            None => {
                let found = if intent.earlier {
                    tracker
                        .find(&work.marker, intent.recorded_at)
                        .await
                        .map_err(failure)?
                } else {
                    None
                };
                let issue = match found {
                    Some(issue) => issue,
                    None => {
                        let link = self
                            .public_url
                            .as_ref()
                            .map(|base| format!("{base}/postmortems/{}", work.postmortem));
                        let new = debrief_trackers::issue_for(
                            &tracker.config,
                            item,
                            &document.meta,
                            link.as_deref(),
                            &work.marker,
                        );
                        match tracker.create(&new).await {
                            Ok(issue) => issue,
                            Err(error) => {
                                // A refusal the tracker answered with (a rate limit, an
                                // invalid request) created nothing: the next attempt need
                                // not look for it. Only a lost answer leaves the intent open.
                                if answered(&error) {
                                    self.store
                                        .forget_intent(&work.marker)
                                        .await
                                        .map_err(store_failure)?;
                                }
                                return Err(failure(error));
                            }
                        }
                    }
                };
                self.store
                    .intent_fulfilled(&work.marker, &issue.key, &issue.url)
                    .await
                    .map_err(store_failure)?;
                (issue.key, issue.url)
            }
        };
        let edit = ItemEdit {
            tracker: Some(url),
            ..ItemEdit::default()
        };
        let note = format!("tracker: {key} in {} for an action item", work.tracker);
        self.store
            .edit_item(
                work.postmortem,
                &ItemAt::Marker(work.marker.clone()),
                |_| edit.clone(),
                &note,
            )
            .await
            .map_err(store_failure)?;
        Ok(())
    }

    /// Reads every tracked item's issue of the published postmortems and writes back what
    /// changed: the deliveries a webhook missed.
    async fn reconcile(&self) -> Result<(), Failure> {
        let items = self.store.tracked_items().await.map_err(store_failure)?;
        let trackers = self.store.policy().trackers.clone();
        for (_, reference) in items {
            let Some(config) = trackers
                .trackers
                .iter()
                .find(|t| debrief_trackers::issue_id(t, &reference).is_some())
            else {
                continue;
            };
            let tracker = self.tracker(&config.name)?;
            let status = match tracker.status(&reference).await {
                Ok(status) => status,
                // An issue that is gone or unreadable is not the others' business.
                Err(TrackerError::Permanent(error)) => {
                    tracing::warn!(%reference, %error, "an issue could not be read");
                    continue;
                }
                Err(error) => return Err(failure(error)),
            };
            let event = Event {
                references: vec![reference.clone()],
                status,
            };
            apply(&self.store, config, &event)
                .await
                .map_err(store_failure)?;
        }
        Ok(())
    }
}

/// The tracker a job calls, when its payload names one.
fn tracker_of(job: &Job) -> Option<String> {
    serde_json::from_str::<CreateIssue>(&job.payload)
        .ok()
        .map(|work| work.tracker)
}

/// Writes what a tracker says of an issue into every postmortem whose action item refers
/// to it: its state (done, declined with the reason, open again), its assignee as the
/// owner the tracker's user maps to, its due date. Returns how many postmortems changed;
/// a delivery that says what the document says already changes nothing.
pub async fn apply(store: &Store, config: &TrackerConfig, event: &Event) -> StoreResult<usize> {
    let ids = store.postmortems_tracking(&event.references).await?;
    let mut changed = 0;
    for id in ids {
        let note = format!("{}: {}", config.name, describe(&event.status));
        let at = ItemAt::Reference(event.references.clone());
        let edit = |item: &ActionItem| edit_for(config, item, &event.status);
        if store.edit_item(id, &at, edit, &note).await?.is_some() {
            changed += 1;
        }
    }
    Ok(changed)
}

/// The change a status asks of an item. The owner changes only when the tracker's assignee
/// is not the user the item's owner maps to already, and maps back to an owner.
fn edit_for(config: &TrackerConfig, item: &ActionItem, status: &Status) -> ItemEdit {
    let current = item.owner.as_deref().and_then(|o| config.assignee(o));
    let assignee = status.assignee.as_deref().filter(|a| current != Some(*a));
    let owner = assignee.and_then(|assignee| {
        config
            .owners
            .iter()
            .find(|(_, user)| user.as_str() == assignee)
            .map(|(owner, _)| {
                if owner.contains(char::is_whitespace) {
                    owner.clone()
                } else {
                    format!("@{owner}")
                }
            })
    });
    ItemEdit {
        tracker: None,
        state: Some(match &status.state {
            RemoteState::Open => ItemState::Open,
            RemoteState::Done => ItemState::Done,
            RemoteState::Declined(reason) => ItemState::Declined(reason.clone()),
        }),
        owner,
        // A due date only when the tracker's differs from the day the item names.
        due: status.due.clone().filter(|due| {
            item.due
                .as_ref()
                .and_then(|d| d.date)
                .is_none_or(|date| date.to_string() != *due)
        }),
    }
}

fn describe(status: &Status) -> String {
    match &status.state {
        RemoteState::Open => "an action item is open".into(),
        RemoteState::Done => "an action item is done".into(),
        RemoteState::Declined(reason) => format!("an action item is declined ({reason})"),
    }
}

/// Whether the tracker answered (and so created nothing), rather than the answer being
/// lost: a rate limit names its time, and a permanent refusal is an answer.
fn answered(error: &TrackerError) -> bool {
    matches!(
        error,
        TrackerError::Retry {
            retry_at: Some(_),
            ..
        } | TrackerError::Permanent(_)
    )
}

/// What a tracker's refusal means for the job.
fn failure(error: TrackerError) -> Failure {
    match error {
        TrackerError::Retry {
            message,
            retry_at: Some(until),
        } => Failure::Postpone {
            reason: message,
            until,
        },
        TrackerError::Retry {
            message,
            retry_at: None,
        } => Failure::Retry {
            error: message,
            retry_at: None,
        },
        TrackerError::Permanent(message) => Failure::Permanent(message),
    }
}

/// A store that failed under a job: worth another try (the database may be back).
fn store_failure(error: StoreError) -> Failure {
    Failure::Retry {
        error: error.to_string(),
        retry_at: None,
    }
}
