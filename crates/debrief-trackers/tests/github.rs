//! The GitHub client against a local fake of GitHub's REST API (the issues endpoints as
//! documented: `POST /repos/{owner}/{repo}/issues`, `GET` of the list with `labels`, `state`,
//! `since`, `sort`, `direction`, `per_page` and `page`, `GET` of one issue), which checks the
//! bearer token and can be told to answer the next requests with a rate limit or a failure.

use debrief_fakes::{FakeGitHub, GITHUB_TOKEN as TOKEN, Refusal};
use debrief_trackers::github::GitHub;
use debrief_trackers::{NewIssue, RemoteState, Status, TrackerError};
use serde_json::json;

/// Starts the fake; returns its base URL and the fake.
async fn fake_github() -> (String, FakeGitHub) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let fake = FakeGitHub::start().await;
    (fake.base.clone(), fake)
}

fn item(marker: &str) -> NewIssue {
    NewIssue {
        title: "Alert on cache connection saturation".into(),
        body: "From the postmortem [Checkout errors](https://debrief.example/postmortems/7).\n\nDue 2026-07-01.".into(),
        assignee: Some("alice-gh".into()),
        labels: vec!["postmortem".into()],
        due: Some("2026-07-01".into()),
        marker: marker.into(),
    }
}

#[tokio::test]
async fn an_issue_is_created_and_found_again_by_its_marker() {
    let (base, fake) = fake_github().await;
    let github = GitHub::new(&format!("{base}/"), "acme/platform", TOKEN).expect("a client");
    let since = jiff::Timestamp::now().as_second();
    assert_eq!(github.find("pm-7-item-0", since).await.expect("find"), None);
    let created = github.create(&item("pm-7-item-0")).await.expect("created");
    assert_eq!(created.key, "#1");
    assert_eq!(created.url, "https://github.example/acme/platform/issues/1");
    {
        let fake = fake.state();
        let issue = &fake.issues[0];
        let body = issue["body"].as_str().expect("a body");
        assert!(
            body.contains("https://debrief.example/postmortems/7"),
            "{body}"
        );
        assert!(body.ends_with("<!-- debrief:pm-7-item-0 -->\n"), "{body}");
        assert_eq!(issue["assignees"], json!([{"login": "alice-gh"}]));
        let labels: Vec<&str> = issue["labels"]
            .as_array()
            .expect("labels")
            .iter()
            .filter_map(|l| l["name"].as_str())
            .collect();
        assert_eq!(labels, ["postmortem", "debrief"]);
    }
    // A retry looks first, and finds it: nothing is created twice.
    github.create(&item("pm-7-item-1")).await.expect("another");
    assert_eq!(
        github.find("pm-7-item-0", since).await.expect("find"),
        Some(created.clone())
    );
    let status = |state, assignee: Option<&str>| Status {
        state,
        assignee: assignee.map(str::to_string),
        due: None,
    };
    assert_eq!(
        github.status(1).await.expect("status"),
        status(RemoteState::Open, Some("alice-gh"))
    );
    {
        let mut fake = fake.state();
        fake.issues[0]["state"] = json!("closed");
        fake.issues[0]["state_reason"] = json!("not_planned");
        fake.issues[1]["state"] = json!("closed");
        fake.issues[1]["state_reason"] = json!("completed");
    }
    assert_eq!(
        github.status(1).await.expect("status").state,
        RemoteState::Declined("not planned".into())
    );
    assert_eq!(
        github.status(2).await.expect("status").state,
        RemoteState::Done
    );
}

#[tokio::test]
async fn rate_limits_and_failures_say_whether_and_when_to_try_again() {
    let (base, fake) = fake_github().await;
    let github = GitHub::new(&base, "acme/platform", TOKEN).expect("a client");
    let reset = jiff::Timestamp::now().as_second() + 900;
    fake.state().refusals = vec![
        Refusal {
            status: 403,
            headers: vec![
                ("x-ratelimit-remaining", "0".into()),
                ("x-ratelimit-reset", reset.to_string()),
            ],
            body: json!({"message": "API rate limit exceeded"}),
        },
        Refusal {
            status: 429,
            headers: vec![("retry-after", "30".into())],
            body: json!({"message": "secondary rate limit"}),
        },
        Refusal {
            status: 502,
            headers: vec![],
            body: json!({"message": "Server Error"}),
        },
    ];
    match github.create(&item("x")).await {
        Err(TrackerError::Retry { retry_at, message }) => {
            assert_eq!(retry_at, Some(reset));
            assert!(message.contains("API rate limit exceeded"), "{message}");
        }
        other => panic!("a rate limit: {other:?}"),
    }
    let now = jiff::Timestamp::now().as_second();
    match github.create(&item("x")).await {
        Err(TrackerError::Retry {
            retry_at: Some(at), ..
        }) => assert!((now + 29..=now + 31).contains(&at), "{at} vs {now}"),
        other => panic!("Retry-After: {other:?}"),
    }
    assert!(matches!(
        github.create(&item("x")).await,
        Err(TrackerError::Retry { retry_at: None, .. })
    ));
    // Then it works; nothing was created by the refused attempts.
    github.create(&item("x")).await.expect("created");
    assert_eq!(fake.state().issues.len(), 1);

    // What trying again cannot fix.
    let mut untitled = item("y");
    untitled.title.clear();
    assert!(matches!(
        github.create(&untitled).await,
        Err(TrackerError::Permanent(m)) if m.contains("Validation Failed")
    ));
    let wrong = GitHub::new(&base, "acme/platform", "ghp_wrong").expect("a client");
    assert!(matches!(
        wrong.create(&item("z")).await,
        Err(TrackerError::Permanent(m)) if m.contains("Bad credentials")
    ));
    // A tracker that cannot be reached at all is worth another try.
    let gone = GitHub::new("http://127.0.0.1:9", "acme/platform", TOKEN).expect("a client");
    assert!(matches!(
        gone.create(&item("z")).await,
        Err(TrackerError::Retry { retry_at: None, .. })
    ));
}
