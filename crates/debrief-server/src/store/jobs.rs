//! The durable job queue, in the store's own database so that every instance shares it: work
//! done outside a request, such as creating an issue in a tracker or sending a reminder.
//!
//! A job is taken under a lease (`lease_until`) by one instance at a time: on PostgreSQL the
//! instances take due jobs with `FOR UPDATE SKIP LOCKED`, so that two never wait on or take
//! the same row; on SQLite the taking transaction holds the write lock. A job whose lease ran
//! out (its instance was killed) is taken again, so no job is lost; only the lease's holder
//! can finish it, so a job taken again is finished once. The queue delivers at least once:
//! a job's work must tolerate being started twice (the trackers record their intent and
//! look for what an earlier attempt created before creating anything).
//!
//! A failed attempt is retried after an exponential backoff, or at the time a rate limit
//! names; after [`MAX_ATTEMPTS`] it is dead, listed for admins and retried only when one asks.

use super::query::Param;
use super::{Backend, Result, Store, StoreError, User};

/// Attempts before a job is dead.
pub const MAX_ATTEMPTS: i64 = 8;

/// The first retry's wait, in seconds; each further one waits twice as long, up to
/// [`MAX_BACKOFF`].
const FIRST_BACKOFF: i64 = 30;

/// The longest wait between two attempts, in seconds.
const MAX_BACKOFF: i64 = 6 * 3600;

/// A job as the queue keeps it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Job {
    /// Its id.
    pub id: i64,
    /// What to do: `tracker.create`, `reminder.send`, ...
    pub kind: String,
    /// What makes it this piece of work and no other: enqueuing the same key again adds
    /// nothing.
    pub key: String,
    /// Its arguments, as JSON.
    pub payload: String,
    /// `queued`, `running`, `done` or `dead`.
    pub state: String,
    /// Attempts begun so far.
    pub attempts: i64,
    /// Not to be run before this time (Unix seconds).
    pub run_after: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

/// How an attempt ended, when it did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Worth trying again: after the backoff, or not before `retry_at` (Unix seconds) when
    /// the other side said when (`Retry-After`, `X-RateLimit-Reset`).
    Retry {
        /// What went wrong.
        error: String,
        /// The time the other side named, if any.
        retry_at: Option<i64>,
    },
    /// Trying again cannot help (the tracker refused the request as invalid): dead now.
    Permanent(String),
    /// Not tried: the other side limits the rate until `until` (Unix seconds). The job
    /// waits until then, and the attempt is not counted: a rate limit is not a failure.
    Postpone {
        /// Why.
        reason: String,
        /// Not before this time.
        until: i64,
    },
}

/// How many jobs are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobCounts {
    /// Waiting for their time.
    pub queued: i64,
    /// Taken by an instance.
    pub running: i64,
    /// Done.
    pub done: i64,
    /// Failed for good: listed for admins.
    pub dead: i64,
}

/// The wait before attempt `attempts + 1`, in seconds: 30 s, 1 min, 2 min... up to six hours.
pub fn backoff(attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    FIRST_BACKOFF
        .saturating_mul(1_i64 << doublings)
        .min(MAX_BACKOFF)
}

/// The columns of a [`Job`].
const JOB_FIELDS: &str = "id, kind, key, payload, state, attempts, run_after, last_error";

impl Store {
    /// Adds a job to run from `run_after` on, unless one with the same `key` exists already
    /// (in any state): asking twice for the same work adds it once. Returns whether it was
    /// added.
    pub async fn enqueue(
        &self,
        kind: &str,
        key: &str,
        payload: &str,
        run_after: i64,
    ) -> Result<bool> {
        let mut conn = self.pool.acquire().await?;
        self.enqueue_on(&mut conn, kind, key, payload, run_after)
            .await
    }

    /// [`Store::enqueue`] in the caller's transaction: the job exists if and only if what
    /// asked for it was committed.
    pub(super) async fn enqueue_in(
        &self,
        tx: &mut super::Tx,
        kind: &str,
        key: &str,
        payload: &str,
        run_after: i64,
    ) -> Result<bool> {
        self.enqueue_on(tx, kind, key, payload, run_after).await
    }

    async fn enqueue_on(
        &self,
        conn: &mut sqlx::AnyConnection,
        kind: &str,
        key: &str,
        payload: &str,
        run_after: i64,
    ) -> Result<bool> {
        let now = self.clock.now();
        let added = sqlx::query(
            "INSERT INTO jobs (kind, key, payload, state, attempts, run_after, created_at, updated_at)
             VALUES ($1, $2, $3, 'queued', 0, $4, $5, $5) ON CONFLICT (key) DO NOTHING",
        )
        .bind(kind)
        .bind(key)
        .bind(payload)
        .bind(run_after)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        Ok(added.rows_affected() == 1)
    }

    /// Takes up to `limit` jobs that are due (queued and past their time, or running under
    /// a lease that ran out) for `worker` (an instance's name), each under a lease of
    /// `lease_seconds`, and counts the attempt.
    pub async fn take_jobs(
        &self,
        worker: &str,
        limit: i64,
        lease_seconds: i64,
    ) -> Result<Vec<Job>> {
        let now = self.clock.now();
        let mut tx = self.begin_write().await?;
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let due: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM jobs
             WHERE (state = 'queued' AND run_after <= $1) OR (state = 'running' AND lease_until < $1)
             ORDER BY run_after, id LIMIT $2{lock}"
        )))
        .bind(now)
        .bind(limit.clamp(1, 100))
        .fetch_all(&mut *tx)
        .await?;
        if due.is_empty() {
            tx.commit().await?;
            return Ok(Vec::new());
        }
        // One statement for every job taken.
        let mut query = super::query::Query::default();
        let lease = query.param(Param::Int(now + lease_seconds));
        let holder = query.param(Param::Text(worker.to_string()));
        let at = query.param(Param::Int(now));
        let ids: Vec<String> = due
            .iter()
            .map(|id| format!("${}", query.param(Param::Int(*id))))
            .collect();
        query.sql = format!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = ${lease},
             leased_by = ${holder}, updated_at = ${at} WHERE id IN ({})
             RETURNING {JOB_FIELDS}",
            ids.join(", ")
        );
        let mut taken: Vec<Job> = query.fetch_all(&mut *tx).await?;
        taken.sort_by_key(|j| (j.run_after, j.id));
        tx.commit().await?;
        Ok(taken)
    }

    /// Marks a job done, if `worker` still holds its lease; `false` when it does not (its
    /// lease ran out and another instance took the job, which will finish it).
    pub async fn finish_job(&self, worker: &str, id: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL, updated_at = $1
             WHERE id = $2 AND state = 'running' AND leased_by = $3",
        )
        .bind(self.clock.now())
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a failed attempt, if `worker` still holds the job's lease: queued again after
    /// the backoff (or at the time the other side named), or dead after [`MAX_ATTEMPTS`] or
    /// a permanent failure. Returns the job as it is now, or `None` if the lease was lost.
    pub async fn fail_job(&self, worker: &str, id: i64, failure: &Failure) -> Result<Option<Job>> {
        let now = self.clock.now();
        let mut tx = self.begin_write().await?;
        let current: Option<Job> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {JOB_FIELDS} FROM jobs WHERE id = $1 AND state = 'running' AND leased_by = $2"
        )))
        .bind(id)
        .bind(worker)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(job) = current else {
            return Ok(None);
        };
        let mut attempts = job.attempts;
        let (state, run_after, error) = match failure {
            Failure::Permanent(error) => ("dead", job.run_after, error),
            Failure::Postpone { reason, until } => {
                attempts -= 1;
                ("queued", (*until).max(now), reason)
            }
            Failure::Retry { error, .. } if job.attempts >= MAX_ATTEMPTS => {
                ("dead", job.run_after, error)
            }
            Failure::Retry { error, retry_at } => {
                let after = now + backoff(job.attempts);
                // A rate limit's time wins when it is later than the backoff.
                ("queued", retry_at.map_or(after, |at| at.max(after)), error)
            }
        };
        let error: String = error.chars().take(2000).collect();
        sqlx::query(
            "UPDATE jobs SET state = $1, run_after = $2, last_error = $3, lease_until = NULL,
             leased_by = NULL, updated_at = $4, attempts = $6 WHERE id = $5",
        )
        .bind(state)
        .bind(run_after)
        .bind(&error)
        .bind(now)
        .bind(id)
        .bind(attempts)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(Job {
            attempts,
            state: state.to_string(),
            run_after,
            last_error: Some(error),
            ..job
        }))
    }

    /// How many jobs are in each state: for the metrics, and for whoever waits for the
    /// queue to empty.
    pub async fn job_counts(&self) -> Result<JobCounts> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT state, COUNT(*) FROM jobs GROUP BY state")
                .fetch_all(&self.pool)
                .await?;
        let mut counts = JobCounts::default();
        for (state, n) in rows {
            match state.as_str() {
                "queued" => counts.queued = n,
                "running" => counts.running = n,
                "done" => counts.done = n,
                _ => counts.dead += n,
            }
        }
        Ok(counts)
    }

    /// The dead jobs, newest first (admins only): what needs a person.
    pub async fn dead_jobs(&self, viewer: &User) -> Result<Vec<Job>> {
        require_admin(viewer)?;
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {JOB_FIELDS} FROM jobs WHERE state = 'dead' ORDER BY updated_at DESC, id DESC LIMIT 500"
        )))
        .fetch_all(&self.pool)
        .await?)
    }

    /// Queues a dead job again, with its attempts counted from zero (admins only).
    pub async fn retry_job(&self, actor: &User, id: i64) -> Result<()> {
        require_admin(actor)?;
        let now = self.clock.now();
        let retried = sqlx::query(
            "UPDATE jobs SET state = 'queued', attempts = 0, run_after = $1, updated_at = $1
             WHERE id = $2 AND state = 'dead'",
        )
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        if retried.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

fn require_admin(user: &User) -> Result<()> {
    if user.role == super::Role::Admin {
        Ok(())
    } else {
        Err(StoreError::Forbidden(
            "only an admin sees the job queue".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_up_to_six_hours() {
        assert_eq!(
            (1..=5).map(backoff).collect::<Vec<_>>(),
            [30, 60, 120, 240, 480]
        );
        assert_eq!(backoff(30), MAX_BACKOFF);
        assert_eq!(backoff(0), 30);
    }
}
