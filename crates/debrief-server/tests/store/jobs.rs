//! The job queue: enqueued once per key; taken by one instance at a time under a lease, and
//! taken again when the lease runs out; finished only by the lease's holder; retried after a
//! backoff or a rate limit's time; dead after too many attempts, and retried by an admin.

use crate::common::cast::Cast;
use debrief_server::store::{Failure, MAX_ATTEMPTS, StoreError, backoff};
use debrief_server::{Clock, Store};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

crate::on_both_stores!(jobs_are_leased_retried_and_dead_lettered);

/// The store on a clock the test moves.
fn on_clock(store: &Store) -> (Store, Arc<AtomicI64>) {
    let now = Arc::new(AtomicI64::new(1_800_000_000));
    let clock = now.clone();
    let store = store
        .clone()
        .with_clock(Clock::from_fn(move || clock.load(Ordering::SeqCst)));
    (store, now)
}

async fn jobs_are_leased_retried_and_dead_lettered(store: &Store, backend: &str) {
    let cast = Cast::new(store).await;
    let (store, now) = on_clock(store);
    let t0 = now.load(Ordering::SeqCst);
    assert!(
        store
            .enqueue("tracker.create", "item:1", "{}", t0)
            .await
            .expect("enqueue")
    );
    assert!(
        !store
            .enqueue("tracker.create", "item:1", "{}", t0)
            .await
            .expect("again"),
        "{backend}: one job per key"
    );
    store
        .enqueue("tracker.create", "item:2", "{\"n\":2}", t0 + 60)
        .await
        .expect("later");

    // Only what is due is taken, and only once while its lease holds.
    let taken = store.take_jobs("a", 10, 30).await.expect("take");
    assert_eq!(
        taken.iter().map(|j| j.key.as_str()).collect::<Vec<_>>(),
        ["item:1"],
        "{backend}"
    );
    assert_eq!(taken[0].attempts, 1);
    assert!(
        store.take_jobs("b", 10, 30).await.expect("take").is_empty(),
        "{backend}: leased"
    );

    // The lease runs out (instance a was killed): b takes it; a can no longer finish it.
    now.store(t0 + 31, Ordering::SeqCst);
    let again = store.take_jobs("b", 1, 30).await.expect("take again");
    assert_eq!(again[0].id, taken[0].id, "{backend}");
    assert_eq!(again[0].attempts, 2);
    assert!(
        !store.finish_job("a", taken[0].id).await.expect("finish"),
        "{backend}"
    );
    assert!(
        store.finish_job("b", taken[0].id).await.expect("finish"),
        "{backend}"
    );
    assert!(
        !store.finish_job("b", taken[0].id).await.expect("twice"),
        "{backend}"
    );

    // A failure is retried after the backoff, or at a rate limit's later time.
    now.store(t0 + 60, Ordering::SeqCst);
    let second = store.take_jobs("a", 10, 30).await.expect("take");
    assert_eq!(second.len(), 1, "{backend}");
    let id = second[0].id;
    let failed = store
        .fail_job(
            "a",
            id,
            &Failure::Retry {
                error: "500".into(),
                retry_at: None,
            },
        )
        .await
        .expect("fail")
        .expect("held");
    assert_eq!(
        (failed.state.as_str(), failed.run_after),
        ("queued", t0 + 60 + backoff(1))
    );
    now.store(failed.run_after, Ordering::SeqCst);
    let third = store.take_jobs("a", 10, 30).await.expect("take");
    let limited = store
        .fail_job(
            "a",
            third[0].id,
            &Failure::Retry {
                error: "429".into(),
                retry_at: Some(failed.run_after + 3600),
            },
        )
        .await
        .expect("fail")
        .expect("held");
    assert_eq!(
        limited.run_after,
        failed.run_after + 3600,
        "{backend}: Retry-After honoured"
    );
    now.store(limited.run_after - 1, Ordering::SeqCst);
    assert!(
        store.take_jobs("a", 10, 30).await.expect("take").is_empty(),
        "{backend}"
    );

    // Dead after the last attempt; an admin sees it and queues it again.
    let mut attempts = 2;
    let mut at = limited.run_after;
    loop {
        now.store(at, Ordering::SeqCst);
        let job = store.take_jobs("a", 1, 30).await.expect("take").remove(0);
        attempts += 1;
        assert_eq!(job.attempts, attempts, "{backend}");
        let after = store
            .fail_job(
                "a",
                job.id,
                &Failure::Retry {
                    error: "503".into(),
                    retry_at: None,
                },
            )
            .await
            .expect("fail")
            .expect("held");
        if after.state == "dead" {
            break;
        }
        at = after.run_after;
    }
    assert_eq!(attempts, MAX_ATTEMPTS, "{backend}");
    let dead = store.dead_jobs(&cast.admin).await.expect("dead");
    assert_eq!(dead.len(), 1, "{backend}");
    assert_eq!(dead[0].last_error.as_deref(), Some("503"));
    assert!(matches!(
        store.dead_jobs(&cast.dev).await,
        Err(StoreError::Forbidden(_))
    ));
    store.retry_job(&cast.admin, id).await.expect("retry");
    let back = store.take_jobs("a", 1, 30).await.expect("take");
    assert_eq!((back[0].id, back[0].attempts), (id, 1), "{backend}");
    // A permanent failure is dead at once.
    let dead_now = store
        .fail_job("a", id, &Failure::Permanent("422: invalid".into()))
        .await
        .expect("fail")
        .expect("held");
    assert_eq!(dead_now.state, "dead", "{backend}");
}

/// Two instances on one database draining the queue at once: every job is taken by exactly
/// one of them.
async fn two_instances_take_each_job_once(url: &str, backend: &str) {
    let a = Store::connect(url).await.expect("instance a");
    let b = Store::connect(url).await.expect("instance b");
    let now = a.clock().now();
    for i in 0..200 {
        a.enqueue("reminder.send", &format!("reminder:{i}"), "{}", now)
            .await
            .expect("enqueue");
    }
    let drain = |store: Store, name: &'static str| {
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let jobs = store.take_jobs(name, 7, 300).await.expect("take");
                if jobs.is_empty() {
                    break mine;
                }
                for job in jobs {
                    assert!(store.finish_job(name, job.id).await.expect("finish"));
                    mine.push(job.id);
                }
            }
        })
    };
    let (from_a, from_b) = tokio::join!(drain(a.clone(), "a"), drain(b.clone(), "b"));
    let (from_a, from_b) = (from_a.expect("a"), from_b.expect("b"));
    let mut all: Vec<i64> = from_a.iter().chain(&from_b).copied().collect();
    all.sort_unstable();
    let before = all.len();
    all.dedup();
    assert_eq!(
        (before, all.len()),
        (200, 200),
        "{backend}: none twice, none lost"
    );
    a.close().await;
    b.close().await;
}

#[tokio::test]
async fn two_instances_take_each_job_once_on_sqlite() {
    let test = crate::common::sqlite().await;
    let url = test.url.clone().expect("a URL");
    two_instances_take_each_job_once(&url, "sqlite").await;
    test.finish().await;
}

#[tokio::test]
async fn two_instances_take_each_job_once_on_postgres() {
    let name = "two_instances_take_each_job_once_on_postgres";
    if let Some(test) = crate::common::postgres(name).await {
        let url = test.url.clone().expect("a URL");
        two_instances_take_each_job_once(&url, "postgres").await;
        test.finish().await;
    }
}
