//! Hand-over codes against a real database: a snapshot restores the same car, step and location;
//! malformed, unknown and expired codes get clear errors; wrong guesses are rate-limited.

mod common;

use common::{premium, register, TestServer};
use serde_json::{json, Value};

async fn create(s: &TestServer, client: &reqwest::Client, body: Value) -> (u16, Value) {
    let r = client
        .post(s.url("/api/handovers"))
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

async fn lookup(s: &TestServer, client: &reqwest::Client, code: &str) -> reqwest::Response {
    client
        .get(s.url(&format!("/api/handovers/{code}")))
        .send()
        .await
        .unwrap()
}

fn showroom_car() -> Value {
    json!({ "code": premium().0, "step": "wheels", "location_id": "hamburg-02", "channel": "store" })
}

#[tokio::test]
async fn a_showroom_snapshot_opens_on_another_device_with_car_step_and_location() {
    let s = common::spawn().await;
    let (status, h) = create(&s, &s.client, showroom_car()).await;
    assert_eq!(status, 201, "{h}");
    let code = h["code"].as_str().unwrap();
    assert_eq!(code.len(), 8);
    assert!(code.bytes().all(|b| server::storage::READABLE.contains(&b)));
    assert_eq!(h["display"], format!("{}-{}", &code[..4], &code[4..]));
    assert_eq!(h["path"], format!("/h/{code}"));
    let week = h["expires_at"].as_i64().unwrap() - h["created_at"].as_i64().unwrap();
    assert_eq!(week, 7 * 24 * 3600);

    // A phone: no cookies, the code typed in lower case with the dash.
    let phone = s.new_client();
    let r = lookup(&s, &phone, &h["display"].as_str().unwrap().to_lowercase()).await;
    assert_eq!(r.status(), 200);
    let got: Value = r.json().await.unwrap();
    assert_eq!(got["config_code"], premium().0);
    assert_eq!(got["step"], "wheels");
    assert_eq!(got["location_id"], "hamburg-02");
    // The body's "store" is a claim: only a screen staff set up records the store channel
    // (`agent::only_a_screen_staff_put_into_store_mode_orders_as_the_store`).
    assert_eq!(got["channel"], "web");

    // Another code for the same car is another code.
    let (_, again) = create(&s, &s.client, showroom_car()).await;
    assert_ne!(again["code"], h["code"]);
}

#[tokio::test]
async fn bad_snapshots_are_refused_with_a_reason() {
    let s = common::spawn().await;
    for (change, needle) in [
        (json!({ "code": "NOT-A-CODE" }), "Configuration code"),
        (json!({ "step": "dessert" }), "step"),
        (json!({ "location_id": "atlantis-01" }), "location"),
    ] {
        let mut body = showroom_car();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, e) = create(&s, &s.client, body).await;
        assert_eq!(status, 422, "{e}");
        assert!(e["message"].as_str().unwrap().contains(needle), "{e}");
    }
}

#[tokio::test]
async fn malformed_unknown_and_expired_codes_get_clear_errors() {
    let s = common::spawn().await;
    let (_, h) = create(&s, &s.client, showroom_car()).await;
    let code = h["code"].as_str().unwrap();

    for bad in [
        "ABC",
        "ABCD-EFGH-J",
        "ABCD-EFG0",
        "ABCD-EFGO",
        "ABCD%20EFG!",
    ] {
        let r = lookup(&s, &s.client, bad).await;
        assert_eq!(r.status(), 400, "{bad}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"], "bad_request");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("8 letters and digits"),
            "{e}"
        );
    }
    // A well-formed code nobody made (the one made, changed in its last character).
    let last = code.as_bytes()[7];
    let other = if last == b'2' { '3' } else { '2' };
    let unknown = format!("{}{other}", &code[..7]);
    let r = lookup(&s, &s.client, &unknown).await;
    assert_eq!(r.status(), 404);
    let e: Value = r.json().await.unwrap();
    assert!(
        e["message"].as_str().unwrap().contains("no hand-over code"),
        "{e}"
    );

    server::storage::handovers::expire(&s.db, code)
        .await
        .unwrap();
    let r = lookup(&s, &s.client, code).await;
    assert_eq!(r.status(), 410);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"], "expired");
    assert!(e["message"].as_str().unwrap().contains("expired"), "{e}");
}

#[tokio::test]
async fn wrong_guesses_lock_the_client_out_even_for_a_right_code() {
    let s = common::spawn().await;
    let (_, h) = create(&s, &s.client, showroom_car()).await;
    let code = h["code"].as_str().unwrap().to_string();
    let limit = server::http::HANDOVER_LOOKUPS.limit;
    // Right codes do not count.
    for _ in 0..limit + 2 {
        assert_eq!(lookup(&s, &s.client, &code).await.status(), 200);
    }
    for i in 0..limit {
        let r = lookup(&s, &s.client, &format!("ZZZZZZ{:02}", i + 22)).await;
        assert!(
            [400, 404].contains(&r.status().as_u16()),
            "{i}: {}",
            r.status()
        );
    }
    let r = lookup(&s, &s.client, &code).await;
    assert_eq!(r.status(), 429);
    let wait: i64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 60 && wait <= 15 * 60, "{wait}");
    let e: Value = r.json().await.unwrap();
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("Too many wrong codes"),
        "{e}"
    );
    // A new cookie jar is the same client address: still locked.
    assert_eq!(lookup(&s, &s.new_client(), &code).await.status(), 429);
}

#[tokio::test]
async fn making_codes_by_script_is_stopped() {
    let s = common::spawn().await;
    let limit = server::http::HANDOVER_CREATIONS.limit;
    // The limit counts per address: the check before each insert sees the ones before it.
    for i in 0..limit - 1 {
        let (status, e) = create(&s, &s.client, showroom_car()).await;
        assert_eq!(status, 201, "{i}: {e}");
    }
    let (status, _) = create(&s, &s.client, showroom_car()).await;
    assert_eq!(status, 201);
    let (status, e) = create(&s, &s.new_client(), showroom_car()).await;
    assert_eq!(status, 429, "{e}");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("Too many hand-over codes"),
        "{e}"
    );
}

#[tokio::test]
async fn a_saved_configuration_opens_on_a_showroom_screen_by_code() {
    let s = common::spawn().await;
    register(&s, &s.client, "erika").await;
    let saved: Value = s
        .client
        .post(s.url("/api/configurations"))
        .json(&json!({ "name": "Mein #1", "code": premium().0, "step": "interior", "location_id": "hamburg-01" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(saved["channel"], "web");
    let id = saved["id"].as_str().unwrap();
    let path = format!("/api/configurations/{id}/handover");

    // Only its owner can make the code.
    assert_eq!(
        s.new_client()
            .post(s.url(&path))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let other = s.new_client();
    register(&s, &other, "max").await;
    assert_eq!(other.post(s.url(&path)).send().await.unwrap().status(), 404);

    let r = s.client.post(s.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let h: Value = r.json().await.unwrap();
    // The showroom screen: a browser without the customer's session.
    let screen = s.new_client();
    let got: Value = lookup(&s, &screen, h["code"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got["config_code"], premium().0);
    assert_eq!(got["step"], "interior");
    assert_eq!(got["location_id"], "hamburg-01");
}

#[tokio::test]
async fn a_car_saved_on_a_showroom_screen_records_the_store_channel() {
    let s = common::spawn().await;
    common::staff(&s, "anna", "P01").await;
    let r = s
        .client
        .post(s.url("/api/agent/screen/activate"))
        .json(&json!({ "email": "anna@agent.example.de", "password": "correct horse battery", "location_id": "hamburg-01" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    register(&s, &s.client, "erika").await;
    let r = s
        .client
        .post(s.url("/api/configurations"))
        .json(&json!({ "name": "Im Store", "code": premium().0, "step": "line", "location_id": "hamburg-01", "channel": "store" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let saved: Value = r.json().await.unwrap();
    assert_eq!(saved["channel"], "store");
}
