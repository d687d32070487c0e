//! The smart #1 server: the JSON API under `/api` and the built app, over SQLite or PostgreSQL.

pub mod config;
pub mod http;
pub mod storage;

use config::Config;
use std::sync::{Arc, OnceLock};

/// Serves `app` until `shutdown` resolves. Every accepted connection gets `TCP_NODELAY`:
/// without it a file body written after its headers waits in Nagle's buffer for the client's
/// delayed ACK (~40 ms per static file on a kept-alive connection). Handlers see the client's
/// address (throttles).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!("TCP_NODELAY: {e}");
        }
    });
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Connects the database (migrating it) and builds the router; shared by `main` and the tests.
pub async fn build(config: Config) -> Result<(axum::Router, storage::Db), storage::StorageError> {
    let db = storage::Db::connect(&config.database_url).await?;
    if !config.dist.join("index.html").exists() {
        tracing::warn!(dist = %config.dist.display(), "no built app here: run `make run` or `trunk build --release`");
    }
    storage::orders::fill_partners(&db, |location| {
        reference_data()
            .0
            .location(location)
            .map(|l| l.partner.clone())
    })
    .await?;
    let state = http::AppState {
        db: db.clone(),
        config: Arc::new(config),
        catalog: Arc::new(domain::Catalog::current()),
        network: reference_data().0,
        postcodes: reference_data().1,
    };
    Ok((http::router(state), db))
}

/// The `staff-add` command: connects (migrating), provisions, reports.
pub async fn staff_add(config: &Config, email: &str, partner: &str) -> Result<String, String> {
    let db = storage::Db::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let password = std::env::var("STAFF_PASSWORD").ok();
    let result = http::add_staff(&db, reference_data().0, email, partner, password).await;
    db.close().await;
    result
}

/// The agency network and the postcode table: parsed once per process, shared by every request.
fn reference_data() -> (
    &'static domain::Network,
    &'static domain::postcodes::Postcodes,
) {
    static NETWORK: OnceLock<domain::Network> = OnceLock::new();
    static POSTCODES: OnceLock<domain::postcodes::Postcodes> = OnceLock::new();
    (
        NETWORK.get_or_init(domain::Network::embedded),
        POSTCODES.get_or_init(domain::postcodes::Postcodes::embedded),
    )
}
