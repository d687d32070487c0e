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

    /// Set when a TLS proxy is in front: cookies get `Secure`, responses send HSTS.
    #[arg(long, env = "BEHIND_TLS", default_value_t = false)]
    pub behind_tls: bool,

    /// Proxies (CIDRs, comma-separated, e.g. `127.0.0.1/32,10.0.0.0/8`) whose X-Forwarded-For is
    /// believed: the client is the rightmost address not in this list. Empty: the peer address.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// The origin browsers use, e.g. `https://shop.example.de`: every link in a mail starts with
    /// it (required with SMTP_URL; never taken from a request), and a state-changing request's
    /// `Origin` must be exactly this (unset: it must match the request's `Host`).
    #[arg(long, env = "PUBLIC_ORIGIN")]
    pub public_origin: Option<String>,

    /// A bearer token that opens `GET /metrics` from other hosts (a Prometheus elsewhere);
    /// without it, only loopback may read the metrics.
    #[arg(long, env = "METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// `json`: one JSON object per log line (with the request id); else readable text.
    #[arg(long, env = "LOG_FORMAT", default_value = "text")]
    pub log_format: String,

    /// Seconds added to the clock that decides which test-drive slots are past or bookable: for
    /// tests and demos that book days ahead (the clocks' change in March, say). 0 in service.
    #[arg(
        long,
        env = "CLOCK_OFFSET_SECONDS",
        default_value_t = 0,
        allow_hyphen_values = true
    )]
    pub clock_offset_seconds: i64,

    #[command(flatten, next_help_heading = "Limits")]
    pub limits: Limits,

    #[command(flatten, next_help_heading = "Timeouts")]
    pub timeouts: Timeouts,

    #[command(flatten, next_help_heading = "Mail")]
    pub mail: Mail,

    #[command(flatten, next_help_heading = "Webhooks")]
    pub webhooks: Webhooks,

    #[command(flatten, next_help_heading = "Outbox relay")]
    pub relay: Relay,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What one client, account or the whole server may take.
#[derive(Clone, Debug, clap::Args)]
pub struct Limits {
    /// Largest request body accepted, in bytes.
    #[arg(long, env = "BODY_LIMIT", default_value_t = 64 * 1024)]
    pub body_limit: usize,

    /// Connections served at once; more wait in the listen backlog.
    #[arg(long, env = "MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,

    /// Password hashes computed at once (argon2id takes 19 MiB each); default: the CPU cores.
    #[arg(long, env = "HASH_WORKERS")]
    pub hash_workers: Option<usize>,

    /// New accounts per client address and hour.
    #[arg(long, env = "REGISTRATIONS_PER_HOUR", default_value_t = 30)]
    pub registrations_per_hour: i64,

    /// New orders per account and hour (a retry of one order counts once).
    #[arg(long, env = "ORDERS_PER_ACCOUNT_PER_HOUR", default_value_t = 10)]
    pub orders_per_account_per_hour: u32,

    /// New orders per client address and hour: a showroom's screens share one address.
    #[arg(long, env = "ORDERS_PER_ADDRESS_PER_HOUR", default_value_t = 60)]
    pub orders_per_address_per_hour: u32,
}

/// How long the server waits, and how long a grant lasts.
#[derive(Clone, Debug, clap::Args)]
pub struct Timeouts {
    /// Milliseconds a client has to send a request's headers (slowloris defence); an HTTP/1
    /// connection waiting this long for its next request is closed too.
    #[arg(
        long = "header-timeout-ms",
        env = "HEADER_TIMEOUT_MS",
        default_value_t = 10_000
    )]
    pub header_ms: u64,

    /// Milliseconds a request may take, reading its body included: then 408 (JSON under /api).
    #[arg(
        long = "request-timeout-ms",
        env = "REQUEST_TIMEOUT_MS",
        default_value_t = 30_000
    )]
    pub request_ms: u64,

    /// Milliseconds a connection may stay without traffic before it is closed.
    #[arg(
        long = "idle-timeout-ms",
        env = "IDLE_TIMEOUT_MS",
        default_value_t = 60_000
    )]
    pub idle_ms: u64,

    /// Milliseconds a sign-in or registration waits for a free hasher before it gets 503.
    #[arg(long, env = "HASH_WAIT_MS", default_value_t = 10_000)]
    pub hash_wait_ms: u64,

    /// Hours a showroom screen stays in store mode after a staff member set it up.
    #[arg(long, env = "SCREEN_HOURS", default_value_t = 12)]
    pub screen_hours: u32,
}

/// The shop's mail (order confirmations, cancellations, password resets).
#[derive(Clone, Debug, clap::Args)]
pub struct Mail {
    /// The mail relay, e.g. `smtp://127.0.0.1:2525` (plain), `smtp://host:587?tls=starttls`
    /// (STARTTLS required; also `smtp+starttls://host`) or `smtps://host` (TLS);
    /// `user:password@` before the host signs in (TLS only). Unset: no mail is sent.
    #[arg(long, env = "SMTP_URL")]
    pub smtp_url: Option<String>,

    /// The sender of the shop's mail.
    #[arg(
        long = "mail-from",
        env = "MAIL_FROM",
        default_value = "smart #1 <no-reply@smart1.example>"
    )]
    pub from: String,

    /// Milliseconds one mail may take to hand to the relay (connect to QUIT).
    #[arg(
        long = "mail-timeout-ms",
        env = "MAIL_TIMEOUT_MS",
        default_value_t = 15_000
    )]
    pub timeout_ms: u64,
}

/// Where order events go as signed webhooks.
#[derive(Clone, Debug, clap::Args)]
pub struct Webhooks {
    /// Where the outbox relay delivers order events (`order.placed`, `order.status_changed`)
    /// as webhooks, comma-separated, each `RECEIVER=URL`: `oem=https://…` is the manufacturer's
    /// order management (every order), `P01=https://…` a partner's dealer system (only the
    /// orders of that partner's locations). Unset: the events stay pending.
    #[arg(
        long = "order-webhook-urls",
        env = "ORDER_WEBHOOK_URLS",
        value_delimiter = ','
    )]
    pub order_urls: Vec<String>,

    /// The shared secret webhooks are signed with (Standard Webhooks: `whsec_` and base64, or
    /// any text). Required with ORDER_WEBHOOK_URLS.
    #[arg(
        long = "webhook-secret",
        env = "WEBHOOK_SECRET",
        hide_env_values = true
    )]
    pub secret: Option<String>,
}

/// How the outbox relay retries and shares its work between instances.
#[derive(Clone, Debug, clap::Args)]
pub struct Relay {
    /// Milliseconds one delivery attempt may take (one webhook POST, or one mail).
    #[arg(
        long = "relay-attempt-timeout-ms",
        env = "RELAY_ATTEMPT_TIMEOUT_MS",
        default_value_t = 10_000
    )]
    pub attempt_timeout_ms: u64,

    /// Attempts before an event is dead (staff can replay it).
    #[arg(
        long = "relay-max-attempts",
        env = "RELAY_MAX_ATTEMPTS",
        default_value_t = 12
    )]
    pub max_attempts: i64,

    /// The wait after the first failed attempt; it doubles with each further one (with jitter).
    #[arg(
        long = "relay-retry-base-ms",
        env = "RELAY_RETRY_BASE_MS",
        default_value_t = 2_000
    )]
    pub retry_base_ms: u64,

    /// The longest wait between two attempts.
    #[arg(
        long = "relay-retry-max-ms",
        env = "RELAY_RETRY_MAX_MS",
        default_value_t = 3_600_000
    )]
    pub retry_max_ms: u64,

    /// How often the relay looks for due events when it found none.
    #[arg(long = "relay-poll-ms", env = "RELAY_POLL_MS", default_value_t = 500)]
    pub poll_ms: u64,

    /// Milliseconds an event taken for delivery stays this instance's (renewed while it is
    /// delivered): an instance that died frees its events within this time.
    #[arg(
        long = "relay-lease-ms",
        env = "RELAY_LEASE_MS",
        default_value_t = 15_000
    )]
    pub lease_ms: u64,
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
            .mail
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
            .webhooks
            .order_urls
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
        let secret = self.webhooks.secret.as_deref().map(str::trim).unwrap_or("");
        let (relay, ms) = (&self.relay, std::time::Duration::from_millis);
        if !receivers.is_empty() && secret.is_empty() {
            return Err("ORDER_WEBHOOK_URLS needs WEBHOOK_SECRET: webhooks are signed".into());
        }
        Ok(crate::relay::Settings {
            receivers,
            public_origin: self.public_origin(),
            webhook_key: crate::webhook::secret_key(secret),
            attempt_timeout: ms(relay.attempt_timeout_ms.max(1)),
            max_attempts: relay.max_attempts.max(1),
            retry_base: ms(relay.retry_base_ms),
            retry_max: ms(relay.retry_max_ms),
            poll: ms(relay.poll_ms.max(10)),
            lease: ms(relay.lease_ms.max(300)),
            clock_offset_ms: self.clock_offset_seconds.saturating_mul(1000),
        })
    }

    /// How many argon2 computations may run at once.
    pub fn hash_workers(&self) -> usize {
        self.limits
            .hash_workers
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
            .max(1)
    }

    /// The defaults as `--help` states them, whatever the environment says, with an ephemeral
    /// port, the given database and dist folder: for tests.
    pub fn for_test(database_url: String, dist: PathBuf) -> Config {
        use clap::{CommandFactory, FromArgMatches};
        let command = Config::command().mut_args(|arg| arg.env(None));
        let mut config = Config::from_arg_matches(&command.get_matches_from(["server"]))
            .expect("the defaults parse");
        config.bind = "127.0.0.1:0".parse().expect("valid address");
        config.database_url = database_url;
        config.dist = dist;
        // Tests place many orders from one account; the throttle's own tests set theirs.
        config.limits.orders_per_account_per_hour = 1_000_000;
        config.limits.orders_per_address_per_hour = 1_000_000;
        config
    }
}

#[cfg(test)]
mod tests {
    use super::Config;
    use clap::CommandFactory;

    /// The README's configuration rows: (flags, variables, default), as written.
    fn readme_rows() -> Vec<(Vec<String>, Vec<String>, String)> {
        let quoted = |cell: &str| -> Vec<String> {
            cell.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect()
        };
        include_str!("../../../README.md")
            .lines()
            .skip_while(|l| *l != "## Configuration")
            .take_while(|l| !l.starts_with("`server precompress`"))
            .filter(|l| l.starts_with("| `--"))
            .map(|l| {
                let cells: Vec<&str> = l.trim_matches('|').split(" | ").collect();
                (
                    quoted(cells[0]),
                    quoted(cells[1]),
                    cells[2].replace('`', ""),
                )
            })
            .collect()
    }

    /// `value` in `text` as a whole value, not inside a longer number.
    fn states(text: &str, value: &str) -> bool {
        text.match_indices(value).any(|(i, _)| {
            let before = text[..i].chars().last();
            let after = text[i + value.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphanumeric())
                && !after.is_some_and(|c| c.is_ascii_digit())
        })
    }

    #[test]
    fn the_readme_table_and_help_name_the_same_flags_variables_and_defaults() {
        let rows = readme_rows();
        let command = Config::command();
        let mut documented = 0;
        for arg in command.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            if matches!(long, "help" | "version") {
                continue;
            }
            let flag = format!("--{long}");
            let (flags, envs, default) = rows
                .iter()
                .find(|(flags, _, _)| flags.contains(&flag))
                .unwrap_or_else(|| panic!("{flag} is not in the README's table"));
            let i = flags.iter().position(|f| *f == flag).unwrap();
            let env = arg.get_env().map(|e| e.to_string_lossy().into_owned());
            assert_eq!(envs.get(i), env.as_ref(), "{flag}: its variable");
            match arg.get_default_values() {
                [] => assert!(
                    !default.starts_with(|c: char| c.is_ascii_digit()),
                    "{flag}: no default, the README says {default:?}"
                ),
                [value] => {
                    let value = value.to_string_lossy();
                    let value = if value == "false" {
                        "off".into()
                    } else {
                        value
                    };
                    assert!(
                        states(default, &value),
                        "{flag}: default {value}, the README says {default:?}"
                    );
                }
                more => panic!("{flag}: {more:?}"),
            }
            documented += 1;
        }
        let in_readme: usize = rows.iter().map(|(flags, _, _)| flags.len()).sum();
        assert_eq!(
            documented, in_readme,
            "the README names a flag --help does not"
        );
    }

    #[test]
    fn test_defaults_are_the_help_defaults_whatever_the_environment() {
        let config = Config::for_test("sqlite::memory:".into(), "dist".into());
        assert_eq!(config.limits.registrations_per_hour, 30);
        assert_eq!(config.relay.max_attempts, 12);
        assert_eq!(config.mail.smtp_url, None);
    }
}
