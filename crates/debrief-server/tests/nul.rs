//! A NUL character in any input is refused with 422 on both stores, before anything is
//! written: PostgreSQL cannot store one in text, and answered 500 for it (the login name
//! among 14 inputs, without signing in).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use debrief_server::http::{self, AppState, HttpConfig};
use debrief_server::{Role, Store};
use tower::ServiceExt;

async fn refused(store: &Store) {
    let admin = common::user(store, "admin", "SRE", Role::Admin).await;
    let token = store.create_token(&admin, "test").await.expect("token");
    let app = http::router(AppState::new(store.clone(), HttpConfig::default()));
    let send = |method: &str, uri: &str, body: Option<&str>| {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let request = request
            .body(Body::from(body.unwrap_or_default().to_string()))
            .expect("request");
        let app = app.clone();
        async move {
            let response = app.oneshot(request).await.expect("answer");
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .expect("body");
            (status, String::from_utf8_lossy(&bytes).to_string())
        }
    };
    for (method, uri, body) in [
        (
            "POST",
            "/api/v1/session",
            Some(r##"{"username":"ad\u0000min","password":"x"}"##),
        ),
        (
            "POST",
            "/api/v1/postmortems",
            Some(r##"{"markdown":"# Postmortem: A\u0000B, 2026-06-14\n"}"##),
        ),
        ("POST", "/api/v1/tokens", Some(r##"{"name":"ci\u0000"}"##)),
        (
            "POST",
            "/api/v1/users",
            Some(r##"{"username":"x","function":"S\u0000RE","password":"a long passphrase"}"##),
        ),
        ("GET", "/api/v1/search?q=disk%00", None),
        ("GET", "/api/v1/postmortems?service=a%00b", None),
    ] {
        let (status, text) = send(method, uri, body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{method} {uri}: {text}"
        );
        assert!(text.contains("NUL"), "{method} {uri}: {text}");
    }
    // Nothing was written.
    assert!(store.users().await.expect("users").len() == 1);
    assert!(
        store
            .postmortems(&admin, &Default::default())
            .await
            .expect("list")
            .is_empty()
    );
    // Text that only names the escape is text like any other.
    let (status, _) = send(
        "POST",
        "/api/v1/postmortems",
        Some(r##"{"markdown":"# Postmortem: The \\u0000 byte, 2026-06-14\n"}"##),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn nul_is_refused_on_sqlite() {
    let test = common::sqlite().await;
    refused(&test.store).await;
    test.finish().await;
}

#[tokio::test]
async fn nul_is_refused_on_postgres() {
    if let Some(test) = common::postgres("nul_is_refused_on_postgres").await {
        refused(&test.store).await;
        test.finish().await;
    }
}
