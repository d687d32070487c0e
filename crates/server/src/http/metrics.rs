//! `GET /metrics` in Prometheus text format (prometheus-client): requests by route and status,
//! their latency, orders accepted, the outbox backlog and the database pool's use. Only for
//! loopback (a scraper on the same host) or with `Authorization: Bearer <METRICS_TOKEN>`: the
//! figures tell an outsider how busy the shop is. Loopback means the socket's peer is loopback
//! and no proxy forwarded the request: a proxy on the same host is loopback to us, so whatever
//! it forwards (any `X-Forwarded-For` or `Forwarded`, whatever address it names) needs the token.

use super::{ApiError, AppState};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::extract::{MatchedPath, State};
use axum::http::{header, HeaderMap, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    /// The route as declared (`/api/orders/{id}`), not the path: a bounded set of series.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChannelLabels {
    /// "webhook" or "mail".
    channel: &'static str,
}

/// The server's figures, shared by every request.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    /// Orders newly accepted (a retry answered from the stored order does not count).
    pub orders_accepted: Counter,
    outbox_pending: Gauge,
    outbox_dead: Gauge,
    relay_attempts: Family<ChannelLabels, Counter>,
    relay_failures: Family<ChannelLabels, Counter>,
    pool_size: Gauge,
    pool_idle: Gauge,
}

impl Metrics {
    pub fn new() -> Arc<Metrics> {
        let mut registry = Registry::with_prefix("smart1");
        let requests = Family::<RequestLabels, Counter>::default();
        // 0.5 ms to ~4 s.
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 14))
        });
        let orders_accepted = Counter::default();
        let (outbox_pending, outbox_dead, pool_size, pool_idle) = (
            Gauge::default(),
            Gauge::default(),
            Gauge::default(),
            Gauge::default(),
        );
        let relay_attempts = Family::<ChannelLabels, Counter>::default();
        let relay_failures = Family::<ChannelLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by method, route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route",
            latency.clone(),
        );
        registry.register(
            "orders_accepted",
            "Orders accepted (new orders, not retries)",
            orders_accepted.clone(),
        );
        registry.register(
            "outbox_pending",
            "Events in the outbox not yet delivered",
            outbox_pending.clone(),
        );
        registry.register(
            "outbox_dead",
            "Events the relay gave up on (staff can replay them)",
            outbox_dead.clone(),
        );
        registry.register(
            "relay_attempts",
            "Delivery attempts of outbox events, by channel",
            relay_attempts.clone(),
        );
        registry.register(
            "relay_failures",
            "Failed delivery attempts of outbox events, by channel",
            relay_failures.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Open database connections",
            pool_size.clone(),
        );
        registry.register(
            "db_pool_idle_connections",
            "Idle database connections",
            pool_idle.clone(),
        );
        Arc::new(Metrics {
            registry,
            requests,
            latency,
            orders_accepted,
            outbox_pending,
            outbox_dead,
            relay_attempts,
            relay_failures,
            pool_size,
            pool_idle,
        })
    }

    pub fn relay_attempt(&self, channel: &'static str) {
        self.relay_attempts
            .get_or_create(&ChannelLabels { channel })
            .inc();
    }

    pub fn relay_failure(&self, channel: &'static str) {
        self.relay_failures
            .get_or_create(&ChannelLabels { channel })
            .inc();
    }
}

/// Counts every request and its latency by its declared route (unmatched paths count as
/// "unmatched", so probing random URLs adds no series).
pub async fn record(State(state): State<AppState>, request: Request<Body>, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_string();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let m = &state.metrics;
    let labels = RouteLabels { method, route };
    m.latency
        .get_or_create(&labels)
        .observe(started.elapsed().as_secs_f64());
    let RouteLabels { method, route } = labels;
    m.requests
        .get_or_create(&RequestLabels {
            method,
            route,
            status,
        })
        .inc();
    response
}

/// `GET /metrics`.
pub async fn scrape(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let token = state
        .config
        .metrics_token
        .as_deref()
        .filter(|t| !t.is_empty());
    let allowed = match (token, bearer(&headers)) {
        (Some(token), Some(given)) => constant_time_eq(token.as_bytes(), given.as_bytes()),
        _ => is_local(peer, &headers),
    };
    if !allowed {
        return Err(ApiError::Forbidden(
            "Metrics are for this host or a holder of METRICS_TOKEN.".into(),
        ));
    }
    let m = &state.metrics;
    let (pending, dead) = crate::storage::outbox::backlog(&state.db).await?;
    m.outbox_pending.set(pending);
    m.outbox_dead.set(dead);
    m.pool_size.set(i64::from(state.db.pool().size()));
    m.pool_idle.set(state.db.pool().num_idle() as i64);
    let mut text = String::new();
    encode(&mut text, &m.registry).map_err(ApiError::internal)?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

/// The credentials of `Authorization: Bearer <token>`; the scheme's name is case-insensitive
/// (RFC 9110, 11.1).
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// A scraper on this host: the peer is loopback and nothing says the request was forwarded.
fn is_local(peer: SocketAddr, headers: &HeaderMap) -> bool {
    const FORWARDING: [&str; 4] = [
        "x-forwarded-for",
        "forwarded",
        "x-real-ip",
        "x-forwarded-host",
    ];
    peer.ip().to_canonical().is_loopback() && FORWARDING.iter().all(|h| !headers.contains_key(*h))
}

/// Compares without stopping at the first difference (the time taken tells nothing).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn only_an_unforwarded_loopback_peer_is_local() {
        let lo: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:5000".parse().unwrap();
        let far: SocketAddr = "203.0.113.9:5000".parse().unwrap();
        assert!(is_local(lo, &headers(&[])));
        assert!(is_local(mapped, &headers(&[])));
        assert!(!is_local(far, &headers(&[])));
        for forwarded in [
            ("x-forwarded-for", "127.0.0.1"),
            ("x-forwarded-for", "::1"),
            ("x-forwarded-for", "[::ffff:127.0.0.1]:80"),
            ("x-forwarded-for", "203.0.113.9, nonsense"),
            ("forwarded", "for=127.0.0.1"),
            ("x-real-ip", "127.0.0.1"),
        ] {
            assert!(!is_local(lo, &headers(&[forwarded])), "{forwarded:?}");
        }
    }

    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        for v in ["Bearer s3cret", "bearer s3cret", "BEARER s3cret"] {
            assert_eq!(bearer(&headers(&[("authorization", v)])), Some("s3cret"));
        }
        assert_eq!(bearer(&headers(&[("authorization", "Basic s3cret")])), None);
        assert_eq!(bearer(&headers(&[("authorization", "Bearer ")])), None);
    }
}
