//! Action items to done, on both databases, against a local fake of GitHub's issues API:
//! publishing asks for one issue per open item; two instances draining the queue at once
//! create each exactly once, with a failure retried, a rate limit waited out and a lost
//! answer found again by its marker; the references come back as a new version; webhooks
//! with a wrong signature change nothing, and right ones (duplicates included) bring the
//! issue's state back until the postmortem closes.

#[path = "common/mod.rs"]
mod common;

use common::server::{Server, read};
use debrief_core::model::ActionItem;
use debrief_fakes::{FakeGitHub, GITHUB_TOKEN, Refusal};
use debrief_server::store::{CreateIssue, Part};
use debrief_server::tracking::Worker;
use debrief_server::workflow::{Settings, State};
use debrief_server::{Clock, Policy, Role, Store};
use debrief_trackers::{Trackers, webhooks};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

const SECRET: &str = "a webhook secret";

/// The store with a tracker on the fake, no required roles, on a clock the test moves
/// (starting at the real time, which the fake's rate-limit headers are written in).
fn configured(store: &Store, fake: &FakeGitHub) -> (Store, Arc<AtomicI64>) {
    let config = format!(
        "[trackers.platform]\nkind = \"github\"\nurl = \"{}\"\nproject = \"acme/platform\"\n\
         token_env = \"GH_TOKEN\"\nwebhook_secret_env = \"GH_HOOK\"\ndefault = true\n\n\
         [trackers.platform.owners]\n\"@sre\" = \"sre-gh\"\n\"@dev\" = \"dev-gh\"\n",
        fake.base
    );
    let trackers = Trackers::from_toml(&config)
        .expect("a valid configuration")
        .with_environment(BTreeMap::from([
            ("GH_TOKEN".to_string(), GITHUB_TOKEN.to_string()),
            ("GH_HOOK".to_string(), SECRET.to_string()),
        ]));
    let now = Arc::new(AtomicI64::new(jiff::Timestamp::now().as_second()));
    let clock = now.clone();
    let store = store
        .clone()
        .with_policy(Policy {
            workflow: Settings {
                required_roles: Vec::new(),
                ..Settings::default()
            },
            lint: debrief_lint::Config::default(),
            trackers,
            notify: Default::default(),
            hooks: Default::default(),
        })
        .with_clock(Clock::from_fn(move || clock.load(Ordering::SeqCst)));
    (store, now)
}

const DOCUMENT: &str = "---
title: Checkout errors
date: 2026-06-14
status: reviewed
---

# Checkout errors

## Summary

The cache's connection pool ran out under a retry storm.

## Action items

- [ ] Alert on cache connection saturation (owner: @sre, due: 2026-07-01)
- [ ] Add jitter to client retries (owner: @dev, due: 2026-07-15)
- [x] Raise the pool size (owner: @sre, due: 2026-06-15)
";

/// The postmortem's items, as its current version says.
async fn items(store: &Store, id: i64) -> Vec<ActionItem> {
    let system = store.system_user().await.expect("the system account");
    let markdown = store.postmortem(&system, id).await.expect("read").markdown;
    debrief_core::read(&markdown)
        .postmortem
        .action_items()
        .cloned()
        .collect()
}

async fn publish(store: &Store) -> i64 {
    let admin = common::user(store, "admin", "SRE", Role::Admin).await;
    common::user(store, "fran", "Product", Role::Contributor).await;
    common::user(store, "sam", "Support", Role::Contributor).await;
    let created = store
        .create_postmortem(&admin, DOCUMENT)
        .await
        .expect("created");
    let mut version = created.version;
    for (part, who) in [(Part::Facilitator, "fran"), (Part::Scribe, "sam")] {
        version = store
            .assign(&admin, created.id, version, part, who)
            .await
            .expect("assigned")
            .version;
    }
    let published = store
        .transition(&admin, created.id, version, State::Published)
        .await
        .expect("published");
    assert_eq!(published.status, State::Published);
    created.id
}

on_both_stores_with_url!(publishing_creates_each_issue_exactly_once);

async fn publishing_creates_each_issue_exactly_once(store: &Store, url: &str, backend: &str) {
    let fake = FakeGitHub::start().await;
    let (store, now) = configured(store, &fake);
    let id = publish(&store).await;
    let open: Vec<ActionItem> = items(&store, id).await.into_iter().take(2).collect();

    // The first attempt's answer was lost after the tracker created the issue: its intent
    // is recorded, and the issue exists. The queue must find it, not create another.
    let first_marker = debrief_server::store::item_marker(id, &open[0]);
    store
        .record_intent(&first_marker, "platform", id)
        .await
        .expect("intent");
    let tracker = debrief_trackers::Tracker::connect(
        store.policy().trackers.named("platform").expect("platform"),
    )
    .expect("a client");
    let meta = debrief_core::read(DOCUMENT).postmortem.meta;
    let config = tracker.config.clone();
    tracker
        .create(&debrief_trackers::issue_for(
            &config,
            &open[0],
            &meta,
            None,
            &first_marker,
        ))
        .await
        .expect("created by the lost attempt");

    // The tracker fails once, then limits the rate for two minutes.
    fake.state().refusals = vec![
        Refusal {
            status: 500,
            headers: vec![],
            body: json!({"message": "Server Error"}),
        },
        Refusal {
            status: 429,
            headers: vec![("retry-after", "120".into())],
            body: json!({"message": "secondary rate limit"}),
        },
    ];

    // Two instances drain the queue at once.
    let (a, b, other) = common::two_workers(&store, url).await;
    for _ in 0..4 {
        common::drain_both(&a, &b).await;
        // Past the backoff and the rate limit's time.
        now.fetch_add(200, Ordering::SeqCst);
    }
    assert!(
        fake.state().refusals.is_empty(),
        "{backend}: the failure and the limit were met"
    );
    let markers = fake.markers();
    assert_eq!(markers.len(), 2, "{backend}: {markers:?}");
    assert!(markers.values().all(|&n| n == 1), "{backend}: {markers:?}");
    let now_items = items(&store, id).await;
    let references: Vec<Option<&str>> = now_items.iter().map(|i| i.tracker.as_deref()).collect();
    assert_eq!(
        references,
        [
            Some("https://github.example/acme/platform/issues/1"),
            Some("https://github.example/acme/platform/issues/2"),
            None, // done already: no issue
        ],
        "{backend}"
    );
    {
        let state = fake.state();
        let second = &state.issues[1];
        assert_eq!(second["title"], "Add jitter to client retries", "{backend}");
        assert_eq!(second["assignees"][0]["login"], "dev-gh", "{backend}");
        let body = second["body"].as_str().expect("a body");
        assert!(
            body.contains(&format!("https://debrief.example/postmortems/{id}")),
            "{backend}: {body}"
        );
    }
    // Draining again creates nothing (a reconcile may run, if a period began).
    common::drain_both(&a, &b).await;
    assert_eq!(fake.markers().len(), 2, "{backend}");
    assert_eq!(fake.state().issues.len(), 2, "{backend}");
    let work: CreateIssue = CreateIssue {
        postmortem: id,
        marker: first_marker,
        tracker: "platform".into(),
    };
    assert!(
        !store
            .enqueue(
                debrief_server::store::CREATE_JOB,
                &format!("tracker.create:{}", work.marker),
                &serde_json::to_string(&work).expect("json"),
                0
            )
            .await
            .expect("enqueue"),
        "{backend}: one job per item, ever"
    );
    other.close().await;

    webhooks_bring_states_back(&store, &fake, id, backend).await;
}

/// A delivery of GitHub's `issues` event for issue `number`.
fn delivery(number: usize, state: &str, reason: Option<&str>) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "action": if state == "closed" { "closed" } else { "reopened" },
        "issue": {
            "number": number,
            "html_url": format!("https://github.example/acme/platform/issues/{number}"),
            "state": state,
            "state_reason": reason,
            "assignees": [],
        },
        "repository": {"full_name": "acme/platform"},
    }))
    .expect("json")
}

async fn webhooks_bring_states_back(store: &Store, fake: &FakeGitHub, id: i64, backend: &str) {
    let _ = fake;
    let server = Server::start(store.clone()).await;
    let hook = format!("{}/api/v1/hooks/trackers/platform", server.base);
    let send = |body: Vec<u8>, signature: Option<String>| {
        let mut request = server
            .client
            .post(&hook)
            .header("x-github-event", "issues")
            .body(body);
        if let Some(signature) = signature {
            request = request.header("x-hub-signature-256", signature);
        }
        request.send()
    };
    let system = store.system_user().await.expect("system");
    let version = |store: Store| {
        let system = system.clone();
        async move { store.postmortem(&system, id).await.expect("read").version }
    };
    let before = version(store.clone()).await;

    // No signature, a wrong one, a signature of another body: 401, nothing changes.
    let closed = delivery(1, "closed", Some("completed"));
    for signature in [
        None,
        Some(webhooks::sign("another secret", &closed)),
        Some(webhooks::sign(SECRET, b"{}")),
    ] {
        let (status, body) = read(send(closed.clone(), signature).await.expect("sent")).await;
        assert_eq!(status, 401, "{backend}: {body}");
    }
    assert_eq!(version(store.clone()).await, before, "{backend}");
    let unknown = server
        .client
        .post(format!("{}/api/v1/hooks/trackers/nope", server.base))
        .body("{}")
        .send()
        .await
        .expect("sent");
    assert_eq!(unknown.status(), 404, "{backend}");

    // Closed as completed: done; the same delivery again changes nothing.
    for expected in [1, 0] {
        let (status, body) = read(
            send(closed.clone(), Some(webhooks::sign(SECRET, &closed)))
                .await
                .expect("sent"),
        )
        .await;
        assert_eq!(status, 200, "{backend}: {body}");
        assert_eq!(body["changed"], expected, "{backend}: {body}");
    }
    assert!(items(store, id).await[0].done, "{backend}");
    let after_first = version(store.clone()).await;
    assert_eq!(after_first, before + 1, "{backend}");

    // Reopened: open again. Closed as not planned: declined with the reason.
    let reopened = delivery(1, "open", None);
    read(
        send(reopened.clone(), Some(webhooks::sign(SECRET, &reopened)))
            .await
            .expect("sent"),
    )
    .await;
    assert!(!items(store, id).await[0].done, "{backend}");
    let declined = delivery(2, "closed", Some("not_planned"));
    read(
        send(declined.clone(), Some(webhooks::sign(SECRET, &declined)))
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(
        items(store, id).await[1].declined.as_deref(),
        Some("not planned"),
        "{backend}"
    );

    // The last open item done: every item is settled, and the postmortem closes.
    read(
        send(closed.clone(), Some(webhooks::sign(SECRET, &closed)))
            .await
            .expect("sent"),
    )
    .await;
    let closed_now = store.postmortem(&system, id).await.expect("read");
    assert_eq!(closed_now.status, State::Closed, "{backend}");
    // A ping is acknowledged and ignored.
    let ping = br#"{"zen":"Keep it logically awesome.","hook_id":1}"#.to_vec();
    let (status, body) = read(
        send(ping.clone(), Some(webhooks::sign(SECRET, &ping)))
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(
        (status.as_u16(), body["issue"].as_bool()),
        (200, Some(false)),
        "{backend}"
    );
    server.stop().await;
}

on_both_stores_with_url!(reconciling_brings_back_what_no_webhook_said);

/// An issue closed while no webhook was delivered: the periodic reconcile reads it.
async fn reconciling_brings_back_what_no_webhook_said(store: &Store, _url: &str, backend: &str) {
    let fake = FakeGitHub::start().await;
    let (store, now) = configured(store, &fake);
    let id = publish(&store).await;
    let worker = Worker::new(store.clone(), None).named("a");
    worker.drain().await.expect("drained");
    assert_eq!(fake.state().issues.len(), 2, "{backend}");
    fake.close(1, "completed");
    fake.close(2, "duplicate");
    // Before the next period nothing is read again.
    worker.drain().await.expect("drained");
    assert!(!items(&store, id).await[0].done, "{backend}");
    now.fetch_add(901, Ordering::SeqCst);
    worker.drain().await.expect("drained");
    let after = items(&store, id).await;
    assert!(after[0].done, "{backend}");
    assert_eq!(
        after[1].declined.as_deref(),
        Some("a duplicate"),
        "{backend}"
    );
    let system = store.system_user().await.expect("system");
    let postmortem = store.postmortem(&system, id).await.expect("read");
    assert_eq!(
        postmortem.status,
        State::Closed,
        "{backend}: every item settled"
    );
}

/// GitLab's and Jira's webhooks: their own proofs, checked before anything is read, and
/// their own ways of saying an issue was closed without being done.
#[tokio::test]
async fn gitlab_and_jira_deliveries_are_verified_and_read() {
    let test = common::sqlite().await;
    let config = "[trackers.gitlab]\nkind = \"gitlab\"\nurl = \"https://gitlab.acme.dev\"\nproject = \"7\"\n\
                  token_env = \"T\"\nwebhook_secret_env = \"GL_HOOK\"\n\n\
                  [trackers.jira]\nkind = \"jira\"\nurl = \"https://acme.atlassian.net\"\nproject = \"OPS\"\n\
                  token_env = \"T\"\nuser = \"bot@acme.example\"\nwebhook_secret_env = \"JIRA_HOOK\"\n\n\
                  [trackers.jira.owners]\n\"@sre\" = \"5b10ac8d82e05b22cc7d4ef5\"\n";
    let trackers = Trackers::from_toml(config)
        .expect("valid")
        .with_environment(BTreeMap::from([
            ("GL_HOOK".to_string(), "gitlab-token".to_string()),
            ("JIRA_HOOK".to_string(), "jira-secret".to_string()),
        ]));
    let store = test.store.clone().with_policy(Policy {
        trackers,
        ..Policy::default()
    });
    let admin = common::user(&store, "admin", "SRE", Role::Admin).await;
    let created = store
        .create_postmortem(
            &admin,
            "---\ntitle: Two trackers\nstatus: published\n---\n\n# Two trackers\n\n## Action items\n\n\
             - [ ] Add a canary (owner: @dev, due: 2026-07-01, tracker: https://gitlab.acme.dev/ops/platform/-/issues/3)\n\
             - [ ] Page on saturation (owner: @dev, due: 2026-07-01, tracker: OPS-42)\n",
        )
        .await
        .expect("created");
    let server = Server::start(store.clone()).await;
    let post = |tracker: &str, header: (&'static str, String), body: Vec<u8>| {
        server
            .client
            .post(format!("{}/api/v1/hooks/trackers/{tracker}", server.base))
            .header(header.0, header.1)
            .body(body)
            .send()
    };
    let gitlab = serde_json::to_vec(&json!({
        "object_kind": "issue",
        "object_attributes": {"iid": 3, "url": "https://gitlab.acme.dev/ops/platform/-/issues/3",
            "state": "closed", "due_date": "2026-08-01", "assignee_ids": []},
        "labels": [{"title": "won't do"}],
    }))
    .expect("json");
    let (status, _) = read(
        post("gitlab", ("x-gitlab-token", "guess".into()), gitlab.clone())
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(status, 401);
    assert!(items(&store, created.id).await[0].declined.is_none());
    let (status, body) = read(
        post("gitlab", ("x-gitlab-token", "gitlab-token".into()), gitlab)
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(
        (status.as_u16(), body["changed"].as_u64()),
        (200, Some(1)),
        "{body}"
    );
    let first = &items(&store, created.id).await[0];
    assert_eq!(first.declined.as_deref(), Some("won't do"));
    assert_eq!(
        first.due.as_ref().map(|d| d.written.as_str()),
        Some("2026-08-01"),
        "the due date came back"
    );

    let jira = serde_json::to_vec(&json!({
        "webhookEvent": "jira:issue_updated",
        "issue": {"key": "OPS-42", "fields": {
            "status": {"statusCategory": {"key": "indeterminate"}},
            "assignee": {"accountId": "5b10ac8d82e05b22cc7d4ef5"}}},
    }))
    .expect("json");
    let forged = webhooks::sign("not the secret", &jira);
    let (status, _) = read(
        post("jira", ("x-hub-signature", forged), jira.clone())
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(status, 401);
    let signed = webhooks::sign("jira-secret", &jira);
    let (status, body) = read(
        post("jira", ("x-hub-signature", signed), jira)
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let second = &items(&store, created.id).await[1];
    assert_eq!(
        second.owner.as_deref(),
        Some("@sre"),
        "the assignee came back as its owner"
    );
    assert!(!second.done);
    server.stop().await;
    test.finish().await;
}
