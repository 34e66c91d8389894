//! A database that goes away: every request answers 503 with `Retry-After` and a message
//! that says to try again (never a 500, never "not found" or "there is no user named ..."),
//! and nothing is written. On SQLite and, when `DEBRIEF_TEST_POSTGRES` is set, PostgreSQL.

mod common;

use common::TestStore;
use common::server::{Server, client};
use debrief_server::{Role, Store};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn outage_on_sqlite() {
    outage(common::sqlite().await).await;
}

#[tokio::test]
async fn outage_on_postgres() {
    if let Some(test) = common::postgres("outage_on_postgres").await {
        outage(test).await;
    }
}

/// The status and JSON body of an answer; unlike `common::server::read`, a 5xx is expected.
async fn answer(response: reqwest::Response) -> (StatusCode, serde_json::Value) {
    let status = response.status();
    let body = response.json().await.expect("a JSON body");
    (status, body)
}

async fn outage(test: TestStore) {
    let backend = test.name;
    let store = &test.store;
    let admin = common::user(store, "admin", "SRE", Role::Admin).await;
    let token = store.create_token(&admin, "outage").await.expect("token");
    let before = "# Postmortem: Outage\n\n## Summary\n\nBefore.\n";
    let created = store
        .create_postmortem(&admin, before)
        .await
        .expect("postmortem");
    let id = created.id;
    let server = Server::start(store.clone()).await;
    let http = client();

    // The database goes away: the pool every instance's store shares is closed.
    store.close().await;

    let edit = http
        .put(format!("{}/api/v1/postmortems/{id}", server.base))
        .bearer_auth(&token)
        .header("if-match", format!("\"{}\"", created.version))
        .json(&json!({"markdown": "# Postmortem: Outage\n\n## Summary\n\nAfter.\n"}))
        .send()
        .await
        .expect("edit");
    let retry_after = edit.headers().get("retry-after").cloned();
    let (status, body) = answer(edit).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{backend}: {body}");
    assert!(retry_after.is_some(), "{backend}: Retry-After is set");
    let message = body["error"]["message"].as_str().expect("message");
    assert!(message.contains("try again"), "{backend}: {message}");

    for (method, path, payload) in [
        ("GET", format!("/api/v1/postmortems/{id}"), None),
        ("GET", "/api/v1/postmortems".to_string(), None),
        (
            "PUT",
            format!("/api/v1/postmortems/{id}/facilitator"),
            Some(json!({"username": "nobody", "version": created.version})),
        ),
        (
            "POST",
            "/api/v1/users".to_string(),
            Some(
                json!({"username": "new", "display_name": "New", "function": "Dev",
                        "password": "a long enough password"}),
            ),
        ),
    ] {
        let mut request = http
            .request(
                method.parse().expect("method"),
                format!("{}{path}", server.base),
            )
            .bearer_auth(&token);
        if let Some(payload) = payload {
            request = request.json(&payload);
        }
        let (status, body) = answer(request.send().await.expect("request")).await;
        assert_eq!(
            status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{backend}: {method} {path}: {body}"
        );
    }
    server.stop().await;

    // The database comes back: nothing was written while it was away.
    let url = test.url.clone().expect("the test database's URL");
    let again = Store::connect(&url).await.expect("reconnect");
    let stored = again.postmortem(&admin, id).await.expect("read back");
    assert_eq!(stored.version, created.version, "{backend}");
    assert!(stored.markdown.contains("Before."), "{backend}");
    assert!(
        again.user("new").await.is_err(),
        "{backend}: no user was added"
    );
    again.close().await;
    test.finish().await;
}
