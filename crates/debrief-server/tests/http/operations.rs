//! Operations: health and metrics; and the API as a whole: every documented route reached
//! answers as documented, and every route reached is documented.

use crate::common::api::{Api, DRAFT};
use crate::common::server::{reached_routes, undocumented_routes};
use debrief_server::Store;
use debrief_server::http::openapi;
use reqwest::{Method, StatusCode};
use serde_json::json;

crate::on_both_stores!(
    health_answers_and_metrics_count_requests_by_route,
    every_documented_route_is_reached_and_answers_as_documented,
);

async fn health_answers_and_metrics_count_requests_by_route(store: &Store, backend: &str) {
    let api = Api::with(store, &["sre"]).await;
    let (_, path) = api.create("sre", DRAFT).await;
    let (status, refusal) = api
        .call(
            "sre",
            Method::POST,
            &format!("{path}/transitions"),
            Some(json!({"to": "published", "version": 1})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{backend}: a draft is not published at once: {refusal}"
    );
    let s = &api.server;
    let health = s
        .client
        .get(format!("{}/healthz", s.base))
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), StatusCode::OK);
    let text = s.metrics().await;
    assert!(
        text.contains("debrief_http_requests_total{method=\"POST\",route=\"/api/v1/postmortems/{id}/transitions\",status=\"422\"} 1"),
        "{text}"
    );
    // Every route this test reached is documented (every test checks this as its server
    // stops): a route added without documentation fails as soon as a test calls it.
    let undocumented = undocumented_routes(&text);
    assert!(
        undocumented.is_empty(),
        "reached but not documented: {undocumented:#?}"
    );
    api.stop().await;
}

/// A request for every documented operation, as the admin, on a postmortem that exists; each
/// answer checked against the document, and each counted in `/metrics` under the route the
/// document names.
async fn every_documented_route_is_reached_and_answers_as_documented(store: &Store, backend: &str) {
    let api = Api::with(store, &["sre"]).await;
    let (id, _) = api.create("sre", DRAFT).await;
    let documented = openapi::routes();
    for (method, route) in &documented {
        // The admin's own token stays: only a token that does not exist is revoked.
        let id = if route.starts_with("/api/v1/tokens/") {
            999_999
        } else {
            id
        };
        let path = route
            .replace("{id}", &id.to_string())
            .replace("{version}", "1")
            .replace("{contribution}", "999999");
        let method: Method = method.to_uppercase().parse().expect("a method");
        let body = [Method::POST, Method::PUT, Method::PATCH]
            .contains(&method)
            .then(|| json!({}));
        api.call("admin", method, &path, body).await;
    }
    let reached = reached_routes(&api.server.metrics().await);
    let missed: Vec<_> = documented
        .iter()
        .map(|(method, route)| (method.to_uppercase(), route.clone()))
        .filter(|operation| !reached.contains(operation))
        .collect();
    assert!(
        missed.is_empty(),
        "{backend}: documented but not reached as documented: {missed:#?}"
    );
    api.stop().await;
}
