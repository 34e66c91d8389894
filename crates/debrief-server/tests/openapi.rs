//! The OpenAPI document: locked by a snapshot, and every operation it documents reaches a
//! real route (the end-to-end test checks the answers against its schemas).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use debrief_server::http::{self, AppState, HttpConfig, openapi};
use tower::ServiceExt;

#[test]
fn the_document_is_locked() {
    insta::assert_json_snapshot!("openapi", openapi::document());
}

#[tokio::test]
async fn every_documented_operation_has_a_route() {
    let test = common::sqlite().await;
    let app = http::router(AppState::new(test.store.clone(), HttpConfig::default()));
    for (method, path) in openapi::routes() {
        let uri = path
            .replace("{id}", "1")
            .replace("{version}", "1")
            .replace("{contribution}", "1");
        let request = Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(&uri)
            .body(Body::empty())
            .expect("request");
        let status = app.clone().oneshot(request).await.expect("answer").status();
        assert!(
            status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path} is documented but answers {status}"
        );
    }
    // And the reverse for one route that is not documented.
    let request = Request::builder()
        .uri("/api/v1/undocumented")
        .body(Body::empty())
        .expect("request");
    assert_eq!(
        app.oneshot(request).await.expect("answer").status(),
        StatusCode::NOT_FOUND
    );
    test.finish().await;
}
