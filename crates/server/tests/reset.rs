//! "Passwort vergessen?": the reset link by mail, single use and expiring, against a real
//! server and a tiny SMTP sink in the test.

mod common;

use common::smtp::{Mail, Sink};
use common::{register, TestServer};
use serde_json::{json, Value};
use std::time::Duration;

/// The reset link's token.
fn token(mail: &Mail) -> String {
    mail.reset_token().expect("a reset link")
}

async fn with_sink() -> (TestServer, Sink) {
    let sink = Sink::start().await;
    let url = sink.url.clone();
    let s = common::spawn_with(move |c| c.mail.smtp_url = Some(url)).await;
    (s, sink)
}

async fn ask(s: &TestServer, client: &reqwest::Client, body: Value) -> reqwest::Response {
    client
        .post(s.url("/api/auth/reset-request"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn reset(s: &TestServer, token: &str, password: &str) -> reqwest::Response {
    s.new_client()
        .post(s.url("/api/auth/reset"))
        .json(&json!({ "token": token, "password": password }))
        .send()
        .await
        .unwrap()
}

/// The status `POST /api/auth/reset/check` answers for `token`.
async fn check(s: &TestServer, token: &str) -> u16 {
    s.new_client()
        .post(s.url("/api/auth/reset/check"))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn login(s: &TestServer, email: &str, password: &str) -> u16 {
    s.new_client()
        .post(s.url("/api/auth/login"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

const NEW: &str = "violet tractor quietly hums";

#[tokio::test]
async fn a_reset_link_arrives_by_mail_works_once_and_replaces_the_password() {
    let (s, mut sink) = with_sink().await;
    let email = register(&s, &s.client, "max").await;
    let r = ask(
        &s,
        &s.new_client(),
        json!({ "email": "MAX@example.de", "lang": "en" }),
    )
    .await;
    assert_eq!(r.status(), 202);
    let mail = sink.next().await;
    assert_eq!(mail.to, email);
    assert!(mail.data.contains("text/plain") && mail.data.contains("text/html"));
    assert!(mail
        .data
        .contains("Subject: A new password for your smart #1 account"));
    assert!(
        mail.data.contains(&format!("{}/reset?token=", s.base)),
        "{}",
        mail.data
    );
    let token = token(&mail);

    // A weak password is refused and leaves the link working.
    let r = reset(&s, &token, "password1234").await;
    assert_eq!(r.status(), 422);
    // The link is good until used: the page can say so before a password is typed.
    assert_eq!(check(&s, &token).await, 204);
    let browser = s.new_client();
    let r = browser
        .post(s.url("/api/auth/reset"))
        .json(&json!({ "token": token, "password": NEW }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // Whoever set it is signed in with a new session (issue 33: the customer had to sign in
    // again); a used link is refused at once.
    let me: Value = browser
        .get(s.url("/api/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["email"], email);
    assert_eq!(check(&s, &token).await, 400);

    // The session of before ended; the old password is gone, the new one works.
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
    assert_eq!(login(&s, &email, "correct horse battery").await, 401);
    assert_eq!(login(&s, &email, NEW).await, 200);

    // Single use.
    let r = reset(&s, &token, "another quite long phrase").await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "reset_invalid");
    assert_eq!(login(&s, &email, NEW).await, 200);
}

#[tokio::test]
async fn the_mail_is_german_unless_english_is_asked_for() {
    let (s, mut sink) = with_sink().await;
    register(&s, &s.client, "erika").await;
    let r = ask(&s, &s.new_client(), json!({ "email": "erika@example.de" })).await;
    assert_eq!(r.status(), 202);
    let mail = sink.next().await;
    let data = mail.data.replace("=\r\n", "");
    assert!(
        data.contains("Minuten") && data.contains("lang=3D\"de\""),
        "{data}"
    );
    token(&mail);
}

#[tokio::test]
async fn an_unknown_address_gets_the_same_answer_and_no_mail() {
    let (s, mut sink) = with_sink().await;
    register(&s, &s.client, "known").await;
    let unknown = ask(&s, &s.new_client(), json!({ "email": "nobody@example.de" })).await;
    assert_eq!(unknown.status(), 202);
    let unknown = unknown.text().await.unwrap();
    sink.nothing_within(Duration::from_millis(1500)).await;
    let known = ask(&s, &s.new_client(), json!({ "email": "known@example.de" })).await;
    assert_eq!(known.status(), 202);
    assert_eq!(known.text().await.unwrap(), unknown);
    assert_eq!(sink.next().await.to, "known@example.de");
}

#[tokio::test]
async fn an_expired_or_made_up_link_is_refused() {
    let (s, mut sink) = with_sink().await;
    let email = register(&s, &s.client, "late").await;
    ask(&s, &s.new_client(), json!({ "email": email })).await;
    let token = token(&sink.next().await);
    // Fast-forward: the link's 30 minutes are over.
    sqlx::query("UPDATE password_resets SET expires_at = $1")
        .bind(server::storage::now() - 1)
        .execute(s.db.pool())
        .await
        .unwrap();
    assert_eq!(check(&s, &token).await, 410);
    let r = reset(&s, &token, NEW).await;
    assert_eq!(r.status(), 410);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "reset_expired");
    for made_up in ["x".repeat(43), "short".into(), String::new()] {
        let r = reset(&s, &made_up, NEW).await;
        assert_eq!(r.status(), 400);
        assert_eq!(r.json::<Value>().await.unwrap()["error"], "reset_invalid");
    }
    assert_eq!(login(&s, &email, "correct horse battery").await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_parallel_resets_with_one_link_change_the_password_once() {
    let (s, mut sink) = with_sink().await;
    let email = register(&s, &s.client, "race").await;
    ask(&s, &s.new_client(), json!({ "email": email })).await;
    let token = token(&sink.next().await);
    let attempts = (0..40).map(|n| {
        let (s, token) = (&s, token.clone());
        async move {
            reset(s, &token, &format!("{NEW} number {n}"))
                .await
                .status()
                .as_u16()
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    assert_eq!(
        statuses.iter().filter(|&&c| c == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|&c| c == 200 || c == 400),
        "{statuses:?}"
    );
    // The one that won set its password; the old one is gone.
    let winner = statuses.iter().position(|&c| c == 200).unwrap();
    assert_eq!(
        login(&s, &email, &format!("{NEW} number {winner}")).await,
        200
    );
    assert_eq!(login(&s, &email, "correct horse battery").await, 401);
}

#[tokio::test]
async fn reset_requests_are_throttled_per_address_asked_about_and_per_client() {
    let (s, _sink) = with_sink().await;
    register(&s, &s.client, "flood").await;
    let client = s.new_client();
    for _ in 0..3 {
        let r = ask(&s, &client, json!({ "email": "flood@example.de" })).await;
        assert_eq!(r.status(), 202);
    }
    let r = ask(&s, &client, json!({ "email": "flood@example.de" })).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    // The client's fifth request (another address) passes, its sixth does not.
    let r = ask(&s, &client, json!({ "email": "other@example.de" })).await;
    assert_eq!(r.status(), 202);
    let r = ask(&s, &client, json!({ "email": "third@example.de" })).await;
    assert_eq!(r.status(), 429);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "too_many_requests"
    );
}

#[tokio::test]
async fn without_a_mail_relay_a_reset_request_says_mail_is_unavailable() {
    let s = common::spawn().await;
    register(&s, &s.client, "nomail").await;
    let r = ask(&s, &s.new_client(), json!({ "email": "nomail@example.de" })).await;
    assert_eq!(r.status(), 503);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "mail_unavailable"
    );
}

#[tokio::test]
async fn the_links_page_is_served_by_the_account_build() {
    let s = common::spawn().await;
    let r = s
        .client
        .get(s.url("/reset?token=abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("build:account"));
}

/// 40 reset requests for one address at once: the per-address limit (3 an hour) holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_parallel_reset_requests_for_one_address_pass_three() {
    let (s, _sink) = with_sink().await;
    register(&s, &s.client, "rush").await;
    let client = s.new_client();
    let statuses = futures::future::join_all(
        (0..40).map(|_| ask(&s, &client, json!({ "email": "rush@example.de" }))),
    )
    .await
    .into_iter()
    .map(|r| r.status().as_u16())
    .collect::<Vec<_>>();
    assert_eq!(
        statuses.iter().filter(|&&c| c == 202).count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&c| c == 429).count(),
        37,
        "{statuses:?}"
    );
}

/// Finding 1 of issue 34: a request naming another host (in `Host` or `Origin`) must not put
/// that host into the mailed link.
#[tokio::test]
async fn the_link_names_the_public_origin_whatever_host_the_request_names() {
    let mut sink = Sink::start().await;
    let url = sink.url.clone();
    let s = common::spawn_with(move |c| {
        c.mail.smtp_url = Some(url);
        c.public_origin = Some("https://shop.example.de/".into());
    })
    .await;
    register(&s, &s.client, "victim").await;
    for (header, value) in [("host", "evil.example"), ("origin", "https://evil.example")] {
        let r = s
            .new_client()
            .post(s.url("/api/auth/reset-request"))
            .header(header, value)
            .json(&json!({ "email": "victim@example.de" }))
            .send()
            .await
            .unwrap();
        // A foreign `Origin` is refused by the CSRF check; a foreign `Host` is answered, but
        // the mail's link names the configured origin.
        if header == "origin" {
            assert_eq!(r.status(), 403);
            continue;
        }
        assert_eq!(r.status(), 202);
        let mail = sink.next().await;
        let data = mail.data.replace("=\r\n", "").replace("=3D", "=");
        assert!(
            data.contains("https://shop.example.de/reset?token="),
            "{data}"
        );
        assert!(!data.contains("evil.example"), "{data}");
    }
}

#[tokio::test]
async fn the_server_refuses_to_mail_without_a_public_origin() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = server::config::Config::for_test(
        common::fresh_database(dir.path()).await,
        dir.path().to_path_buf(),
    );
    config.mail.smtp_url = Some("smtp://127.0.0.1:2525".into());
    let Err(refused) = server::build(config.clone()).await else {
        panic!("mail without PUBLIC_ORIGIN must be refused")
    };
    assert!(refused.to_string().contains("PUBLIC_ORIGIN"), "{refused}");
    config.public_origin = Some("https://shop.example.de/reset".into());
    let Err(refused) = server::build(config.clone()).await else {
        panic!("an origin with a path must be refused")
    };
    assert!(refused.to_string().contains("PUBLIC_ORIGIN"), "{refused}");
    config.public_origin = Some("https://shop.example.de".into());
    assert!(server::build(config).await.is_ok());
}
