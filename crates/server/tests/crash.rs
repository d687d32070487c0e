//! The server is killed (SIGKILL) during a burst of orders; after a restart on the same database
//! every acknowledged order is there, and retrying every request creates none twice. On SQLite
//! by default, on PostgreSQL when TEST_DATABASE_URL names one (make test runs both).

mod common;

use serde_json::Value;
use std::process::Child;

fn start(database_url: &str, dist: &std::path::Path) -> (Child, String) {
    common::start_binary(database_url, dist)
}

/// After the restart: signs `account` in again and finds every acknowledged (key, id) stored.
/// Returns the ids of all stored orders.
async fn assert_every_acknowledged_order_is_stored(
    client: &reqwest::Client,
    base: &str,
    account: &Value,
    acknowledged: &[(String, String)],
) -> std::collections::HashSet<String> {
    let login = client
        .post(format!("{base}/api/auth/login"))
        .json(account)
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let stored: Value = client
        .get(format!("{base}/api/orders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let stored_ids: std::collections::HashSet<String> = stored
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect();
    for (key, id) in acknowledged {
        assert!(
            stored_ids.contains(id.as_str()),
            "acknowledged order {key} ({id}) was lost"
        );
    }
    stored_ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_orders_survive_a_kill_and_none_is_duplicated() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_database(dir.path()).await;
    let (mut server, base) = start(&db, dir.path());
    let client = common::client();
    let r = client
        .post(format!("{base}/api/auth/register"))
        .json(
            &serde_json::json!({"email": "crash@example.de", "password": "correct horse battery"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    let body = common::order_body();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    for i in 0..80 {
        let (client, url, body, tx) = (
            client.clone(),
            format!("{base}/api/orders"),
            body.clone(),
            tx.clone(),
        );
        tokio::spawn(async move {
            let key = format!("crash-key-{i:04}");
            let answer = client
                .post(url)
                .header("idempotency-key", &key)
                .json(&body)
                .send()
                .await;
            if let Ok(r) = answer {
                if r.status().as_u16() == 201 {
                    if let Ok(v) = r.json::<Value>().await {
                        let _ = tx.send((key, v["id"].as_str().unwrap_or_default().to_string()));
                    }
                }
            }
        });
    }
    drop(tx);
    // Kill it in the middle of the burst, once some orders are acknowledged.
    let mut acknowledged = Vec::new();
    while acknowledged.len() < 10 {
        acknowledged.push(rx.recv().await.expect("some orders are acknowledged"));
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    while let Some(ack) = rx.recv().await {
        acknowledged.push(ack); // answers that were already on their way
    }

    let (mut server, base) = start(&db, dir.path());
    let account =
        serde_json::json!({"email": "crash@example.de", "password": "correct horse battery"});
    assert_every_acknowledged_order_is_stored(&client, &base, &account, &acknowledged).await;
    // Every request retried: the acknowledged ones return their order, the rest are created once.
    for i in 0..80 {
        let key = format!("crash-key-{i:04}");
        let r = client
            .post(format!("{base}/api/orders"))
            .header("idempotency-key", &key)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        assert!(status == 200 || status == 201, "{key}: {status}");
        let v: Value = r.json().await.unwrap();
        if let Some((_, id)) = acknowledged.iter().find(|(k, _)| *k == key) {
            assert_eq!(v["id"].as_str().unwrap(), id, "{key} was duplicated");
        }
    }
    let all: Value = client
        .get(format!("{base}/api/orders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        all.as_array().unwrap().len(),
        80,
        "exactly one order per key"
    );
    server.kill().unwrap();
    server.wait().unwrap();
}

/// The server is killed while it commits orders from 64 connections (on SQLite its writer
/// commits them in batches, so a batch is almost always open or committing at that moment). Afterwards every
/// acknowledged order is there; an order whose request got no answer may be there, and then its
/// retry finds it (200, not a second order); retrying every key leaves exactly one order per key.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_kill_in_the_middle_of_a_group_commit_loses_and_duplicates_nothing() {
    use futures::StreamExt;
    use std::sync::{Arc, Mutex};
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_database(dir.path()).await;
    let (mut server, base) = start(&db, dir.path());
    let client = common::client();
    let account =
        serde_json::json!({"email": "group@example.de", "password": "correct horse battery"});
    let r = client
        .post(format!("{base}/api/auth/register"))
        .json(&account)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    let body = common::order_body();
    let sent = Arc::new(Mutex::new(Vec::<String>::new()));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    for w in 0..64 {
        let (client, url, body, tx, sent) = (
            client.clone(),
            format!("{base}/api/orders"),
            body.clone(),
            tx.clone(),
            sent.clone(),
        );
        tokio::spawn(async move {
            for n in 0.. {
                let key = format!("group-{w:02}-{n:05}");
                sent.lock().unwrap().push(key.clone());
                let Ok(r) = client
                    .post(&url)
                    .header("idempotency-key", &key)
                    .json(&body)
                    .send()
                    .await
                else {
                    return; // the server is gone
                };
                if r.status().as_u16() != 201 {
                    return;
                }
                let Ok(v) = r.json::<Value>().await else {
                    return;
                };
                let id = v["id"].as_str().unwrap_or_default().to_string();
                if tx.send((key, id)).is_err() {
                    return;
                }
            }
        });
    }
    drop(tx);
    let mut acknowledged = Vec::new();
    while acknowledged.len() < 400 {
        acknowledged.push(rx.recv().await.expect("orders are acknowledged"));
    }
    server.kill().unwrap(); // SIGKILL, with batches in flight
    server.wait().unwrap();
    while let Some(ack) = rx.recv().await {
        acknowledged.push(ack);
    }
    let sent = sent.lock().unwrap().clone();
    assert!(
        sent.len() > acknowledged.len(),
        "some requests had no answer"
    );

    let (mut server, base) = start(&db, dir.path());
    let stored_ids =
        assert_every_acknowledged_order_is_stored(&client, &base, &account, &acknowledged).await;
    let acked: std::collections::HashMap<&str, &str> = acknowledged
        .iter()
        .map(|(k, id)| (k.as_str(), id.as_str()))
        .collect();
    let retries: Vec<(String, u16, Value)> = futures::stream::iter(sent.iter().cloned())
        .map(|key| {
            let (client, url, body) = (client.clone(), format!("{base}/api/orders"), body.clone());
            async move {
                let r = client
                    .post(url)
                    .header("idempotency-key", &key)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                (key, status, r.json::<Value>().await.unwrap())
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    for (key, status, v) in &retries {
        match acked.get(key.as_str()) {
            Some(id) => {
                assert_eq!(*status, 200, "{key}: an acknowledged order's retry");
                assert_eq!(v["id"].as_str().unwrap(), *id, "{key} was duplicated");
            }
            None => {
                assert!(*status == 200 || *status == 201, "{key}: {status}");
                // Stored without an answer: its retry finds it, it is not made again.
                if *status == 200 {
                    assert!(stored_ids.contains(v["id"].as_str().unwrap()));
                }
            }
        }
    }
    let all: Value = client
        .get(format!("{base}/api/orders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        all.as_array().unwrap().len(),
        sent.len(),
        "exactly one order per key"
    );
    server.kill().unwrap();
    server.wait().unwrap();
}
