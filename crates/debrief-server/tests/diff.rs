//! Comparing two versions stays cheap however much changed: two versions of 60,000
//! paragraphs that differ everywhere took 69 s to compare (quadratic), and two such requests
//! at once stalled the whole server. The comparison now anchors on unique lines within a
//! deadline, and runs on a blocking thread.
mod common;

use common::server::Server;
use debrief_server::Role;
use debrief_server::store::diff_versions;
use std::time::{Duration, Instant};

fn document(paragraphs: usize, edit: &str) -> String {
    let mut text = String::from("# Postmortem: Large, 2026-06-14\n\n## Summary\n\n");
    for i in 0..paragraphs {
        text.push_str(&format!("Paragraph {i} of the narrative, {edit}.\n\n"));
    }
    text
}

#[tokio::test]
async fn a_diff_where_everything_changed_is_bounded() {
    let (old, new) = (
        document(60_000, "first draft"),
        document(60_000, "reviewed"),
    );
    let diff = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::task::spawn_blocking(move || diff_versions(&old, &new, 1, 2)),
    )
    .await
    .expect("the comparison finishes within a minute, even unoptimised")
    .expect("the comparison");
    // Every paragraph changed: at least each of them is removed and added (the blank lines
    // between them may go too, since the search stops at the deadline).
    assert!((60_000..=120_000).contains(&diff.added), "{}", diff.added);
    assert!(
        (60_000..=120_000).contains(&diff.removed),
        "{}",
        diff.removed
    );
    assert!(diff.unified.starts_with("--- version 1\n+++ version 2\n"));
}

#[test]
fn a_small_edit_is_a_small_diff() {
    let old = document(200, "first draft");
    let new = old.replace(
        "Paragraph 17 of the narrative, first draft",
        "Paragraph 17, rewritten",
    );
    let diff = diff_versions(&old, &new, 3, 4);
    assert_eq!((diff.added, diff.removed), (1, 1));
    assert!(
        diff.unified
            .contains("-Paragraph 17 of the narrative, first draft.")
    );
    assert!(diff.unified.contains("+Paragraph 17, rewritten."));
}

/// Two large comparisons at once do not hold up the server: health answers while they run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_answers_while_large_diffs_run() {
    let test = common::sqlite().await;
    let admin = common::user(&test.store, "admin", "SRE", Role::Admin).await;
    let token = test.store.create_token(&admin, "t").await.expect("token");
    let created = test
        .store
        .create_postmortem(&admin, &document(20_000, "first draft"))
        .await
        .expect("created");
    test.store
        .update_postmortem(&admin, created.id, 1, &document(20_000, "reviewed"), "")
        .await
        .expect("updated");
    let server = Server::start(test.store.clone()).await;
    let diff = |client: reqwest::Client| {
        let url = format!(
            "{}/api/v1/postmortems/{}/diff?from=1&to=2",
            server.base, created.id
        );
        let token = token.clone();
        async move {
            client
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .expect("diff")
                .status()
        }
    };
    let client = common::server::client();
    let diffs = tokio::spawn({
        let (a, b) = (diff(client.clone()), diff(client.clone()));
        async move { tokio::join!(a, b) }
    });
    let started = Instant::now();
    let health = client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .expect("health");
    let waited = started.elapsed();
    assert!(health.status().is_success());
    assert!(waited < Duration::from_secs(5), "health waited {waited:?}");
    let (a, b) = diffs.await.expect("diffs");
    assert!(a.is_success() && b.is_success(), "{a} {b}");
    server.stop().await;
    test.finish().await;
}
