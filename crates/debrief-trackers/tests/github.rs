//! The GitHub client against a local fake of GitHub's REST API (the issues endpoints as
//! documented: `POST /repos/{owner}/{repo}/issues`, `GET` of the list with `labels`, `state`,
//! `since`, `sort`, `direction`, `per_page` and `page`, `GET` of one issue), which checks the
//! bearer token and can be told to answer the next requests with a rate limit or a failure.

mod common;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use debrief_trackers::github::GitHub;
use debrief_trackers::{RemoteState, Status};
use debrief_trackers::{NewIssue, TrackerError};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const TOKEN: &str = "ghp_test_token";

/// An answer the fake gives instead of serving the next request.
struct Refusal {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Value,
}

/// What the fake holds: the issues, and the answers to give instead of the next requests.
#[derive(Default)]
struct Fake {
    issues: Vec<Value>,
    refusals: Vec<Refusal>,
    requests: usize,
}

type Shared = Arc<Mutex<Fake>>;

fn refused(fake: &Shared, headers: &HeaderMap) -> Option<Response> {
    let mut fake = fake.lock().expect("the fake");
    fake.requests += 1;
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if bearer != format!("Bearer {TOKEN}") {
        return Some(
            (
                StatusCode::UNAUTHORIZED,
                Json(json!({"message": "Bad credentials"})),
            )
                .into_response(),
        );
    }
    if fake.refusals.is_empty() {
        return None;
    }
    let Refusal {
        status,
        headers,
        body,
    } = fake.refusals.remove(0);
    let mut answer = (StatusCode::from_u16(status).expect("a status"), Json(body)).into_response();
    for (name, value) in headers {
        answer
            .headers_mut()
            .insert(name, value.parse().expect("a header value"));
    }
    Some(answer)
}

async fn create(
    State(fake): State<Shared>,
    Path((owner, repo)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(answer) = refused(&fake, &headers) {
        return answer;
    }
    if body["title"].as_str().is_none_or(str::is_empty) {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"message": "Validation Failed"})),
        )
            .into_response();
    }
    let mut fake = fake.lock().expect("the fake");
    let number = fake.issues.len() + 1;
    let issue = json!({
        "number": number,
        "html_url": format!("https://github.example/{owner}/{repo}/issues/{number}"),
        "title": body["title"],
        "body": body["body"],
        "labels": body["labels"].as_array().map(|l| l.iter().map(|n| json!({"name": n})).collect::<Vec<_>>()),
        // GitHub answers with users, not the logins it was given.
        "assignees": body["assignees"]
            .as_array()
            .map(|logins| logins.iter().map(|l| json!({"login": l})).collect::<Vec<_>>())
            .unwrap_or_default(),
        "state": "open",
        "state_reason": null,
    });
    fake.issues.push(issue.clone());
    (StatusCode::CREATED, Json(issue)).into_response()
}

async fn list(
    State(fake): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(answer) = refused(&fake, &headers) {
        return answer;
    }
    let fake = fake.lock().expect("the fake");
    let label = query.get("labels").cloned().unwrap_or_default();
    let per_page: usize = query
        .get("per_page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(30);
    let page: usize = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    let mut matching: Vec<&Value> = fake
        .issues
        .iter()
        .filter(|i| {
            i["labels"]
                .as_array()
                .is_some_and(|l| l.iter().any(|n| n["name"] == label.as_str()))
        })
        .collect();
    matching.reverse(); // sort=created, direction=desc
    let shown: Vec<&Value> = matching
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    Json(json!(shown)).into_response()
}

async fn one(
    State(fake): State<Shared>,
    Path((_, _, number)): Path<(String, String, usize)>,
    headers: HeaderMap,
) -> Response {
    if let Some(answer) = refused(&fake, &headers) {
        return answer;
    }
    let fake = fake.lock().expect("the fake");
    match fake.issues.get(number.wrapping_sub(1)) {
        Some(issue) => Json(issue.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({"message": "Not Found"}))).into_response(),
    }
}

/// Starts the fake; returns its base URL and its state.
async fn fake_github() -> (String, Shared) {
    let fake: Shared = Arc::default();
    let app = Router::new()
        .route("/repos/{owner}/{repo}/issues", get(list).post(create))
        .route("/repos/{owner}/{repo}/issues/{number}", get(one))
        .with_state(fake.clone());
    (common::serve(app).await, fake)
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
        let fake = fake.lock().expect("the fake");
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
        let mut fake = fake.lock().expect("the fake");
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
    fake.lock().expect("the fake").refusals = vec![
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
    assert_eq!(fake.lock().expect("the fake").issues.len(), 1);

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
