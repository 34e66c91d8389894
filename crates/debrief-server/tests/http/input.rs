//! Bad input: a clear 4xx in the one error shape, never a 500, never a partial write.

use crate::common::api::{Api, DRAFT};
use debrief_server::{Store, http};
use reqwest::{Method, StatusCode};
use serde_json::json;

crate::on_both_stores!(bad_input_gets_a_4xx_and_writes_nothing);

async fn bad_input_gets_a_4xx_and_writes_nothing(store: &Store, backend: &str) {
    let api = Api::with(store, &["sre"]).await;
    let (_, pm_path) = api.create("sre", DRAFT).await;
    let (_, before) = api
        .call("sre", Method::GET, "/api/v1/postmortems?limit=500", None)
        .await;
    let s = &api.server;
    let raw = |body: &'static str| {
        s.client
            .post(format!("{}/api/v1/postmortems", s.base))
            .bearer_auth(api.t("sre"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    assert_eq!(
        raw("{\"markdown\": ").await.expect("request").status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        raw("{\"markdown\": \"# Postmortem: X\", \"colour\": 1}")
            .await
            .expect("request")
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (status, body) = api
        .call(
            "sre",
            Method::POST,
            "/api/v1/postmortems",
            Some(json!({"markdown": "---\ntitle: [unclosed\n---\n## Summary\n"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .expect("message")
            .starts_with("line "),
        "{body}"
    );
    let huge = "x".repeat(http::MAX_JSON_BYTES + 10);
    let (status, _) = api
        .call(
            "sre",
            Method::POST,
            "/api/v1/postmortems",
            Some(json!({"markdown": huge})),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _) = api
        .call(
            "sre",
            Method::PUT,
            &pm_path,
            Some(json!({"markdown": DRAFT})),
        )
        .await;
    assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);
    for path in [
        "/api/v1/postmortems/999999",
        "/api/v1/postmortems/abc",
        "/api/v1/nothing",
    ] {
        let (status, body) = api.call("sre", Method::GET, path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body["error"]["status"], 404, "one error shape: {body}");
    }
    for path in [
        "/api/v1/postmortems?from=2026-02-30",
        "/api/v1/postmortems?colour=red",
        "/api/v1/search?q=",
    ] {
        let (status, _) = api.call("sre", Method::GET, path, None).await;
        assert!(status.is_client_error(), "{path}: {status}");
    }
    let (status, _) = api
        .call(
            "sre",
            Method::POST,
            &format!("{pm_path}/contributions"),
            Some(json!({"kind": "timeline", "text": "x", "at": "2026-13-01T00:00:00Z"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, contributions) = api
        .call(
            "sre",
            Method::GET,
            &format!("{pm_path}/contributions"),
            None,
        )
        .await;
    assert_eq!(
        contributions["contributions"],
        json!([]),
        "{backend}: the refused contribution was not written"
    );
    let (_, after) = api
        .call("sre", Method::GET, "/api/v1/postmortems?limit=500", None)
        .await;
    assert_eq!(
        before, after,
        "{backend}: nothing was written by bad requests"
    );
    api.stop().await;
}
