//! Accounts and saved configurations against a real SQLite file.

mod common;

use common::{register, session_cookie};
use serde_json::{json, Value};

fn a_code() -> String {
    let c = domain::Catalog::current();
    let sel = c.select(&c.empty_selection(), "PREMIUM").unwrap();
    c.encode(&sel)
}

#[tokio::test]
async fn register_me_logout_login() {
    let s = common::spawn().await;
    let email = register(&s, &s.client, "max").await;
    let me: Value = s
        .client
        .get(s.url("/api/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["email"], email);
    let r = s
        .client
        .post(s.url("/api/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let me: Value = s
        .client
        .get(s.url("/api/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"], Value::Null);
    let r = s
        .client
        .get(s.url("/api/configurations"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "unauthorized");
    let r = s
        .client
        .post(s.url("/api/auth/login"))
        .json(&json!({"email": "MAX@example.de ", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        s.client
            .get(s.url("/api/configurations"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn the_cookie_is_http_only_and_same_site() {
    let s = common::spawn().await;
    let r = s
        .client
        .post(s.url("/api/auth/register"))
        .json(&json!({"email": "c@example.de", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    let raw = r.headers()[reqwest::header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        raw.contains("HttpOnly") && raw.contains("SameSite=Lax") && raw.contains("Path=/"),
        "{raw}"
    );
    assert!(!raw.contains("Secure"), "no TLS in this test server");
}

#[tokio::test]
async fn the_session_id_changes_on_login_and_the_old_one_ends() {
    let s = common::spawn().await;
    let r = s
        .client
        .post(s.url("/api/auth/register"))
        .json(&json!({"email": "rot@example.de", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    let first = session_cookie(&r).unwrap();
    let r = s
        .client
        .post(s.url("/api/auth/login"))
        .json(&json!({"email": "rot@example.de", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    let second = session_cookie(&r).unwrap();
    assert_ne!(first, second);
    // The first session is gone on the server.
    let r = reqwest::Client::new()
        .get(s.url("/api/configurations"))
        .header("cookie", &first)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = reqwest::Client::new()
        .get(s.url("/api/configurations"))
        .header("cookie", &second)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Logout ends it on the server, not only in the browser.
    s.client
        .post(s.url("/api/auth/logout"))
        .send()
        .await
        .unwrap();
    let r = reqwest::Client::new()
        .get(s.url("/api/configurations"))
        .header("cookie", &second)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_answer_alike() {
    let s = common::spawn().await;
    register(&s, &s.new_client(), "known").await;
    let wrong = s
        .client
        .post(s.url("/api/auth/login"))
        .json(&json!({"email": "known@example.de", "password": "not the password"}))
        .send()
        .await
        .unwrap();
    let unknown = s
        .client
        .post(s.url("/api/auth/login"))
        .json(&json!({"email": "nobody@example.de", "password": "not the password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    assert_eq!(
        wrong.json::<Value>().await.unwrap(),
        unknown.json::<Value>().await.unwrap()
    );
}

#[tokio::test]
async fn throttling_locks_an_account_after_repeated_failures() {
    let s = common::spawn().await;
    register(&s, &s.new_client(), "target").await;
    for _ in 0..5 {
        let r = s
            .client
            .post(s.url("/api/auth/login"))
            .json(&json!({"email": "target@example.de", "password": "guess guess guess"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    // Locked now, even with the right password; an unknown address locks the same way.
    let r = s
        .client
        .post(s.url("/api/auth/login"))
        .json(&json!({"email": "target@example.de", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key(reqwest::header::RETRY_AFTER));
    assert!(r.json::<Value>().await.unwrap()["message"]
        .as_str()
        .unwrap()
        .contains("try again"));
    for _ in 0..5 {
        s.client
            .post(s.url("/api/auth/login"))
            .json(&json!({"email": "ghost@example.de", "password": "guess guess guess"}))
            .send()
            .await
            .unwrap();
    }
    let r = s
        .client
        .post(s.url("/api/auth/login"))
        .json(&json!({"email": "ghost@example.de", "password": "guess guess guess"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
}

#[tokio::test]
async fn weak_passwords_bad_addresses_and_duplicates_are_refused_with_reasons() {
    let s = common::spawn().await;
    for (body, needle) in [
        (
            json!({"email": "a@example.de", "password": "short"}),
            "at least 10",
        ),
        (
            json!({"email": "a@example.de", "password": "password123"}),
            "common",
        ),
        (
            json!({"email": "not-an-address", "password": "correct horse battery"}),
            "valid e-mail",
        ),
    ] {
        let r = s
            .client
            .post(s.url("/api/auth/register"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        assert!(
            r.json::<Value>().await.unwrap()["message"]
                .as_str()
                .unwrap()
                .contains(needle),
            "{needle}"
        );
    }
    register(&s, &s.client, "dup").await;
    let r = s
        .client
        .post(s.url("/api/auth/register"))
        .json(&json!({"email": "dup@example.de", "password": "another good passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
}

#[tokio::test]
async fn a_request_without_the_csrf_defence_is_refused() {
    let s = common::spawn().await;
    let bare = reqwest::Client::new();
    let r = bare
        .post(s.url("/api/auth/register"))
        .json(&json!({"email": "x@example.de", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "csrf");
    // The header from a foreign origin is refused too.
    let r = s
        .client
        .post(s.url("/api/auth/register"))
        .header("origin", "https://evil.example")
        .json(&json!({"email": "x@example.de", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // Reading needs no header.
    assert_eq!(
        bare.get(s.url("/api/health"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn saved_configurations_belong_to_their_owner() {
    let s = common::spawn().await;
    register(&s, &s.client, "anna").await;
    let r = s
        .client
        .post(s.url("/api/configurations"))
        .json(&json!({"name": "Mein Premium", "code": a_code(), "step": "wheels", "location_id": "hamburg-01"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let saved: Value = r.json().await.unwrap();
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["step"], "wheels");
    assert_eq!(
        saved["price_list_version"],
        domain::Catalog::current().version()
    );
    let id = saved["id"].as_str().unwrap();
    let list: Value = s
        .client
        .get(s.url("/api/configurations"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);

    let bob = s.new_client();
    register(&s, &bob, "bob").await;
    let url = s.url(&format!("/api/configurations/{id}"));
    assert_eq!(bob.get(&url).send().await.unwrap().status(), 404);
    let body = json!({"name": "mine now", "code": a_code(), "step": "line", "version": 1});
    assert_eq!(
        bob.put(&url).json(&body).send().await.unwrap().status(),
        404
    );
    assert_eq!(bob.delete(&url).send().await.unwrap().status(), 404);
    let bobs: Value = bob
        .get(s.url("/api/configurations"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(bobs, json!([]));
    // Still Anna's, unchanged.
    let again: Value = s
        .client
        .get(&url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["name"], "Mein Premium");
    assert_eq!(s.client.delete(&url).send().await.unwrap().status(), 204);
    assert_eq!(s.client.get(&url).send().await.unwrap().status(), 404);
    // Not signed in: 401.
    assert_eq!(
        reqwest::Client::new()
            .get(s.url("/api/configurations"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

#[tokio::test]
async fn a_stale_version_gets_409_with_the_current_state() {
    let s = common::spawn().await;
    register(&s, &s.client, "eva").await;
    let saved: Value = s
        .client
        .post(s.url("/api/configurations"))
        .json(&json!({"name": "Car", "code": a_code(), "step": "line"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = s.url(&format!(
        "/api/configurations/{}",
        saved["id"].as_str().unwrap()
    ));
    let phone = json!({"name": "Car", "code": a_code(), "step": "interior", "version": 1});
    let r = s.client.put(&url).json(&phone).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["version"], 2);
    let laptop = json!({"name": "Car (laptop)", "code": a_code(), "step": "summary", "version": 1});
    let r = s.client.put(&url).json(&laptop).send().await.unwrap();
    assert_eq!(r.status(), 409);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "conflict");
    assert_eq!(body["current"]["version"], 2);
    assert_eq!(body["current"]["step"], "interior");
    let stored: Value = s
        .client
        .get(&url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stored["name"], "Car", "nothing silently overwritten");
}

#[tokio::test]
async fn bad_input_gets_a_4xx_with_a_reason() {
    let s = common::spawn().await;
    register(&s, &s.client, "fritz").await;
    let url = s.url("/api/configurations");
    let r = s
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        r.json::<Value>().await.unwrap()["message"]
            .as_str()
            .unwrap()
            .len()
            > 10
    );
    let r = s
        .client
        .post(&url)
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.json::<Value>().await.unwrap()["message"]
        .as_str()
        .unwrap()
        .contains("missing field"));
    let r = s
        .client
        .post(&url)
        .json(&json!({"name": 5, "code": a_code(), "step": "line"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = s
        .client
        .post(&url)
        .json(&json!({"name": "x", "code": "1AAAAbroken", "step": "line"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.json::<Value>().await.unwrap()["message"]
        .as_str()
        .unwrap()
        .contains("Configuration code"));
    let r = s
        .client
        .post(&url)
        .json(&json!({"name": "x", "code": a_code(), "step": "dance"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = s
        .client
        .post(&url)
        .json(&json!({"name": "x", "code": a_code(), "step": "line", "location_id": "atlantis-01"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = s
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body(vec![b' '; 100 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "body_too_large");
}
