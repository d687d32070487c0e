//! A webhook receiver for tests: checks each call's Standard Webhooks signature with
//! HMAC-SHA256 directly (not with the server's code), answers as the test scripts it (failing,
//! hanging, accepting), and dedupes by `webhook-id` as real receivers do.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;

pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

#[derive(Clone, Copy, Debug)]
pub enum Answer {
    Fail,
    /// Answers only after this long (longer than the relay waits).
    Hang(Duration),
    Accept,
}

#[derive(Clone, Debug)]
pub struct Delivery {
    pub id: String,
    pub request_id: Option<String>,
    pub body: Value,
}

type Script = Arc<dyn Fn(usize) -> Answer + Send + Sync>;

#[derive(Clone)]
struct ReceiverState {
    script: Script,
    calls: Arc<Mutex<usize>>,
    seen: Arc<Mutex<HashSet<String>>>,
    duplicates: Arc<Mutex<usize>>,
    arrived: mpsc::UnboundedSender<Delivery>,
    called: mpsc::UnboundedSender<String>,
}

pub struct Receiver {
    pub url: String,
    /// Accepted deliveries, each webhook-id once.
    pub arrived: mpsc::UnboundedReceiver<Delivery>,
    /// Every call's webhook-id, as it comes in.
    pub called: mpsc::UnboundedReceiver<String>,
    pub calls: Arc<Mutex<usize>>,
    pub duplicates: Arc<Mutex<usize>>,
}

impl Receiver {
    pub async fn start(script: impl Fn(usize) -> Answer + Send + Sync + 'static) -> Receiver {
        let (arrived_tx, arrived) = mpsc::unbounded_channel();
        let (called_tx, called) = mpsc::unbounded_channel();
        let state = ReceiverState {
            script: Arc::new(script),
            calls: Arc::default(),
            seen: Arc::default(),
            duplicates: Arc::default(),
            arrived: arrived_tx,
            called: called_tx,
        };
        let (calls, duplicates) = (state.calls.clone(), state.duplicates.clone());
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(receive))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver {
            url,
            arrived,
            called,
            calls,
            duplicates,
        }
    }

    pub async fn next(&mut self) -> Delivery {
        tokio::time::timeout(Duration::from_secs(30), self.arrived.recv())
            .await
            .expect("a delivery within 30 s")
            .unwrap()
    }

    pub fn calls(&self) -> usize {
        *self.calls.lock().unwrap()
    }
}

/// Checks the signature as a receiver would (Standard Webhooks), then answers as scripted.
async fn receive(
    State(s): State<ReceiverState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> StatusCode {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let n = {
        let mut calls = s.calls.lock().unwrap();
        *calls += 1;
        *calls - 1
    };
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (id, timestamp, signature) = (
        header("webhook-id").expect("webhook-id"),
        header("webhook-timestamp").expect("webhook-timestamp"),
        header("webhook-signature").expect("webhook-signature"),
    );
    let key = base64::engine::general_purpose::STANDARD
        .decode(SECRET.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(&body);
    let expected = format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    );
    assert_eq!(signature, expected, "the signature verifies");
    let _ = s.called.send(id.clone());
    let age = server::storage::now() - timestamp.parse::<i64>().unwrap();
    assert!((0..60).contains(&age), "a fresh timestamp");
    match (s.script)(n) {
        Answer::Fail => StatusCode::INTERNAL_SERVER_ERROR,
        Answer::Hang(d) => {
            tokio::time::sleep(d).await;
            StatusCode::OK
        }
        Answer::Accept => {
            if s.seen.lock().unwrap().insert(id.clone()) {
                let _ = s.arrived.send(Delivery {
                    id,
                    request_id: header("x-request-id"),
                    body: serde_json::from_slice(&body).unwrap(),
                });
            } else {
                *s.duplicates.lock().unwrap() += 1;
            }
            StatusCode::NO_CONTENT
        }
    }
}
