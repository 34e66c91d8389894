//! The OpenAPI document: locked by a snapshot, and true in both directions: every operation
//! it documents reaches a real route, and every route the server answers is documented. The
//! end-to-end test (`tests/http.rs`) checks each answer against its schema and, at its end,
//! that every route it reached is documented.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use debrief_server::http::{self, AppState, HttpConfig, openapi};
use std::collections::BTreeSet;
use tower::ServiceExt;

#[test]
fn the_document_is_locked() {
    insta::assert_json_snapshot!("openapi", openapi::document());
}

/// Every method the router answers on every documented path, found by asking: a method
/// that is not routed answers 405, a path that is not routed 404.
#[tokio::test]
async fn documented_operations_and_routes_are_the_same() {
    let test = common::sqlite().await;
    let app = http::router(AppState::new(test.store.clone(), HttpConfig::default()));
    let documented: BTreeSet<(String, String)> = openapi::routes()
        .into_iter()
        .map(|(method, path)| (method.to_uppercase(), path))
        .collect();
    let paths: BTreeSet<&String> = documented.iter().map(|(_, path)| path).collect();
    let mut routed = BTreeSet::new();
    for path in paths {
        let uri = path
            .replace("{id}", "1")
            .replace("{version}", "1")
            .replace("{contribution}", "1");
        for method in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ] {
            let request = Request::builder()
                .method(method.clone())
                .uri(&uri)
                .body(Body::empty())
                .expect("request");
            let answer = app.clone().oneshot(request).await.expect("answer");
            let status = answer.status();
            // A route may answer 404 for what it does not know (a tracker's name); the
            // fallback's 404 says only "not found".
            let body = axum::body::to_bytes(answer.into_body(), 1 << 20)
                .await
                .expect("a body");
            let own_404 = status == StatusCode::NOT_FOUND
                && !String::from_utf8_lossy(&body).contains("\"message\":\"not found\"");
            if own_404
                || (status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED)
            {
                routed.insert((method.to_string(), path.clone()));
            }
        }
    }
    let undocumented: Vec<_> = routed.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&routed).collect();
    assert!(
        undocumented.is_empty() && unrouted.is_empty(),
        "routed but not documented: {undocumented:?}\ndocumented but not routed: {unrouted:?}"
    );
    test.finish().await;
}
