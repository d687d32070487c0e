//! The smart #1 server: the JSON API under `/api` and the built app, over SQLite or PostgreSQL.

pub mod config;
pub mod confirmation;
pub mod drive_mail;
pub mod http;
pub mod mail;
pub mod relay;
pub mod storage;
pub mod webhook;

use config::Config;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// What the accept loop enforces on every connection (see `Config`).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// A request's headers must arrive within this; hyper also closes an HTTP/1 connection that
    /// waits this long for its next request.
    pub header_timeout: Duration,
    /// A connection with no bytes in either direction for this long is closed (gracefully: a
    /// request in flight is answered first).
    pub idle_timeout: Duration,
    /// Connections served at once; further ones wait in the listen backlog.
    pub max_connections: usize,
}

impl Limits {
    pub fn from_config(config: &Config) -> Limits {
        Limits {
            header_timeout: Duration::from_millis(config.timeouts.header_ms),
            idle_timeout: Duration::from_millis(config.timeouts.idle_ms),
            max_connections: config.limits.max_connections.max(1),
        }
    }
}

/// Serves `app` until `shutdown` resolves, then lets running requests finish (up to 30 s).
/// hyper-util's HTTP/1 + HTTP/2 builder with a header-read timeout, an idle timeout per
/// connection and a cap on connections. Every accepted connection gets `TCP_NODELAY`: without
/// it a file body written after its headers waits in Nagle's buffer for the client's delayed
/// ACK (~40 ms per static file on a kept-alive connection). Handlers see the peer's address as
/// `ConnectInfo<SocketAddr>` (see `http::ClientIp` for the client's).
///
/// No client can hold the server by connecting and saying nothing: a connection that sends no
/// byte within the header timeout is closed (hyper's own header timeout starts only once a
/// request begins), and at the cap a new connection makes room by closing the idle connection
/// that has been quiet longest (one that never sent a byte first), so a flood of silent
/// connections delays others by an eviction, not by a timeout.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioTimer};

    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(limits.idle_timeout)
        .keep_alive_timeout(limits.header_timeout);
    let builder = Arc::new(builder);
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let open = Arc::new(io::Connections::default());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment instead of spinning.
                    tracing::warn!("accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let permit = match slots.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                open.evict_one();
                tokio::select! {
                    permit = slots.clone().acquire_owned() => permit.map_err(std::io::Error::other)?,
                    () = &mut shutdown => break,
                }
            }
        };
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!("TCP_NODELAY: {e}");
        }
        let (io, conn_state, registration) = open.register(tcp);
        let (app, builder, stop) = (app.clone(), builder.clone(), stop_rx.clone());
        tokio::spawn(async move {
            let _permit = permit;
            let _registration = registration;
            serve_connection(io, peer, app, builder, limits, conn_state, stop).await;
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Every connection holds a slot: having them all back means every connection has ended.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    if tokio::time::timeout(Duration::from_secs(30), slots.acquire_many(all))
        .await
        .is_err()
    {
        tracing::warn!("connections still open after 30 s; stopping anyway");
    }
    Ok(())
}

type ConnBuilder = hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>;

/// One connection served until it ends, is evicted, stays silent or idle too long, or the
/// server stops (`stop` turns true: running requests are answered first).
async fn serve_connection(
    io: io::Tracked,
    peer: std::net::SocketAddr,
    app: axum::Router,
    builder: Arc<ConnBuilder>,
    limits: Limits,
    conn_state: Arc<io::ConnState>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    use hyper_util::rt::TokioIo;
    use tower::ServiceExt;
    let busy_state = conn_state.clone();
    let service =
        hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
            let busy = busy_state.busy();
            let answer = app.clone().oneshot(request);
            async move {
                let answer = answer.await;
                drop(busy);
                answer
            }
        });
    let conn = builder.serve_connection_with_upgrades(TokioIo::new(io), service);
    tokio::pin!(conn);
    let every = (limits.idle_timeout.min(limits.header_timeout) / 4).max(Duration::from_millis(10));
    let mut tick = tokio::time::interval(every);
    let mut closing = false;
    loop {
        tokio::select! {
            _ = conn.as_mut() => break,
            _ = stop.changed(), if !closing => {
                closing = true;
                conn.as_mut().graceful_shutdown();
            }
            () = conn_state.evicted() => {
                // Chosen because it is idle: nothing in flight is cut.
                break;
            }
            _ = tick.tick(), if !closing => {
                if conn_state.silent_for() >= Some(limits.header_timeout) {
                    // Never sent a byte: nothing to answer, nothing to wait for.
                    break;
                }
                if conn_state.idle_for() >= limits.idle_timeout {
                    closing = true;
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

mod io {
    //! The open connections: each a TCP stream that notes when bytes last moved (for the idle
    //! timeout and for choosing whom to close at the cap), whether it ever sent one, and how
    //! many of its requests are being answered.
    use std::collections::HashMap;
    use std::pin::Pin;
    use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll};
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

    pub struct ConnState {
        origin: Instant,
        /// Milliseconds after `origin` when bytes last moved.
        millis: AtomicU64,
        heard: AtomicBool,
        in_flight: AtomicUsize,
        evict: tokio::sync::Notify,
    }

    impl ConnState {
        fn touch(&self) {
            let now = self.origin.elapsed().as_millis() as u64;
            self.millis.store(now, Ordering::Relaxed);
        }

        pub fn idle_for(&self) -> Duration {
            let now = self.origin.elapsed().as_millis() as u64;
            Duration::from_millis(now.saturating_sub(self.millis.load(Ordering::Relaxed)))
        }

        /// How long since it connected, if it has never sent a byte.
        pub fn silent_for(&self) -> Option<Duration> {
            (!self.heard.load(Ordering::Relaxed)).then(|| self.origin.elapsed())
        }

        /// Counts a request as in flight until the guard is dropped.
        pub fn busy(self: &Arc<Self>) -> Busy {
            self.in_flight.fetch_add(1, Ordering::AcqRel);
            Busy(self.clone())
        }

        /// Resolves when the accept loop chose this connection to make room.
        pub async fn evicted(&self) {
            self.evict.notified().await
        }
    }

    pub struct Busy(Arc<ConnState>);

    impl Drop for Busy {
        fn drop(&mut self) {
            self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
        }
    }

    /// Every open connection, by a number.
    #[derive(Default)]
    pub struct Connections {
        next: AtomicU64,
        open: Mutex<HashMap<u64, Arc<ConnState>>>,
    }

    /// Removes its connection from [`Connections`] when the connection's task ends.
    pub struct Registration {
        id: u64,
        all: Arc<Connections>,
    }

    impl Drop for Registration {
        fn drop(&mut self) {
            self.all.lock().remove(&self.id);
        }
    }

    impl Connections {
        fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<ConnState>>> {
            self.open.lock().unwrap_or_else(|e| e.into_inner())
        }

        pub fn register(
            self: &Arc<Self>,
            inner: tokio::net::TcpStream,
        ) -> (Tracked, Arc<ConnState>, Registration) {
            let state = Arc::new(ConnState {
                origin: Instant::now(),
                millis: AtomicU64::new(0),
                heard: AtomicBool::new(false),
                in_flight: AtomicUsize::new(0),
                evict: tokio::sync::Notify::new(),
            });
            let id = self.next.fetch_add(1, Ordering::Relaxed);
            self.lock().insert(id, state.clone());
            let tracked = Tracked {
                inner,
                state: state.clone(),
            };
            (
                tracked,
                state,
                Registration {
                    id,
                    all: self.clone(),
                },
            )
        }

        /// Closes the connection that can best go: one with no request in flight that never
        /// sent a byte, else the one quiet longest. None idle: nobody is closed.
        pub fn evict_one(&self) {
            let open = self.lock();
            let victim = open
                .values()
                .filter(|c| c.in_flight.load(Ordering::Acquire) == 0)
                .max_by_key(|c| (c.silent_for().is_some(), c.idle_for()));
            if let Some(victim) = victim {
                // A stored permit: it is taken even if the task is not waiting right now.
                victim.evict.notify_one();
            }
        }
    }

    pub struct Tracked {
        inner: tokio::net::TcpStream,
        state: Arc<ConnState>,
    }

    impl AsyncRead for Tracked {
        fn poll_read(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<std::io::Result<()>> {
            let before = buf.filled().len();
            let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
            if buf.filled().len() > before {
                self.state.heard.store(true, Ordering::Relaxed);
                self.state.touch();
            }
            polled
        }
    }

    impl AsyncWrite for Tracked {
        fn poll_write(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            data: &[u8],
        ) -> Poll<std::io::Result<usize>> {
            let polled = Pin::new(&mut self.inner).poll_write(cx, data);
            if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
                self.state.touch();
            }
            polled
        }

        fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Pin::new(&mut self.inner).poll_flush(cx)
        }

        fn poll_shutdown(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<std::io::Result<()>> {
            Pin::new(&mut self.inner).poll_shutdown(cx)
        }
    }
}

/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Storage(#[from] storage::StorageError),
    #[error("{0}")]
    Mail(String),
    #[error("{0}")]
    Config(String),
}

/// The mail relay from the settings, and one line in the log about it.
fn mailer(config: &Config) -> Result<Option<Arc<mail::Mailer>>, StartError> {
    let mailer = mail::Mailer::from_config(
        config.mail.smtp_url.as_deref(),
        &config.mail.from,
        Duration::from_millis(config.mail.timeout_ms),
    )
    .map_err(StartError::Mail)?;
    match &mailer {
        None => tracing::warn!(
            "SMTP_URL is not set: no mail is sent (password reset requests answer 503 mail_unavailable)"
        ),
        Some(m) => {
            tracing::info!(relay = m.relay(), "mail goes out through this relay");
        }
    }
    Ok(mailer.map(Arc::new))
}

/// Connects the database (migrating it) and builds the router; shared by `main` and the tests.
pub async fn build(config: Config) -> Result<(axum::Router, storage::Db), StartError> {
    config.check().map_err(StartError::Config)?;
    let mailer = mailer(&config)?;
    let relay = config
        .relay(reference_data().0)
        .map_err(StartError::Config)?;
    let db = storage::Db::connect(&config.database_url).await?;
    if !config.dist.join("index.html").exists() {
        tracing::warn!(dist = %config.dist.display(), "no built app here: run `make run` or `trunk build --release`");
    }
    let hashers = http::Hashers::new(
        config.hash_workers(),
        Duration::from_millis(config.timeouts.hash_wait_ms),
    );
    let metrics = http::Metrics::new();
    // Parsed once: the requests and the relay's mails read the same catalog.
    let catalog = Arc::new(domain::Catalog::current());
    let relay = relay::Relay::new(
        db.clone(),
        relay,
        mailer.clone(),
        metrics.clone(),
        catalog.clone(),
    );
    tokio::spawn(relay.run());
    let hour = Duration::from_secs(3600);
    let orders_per_account =
        http::allowance::Allowance::new(config.limits.orders_per_account_per_hour, hour);
    let orders_per_address =
        http::allowance::Allowance::new(config.limits.orders_per_address_per_hour, hour);
    let state = http::AppState::new(http::Shared {
        hashers,
        mailer,
        db: db.clone(),
        config: Arc::new(config),
        catalog,
        network: reference_data().0,
        postcodes: reference_data().1,
        orders_per_account,
        orders_per_address,
        metrics,
    });
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
