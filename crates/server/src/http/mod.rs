//! The HTTP surface: `/api` (JSON) and the app (static files with an SPA fallback).

mod agent;
pub mod allowance;
mod auth;
mod client_ip;
mod configurations;
mod csrf;
mod drive_desk;
mod error;
mod handovers;
mod health;
mod locations;
pub mod metrics;
mod offline;
pub mod openapi;
pub mod orders;
mod reset;
mod responses;
pub mod screens;
pub mod static_files;
mod test_drives;

pub use agent::add_staff;
pub use auth::{Hashers, PER_ACCOUNT, PER_ADDRESS, REGISTRATIONS};
pub use client_ip::{client_ip, ClientIp};
pub use error::ApiError;
pub use handovers::{CREATIONS as HANDOVER_CREATIONS, LOOKUPS as HANDOVER_LOOKUPS};
pub use metrics::Metrics;
pub use reset::{reset_mail, RESET_PER_ADDRESS, RESET_PER_EMAIL, RESET_TTL};

use crate::config::Config;
use crate::storage::Db;
use axum::body::Body;
use axum::http::StatusCode;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Request};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::any;
use axum::Router;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

/// What every handler can reach: one `Arc`, so handing it to a request (every extractor takes a
/// copy) is one counter increment, not one per field.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl AppState {
    /// Seconds since the epoch by the clock that decides which test-drive slots are past or
    /// bookable (`--clock-offset-seconds` moves it for tests and demos).
    pub fn now(&self) -> i64 {
        crate::storage::now() + self.config.clock_offset_seconds
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub db: Db,
    pub config: Arc<Config>,
    pub catalog: Arc<domain::Catalog>,
    /// Read-only reference data, loaded once for the process.
    pub network: &'static domain::Network,
    pub postcodes: &'static domain::postcodes::Postcodes,
    /// The bounded pool argon2 runs on.
    pub hashers: Hashers,
    /// The mail relay; `None` without `SMTP_URL` (no mail is sent).
    pub mailer: Option<Arc<crate::mail::Mailer>>,
    /// What `GET /metrics` reports.
    pub metrics: Arc<Metrics>,
    /// New orders per account and per client address (this instance's count).
    pub orders_per_account: allowance::Allowance,
    pub orders_per_address: allowance::Allowance,
}

/// Every API route, each with its description (`/api` is added by `router`).
pub(crate) fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(health::routes())
        .merge(openapi::routes())
        .merge(locations::routes())
        .merge(auth::routes())
        .merge(reset::routes())
        .merge(configurations::routes())
        .merge(orders::routes())
        .merge(handovers::routes())
        .merge(agent::routes())
        .merge(screens::routes())
        .merge(test_drives::routes())
        .merge(drive_desk::routes())
}

fn no_such_endpoint() -> ApiError {
    ApiError::NotFound("no such API endpoint".into())
}

pub fn router(state: AppState) -> Router {
    let config = state.config.clone();
    let request_timeout = Duration::from_millis(config.timeouts.request_ms);
    let (api, _) = api_routes().split_for_parts();
    #[cfg(feature = "test-routes")]
    let api = api.merge(test_routes());
    let public_origin = config.public_origin();
    let api = api
        // Counted by their declared route (runs once a route matched).
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::record,
        ))
        .fallback(|| async { no_such_endpoint() })
        .layer(middleware::from_fn(move |request, next| {
            csrf::require_header(public_origin.clone(), request, next)
        }))
        .layer(RequestBodyLimitLayer::new(config.limits.body_limit))
        // Reading the body counts: a trickled body gets 408 too (JSON, by the next layer).
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .layer(middleware::from_fn(json_errors))
        .layer(CompressionLayer::new())
        .with_state(state.clone());
    let scrape = Router::new()
        .route("/metrics", axum::routing::get(metrics::scrape))
        .with_state(state.clone());

    let app = static_files::router(&config.dist, state.network)
        .merge(offline::router(&config.dist))
        .layer(middleware::from_fn(static_files::cache_headers))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ));

    // `nest` takes `/api` and `/api/...`; `/api/` itself would otherwise reach the app.
    let mut router = Router::new()
        .nest("/api", api)
        .route("/api/", any(|| async { no_such_endpoint() }))
        .merge(scrape)
        .merge(app);
    for (name, value, documents_only) in security_headers(&config) {
        // Document policies (CSP, framing, permissions) mean nothing on a script, the wasm, a
        // style sheet or an image: there they are bytes every customer downloads for nothing.
        let when = move |response: &Response| {
            let asset = response
                .headers()
                .get(header::CONTENT_TYPE)
                .is_some_and(|v| {
                    let v = v.as_bytes();
                    [
                        &b"text/javascript"[..],
                        b"application/javascript",
                        b"application/wasm",
                        b"text/css",
                        b"image/",
                    ]
                    .iter()
                    .any(|t| v.starts_with(t))
                });
            (!(asset && documents_only)).then(|| value.clone())
        };
        router = router.layer(SetResponseHeaderLayer::overriding(name, when));
    }
    // A panicking handler answers a JSON 500 (the cause goes to the log); the process, and
    // every other request, carries on.
    // Every request carries an id (the caller's `x-request-id`, or a new UUID): in the log
    // line's span, echoed in the answer, and stored with the outbox events it makes, so a
    // webhook can be traced to the request that caused it.
    router
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
                tracing::info_span!(
                    "request",
                    method = %request.method(),
                    uri = %request.uri().path(),
                    request_id = request_id(request.headers()).unwrap_or_default(),
                )
            }),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// The request's id, if it is a sane one (at most 128 visible ASCII characters).
pub fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|id| !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_graphic()))
}

fn panic_response(cause: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let cause = cause
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| cause.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(%cause, "a handler panicked");
    error::error_body(
        StatusCode::INTERNAL_SERVER_ERROR,
        domain::api::ErrorCode::Internal,
        "Something went wrong on our side. Please try again.",
    )
}

/// Routes only the tests have (`--features test-routes`, turned on by the tests' own
/// dev-dependency on this package): a handler that panics and one that takes too long.
#[cfg(feature = "test-routes")]
fn test_routes() -> Router<AppState> {
    use axum::routing::get;
    Router::new()
        .route(
            "/test/panic",
            get(|| async {
                if std::hint::black_box(true) {
                    panic!("a test route panics on purpose");
                }
                "unreachable"
            }),
        )
        .route(
            "/test/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                "slow"
            }),
        )
        .route(
            "/test/slow-ish",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(2)).await;
                "slow-ish"
            }),
        )
}

/// Errors made by layers and extractors (413 from the body limit, 415/422 from `Json`) come as
/// plain text; under `/api` every error is JSON with a reason, so rewrite them.
async fn json_errors(request: Request<Body>, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let message = match String::from_utf8_lossy(&text).trim() {
        "" => status.canonical_reason().unwrap_or("error").to_string(),
        t => t.to_string(),
    };
    let mut rewritten = error::error_body(
        status,
        domain::api::ErrorCode::for_status(status.as_u16()),
        &message,
    );
    for (name, value) in parts
        .headers
        .iter()
        .filter(|(n, _)| *n != header::CONTENT_TYPE && *n != header::CONTENT_LENGTH)
    {
        rewritten.headers_mut().insert(name.clone(), value.clone());
    }
    rewritten
}

/// (header, value, for documents only: not sent with static assets).
fn security_headers(config: &Config) -> Vec<(HeaderName, HeaderValue, bool)> {
    // Only what the app needs: its own scripts plus wasm compilation, its own API, SVG/data
    // images, and the inline boot script Trunk writes, allowed by its exact hash. (A manifest
    // falls back to default-src 'self'; WebKit logs an error for a `manifest-src` directive.)
    let scripts = static_files::inline_script_hashes(&config.dist).join(" ");
    let csp = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {scripts}; connect-src 'self'; \
         img-src 'self' data:; style-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    );
    let mut headers = vec![
        (header::CONTENT_SECURITY_POLICY, csp, true),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string(), false),
        (header::X_FRAME_OPTIONS, "DENY".to_string(), true),
        (
            header::REFERRER_POLICY,
            "strict-origin-when-cross-origin".to_string(),
            false,
        ),
        (
            HeaderName::from_static("permissions-policy"),
            "geolocation=(self), camera=(), microphone=(), payment=()".to_string(),
            true,
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin".to_string(),
            true,
        ),
    ];
    if config.behind_tls {
        headers.push((
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains".to_string(),
            false,
        ));
    }
    headers
        .into_iter()
        .map(|(name, value, documents_only)| {
            let value = HeaderValue::from_str(&value).expect("header values are ASCII");
            (name, value, documents_only)
        })
        .collect()
}
