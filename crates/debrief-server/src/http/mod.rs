//! The HTTP face of the server: the JSON API under `/api/v1`, `/healthz` and `/metrics`, and
//! the web pages people use (`web.rs`).
//! Only this module knows HTTP; everything it answers comes from the [`Store`], in the
//! shapes of `debrief_wire::api`.
//!
//! Handlers are split by resource, one module each. A handler only translates: it takes the
//! request apart, calls one use case of the store, and writes the answer. Each one is
//! registered together with its documentation (`utoipa_axum::routes!` over a
//! `#[utoipa::path]`), so the OpenAPI document is derived from the routes themselves.

mod accounts;
mod admin;
mod comments;
mod contributions;
mod error;
mod evidence;
mod extract;
mod incidents;
mod meetings;
mod metrics;
pub mod openapi;
mod postmortems;
mod respond;
mod search;
mod trackers;
mod web;
mod workflow;

pub use error::{ApiError, ApiResult};
pub use extract::SESSION_COOKIE;
pub use metrics::Metrics;

use crate::Store;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa_axum::router::OpenApiRouter;

/// The largest JSON body accepted. A postmortem's Markdown travels in one, and JSON may write
/// a character in up to six (`\u001b`), so any document the store keeps
/// ([`crate::store::MAX_DOCUMENT_BYTES`]) fits, with room for the other fields.
pub const MAX_JSON_BYTES: usize = 6 * crate::store::MAX_DOCUMENT_BYTES + 64 * 1024;

/// How the server speaks HTTP.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Mark session cookies `Secure`: set when clients reach the server over https (behind
    /// a TLS-terminating proxy, say).
    pub secure_cookies: bool,
    /// How much of what the pages computed is kept, in bytes (0: nothing).
    pub page_cache_bytes: u64,
}

impl Default for HttpConfig {
    fn default() -> HttpConfig {
        HttpConfig {
            secure_cookies: false,
            page_cache_bytes: web::memo::DEFAULT_BYTES,
        }
    }
}

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The store.
    pub store: Store,
    /// HTTP settings.
    pub config: HttpConfig,
    /// Request metrics.
    pub metrics: Arc<Metrics>,
    /// The one-time token of the setup page, on a server started without accounts.
    pub setup_token: Option<Arc<str>>,
    /// What the pages computed, kept under the store's generation.
    pub(crate) pages: Arc<web::memo::PageCache>,
}

impl AppState {
    /// A state over a store.
    pub fn new(store: Store, config: HttpConfig) -> AppState {
        AppState {
            store,
            pages: Arc::new(web::memo::PageCache::new(config.page_cache_bytes)),
            config,
            metrics: Arc::new(Metrics::default()),
            setup_token: None,
        }
    }

    /// The same, with the setup page open to whoever has `token` while the store has no
    /// account (the token is printed in the server's log, so that nobody on the network can
    /// claim a fresh server).
    pub fn with_setup_token(self, token: &str) -> AppState {
        AppState {
            setup_token: Some(Arc::from(token)),
            ..self
        }
    }
}

/// Every route of the API with its documentation.
fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::base())
        .merge(admin::routes())
        .merge(accounts::routes())
        .merge(postmortems::routes())
        .merge(search::routes())
        .merge(workflow::routes())
        .merge(contributions::routes())
        .merge(comments::routes())
        .merge(evidence::routes())
        .merge(trackers::routes())
        .merge(meetings::routes())
        .merge(incidents::routes())
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let metrics = state.metrics.clone();
    let (routes, _) = routes().split_for_parts();
    routes
        .merge(web::routes())
        .fallback(|| async { ApiError::not_found() })
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
        // What the API answers may be private to the caller: no cache keeps it.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            metrics::track,
        ))
        .with_state(state)
}

/// Serves the application on `listener` until `shutdown` completes; then stops taking
/// connections and lets requests in flight finish. A write is one database transaction, so
/// a stop can never leave one half-done. The caller closes the store once everything else
/// that uses it (the job queue) has stopped too.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Completes on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}
