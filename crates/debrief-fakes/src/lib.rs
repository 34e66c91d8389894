//! Local fakes of the trackers' REST APIs, served on a free port of 127.0.0.1, for the
//! tests and benches of debrief's trackers, command line and server: the real services
//! cannot be reached from a test, and a fake that follows the published API can.
//!
//! [`FakeGitHub`] serves GitHub's issues endpoints as documented (REST API v3):
//! `POST /repos/{owner}/{repo}/issues`; `GET` of the list with `labels`, `state`, `since`,
//! `sort`, `direction`, `per_page` and `page`; `GET` and `PATCH` of one issue. It checks the
//! bearer token, can be told to refuse the next requests (a rate limit, a failure), and can
//! limit its rate as GitHub does: `limit` requests per window, then 403 with
//! `x-ratelimit-remaining: 0` and `x-ratelimit-reset` until the window ends.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The token the fake accepts.
pub const GITHUB_TOKEN: &str = "ghp_fake_token";

/// An answer the fake gives instead of serving the next request.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// Its status.
    pub status: u16,
    /// Its headers.
    pub headers: Vec<(&'static str, String)>,
    /// Its JSON body.
    pub body: Value,
}

/// What the fake holds.
#[derive(Debug, Default)]
pub struct GitHubState {
    /// The issues, as GitHub answers them; issue `n` is at `n - 1`.
    pub issues: Vec<Value>,
    /// Answers to give instead of serving the next requests, in order.
    pub refusals: Vec<Refusal>,
    /// Requests received, refused ones included.
    pub requests: usize,
    /// Requests refused by the rate limit.
    pub limited: usize,
    /// How long each creation takes: a slow tracker, for a test that stops debrief in the
    /// middle of its work.
    pub create_delay: Duration,
    rate: Option<Rate>,
}

#[derive(Debug)]
struct Rate {
    limit: usize,
    window: Duration,
    started: Instant,
    used: usize,
}

/// A running fake of GitHub's issues API.
#[derive(Debug, Clone)]
pub struct FakeGitHub {
    /// Its base URL, `http://127.0.0.1:PORT`: a tracker's `url`.
    pub base: String,
    state: Arc<Mutex<GitHubState>>,
}

impl FakeGitHub {
    /// Starts the fake on the current Tokio runtime.
    pub async fn start() -> FakeGitHub {
        let state: Arc<Mutex<GitHubState>> = Arc::default();
        let app = Router::new()
            .route("/repos/{owner}/{repo}/issues", get(list).post(create))
            .route(
                "/repos/{owner}/{repo}/issues/{number}",
                get(one).patch(update),
            )
            .with_state(state.clone());
        let base = serve(app).await;
        FakeGitHub { base, state }
    }

    /// Starts the fake on a runtime of its own, on a thread that lives as long as the
    /// process: for a test that runs debrief as a separate process.
    pub fn start_in_background() -> FakeGitHub {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("a runtime for the fake");
            runtime.block_on(async move {
                let _ = sender.send(FakeGitHub::start().await);
                std::future::pending::<()>().await;
            });
        });
        receiver.recv().expect("the fake started")
    }

    /// What it holds, to read or change.
    pub fn state(&self) -> MutexGuard<'_, GitHubState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Limits the rate as GitHub does: `limit` requests per `window`, then 403 with the
    /// rate-limit headers until the window ends.
    pub fn limit_rate(&self, limit: usize, window: Duration) {
        self.state().rate = Some(Rate {
            limit,
            window,
            started: Instant::now(),
            used: 0,
        });
    }

    /// Closes issue `number` as GitHub does: `completed`, `not_planned` or `duplicate`.
    pub fn close(&self, number: usize, reason: &str) {
        let mut state = self.state();
        if let Some(issue) = state.issues.get_mut(number.wrapping_sub(1)) {
            issue["state"] = json!("closed");
            issue["state_reason"] = json!(reason);
        }
    }

    /// Reopens issue `number`.
    pub fn reopen(&self, number: usize) {
        let mut state = self.state();
        if let Some(issue) = state.issues.get_mut(number.wrapping_sub(1)) {
            issue["state"] = json!("open");
            issue["state_reason"] = json!("reopened");
        }
    }

    /// How many issues carry each marker (`<!-- debrief:MARKER -->` in their body): what a
    /// test checks for "exactly one issue per item".
    pub fn markers(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for issue in &self.state().issues {
            let body = issue["body"].as_str().unwrap_or("");
            if let Some(start) = body.find("<!-- debrief:") {
                let rest = &body[start + "<!-- debrief:".len()..];
                let marker = rest.split(" -->").next().unwrap_or("").to_string();
                *counts.entry(marker).or_insert(0) += 1;
            }
        }
        counts
    }
}

type Shared = Arc<Mutex<GitHubState>>;

fn lock(fake: &Shared) -> MutexGuard<'_, GitHubState> {
    fake.lock().unwrap_or_else(|e| e.into_inner())
}

/// The answer to give instead of serving the request, if any: a wrong token, a refusal
/// asked for, or the rate limit.
fn refused(fake: &Shared, headers: &HeaderMap) -> Option<Response> {
    let mut fake = lock(fake);
    fake.requests += 1;
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if bearer != format!("Bearer {GITHUB_TOKEN}") {
        return Some(
            (
                StatusCode::UNAUTHORIZED,
                Json(json!({"message": "Bad credentials"})),
            )
                .into_response(),
        );
    }
    if let Some(rate) = fake.rate.as_mut() {
        if rate.started.elapsed() >= rate.window {
            rate.started = Instant::now();
            rate.used = 0;
        }
        rate.used += 1;
        if rate.used > rate.limit {
            let left = rate.window.saturating_sub(rate.started.elapsed());
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            // GitHub's reset is whole Unix seconds; round up so that it is never early.
            let reset = (now + left).as_secs() + 1;
            fake.limited += 1;
            return Some(answer(
                403,
                vec![
                    ("x-ratelimit-limit", rate_text(fake.rate.as_ref())),
                    ("x-ratelimit-remaining", "0".into()),
                    ("x-ratelimit-reset", reset.to_string()),
                ],
                json!({"message": "API rate limit exceeded"}),
            ));
        }
    }
    if fake.refusals.is_empty() {
        return None;
    }
    let Refusal {
        status,
        headers,
        body,
    } = fake.refusals.remove(0);
    Some(answer(status, headers, body))
}

fn rate_text(rate: Option<&Rate>) -> String {
    rate.map_or(0, |r| r.limit).to_string()
}

fn answer(status: u16, headers: Vec<(&'static str, String)>, body: Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut answer = (status, Json(body)).into_response();
    for (name, value) in headers {
        if let Ok(value) = value.parse() {
            answer.headers_mut().insert(name, value);
        }
    }
    answer
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
    let delay = lock(&fake).create_delay;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    if body["title"].as_str().is_none_or(str::is_empty) {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"message": "Validation Failed"})),
        )
            .into_response();
    }
    let mut fake = lock(&fake);
    let number = fake.issues.len() + 1;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
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
        "created_at_unix": now,
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
    let fake = lock(&fake);
    let label = query.get("labels").cloned().unwrap_or_default();
    let per_page: usize = query
        .get("per_page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(30);
    let page: usize = query
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let mut matching: Vec<&Value> = fake
        .issues
        .iter()
        .filter(|i| {
            label.is_empty()
                || i["labels"]
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
    let fake = lock(&fake);
    match fake.issues.get(number.wrapping_sub(1)) {
        Some(issue) => Json(issue.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({"message": "Not Found"}))).into_response(),
    }
}

async fn update(
    State(fake): State<Shared>,
    Path((_, _, number)): Path<(String, String, usize)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(answer) = refused(&fake, &headers) {
        return answer;
    }
    let mut fake = lock(&fake);
    let Some(issue) = fake.issues.get_mut(number.wrapping_sub(1)) else {
        return (StatusCode::NOT_FOUND, Json(json!({"message": "Not Found"}))).into_response();
    };
    for key in ["state", "state_reason", "title", "body"] {
        if let Some(value) = body.get(key) {
            issue[key] = value.clone();
        }
    }
    Json(issue.clone()).into_response()
}

/// Serves `app` on a free port of 127.0.0.1 and returns its base URL.
pub async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free local port");
    let address = listener.local_addr().expect("its address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

/// What the webhooks received: each one's name and body, in order.
type Posts = Arc<Mutex<Vec<(String, Value)>>>;

/// A fake of Slack-compatible incoming webhooks: every `POST /hooks/{name}` is kept with its
/// JSON body and answered `ok`, as Slack does.
#[derive(Debug, Clone)]
pub struct FakeWebhooks {
    /// Its base URL; a webhook's URL is `{base}/hooks/{name}`.
    pub base: String,
    posts: Posts,
}

impl FakeWebhooks {
    /// Starts the fake on the current Tokio runtime.
    pub async fn start() -> FakeWebhooks {
        let posts: Posts = Arc::default();
        let app = Router::new()
            .route("/hooks/{name}", axum::routing::post(receive))
            .with_state(posts.clone());
        let base = serve(app).await;
        FakeWebhooks { base, posts }
    }

    /// The URL of webhook `name`.
    pub fn url(&self, name: &str) -> String {
        format!("{}/hooks/{name}", self.base)
    }

    /// What each webhook received, in order: its name and the body.
    pub fn posts(&self) -> Vec<(String, Value)> {
        self.posts.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

async fn receive(
    State(posts): State<Posts>,
    Path(name): Path<String>,
    Json(body): Json<Value>,
) -> &'static str {
    posts
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((name, body));
    "ok"
}
