//! What fuzzing the API (`scripts/api-fuzz.sh`, schemathesis over `/api/openapi.json`) and
//! probing around it found, kept as regression tests. `make test` runs these on SQLite and on
//! PostgreSQL.

mod common;

use serde_json::{json, Value};

async fn status_and_body(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// PostgreSQL cannot store a NUL character in text and refused the statement; the server
/// answered 500 for an id or an e-mail address with one. Now: an address with a control
/// character is no address (422), and whatever else reaches the database is a client error.
#[tokio::test]
async fn a_nul_character_in_an_id_or_an_address_is_a_client_error_on_either_database() {
    let s = common::spawn().await;
    let guest = s.new_client();
    let nul_address = json!({ "email": "a\u{0}b@example.de", "password": "correct horse battery" });
    let r = guest
        .post(s.url("/api/auth/register"))
        .json(&nul_address)
        .send()
        .await
        .unwrap();
    let (status, body) = status_and_body(r).await;
    assert_eq!((status, body["error"].as_str()), (422, Some("invalid")));
    let r = guest
        .post(s.url("/api/auth/reset-request"))
        .json(&nul_address)
        .send()
        .await
        .unwrap();
    // Without a mail relay every reset request is 503 first; never a 500.
    assert_ne!(r.status(), 500);
    // Signing in with it is refused like a wrong address (401), or as unstorable text (400).
    let r = guest
        .post(s.url("/api/auth/login"))
        .json(&nul_address)
        .send()
        .await
        .unwrap();
    let (status, body) = status_and_body(r).await;
    assert!([400, 401].contains(&status), "{status} {body}");

    common::register(&s, &s.client, "nul").await;
    for (method, path) in [
        ("GET", "/api/configurations/a%00b"),
        ("PUT", "/api/configurations/a%00b"),
        ("DELETE", "/api/configurations/a%00b"),
        ("POST", "/api/configurations/a%00b/handover"),
        ("GET", "/api/orders/a%00b"),
    ] {
        let mut request = s.client.request(method.parse().unwrap(), s.url(path));
        if method == "PUT" {
            let (code, _) = common::premium();
            request = request
                .json(&json!({ "name": "Mine", "code": code, "step": "exterior", "version": 1 }));
        }
        let (status, body) = status_and_body(request.send().await.unwrap()).await;
        assert!(
            [400, 404].contains(&status),
            "{method} {path}: {status} {body}"
        );
    }
    let r = s
        .client
        .post(s.url("/api/handovers"))
        .json(&json!({ "code": "a\u{0}", "step": "exterior", "location_id": "hamburg-01\u{0}" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
}
