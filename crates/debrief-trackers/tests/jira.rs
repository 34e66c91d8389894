//! The Jira client against a local fake of Jira Cloud's REST API v3 (`POST /rest/api/3/issue`,
//! `GET /rest/api/3/search/jql` for `project = "KEY" AND labels = "LABEL"`, `GET
//! /rest/api/3/issue/{key}`), which checks basic authentication.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use debrief_trackers::RemoteState;
use debrief_trackers::jira::{Jira, marker_label};
use debrief_trackers::{NewIssue, TrackerError};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// `bot@acme.example:jira-token`, base64.
const BASIC: &str = "Basic Ym90QGFjbWUuZXhhbXBsZTpqaXJhLXRva2Vu";

#[derive(Default)]
struct Fake {
    issues: Vec<Value>,
    limited: bool,
}

type Shared = Arc<Mutex<Fake>>;

fn refused(fake: &Shared, headers: &HeaderMap) -> Option<Response> {
    let mut fake = fake.lock().expect("the fake");
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(BASIC) {
        return Some(
            (
                StatusCode::UNAUTHORIZED,
                Json(json!({"errorMessages": ["Client must be authenticated to access this resource."]})),
            )
                .into_response(),
        );
    }
    if std::mem::take(&mut fake.limited) {
        let mut answer = (
            StatusCode::TOO_MANY_REQUESTS,
            Json(json!({"errorMessages": ["Rate limit exceeded."]})),
        )
            .into_response();
        answer
            .headers_mut()
            .insert("retry-after", "45".parse().expect("a value"));
        return Some(answer);
    }
    None
}

async fn create(
    State(fake): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(answer) = refused(&fake, &headers) {
        return answer;
    }
    let fields = &body["fields"];
    if fields["summary"].as_str().is_none_or(str::is_empty) || fields["project"]["key"] != "OPS" {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"errorMessages": [], "errors": {"summary": "You must specify a summary of the issue."}})),
        )
            .into_response();
    }
    if fields["description"]["type"] != "doc" {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"errorMessages": ["Operation value must be an Atlassian Document"]})),
        )
            .into_response();
    }
    let mut fake = fake.lock().expect("the fake");
    let key = format!("OPS-{}", fake.issues.len() + 1);
    fake.issues.push(json!({
        "key": key,
        "fields": {
            "summary": fields["summary"],
            "labels": fields["labels"],
            "duedate": fields["duedate"],
            "assignee": fields["assignee"],
            "status": {"statusCategory": {"key": "new"}},
            "resolution": null,
        }
    }));
    (StatusCode::CREATED, Json(json!({"id": "10001", "key": key, "self": "https://acme.example/rest/api/3/issue/10001"}))).into_response()
}

async fn search(
    State(fake): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(answer) = refused(&fake, &headers) {
        return answer;
    }
    let jql = query.get("jql").cloned().unwrap_or_default();
    let label = jql
        .split("labels = \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string();
    let fake = fake.lock().expect("the fake");
    let found: Vec<Value> = fake
        .issues
        .iter()
        .filter(|i| {
            i["fields"]["labels"]
                .as_array()
                .is_some_and(|l| l.iter().any(|n| n == label.as_str()))
        })
        .map(|i| json!({"key": i["key"]}))
        .collect();
    Json(json!({"issues": found})).into_response()
}

async fn one(State(fake): State<Shared>, headers: HeaderMap, Path(key): Path<String>) -> Response {
    if let Some(answer) = refused(&fake, &headers) {
        return answer;
    }
    let fake = fake.lock().expect("the fake");
    match fake.issues.iter().find(|i| i["key"] == key.as_str()) {
        Some(issue) => Json(issue.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({"errorMessages": ["Issue does not exist or you do not have permission to see it."]}))).into_response(),
    }
}

async fn fake_jira() -> (String, Shared) {
    let fake: Shared = Arc::default();
    let app = Router::new()
        .route("/rest/api/3/issue", post(create))
        .route("/rest/api/3/search/jql", get(search))
        .route("/rest/api/3/issue/{key}", get(one))
        .with_state(fake.clone());
    (
        {
            let _ = rustls::crypto::ring::default_provider().install_default();
            debrief_fakes::serve(app).await
        },
        fake,
    )
}

fn item(marker: &str) -> NewIssue {
    NewIssue {
        title: "Mask secrets in build logs".into(),
        body: "From the postmortem Leaked token.\n\nhttps://debrief.example/postmortems/9".into(),
        assignee: Some("5b10ac8d82e05b22cc7d4ef5".into()),
        labels: vec![],
        due: Some("2026-12-15".into()),
        marker: marker.into(),
    }
}

#[tokio::test]
async fn an_issue_is_created_with_its_due_date_and_found_again_by_its_label() {
    let (base, fake) = fake_jira().await;
    let jira = Jira::new(&base, "OPS", "bot@acme.example", "jira-token").expect("a client");
    assert_eq!(jira.find("pm9-a1").await.expect("find"), None);
    let created = jira.create(&item("pm9-a1")).await.expect("created");
    assert_eq!(created.key, "OPS-1");
    assert_eq!(created.url, format!("{base}/browse/OPS-1"));
    {
        let fake = fake.lock().expect("the fake");
        let fields = &fake.issues[0]["fields"];
        assert_eq!(fields["duedate"], "2026-12-15");
        assert_eq!(fields["assignee"]["accountId"], "5b10ac8d82e05b22cc7d4ef5");
        assert_eq!(fields["labels"], json!(["debrief", marker_label("pm9-a1")]));
    }
    assert_eq!(jira.find("pm9-a1").await.expect("find"), Some(created));
    let status = jira.status("OPS-1").await.expect("status");
    assert_eq!(status.state, RemoteState::Open);
    assert_eq!(status.due.as_deref(), Some("2026-12-15"));
    assert_eq!(status.assignee.as_deref(), Some("5b10ac8d82e05b22cc7d4ef5"));
    {
        let mut fake = fake.lock().expect("the fake");
        fake.issues[0]["fields"]["status"]["statusCategory"]["key"] = json!("done");
        fake.issues[0]["fields"]["resolution"] = json!({"name": "Won't Do"});
    }
    assert_eq!(
        jira.status("OPS-1").await.expect("status").state,
        RemoteState::Declined("Won't Do".into())
    );
    fake.lock().expect("the fake").issues[0]["fields"]["resolution"] = json!({"name": "Done"});
    assert_eq!(
        jira.status("OPS-1").await.expect("status").state,
        RemoteState::Done
    );
}

#[tokio::test]
async fn a_rate_limit_and_a_refusal_are_told_apart() {
    let (base, fake) = fake_jira().await;
    let jira = Jira::new(&base, "OPS", "bot@acme.example", "jira-token").expect("a client");
    fake.lock().expect("the fake").limited = true;
    let now = jiff::Timestamp::now().as_second();
    match jira.create(&item("x")).await {
        Err(TrackerError::Retry {
            retry_at: Some(at),
            message,
        }) => {
            assert!((now + 44..=now + 46).contains(&at), "{at}");
            assert!(message.contains("Rate limit exceeded."), "{message}");
        }
        other => panic!("a rate limit: {other:?}"),
    }
    assert!(fake.lock().expect("the fake").issues.is_empty());
    let wrong = Jira::new(&base, "OPS", "bot@acme.example", "wrong").expect("a client");
    assert!(matches!(
        wrong.create(&item("x")).await,
        Err(TrackerError::Permanent(_))
    ));
    let other = Jira::new(&base, "NOPE", "bot@acme.example", "jira-token").expect("a client");
    assert!(matches!(
        other.create(&item("x")).await,
        Err(TrackerError::Permanent(_))
    ));
    assert!(
        matches!(jira.status("OPS-99").await, Err(TrackerError::Permanent(m)) if m.contains("does not exist"))
    );
}
