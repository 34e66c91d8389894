//! `/metrics` stays small whatever is sent: every label takes a bounded set of values, so
//! junk methods and paths cannot grow it (issue: 120,000 junk requests once took it from
//! 1.9 KB to 13.4 MB).

mod common;

use axum::body::Body;
use axum::http::{Method, Request};
use debrief_server::http::{self, AppState, HttpConfig};
use tower::ServiceExt;

#[tokio::test]
async fn junk_methods_and_paths_do_not_grow_the_metrics() {
    let test = common::sqlite().await;
    let state = AppState::new(test.store.clone(), HttpConfig::default());
    let metrics = state.metrics.clone();
    let app = http::router(state);
    let send = |method: Method, uri: String| {
        let app = app.clone();
        async move {
            let request = Request::builder()
                .method(method)
                .uri(uri)
                .body(Body::empty())
                .expect("request");
            app.oneshot(request).await.expect("answer")
        }
    };
    send(Method::GET, "/healthz".into()).await;
    let before = metrics.render().len();
    for i in 0..500 {
        let method = Method::from_bytes(format!("JUNK{i}").as_bytes()).expect("method");
        send(method, format!("/junk/{i}")).await;
        send(Method::GET, format!("/api/v1/nothing-{i}")).await;
    }
    let text = metrics.render();
    assert!(
        text.len() < before + 2_000,
        "1,000 junk requests grew the metrics from {before} to {} bytes:\n{text}",
        text.len()
    );
    assert!(
        text.contains("method=\"other\",route=\"unmatched\""),
        "{text}"
    );
    assert!(!text.contains("JUNK"), "{text}");
    test.finish().await;
}
