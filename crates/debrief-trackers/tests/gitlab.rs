//! The GitLab client against a local fake of GitLab's REST API v4 (`POST` and `GET
//! /api/v4/projects/{id}/issues` with `labels` and `state`, `GET .../issues/{iid}`), which
//! checks the `PRIVATE-TOKEN` header and takes the project as an encoded path.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use debrief_trackers::RemoteState;
use debrief_trackers::gitlab::{GitLab, marker_label};
use debrief_trackers::{NewIssue, TrackerError};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const TOKEN: &str = "glpat-test";

#[derive(Default)]
struct Fake {
    issues: Vec<Value>,
    limited: bool,
    projects: Vec<String>,
}

type Shared = Arc<Mutex<Fake>>;

fn refused(fake: &Shared, headers: &HeaderMap, project: &str) -> Option<Response> {
    let mut fake = fake.lock().expect("the fake");
    fake.projects.push(project.to_string());
    if headers.get("private-token").and_then(|v| v.to_str().ok()) != Some(TOKEN) {
        return Some(
            (
                StatusCode::UNAUTHORIZED,
                Json(json!({"message": "401 Unauthorized"})),
            )
                .into_response(),
        );
    }
    if project != "acme/platform" {
        return Some(
            (
                StatusCode::NOT_FOUND,
                Json(json!({"message": "404 Project Not Found"})),
            )
                .into_response(),
        );
    }
    if std::mem::take(&mut fake.limited) {
        let mut answer = (
            StatusCode::TOO_MANY_REQUESTS,
            Json(json!({"message": "Retry later"})),
        )
            .into_response();
        let reset = (jiff::Timestamp::now().as_second() + 120).to_string();
        answer
            .headers_mut()
            .insert("ratelimit-remaining", "0".parse().expect("a value"));
        answer
            .headers_mut()
            .insert("ratelimit-reset", reset.parse().expect("a value"));
        return Some(answer);
    }
    None
}

async fn create(
    State(fake): State<Shared>,
    Path(project): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(answer) = refused(&fake, &headers, &project) {
        return answer;
    }
    let mut fake = fake.lock().expect("the fake");
    let iid = fake.issues.len() + 1;
    let labels: Vec<&str> = body["labels"].as_str().unwrap_or("").split(',').collect();
    let issue = json!({
        "iid": iid,
        "web_url": format!("https://gitlab.example/{project}/-/issues/{iid}"),
        "title": body["title"],
        "description": body["description"],
        "labels": labels,
        "due_date": body["due_date"],
        "assignee_ids": body["assignee_ids"],
        "assignees": body["assignee_ids"]
            .as_array()
            .map(|ids| ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>())
            .unwrap_or_default(),
        "state": "opened",
    });
    fake.issues.push(issue.clone());
    (StatusCode::CREATED, Json(issue)).into_response()
}

async fn list(
    State(fake): State<Shared>,
    Path(project): Path<String>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(answer) = refused(&fake, &headers, &project) {
        return answer;
    }
    let label = query.get("labels").cloned().unwrap_or_default();
    let fake = fake.lock().expect("the fake");
    let found: Vec<&Value> = fake
        .issues
        .iter()
        .filter(|i| {
            i["labels"]
                .as_array()
                .is_some_and(|l| l.iter().any(|n| n == label.as_str()))
        })
        .collect();
    Json(json!(found)).into_response()
}

async fn one(
    State(fake): State<Shared>,
    Path((project, iid)): Path<(String, usize)>,
    headers: HeaderMap,
) -> Response {
    if let Some(answer) = refused(&fake, &headers, &project) {
        return answer;
    }
    let fake = fake.lock().expect("the fake");
    match fake.issues.get(iid.wrapping_sub(1)) {
        Some(issue) => Json(issue.clone()).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"message": "404 Not found"})),
        )
            .into_response(),
    }
}

async fn fake_gitlab() -> (String, Shared) {
    let fake: Shared = Arc::default();
    let app = Router::new()
        .route("/api/v4/projects/{project}/issues", get(list).post(create))
        .route("/api/v4/projects/{project}/issues/{iid}", get(one))
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
        title: "Run the index rebuild on dedicated nodes".into(),
        body: "From the postmortem Search latency.".into(),
        assignee: Some("42".into()),
        labels: vec!["postmortem".into()],
        due: Some("2027-01-31".into()),
        marker: marker.into(),
    }
}

#[tokio::test]
async fn an_issue_is_created_in_a_project_by_path_and_found_again() {
    let (base, fake) = fake_gitlab().await;
    let gitlab = GitLab::new(&format!("{base}/api/v4/"), "acme/platform", TOKEN).expect("a client");
    assert_eq!(gitlab.find("pm3-b2").await.expect("find"), None);
    let created = gitlab.create(&item("pm3-b2")).await.expect("created");
    assert_eq!(created.key, "#1");
    {
        let fake = fake.lock().expect("the fake");
        let issue = &fake.issues[0];
        assert_eq!(issue["due_date"], "2027-01-31");
        assert_eq!(issue["assignee_ids"], json!([42]));
        assert_eq!(
            issue["labels"],
            json!(["postmortem", "debrief", marker_label("pm3-b2")])
        );
        assert!(
            fake.projects.iter().all(|p| p == "acme/platform"),
            "the path, encoded: {:?}",
            fake.projects
        );
    }
    assert_eq!(gitlab.find("pm3-b2").await.expect("find"), Some(created));
    let status = gitlab.status(1).await.expect("status");
    assert_eq!(status.state, RemoteState::Open);
    assert_eq!(status.due.as_deref(), Some("2027-01-31"));
    assert_eq!(status.assignee.as_deref(), Some("42"));
    fake.lock().expect("the fake").issues[0]["state"] = json!("closed");
    assert_eq!(
        gitlab.status(1).await.expect("status").state,
        RemoteState::Done
    );
    // GitLab keeps no reason for closing; a "won't do" label gives one.
    fake.lock().expect("the fake").issues[0]["labels"] = json!(["debrief", "Won't Do"]);
    assert_eq!(
        gitlab.status(1).await.expect("status").state,
        RemoteState::Declined("Won't Do".into())
    );
}

#[tokio::test]
async fn gitlab_rate_limits_and_refusals() {
    let (base, fake) = fake_gitlab().await;
    let gitlab = GitLab::new(&base, "acme/platform", TOKEN).expect("a client");
    fake.lock().expect("the fake").limited = true;
    let now = jiff::Timestamp::now().as_second();
    match gitlab.create(&item("x")).await {
        Err(TrackerError::Retry {
            retry_at: Some(at), ..
        }) => {
            assert!((now + 119..=now + 121).contains(&at), "{at}");
        }
        other => panic!("RateLimit-Reset: {other:?}"),
    }
    let wrong = GitLab::new(&base, "acme/platform", "glpat-wrong").expect("a client");
    assert!(
        matches!(wrong.create(&item("x")).await, Err(TrackerError::Permanent(m)) if m.contains("401"))
    );
    let elsewhere = GitLab::new(&base, "acme/other", TOKEN).expect("a client");
    assert!(
        matches!(elsewhere.create(&item("x")).await, Err(TrackerError::Permanent(m)) if m.contains("Project Not Found"))
    );
    assert!(fake.lock().expect("the fake").issues.is_empty());
}
