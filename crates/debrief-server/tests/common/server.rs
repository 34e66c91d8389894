//! A server on a free local port, and a client for it.

use debrief_server::Store;
use debrief_server::http::{self, AppState, HttpConfig};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// An HTTP client. A workspace build gives reqwest the binary's TLS feature, which needs a
/// crypto provider installed first (a second install fails harmlessly).
pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// A server on a free local port, stopped by dropping `stop`.
pub struct Server {
    pub base: String,
    pub host: String,
    pub client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    pub async fn start(store: Store) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a local port");
        let address = listener.local_addr().expect("address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let state = AppState::new(store, HttpConfig::default());
        let task = tokio::spawn(http::serve(listener, state, async {
            let _ = stopped.await;
        }));
        Server {
            base: format!("http://{address}"),
            host: address.to_string(),
            client: client(),
            stop: Some(stop),
            task,
        }
    }

    /// Checks that every route the server reached is documented, then stops it gracefully
    /// and waits for it. Every test that starts a server checks this at its end, so a route
    /// added without documentation fails as soon as any test calls it.
    pub async fn stop(mut self) {
        self.assert_reached_routes_documented().await;
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.await.expect("server task").expect("server");
    }

    /// The server's `/metrics` text.
    pub async fn metrics(&self) -> String {
        let response = self
            .client
            .get(format!("{}/metrics", self.base))
            .send()
            .await
            .expect("metrics");
        assert_eq!(response.status(), StatusCode::OK, "GET /metrics");
        response.text().await.expect("text")
    }

    /// Every route this server reached (in its `/metrics`) is documented.
    pub async fn assert_reached_routes_documented(&self) {
        let undocumented = undocumented_routes(&self.metrics().await);
        assert!(
            undocumented.is_empty(),
            "reached but not documented: {undocumented:#?}"
        );
    }

    /// A request as `who` (a bearer token), with an optional JSON body.
    pub async fn call(
        &self,
        who: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let method_name = method.as_str().to_string();
        let method_name = method_name.as_str();
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(who);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        let media_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let (status, value) = read(response).await;
        // Every answer must be what the OpenAPI document says it is.
        match super::openapi::documented_answer(method_name, path, status.as_u16()) {
            Some((documented, schema)) => {
                assert!(
                    media_type.starts_with(&documented),
                    "{method_name} {path} answered {status} as {media_type:?}, documented as {documented:?}"
                );
                if documented == "application/json"
                    && let Err(error) = super::openapi::conforms(&value, schema, "response")
                {
                    panic!(
                        "{method_name} {path} answered {status}, not as documented: {error}\n{value}"
                    );
                }
            }
            None => assert_eq!(
                value,
                Value::String(String::new()),
                "{method_name} {path} answered {status} with content where none is documented"
            ),
        }
        (status, value)
    }
}

pub async fn read(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.expect("body");
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    assert!(
        status.as_u16() < 500,
        "the server answered {status}: {value}"
    );
    (status, value)
}

/// The routes counted in a `/metrics` text that the OpenAPI document does not have, as
/// "METHOD route" (requests no route matched are counted as `unmatched`).
pub fn undocumented_routes(metrics: &str) -> std::collections::BTreeSet<String> {
    reached_routes(metrics)
        .into_iter()
        .filter(|(method, route)| route != "unmatched" && !super::openapi::documents(method, route))
        .map(|(method, route)| format!("{method} {route}"))
        .collect()
}

/// Every (method, route) counted in a `/metrics` text.
pub fn reached_routes(metrics: &str) -> std::collections::BTreeSet<(String, String)> {
    metrics
        .lines()
        .filter_map(|line| line.strip_prefix("debrief_http_requests_total{method=\""))
        .filter_map(|rest| {
            let (method, rest) = rest.split_once("\",route=\"")?;
            let (route, _) = rest.split_once('"')?;
            Some((method.to_string(), route.to_string()))
        })
        .collect()
}
