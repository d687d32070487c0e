//! The outbox relay: a background task in every instance that delivers what the outbox holds.
//! - `order.placed` and `order.status_changed` go as signed webhooks ([`crate::webhook`]) to
//!   the receivers of `ORDER_WEBHOOK_URLS`: the manufacturer's order management gets every
//!   order, a partner's dealer system only the orders of that partner's locations (another
//!   partner's customers are none of its business). At least once, and in order per order.
//! - `customer.confirmation` and `customer.cancellation` go as e-mail ([`crate::confirmation`])
//!   over `SMTP_URL`, to the ordering account's address.
//! - A test drive's events go the same ways ([`drives`]): `test_drive.*` as webhooks to the
//!   manufacturer and the location's partner, its mails (with the calendar invite) to the
//!   driver. Its reminder is an event due a day before the drive: leased like every event, so
//!   it leaves once however many instances run.
//!
//! A channel that is not configured leaves its events pending (the start log says so once); they
//! leave when it is. A failed attempt is retried with exponential backoff and jitter; after
//! `RELAY_MAX_ATTEMPTS` the event is dead until staff replay it. Events are leased while they
//! are delivered, so instances sharing one PostgreSQL never deliver one event at the same time,
//! and an instance that dies mid-delivery leaves its events to the others once the lease ends.

use crate::http::metrics::Metrics;
use crate::mail::Mailer;
use crate::storage::accounts;
use crate::storage::orders::{self, StoredOrder};
use crate::storage::outbox::{self, now_ms, Event};
use crate::storage::Db;
use crate::webhook;
use domain::order::{OrderStatus, Topic};
use rand::Rng;
use std::sync::Arc;
use std::time::Duration;

mod drives;

/// Whose orders a webhook receiver gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The manufacturer: every order.
    Manufacturer,
    /// A partner's dealer system: the orders of its locations.
    Partner(String),
}

#[derive(Clone, Debug)]
pub struct Receiver {
    pub audience: Audience,
    pub url: String,
}

impl Receiver {
    /// Whether it gets the events of a partner's order or drive.
    fn wants(&self, partner_id: &str) -> bool {
        match &self.audience {
            Audience::Manufacturer => true,
            Audience::Partner(id) => id == partner_id,
        }
    }
}

/// How the relay works, from the configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    pub receivers: Vec<Receiver>,
    /// `PUBLIC_ORIGIN`: the confirmation mail links to the order's page with it (the server
    /// does not start with mail and without it).
    pub public_origin: Option<String>,
    /// The signing key (see [`webhook::secret_key`]).
    pub webhook_key: Vec<u8>,
    pub attempt_timeout: Duration,
    pub max_attempts: i64,
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// How often to look for due events when there were none.
    pub poll: Duration,
    /// How long an event taken for delivery stays this instance's; renewed while the delivery
    /// runs, so an instance that died frees its events within this time.
    pub lease: Duration,
    /// `CLOCK_OFFSET_SECONDS` in milliseconds: when an event is due (a drive's reminder) is
    /// reckoned on the same clock as the server's answers.
    pub clock_offset_ms: i64,
}

pub struct Relay {
    db: Db,
    settings: Settings,
    client: reqwest::Client,
    mailer: Option<Arc<Mailer>>,
    metrics: Arc<Metrics>,
    /// The line names in a test drive's mails.
    catalog: Arc<domain::Catalog>,
}

/// Events taken at once.
const BATCH: i64 = 32;

/// How an event leaves: by mail to the ordering account, or as webhooks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Mail,
    Webhook,
}

impl Route {
    fn of(topic: Topic) -> Route {
        if topic.is_mail() {
            Route::Mail
        } else {
            Route::Webhook
        }
    }

    /// The metrics label.
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Mail => "mail",
            Route::Webhook => "webhook",
        }
    }
}

/// Why a delivery attempt failed; its text is what staff read as the event's last error.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("the event names no order")]
    NoOrder,
    #[error("the order cannot be read: {0}")]
    OrderUnreadable(crate::storage::StorageError),
    #[error("order {0} not found")]
    OrderGone(String),
    #[error("no SMTP_URL")]
    NoMailer,
    #[error("no PUBLIC_ORIGIN")]
    NoPublicOrigin,
    #[error("the account cannot be read: {0}")]
    AccountUnreadable(crate::storage::StorageError),
    #[error("the order's account is gone")]
    AccountGone,
    #[error("the test drive cannot be read: {0}")]
    DriveUnreadable(crate::storage::StorageError),
    #[error("test drive {0} not found")]
    DriveGone(String),
    #[error("{0}")]
    Mail(String),
    /// The first receiver that failed (its URL without what may be a secret), and how.
    #[error("{url}: {problem}")]
    Webhook { url: String, problem: PostFailure },
}

/// How one webhook POST failed.
#[derive(Debug, thiserror::Error)]
pub enum PostFailure {
    #[error("timed out")]
    TimedOut,
    #[error("{0}")]
    Transport(String),
    #[error("answered {0}")]
    Answered(reqwest::StatusCode),
}

impl Relay {
    pub fn new(
        db: Db,
        settings: Settings,
        mailer: Option<Arc<Mailer>>,
        metrics: Arc<Metrics>,
        catalog: Arc<domain::Catalog>,
    ) -> Relay {
        let client = reqwest::Client::builder()
            .user_agent(concat!("smart1-outbox-relay/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(settings.attempt_timeout)
            // A target must not send the relay elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("the HTTP client builds");
        Relay {
            db,
            settings,
            client,
            mailer,
            metrics,
            catalog,
        }
    }

    /// The topics this instance can deliver.
    fn topics(&self) -> Vec<Topic> {
        let mut topics = Vec::new();
        if !self.settings.receivers.is_empty() {
            topics.extend(Topic::WEBHOOKS);
        }
        if self.mailer.is_some() {
            topics.extend(Topic::MAILS);
        }
        topics
    }

    /// Runs until the process ends.
    pub async fn run(self) {
        let topics = self.topics();
        if self.settings.receivers.is_empty() {
            tracing::warn!("ORDER_WEBHOOK_URLS is not set: order events are not delivered and stay pending in the outbox");
        }
        for r in &self.settings.receivers {
            tracing::info!(receiver = ?r.audience, url = %webhook::redact(&r.url), "delivering order events as webhooks");
        }
        if self.mailer.is_none() {
            tracing::warn!("SMTP_URL is not set: order confirmations are not mailed and stay pending in the outbox");
        }
        if let Err(e) = outbox::release_leases(&self.db).await {
            tracing::error!(error = %e, "the outbox's old leases could not be released");
        }
        if topics.is_empty() {
            return;
        }
        let lease = self.settings.lease;
        loop {
            if self.db.is_closed() {
                return;
            }
            let leased = outbox::lease(
                &self.db,
                &topics,
                BATCH,
                lease.as_millis() as i64,
                self.now_ms(),
            );
            match leased.await {
                Ok(events) if !events.is_empty() => {
                    futures_util::future::join_all(events.into_iter().map(|e| self.deliver(e)))
                        .await;
                }
                Ok(_) => tokio::time::sleep(self.settings.poll).await,
                Err(e) => {
                    if self.db.is_closed() {
                        return;
                    }
                    tracing::error!(error = %e, "the outbox cannot be read");
                    tokio::time::sleep(self.settings.poll.max(Duration::from_secs(1))).await;
                }
            }
        }
    }

    /// One attempt at one event while its lease is renewed.
    async fn deliver(&self, event: Event) {
        let renew = async {
            let mut tick = tokio::time::interval(self.settings.lease / 3);
            tick.tick().await;
            loop {
                tick.tick().await;
                let lease = self.settings.lease.as_millis() as i64;
                if let Err(e) = outbox::renew(&self.db, &event.id, lease).await {
                    tracing::warn!(event = %event.id, error = %e, "an outbox lease could not be renewed");
                }
            }
        };
        tokio::select! {
            () = self.attempt(event.clone()) => {}
            () = renew => {}
        }
    }

    /// One attempt at one event, and its outcome written back.
    async fn attempt(&self, event: Event) {
        let route = Route::of(event.topic);
        let mut done: Vec<String> = serde_json::from_str(&event.done_targets).unwrap_or_default();
        self.metrics.relay_attempt(route.as_str());
        let outcome = if event.test_drive_id.is_some() {
            self.drive_event(&event, route, &mut done).await
        } else {
            match self.order_of(&event).await {
                Ok(order) if route == Route::Mail => self.mail(&event, &order).await,
                Ok(order) => self.webhooks(&event, &order, &mut done).await,
                Err(e) => Err(e),
            }
        };
        let done_json = serde_json::to_string(&done).unwrap_or_else(|_| "[]".into());
        let written = match outcome {
            Ok(()) => outbox::delivered(&self.db, &event.id, &done_json).await,
            Err(error) => {
                self.metrics.relay_failure(route.as_str());
                let attempts = event.attempts + 1;
                let next = (attempts < self.settings.max_attempts)
                    .then(|| self.now_ms() + self.backoff(attempts).as_millis() as i64);
                if next.is_none() {
                    tracing::error!(event = %event.id, topic = %event.topic, attempts, %error, "an outbox event is dead: staff can replay it");
                } else {
                    tracing::warn!(event = %event.id, topic = %event.topic, attempts, %error, "an outbox delivery failed; it is retried");
                }
                let error = error.to_string();
                outbox::failed(&self.db, &event.id, &done_json, &error, next).await
            }
        };
        if let Err(e) = written {
            // The lease ends and the event is delivered again: at least once.
            tracing::error!(event = %event.id, error = %e, "an outbox delivery could not be recorded");
        }
    }

    /// The relay's clock in milliseconds (the server's, with its configured offset).
    fn now_ms(&self) -> i64 {
        now_ms() + self.settings.clock_offset_ms
    }

    /// Exponential backoff with jitter: base × 2^(attempts−1), at most the maximum, then a
    /// random part of it from half to all (so failed targets are not hit by every instance at
    /// the same moment).
    fn backoff(&self, attempts: i64) -> Duration {
        let exp = attempts.clamp(1, 30) as u32 - 1;
        let full = self
            .settings
            .retry_base
            .saturating_mul(1 << exp.min(20))
            .min(self.settings.retry_max);
        full.mul_f64(rand::thread_rng().gen_range(0.5..=1.0))
    }

    async fn order_of(&self, event: &Event) -> Result<StoredOrder, Failure> {
        let id = event.order_id.as_deref().ok_or(Failure::NoOrder)?;
        orders::by_id(&self.db, id)
            .await
            .map_err(Failure::OrderUnreadable)?
            .ok_or_else(|| Failure::OrderGone(id.to_string()))
    }

    async fn mail(&self, event: &Event, order: &StoredOrder) -> Result<(), Failure> {
        let mailer = self.mailer.as_ref().ok_or(Failure::NoMailer)?;
        let unreadable = Failure::AccountUnreadable;
        let (account, to) = orders::account_of(&self.db, &order.id)
            .await
            .map_err(unreadable)?
            .ok_or(Failure::AccountGone)?;
        let origin = self
            .settings
            .public_origin
            .as_deref()
            .ok_or(Failure::NoPublicOrigin)?;
        // An account made for a showroom order has no password yet: its confirmation carries a
        // link to choose one (a fresh one per mail sent; only its hash is stored).
        let set_password = if event.topic != Topic::Cancellation
            && !accounts::has_password(&self.db, &account)
                .await
                .map_err(unreadable)?
        {
            let token =
                accounts::create_reset(&self.db, &account, crate::confirmation::SET_PASSWORD_TTL)
                    .await
                    .map_err(unreadable)?;
            Some(format!(
                "{}/reset?token={token}",
                origin.trim_end_matches('/')
            ))
        } else {
            None
        };
        let mail = if event.topic == Topic::Cancellation {
            let reason = serde_json::from_str::<serde_json::Value>(&event.payload)
                .ok()
                .and_then(|p| p.get("reason")?.as_str().map(str::to_string))
                .unwrap_or_default();
            crate::confirmation::cancellation(&order.number, &order.order, &to, origin, &reason)
        } else {
            crate::confirmation::render(
                &order.number,
                &order.order,
                &to,
                origin,
                set_password.as_deref(),
            )
        };
        mailer
            .send(&mail.to, &mail.subject, mail.text, mail.html)
            .await
            .map_err(|e| Failure::Mail(e.to_string()))
    }

    /// Sends the event to every target that has not taken it yet; `done` gains those that do.
    async fn webhooks(
        &self,
        event: &Event,
        order: &StoredOrder,
        done: &mut Vec<String>,
    ) -> Result<(), Failure> {
        let change: Option<serde_json::Value> = (event.topic == Topic::OrderStatusChanged)
            .then(|| serde_json::from_str(&event.payload).unwrap_or_default());
        let status = change
            .as_ref()
            .and_then(|c| c.get("to"))
            .and_then(|to| serde_json::from_value::<OrderStatus>(to.clone()).ok())
            .unwrap_or(OrderStatus::Received);
        let body = webhook::body(
            event.topic,
            event.created_at,
            webhook::OrderEventData {
                order_id: &order.id,
                number: &order.number,
                status,
                agent: &order.order.agent,
                total: order.order.price.gross.0,
                currency: "EUR",
                change,
                order: &order.order,
            },
        );
        self.send_all(event, &order.order.agent.partner_id, &body, done)
            .await
    }

    /// Posts `body` to every receiver of the partner's events that has not taken it yet;
    /// `done` gains those that do.
    async fn send_all(
        &self,
        event: &Event,
        partner_id: &str,
        body: &[u8],
        done: &mut Vec<String>,
    ) -> Result<(), Failure> {
        let mut first_error = None;
        for receiver in self
            .settings
            .receivers
            .iter()
            .filter(|r| r.wants(partner_id))
        {
            let url = &receiver.url;
            if done.contains(url) {
                continue;
            }
            match self.post(url, event, body).await {
                Ok(()) => done.push(url.clone()),
                Err(e) => {
                    // Staff read this and it is logged: the URL without what may be a secret.
                    first_error.get_or_insert(Failure::Webhook {
                        url: webhook::redact(url),
                        problem: e,
                    });
                }
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    async fn post(&self, url: &str, event: &Event, body: &[u8]) -> Result<(), PostFailure> {
        let timestamp = crate::storage::now();
        let mut request = self
            .client
            .post(url)
            .timeout(self.settings.attempt_timeout)
            .header("content-type", "application/json")
            .header("webhook-id", &event.id)
            .header("webhook-timestamp", timestamp.to_string())
            .header(
                "webhook-signature",
                webhook::signature(&self.settings.webhook_key, &event.id, timestamp, body),
            );
        if let Some(id) = &event.request_id {
            request = request.header("x-request-id", id);
        }
        let answer = request.body(body.to_vec()).send().await.map_err(|e| {
            if e.is_timeout() {
                PostFailure::TimedOut
            } else {
                // reqwest's message names the whole URL, query and all.
                PostFailure::Transport(e.without_url().to_string())
            }
        })?;
        let status = answer.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(PostFailure::Answered(status))
        }
    }
}
