//! The low findings of the outside probe, each checked: answers are never cached, evidence
//! file names carry no invisible controls, the SQLite file is readable by its owner only,
//! and any document the store keeps can travel through the API (a document could be
//! exported that was too large to import again).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use debrief_server::http::{self, AppState, HttpConfig};
use debrief_server::store::{ContributionKind, MAX_DOCUMENT_BYTES, NewContribution, Upload};
use debrief_server::{Role, Store, StoreError};
use tower::ServiceExt;

#[tokio::test]
async fn answers_are_not_cached_and_any_stored_document_travels() {
    let test = common::sqlite().await;
    let admin = common::user(&test.store, "admin", "SRE", Role::Admin).await;
    let token = test.store.create_token(&admin, "t").await.expect("token");
    let app = http::router(AppState::new(test.store.clone(), HttpConfig::default()));
    let send = |method: &str, uri: &str, body: String| {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .expect("request");
        app.clone().oneshot(request)
    };
    for uri in ["/healthz", "/api/v1/me", "/api/v1/nothing"] {
        let answer = send("GET", uri, String::new()).await.expect("answer");
        assert_eq!(
            answer
                .headers()
                .get(header::CACHE_CONTROL)
                .map(|v| v.as_bytes()),
            Some(&b"no-store"[..]),
            "{uri}"
        );
    }
    // A document at the limit made of characters JSON escapes (a quote in two characters,
    // an escape character in six): as a request body it is more than twice its size.
    let mut markdown = String::from("# Postmortem: Quotes, 2026-06-14\n\n## Summary\n\n");
    while markdown.len() < MAX_DOCUMENT_BYTES - 16 {
        markdown.push_str("\"q\" \u{1b}\n");
    }
    let body = serde_json::json!({ "markdown": markdown }).to_string();
    assert!(body.len() > 2 * 1024 * 1024);
    let answer = send("POST", "/api/v1/postmortems", body)
        .await
        .expect("answer");
    assert_eq!(answer.status(), StatusCode::CREATED);
    // One byte over the limit is refused with the reason.
    let over = "x".repeat(MAX_DOCUMENT_BYTES + 1);
    assert!(matches!(
        test.store.create_postmortem(&admin, &over).await,
        Err(StoreError::Invalid(m)) if m.contains("at most")
    ));
    test.finish().await;
}

#[tokio::test]
async fn evidence_names_lose_invisible_controls() {
    let test = common::sqlite().await;
    let admin = common::user(&test.store, "admin", "SRE", Role::Admin).await;
    let created = test
        .store
        .create_postmortem(
            &admin,
            "# Postmortem: Names, 2026-06-14\n\n## Summary\n\nS.\n",
        )
        .await
        .expect("created");
    let contribution = test
        .store
        .contribute(
            &admin,
            created.id,
            &NewContribution {
                kind: ContributionKind::Evidence,
                body: "",
                happened_at: None,
                url: None,
                anonymous: false,
                file: Some(Upload {
                    name: "invoice\u{202e}fdp.exe\u{200b}",
                    media_type: "application/pdf",
                    content: b"%PDF",
                }),
            },
        )
        .await
        .expect("evidence");
    assert_eq!(contribution.file.expect("file").name, "invoicefdp.exe");
    test.finish().await;
}

#[cfg(unix)]
#[tokio::test]
async fn the_sqlite_file_is_its_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open_dir(dir.path()).await.expect("store");
    common::user(&store, "admin", "SRE", Role::Admin).await;
    for name in ["debrief.sqlite3", "debrief.sqlite3-wal"] {
        let path = dir.path().join(name);
        if let Ok(meta) = std::fs::metadata(&path) {
            assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{name}");
        } else {
            assert_ne!(name, "debrief.sqlite3", "the database file exists");
        }
    }
    store.close().await;
}
