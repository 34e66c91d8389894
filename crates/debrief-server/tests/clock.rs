//! The store keeps time by the clock it is given: versions, the audit log and the 48-hour
//! assignment window all follow it, so a test (or a demonstration) can set the time.

mod common;

use debrief_server::{Clock, Role};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

const START: i64 = 1_780_000_000;
const HOUR: i64 = 3600;

#[tokio::test]
async fn the_assignment_window_runs_on_the_stores_clock() {
    let test = common::sqlite().await;
    let now = Arc::new(AtomicI64::new(START));
    let clock = {
        let now = now.clone();
        Clock::from_fn(move || now.load(Ordering::SeqCst))
    };
    let store = test.store.clone().with_clock(clock);
    let admin = common::user(&store, "admin", "SRE", Role::Admin).await;
    // No resolution on the timeline: the window runs from when the postmortem was started.
    let created = store
        .create_postmortem(&admin, "# Postmortem: Clock\n\n## Summary\n\nS.\n")
        .await
        .expect("postmortem");
    assert_eq!(created.created_at, START);
    assert_eq!(created.assignment.due_at, START + 48 * HOUR);
    assert!(!created.assignment.overdue);

    now.store(START + 47 * HOUR, Ordering::SeqCst);
    let read = store.postmortem(&admin, created.id).await.expect("read");
    assert!(!read.assignment.overdue, "47 hours in, not yet due");

    now.store(START + 49 * HOUR, Ordering::SeqCst);
    let read = store.postmortem(&admin, created.id).await.expect("read");
    assert!(
        read.assignment.overdue,
        "49 hours in, nobody assigned: overdue"
    );
    let history = store.history(&admin, created.id).await.expect("history");
    assert_eq!(history[0].created_at, START);
    let audit = store.audit_log(&admin).await.expect("audit");
    assert!(audit.iter().all(|entry| entry.at == START), "{audit:?}");
    test.finish().await;
}
