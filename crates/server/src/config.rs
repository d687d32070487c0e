//! Server configuration from flags and environment, with defaults that run out of the box.

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug, Parser)]
#[command(name = "server", about = "smart #1 configurator API and app server")]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// `sqlite://path` (created and migrated on start) or `postgres://...`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://var/smart1.sqlite"
    )]
    pub database_url: String,

    /// The app as built by Trunk.
    #[arg(long, env = "DIST_DIR", default_value = "dist")]
    pub dist: PathBuf,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "BODY_LIMIT", default_value_t = 64 * 1024)]
    pub body_limit: usize,

    /// Set when a TLS proxy is in front: cookies get `Secure`, responses send HSTS.
    #[arg(long, env = "BEHIND_TLS", default_value_t = false)]
    pub behind_tls: bool,

    /// Milliseconds a client has to send a request's headers (slowloris defence); an HTTP/1
    /// connection waiting this long for its next request is closed too.
    #[arg(long, env = "HEADER_TIMEOUT_MS", default_value_t = 10_000)]
    pub header_timeout_ms: u64,

    /// Milliseconds a request may take, reading its body included: then 408 (JSON under /api).
    #[arg(long, env = "REQUEST_TIMEOUT_MS", default_value_t = 30_000)]
    pub request_timeout_ms: u64,

    /// Milliseconds a connection may stay without traffic before it is closed.
    #[arg(long, env = "IDLE_TIMEOUT_MS", default_value_t = 60_000)]
    pub idle_timeout_ms: u64,

    /// Connections served at once; more wait in the listen backlog.
    #[arg(long, env = "MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,

    /// Password hashes computed at once (argon2id takes 19 MiB each); default: the CPU cores.
    #[arg(long, env = "HASH_WORKERS")]
    pub hash_workers: Option<usize>,

    /// Milliseconds a sign-in or registration waits for a free hasher before it gets 503.
    #[arg(long, env = "HASH_WAIT_MS", default_value_t = 10_000)]
    pub hash_wait_ms: u64,

    /// New accounts per client address and hour.
    #[arg(long, env = "REGISTRATIONS_PER_HOUR", default_value_t = 30)]
    pub registrations_per_hour: i64,

    /// New orders per account and hour (a retry of one order counts once).
    #[arg(long, env = "ORDERS_PER_ACCOUNT_PER_HOUR", default_value_t = 10)]
    pub orders_per_account_per_hour: u32,

    /// New orders per client address and hour: a showroom's screens share one address.
    #[arg(long, env = "ORDERS_PER_ADDRESS_PER_HOUR", default_value_t = 60)]
    pub orders_per_address_per_hour: u32,

    /// Hours a showroom screen stays in store mode after a staff member set it up.
    #[arg(long, env = "SCREEN_HOURS", default_value_t = 12)]
    pub screen_hours: u32,

    /// Proxies (CIDRs, comma-separated, e.g. `127.0.0.1/32,10.0.0.0/8`) whose X-Forwarded-For is
    /// believed: the client is the rightmost address not in this list. Empty: the peer address.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// A bearer token that opens `GET /metrics` from other hosts (a Prometheus elsewhere);
    /// without it, only loopback may read the metrics.
    #[arg(long, env = "METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// The origin browsers use, e.g. `https://shop.example.de`: every link in a mail starts with
    /// it (required with SMTP_URL; never taken from a request), and a state-changing request's
    /// `Origin` must be exactly this (unset: it must match the request's `Host`).
    #[arg(long, env = "PUBLIC_ORIGIN")]
    pub public_origin: Option<String>,

    /// The mail relay, e.g. `smtp://127.0.0.1:2525` (plain), `smtp://host:587?tls=starttls`
    /// (STARTTLS required; also `smtp+starttls://host`) or `smtps://host` (TLS);
    /// `user:password@` before the host signs in (TLS only). Unset: no mail is sent.
    #[arg(long, env = "SMTP_URL")]
    pub smtp_url: Option<String>,

    /// The sender of the shop's mail.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "smart #1 <no-reply@smart1.example>"
    )]
    pub mail_from: String,

    /// Milliseconds one mail may take to hand to the relay (connect to QUIT).
    #[arg(long, env = "MAIL_TIMEOUT_MS", default_value_t = 15_000)]
    pub mail_timeout_ms: u64,

    /// Where the outbox relay delivers order events (`order.placed`, `order.status_changed`)
    /// as webhooks, comma-separated, each `RECEIVER=URL`: `oem=https://…` is the manufacturer's
    /// order management (every order), `P01=https://…` a partner's dealer system (only the
    /// orders of that partner's locations). Unset: the events stay pending.
    #[arg(long, env = "ORDER_WEBHOOK_URLS", value_delimiter = ',')]
    pub order_webhook_urls: Vec<String>,

    /// The shared secret webhooks are signed with (Standard Webhooks: `whsec_` and base64, or
    /// any text). Required with ORDER_WEBHOOK_URLS.
    #[arg(long, env = "WEBHOOK_SECRET", hide_env_values = true)]
    pub webhook_secret: Option<String>,

    /// Milliseconds one delivery attempt may take (one webhook POST, or one mail).
    #[arg(long, env = "RELAY_ATTEMPT_TIMEOUT_MS", default_value_t = 10_000)]
    pub relay_attempt_timeout_ms: u64,

    /// Attempts before an event is dead (staff can replay it).
    #[arg(long, env = "RELAY_MAX_ATTEMPTS", default_value_t = 12)]
    pub relay_max_attempts: i64,

    /// The wait after the first failed attempt; it doubles with each further one (with jitter).
    #[arg(long, env = "RELAY_RETRY_BASE_MS", default_value_t = 2_000)]
    pub relay_retry_base_ms: u64,

    /// The longest wait between two attempts.
    #[arg(long, env = "RELAY_RETRY_MAX_MS", default_value_t = 3_600_000)]
    pub relay_retry_max_ms: u64,

    /// How often the relay looks for due events when it found none.
    #[arg(long, env = "RELAY_POLL_MS", default_value_t = 500)]
    pub relay_poll_ms: u64,

    /// Milliseconds an event taken for delivery stays this instance's (renewed while it is
    /// delivered): an instance that died frees its events within this time.
    #[arg(long, env = "RELAY_LEASE_MS", default_value_t = 15_000)]
    pub relay_lease_ms: u64,

    /// `json`: one JSON object per log line (with the request id); else readable text.
    #[arg(long, env = "LOG_FORMAT", default_value = "text")]
    pub log_format: String,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Debug, clap::Subcommand)]
pub enum Command {
    /// Writes .br and .gz beside every compressible file of the dist folder, then exits.
    Precompress,
    /// Writes the pages whose first screen the server paints (`dist/pages/`), from the shells
    /// in `--shells` (snapshots of the app's first render), then exits.
    Paint {
        #[arg(long, default_value = "public/shells")]
        shells: std::path::PathBuf,
    },
    /// Makes an account staff of a partner (creating it with $STAFF_PASSWORD if needed), then exits.
    StaffAdd {
        #[arg(long)]
        email: String,
        /// A partner id of data/locations/network.json, e.g. P01.
        #[arg(long)]
        partner: String,
    },
}

impl Config {
    /// `PUBLIC_ORIGIN` without a trailing slash, if set.
    pub fn public_origin(&self) -> Option<String> {
        self.public_origin
            .as_deref()
            .map(|o| o.trim().trim_end_matches('/').to_string())
            .filter(|o| !o.is_empty())
    }

    /// Refuses settings that would be unsafe: mail whose links would have to come from a
    /// request's headers, or an origin that is not one.
    pub fn check(&self) -> Result<(), String> {
        if let Some(origin) = self.public_origin() {
            let parsed =
                url::Url::parse(&origin).map_err(|e| format!("PUBLIC_ORIGIN: {origin}: {e}"))?;
            let bare = parsed.origin().ascii_serialization();
            if !matches!(parsed.scheme(), "http" | "https") || bare != origin {
                return Err(format!(
                    "PUBLIC_ORIGIN: {origin}: give scheme, host and port only, e.g. https://shop.example.de"
                ));
            }
        }
        let mail = self
            .smtp_url
            .as_deref()
            .is_some_and(|u| !u.trim().is_empty());
        if mail && self.public_origin().is_none() {
            return Err("SMTP_URL needs PUBLIC_ORIGIN (e.g. https://shop.example.de): links in mail are never taken from a request".into());
        }
        Ok(())
    }

    /// The relay's settings; an error when webhooks would go out unsigned, to a bad URL or to
    /// a receiver that is neither the manufacturer nor a partner of `network`.
    pub fn relay(&self, network: &domain::Network) -> Result<crate::relay::Settings, String> {
        let mut receivers = Vec::new();
        for entry in self
            .order_webhook_urls
            .iter()
            .map(|u| u.trim())
            .filter(|u| !u.is_empty())
        {
            let (who, url) = entry
                .split_once('=')
                .filter(|(who, _)| !who.contains(':'))
                .ok_or("ORDER_WEBHOOK_URLS: name each receiver, e.g. oem=https://… (every order) or P01=https://… (that partner's orders)")?;
            let parsed = url::Url::parse(url.trim())
                .map_err(|e| format!("ORDER_WEBHOOK_URLS: {who}: {e}"))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(format!(
                    "ORDER_WEBHOOK_URLS: {who}: use http:// or https://"
                ));
            }
            let audience = match who.trim() {
                "oem" => crate::relay::Audience::Manufacturer,
                partner if network.partner(partner).is_some() => {
                    crate::relay::Audience::Partner(partner.to_string())
                }
                other => {
                    return Err(format!(
                        "ORDER_WEBHOOK_URLS: {other}: not `oem` and not a partner id of data/locations/network.json"
                    ))
                }
            };
            receivers.push(crate::relay::Receiver {
                audience,
                url: url.trim().to_string(),
            });
        }
        let secret = self.webhook_secret.as_deref().map(str::trim).unwrap_or("");
        if !receivers.is_empty() && secret.is_empty() {
            return Err("ORDER_WEBHOOK_URLS needs WEBHOOK_SECRET: webhooks are signed".into());
        }
        Ok(crate::relay::Settings {
            receivers,
            public_origin: self.public_origin(),
            webhook_key: crate::webhook::secret_key(secret),
            attempt_timeout: std::time::Duration::from_millis(self.relay_attempt_timeout_ms.max(1)),
            max_attempts: self.relay_max_attempts.max(1),
            retry_base: std::time::Duration::from_millis(self.relay_retry_base_ms),
            retry_max: std::time::Duration::from_millis(self.relay_retry_max_ms),
            poll: std::time::Duration::from_millis(self.relay_poll_ms.max(10)),
            lease: std::time::Duration::from_millis(self.relay_lease_ms.max(300)),
        })
    }

    /// How many argon2 computations may run at once.
    pub fn hash_workers(&self) -> usize {
        self.hash_workers
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
            .max(1)
    }

    /// Defaults for tests: an ephemeral port, the given database and dist folder.
    pub fn for_test(database_url: String, dist: PathBuf) -> Config {
        Config {
            bind: "127.0.0.1:0".parse().expect("valid address"),
            database_url,
            dist,
            body_limit: 64 * 1024,
            behind_tls: false,
            header_timeout_ms: 10_000,
            request_timeout_ms: 30_000,
            idle_timeout_ms: 60_000,
            max_connections: 1024,
            hash_workers: None,
            hash_wait_ms: 10_000,
            registrations_per_hour: 30,
            // Tests place many orders from one account; the throttle's own tests set theirs.
            orders_per_account_per_hour: 1_000_000,
            orders_per_address_per_hour: 1_000_000,
            screen_hours: 12,
            trusted_proxies: Vec::new(),
            public_origin: None,
            metrics_token: None,
            smtp_url: None,
            mail_from: "smart #1 <no-reply@smart1.example>".into(),
            mail_timeout_ms: 15_000,
            order_webhook_urls: Vec::new(),
            webhook_secret: None,
            relay_attempt_timeout_ms: 10_000,
            relay_max_attempts: 12,
            relay_retry_base_ms: 2_000,
            relay_retry_max_ms: 3_600_000,
            relay_poll_ms: 500,
            relay_lease_ms: 15_000,
            log_format: "text".into(),
            command: None,
        }
    }
}
