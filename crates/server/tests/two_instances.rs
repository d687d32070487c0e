//! Two server instances on one database (PostgreSQL in `make test`'s second pass, a shared SQLite
//! file otherwise): no state lives in a server's memory.

mod common;

use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sessions_idempotency_and_versions_hold_across_instances() {
    let dir = tempfile::tempdir().unwrap();
    let url = common::fresh_database(dir.path()).await;
    // The first instance migrates; the second finds the schema in place.
    let (mut a, base_a) = common::start_binary(&url, dir.path());
    let (mut b, base_b) = common::start_binary(&url, dir.path());

    // A session made through A works on B.
    let client = common::client();
    let r = client
        .post(format!("{base_a}/api/auth/register"))
        .json(&json!({"email": "two@example.de", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let cookie = common::session_cookie(&r).unwrap();
    let me: Value = reqwest::Client::new()
        .get(format!("{base_b}/api/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["email"], "two@example.de");

    // An order sent to A and retried against B with the same key is one order.
    let body = common::order_body();
    let first = client
        .post(format!("{base_a}/api/orders"))
        .header("idempotency-key", "two-instances-01")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let retry = client
        .post(format!("{base_b}/api/orders"))
        .header("idempotency-key", "two-instances-01")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(retry.status(), 200);
    assert_eq!(retry.json::<Value>().await.unwrap()["id"], first["id"]);
    let all: Value = client
        .get(format!("{base_b}/api/orders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all.as_array().unwrap().len(), 1);

    // Concurrent saves of one configuration through both: exactly one winner and one 409.
    let (code, _) = common::premium();
    let saved: Value = client
        .post(format!("{base_a}/api/configurations"))
        .json(&json!({"name": "Shared", "code": code, "step": "line"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = saved["id"].as_str().unwrap().to_string();
    for round in 0..5 {
        let version = round + 1;
        let put = |base: String, step: &'static str| {
            let (client, id, code) = (client.clone(), id.clone(), code.clone());
            tokio::spawn(async move {
                client
                    .put(format!("{base}/api/configurations/{id}"))
                    .json(
                        &json!({"name": "Shared", "code": code, "step": step, "version": version}),
                    )
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        };
        let (x, y) = (
            put(base_a.clone(), "wheels"),
            put(base_b.clone(), "interior"),
        );
        let mut statuses = vec![x.await.unwrap(), y.await.unwrap()];
        statuses.sort();
        assert_eq!(statuses, vec![200, 409], "round {round}");
    }
    a.kill().unwrap();
    b.kill().unwrap();
    let _ = (a.wait(), b.wait());
}
