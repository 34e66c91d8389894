//! What every fake tracker shares: serving it on a free local port.

/// Serves `app` on a free port of 127.0.0.1 and returns its base URL.
pub async fn serve(app: axum::Router) -> String {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let address = listener.local_addr().expect("its address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}
