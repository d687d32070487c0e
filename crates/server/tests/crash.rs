//! The server is killed (SIGKILL) during a burst of orders; after a restart on the same database
//! every acknowledged order is there, and retrying every request creates none twice.

mod common;

use serde_json::Value;
use std::process::Child;

fn start(db: &std::path::Path, dist: &std::path::Path) -> (Child, String) {
    common::start_binary(&format!("sqlite://{}", db.display()), dist)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_orders_survive_a_kill_and_none_is_duplicated() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.sqlite");
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
    let login = client
        .post(format!("{base}/api/auth/login"))
        .json(
            &serde_json::json!({"email": "crash@example.de", "password": "correct horse battery"}),
        )
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
    let stored_ids: std::collections::HashSet<&str> = stored
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    for (key, id) in &acknowledged {
        assert!(
            stored_ids.contains(id.as_str()),
            "acknowledged order {key} ({id}) was lost"
        );
    }
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
