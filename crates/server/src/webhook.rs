//! Webhooks as the Standard Webhooks specification has them (standardwebhooks.com): the body is
//! `{"type", "timestamp", "data"}`, and three headers let the receiver check it:
//! - `webhook-id`: the event's id, the same on every retry (receivers dedupe by it);
//! - `webhook-timestamp`: Unix seconds of this attempt (receivers refuse old ones);
//! - `webhook-signature`: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` with the
//!   shared secret (`WEBHOOK_SECRET`; `whsec_` and base64, or taken as it is).

use base64::Engine;
use domain::order::{Agent, OrderRecord, OrderStatus, Topic};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

/// The key the secret stands for: `whsec_<base64>` as the specification writes it, else the
/// text's bytes.
pub fn secret_key(secret: &str) -> Vec<u8> {
    secret
        .strip_prefix("whsec_")
        .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
        .unwrap_or_else(|| secret.as_bytes().to_vec())
}

/// `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
pub fn signature(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    )
}

/// What an order event tells downstream systems: the order's number, status, agent and total,
/// what the event adds (a status change's `from`, `to` and `note`), and the whole order.
#[derive(Serialize)]
pub struct OrderEventData<'a> {
    pub order_id: &'a str,
    pub number: &'a str,
    /// The status the event leaves the order in.
    pub status: OrderStatus,
    pub agent: &'a Agent,
    /// Gross, in cents.
    pub total: i64,
    pub currency: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<serde_json::Value>,
    pub order: &'a OrderRecord,
}

#[derive(Serialize)]
struct Envelope<T> {
    #[serde(rename = "type")]
    kind: Topic,
    timestamp: String,
    data: T,
}

/// The body of the webhook for event `topic` made at `created_at` (Unix seconds): `data` is an
/// order's ([`OrderEventData`]) or a test drive's.
pub fn body(topic: Topic, created_at: i64, data: impl Serialize) -> Vec<u8> {
    let timestamp = rfc3339(created_at);
    serde_json::to_vec(&Envelope {
        kind: topic,
        timestamp,
        data,
    })
    .expect("plain data serialises")
}

/// Unix seconds as an RFC 3339 UTC timestamp: "2026-12-07T07:30:00Z".
fn rfc3339(seconds: i64) -> String {
    let (day, time) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (y, m, d) = domain::hygiene::civil_from_days(day);
    let (h, min, s) = (time / 3600, time % 3600 / 60, time % 60);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}Z")
}

/// A webhook URL as it may be shown or logged: scheme, host, port and path, without the user,
/// password, query or fragment, where receivers put their tokens.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => {
            let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
            let host = u.host_str().unwrap_or("");
            let hidden = u.query().is_some() || !u.username().is_empty() || u.password().is_some();
            format!(
                "{}://{host}{port}{}{}",
                u.scheme(),
                u.path(),
                if hidden {
                    " (query and credentials hidden)"
                } else {
                    ""
                }
            )
        }
        Err(_) => "(an unreadable URL)".into(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn webhook_timestamps_are_rfc3339_utc() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_796_628_645), "2026-12-07T07:30:45Z");
    }

    use super::*;

    #[test]
    fn a_redacted_url_keeps_no_secret() {
        assert_eq!(
            redact("https://user:pw@dms.example.de:8443/hook?token=s3cret#x"),
            "https://dms.example.de:8443/hook (query and credentials hidden)"
        );
        assert_eq!(redact("http://127.0.0.1:9/hook"), "http://127.0.0.1:9/hook");
    }

    /// The specification's own example (standard-webhooks, libraries' test vectors).
    #[test]
    fn signs_as_the_specification_example() {
        let key = secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            signature(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn a_secret_without_the_prefix_is_taken_as_it_is() {
        assert_eq!(secret_key("plain secret"), b"plain secret".to_vec());
    }
}
