//! The outbox relay against real receivers: a webhook receiver in the test (failing, hanging,
//! accepting as each test scripts it, deduping by `webhook-id` as real receivers do) and an SMTP
//! sink. Signatures are checked here with HMAC-SHA256 directly, not with the server's code.

mod common;

use common::hooks::{Answer, Receiver, SECRET};
use common::smtp::Sink;
use common::{order_body, premium, register, staff, TestServer};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

async fn with_relay(hook: &str, max_attempts: i64) -> TestServer {
    let hook = hook.to_string();
    common::spawn_with(move |c| {
        c.webhooks.order_urls = vec![format!("oem={hook}")];
        c.webhooks.secret = Some(SECRET.into());
        c.relay.attempt_timeout_ms = 500;
        c.relay.retry_base_ms = 100;
        c.relay.retry_max_ms = 400;
        c.relay.poll_ms = 50;
        c.relay.max_attempts = max_attempts;
    })
    .await
}

async fn place(s: &TestServer, key: &str, body: &Value) -> Value {
    let r = s
        .client
        .post(s.url("/api/orders"))
        .header("idempotency-key", key)
        .header("x-request-id", format!("req-{key}"))
        .json(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(
        r.headers()["x-request-id"].to_str().unwrap(),
        format!("req-{key}"),
        "the request id is echoed"
    );
    r.json().await.unwrap()
}

/// Polls `check` until it gives a value (at most 30 s): the relay works in the background.
async fn eventually<T, F: std::future::Future<Output = Option<T>>>(
    what: &str,
    check: impl Fn() -> F,
) -> T {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}: not within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn metrics(s: &TestServer) -> String {
    s.client
        .get(s.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn health(s: &TestServer) -> Value {
    s.client
        .get(s.url("/api/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_webhook_failing_with_500_then_a_timeout_arrives_signed_on_the_third_attempt() {
    let mut hook = Receiver::start(|n| match n {
        0 => Answer::Fail,
        1 => Answer::Hang(Duration::from_secs(3)),
        _ => Answer::Accept,
    })
    .await;
    let s = with_relay(&hook.url, 5).await;
    register(&s, &s.client, "erika").await;
    let order = place(&s, "key-hook-0001", &order_body()).await;
    let got = hook.next().await;
    assert_eq!(hook.calls(), 3, "500, timeout, accepted");
    assert_eq!(got.request_id.as_deref(), Some("req-key-hook-0001"));
    let b = &got.body;
    assert_eq!(b["type"], "order.placed");
    assert!(b["timestamp"].as_str().unwrap().ends_with('Z'));
    let data = &b["data"];
    assert_eq!(data["number"], order["number"]);
    assert_eq!(data["order_id"], order["id"]);
    assert_eq!(data["status"], "received");
    assert_eq!(data["agent"]["location_id"], "hamburg-01");
    assert!(data["agent"]["phone"]
        .as_str()
        .is_some_and(|p| !p.is_empty()));
    assert_eq!(data["total"], premium().1);
    assert_eq!(data["currency"], "EUR");
    assert_eq!(data["order"]["customer"]["last_name"], "Mustermann");
    // Delivered: only the confirmation mail is pending (no SMTP_URL here), nothing dead; the
    // metrics counted every attempt.
    let backlog = eventually("the webhook marked delivered", || async {
        let h = health(&s).await;
        (h["outbox"]["pending"] == 1).then_some(h)
    })
    .await;
    assert_eq!(backlog["outbox"]["dead"], 0);
    let metrics = metrics(&s).await;
    assert!(
        metrics.contains("smart1_relay_attempts_total{channel=\"webhook\"} 3"),
        "{metrics}"
    );
    assert!(
        metrics.contains("smart1_relay_failures_total{channel=\"webhook\"} 2"),
        "{metrics}"
    );
    assert_eq!(*hook.duplicates.lock().unwrap(), 0);
}

#[tokio::test]
async fn a_dead_event_holds_back_its_orders_later_events_until_staff_replay_it() {
    let accept = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let open = accept.clone();
    let mut hook = Receiver::start(move |_| {
        if open.load(std::sync::atomic::Ordering::SeqCst) {
            Answer::Accept
        } else {
            Answer::Fail
        }
    })
    .await;
    let s = with_relay(&hook.url, 2).await;
    register(&s, &s.client, "erika").await;
    let order = place(&s, "key-dead-0001", &order_body()).await;
    let anna = staff(&s, "anna", "P01").await;
    // Two failed attempts: dead, and listed for the partner's staff.
    let dead: Vec<Value> = eventually("a dead delivery listed", || async {
        let dead: Vec<Value> = anna
            .get(s.url("/api/agent/deliveries"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        (!dead.is_empty()).then_some(dead)
    })
    .await;
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0]["number"], order["number"]);
    assert_eq!(dead[0]["topic"], "order.placed");
    assert_eq!(dead[0]["attempts"], 2);
    assert!(dead[0]["last_error"].as_str().unwrap().contains("500"));
    assert_eq!(health(&s).await["outbox"]["dead"], 1);
    // Another partner's staff neither see nor replay it.
    let carl = staff(&s, "carl", "P02").await;
    let theirs: Vec<Value> = carl
        .get(s.url("/api/agent/deliveries"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(theirs.is_empty());
    let id = dead[0]["id"].as_str().unwrap();
    let replay = |client: &reqwest::Client| {
        client
            .post(s.url(&format!("/api/agent/deliveries/{id}/replay")))
            .header("x-requested-with", "smart1-app")
            .send()
    };
    assert_eq!(replay(&carl).await.unwrap().status(), 404);

    // The order moves on meanwhile: its event waits behind the dead one.
    let r = anna
        .post(s.url(&format!(
            "/api/agent/orders/{}/status",
            order["id"].as_str().unwrap()
        )))
        .header("x-requested-with", "smart1-app")
        .json(&json!({ "from": "received", "to": "confirmed", "note": "Probefahrt am Montag" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let calls = hook.calls();
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(hook.calls(), calls, "nothing is sent past a dead event");

    accept.store(true, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(replay(&anna).await.unwrap().status(), 204);
    let first = hook.next().await;
    let second = hook.next().await;
    assert_eq!(first.body["type"], "order.placed");
    assert_eq!(second.body["type"], "order.status_changed");
    assert_eq!(second.body["data"]["status"], "confirmed");
    assert_eq!(second.body["data"]["change"]["from"], "received");
    assert!(second.body["data"]["change"]["note"]
        .as_str()
        .unwrap()
        .contains("Probefahrt am Montag"));
    assert_eq!(replay(&anna).await.unwrap().status(), 404, "no longer dead");
}

/// Finding 5 of issue 34: a partner's dealer system gets its own locations' orders only; the
/// manufacturer gets all. A receiver's URL (with its token) is never shown to staff.
#[tokio::test]
async fn each_partner_receives_only_its_orders_and_the_manufacturer_all() {
    let mut oem = Receiver::start(|_| Answer::Accept).await;
    let mut p02 = Receiver::start(|_| Answer::Accept).await;
    let p01 = Receiver::start(|_| Answer::Fail).await;
    let receivers = vec![
        format!("oem={}", oem.url),
        format!("P01={}?token=s3cret-dms-token", p01.url),
        format!("P02={}", p02.url),
    ];
    let s = common::spawn_with(move |c| {
        c.webhooks.order_urls = receivers;
        c.webhooks.secret = Some(SECRET.into());
        c.relay.poll_ms = 50;
        c.relay.max_attempts = 1;
    })
    .await;
    register(&s, &s.client, "erika").await;
    let at = |location: &str| {
        let mut body = order_body();
        body["location_id"] = json!(location);
        body
    };
    let hamburg = place(&s, "key-partner-p01-1", &at("hamburg-01")).await;
    let kiel = place(&s, "key-partner-p02-1", &at("kiel-01")).await;
    let number = |o: &Value| o["number"].as_str().unwrap().to_string();
    let mut to_oem = HashSet::new();
    while to_oem.len() < 2 {
        to_oem.insert(
            oem.next().await.body["data"]["number"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(to_oem, HashSet::from([number(&hamburg), number(&kiel)]));
    let to_p02 = p02.next().await;
    assert_eq!(to_p02.body["data"]["number"], number(&kiel));
    assert_eq!(to_p02.body["data"]["agent"]["partner_id"], "P02");
    // P01's receiver fails: its staff see the failed delivery, without the URL's token.
    let anna = staff(&s, "anna", "P01").await;
    let dead: Vec<Value> = eventually("P01's failed delivery listed", || async {
        let dead: Vec<Value> = anna
            .get(s.url("/api/agent/deliveries"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        (!dead.is_empty()).then_some(dead)
    })
    .await;
    let shown = serde_json::to_string(&dead).unwrap();
    assert!(!shown.contains("s3cret-dms-token"), "{shown}");
    assert!(p01.calls() >= 1);
    // Nothing of P01's order ever went to P02.
    assert!(p02.arrived.try_recv().is_err());
}

#[test]
fn a_receiver_must_be_the_manufacturer_or_a_partner() {
    let network = domain::Network::embedded();
    for (urls, ok) in [
        (vec!["oem=http://127.0.0.1:9/hook"], true),
        (
            vec![
                "P01=http://127.0.0.1:9/hook",
                "P34=https://dms.example/h?t=x",
            ],
            true,
        ),
        (vec!["http://127.0.0.1:9/hook"], false),
        (vec!["P99=http://127.0.0.1:9/hook"], false),
        (vec!["oem=ftp://127.0.0.1:9/hook"], false),
    ] {
        let mut c = server::config::Config::for_test(String::new(), ".".into());
        c.webhooks.order_urls = urls.iter().map(|u| u.to_string()).collect();
        c.webhooks.secret = Some(SECRET.into());
        assert_eq!(c.relay(&network).is_ok(), ok, "{urls:?}");
    }
}

/// A server whose relay mails to a sink, with Erika signed in on its client.
async fn with_mail() -> (TestServer, Sink) {
    let sink = Sink::start().await;
    let url = sink.url.clone();
    let s = common::spawn_with(move |c| {
        c.mail.smtp_url = Some(url);
        c.relay.poll_ms = 50;
    })
    .await;
    register(&s, &s.client, "erika").await;
    (s, sink)
}

fn body_in(language: &str) -> Value {
    let mut body = order_body();
    body["language"] = json!(language);
    body
}

#[tokio::test]
async fn confirmations_are_mailed_in_the_customers_language_with_text_and_html() {
    let (s, mut sink) = with_mail().await;
    let total = premium().1;
    for (key, language) in [("key-mail-de-01", "de"), ("key-mail-en-01", "en")] {
        let order = place(&s, key, &body_in(language)).await;
        let number = order["number"].as_str().unwrap();
        let mail = sink.next().await;
        assert_eq!(mail.to, "erika@example.de");
        let text = mail.part("text/plain").expect("a plain-text part");
        let html = mail.part("text/html").expect("an HTML part");
        let agent = &order["order"]["agent"];
        let lang = if language == "de" {
            domain::Lang::De
        } else {
            domain::Lang::En
        };
        let money = domain::Cents(total).format(lang);
        for needle in [
            number,
            money.as_str(),
            agent["address"].as_str().unwrap(),
            agent["phone"].as_str().unwrap(),
            agent["location"].as_str().unwrap(),
            "2023-11",
        ] {
            assert!(text.contains(needle), "{language}: {needle:?} in\n{text}");
            assert!(
                html.contains(&server::mail::escape_html(needle)),
                "{language}: {needle:?} in the HTML"
            );
        }
        let (subject, withdrawal) = match language {
            "de" => ("Ihre smart #1 Bestellung", "Widerrufsbelehrung"),
            _ => ("Your smart #1 order", "Right of withdrawal"),
        };
        assert_eq!(mail.subject(), format!("{subject} {number}"));
        assert!(text.contains(withdrawal), "{text}");
    }
}

/// Issue 33: the mail states every term of the stored order (financed with a final
/// instalment, leased, and a business order with company, VAT ID and a desired date), links to
/// the order's page, and carries the withdrawal instructions and the model form to consumers
/// only.
#[tokio::test]
async fn the_mail_states_every_agreed_term_and_the_withdrawal_only_to_consumers() {
    let (s, mut sink) = with_mail().await;
    let mut financed = body_in("de");
    financed["payment"] = json!({ "method": "financing", "term_months": 48, "down_payment": 500000, "balloon": 1500000 });
    let mut leased = body_in("en");
    leased["payment"] = json!({ "method": "leasing", "term_months": 36, "yearly_km": 15000, "down_payment": 300000 });
    let mut business = body_in("de");
    business["customer"]["kind"] = json!("business");
    business["customer"]["company"] = json!("ACME Fuhrpark GmbH");
    business["customer"]["vat_id"] = json!("DE123456789");
    business["withdrawal_notice_shown"] = json!(false);
    business["payment"] = json!({ "method": "cash" });
    let in_a_year = {
        let (y, m, d) = domain::hygiene::civil_from_days(server::storage::now() / 86_400 + 365);
        format!("{y}-{m:02}-{d:02}")
    };
    business["desired_delivery"] = json!(in_a_year);
    for (key, body) in [
        ("key-terms-fin-1", financed),
        ("key-terms-lea-1", leased),
        ("key-terms-biz-1", business),
    ] {
        let placed = place(&s, key, &body).await;
        let number = placed["number"].as_str().unwrap();
        let record: domain::order::OrderRecord =
            serde_json::from_value(placed["order"].clone()).unwrap();
        let lang = record.language;
        let mail = sink.next().await;
        let text = mail.part("text/plain").unwrap();
        let html = mail.part("text/html").unwrap();
        assert!(
            text.contains(&format!("{}/orders/{number}", s.base)),
            "{text}"
        );
        // Each term as the domain words it...
        for (label, value) in record.terms(lang) {
            let line = format!("{label}: {value}");
            assert!(text.contains(&line), "{key}: {line:?} in\n{text}");
            assert!(
                html.contains(&server::mail::escape_html(&line)),
                "{key}: {line:?} in the HTML"
            );
        }
        // ...and field by field from the stored record, so a term left out of `terms` fails too.
        let money = |c: domain::Cents| c.format(lang);
        let mut expected = vec![money(record.price.gross)];
        match &record.payment {
            domain::order::PaymentTerms::Financing { financing: f } => expected.extend([
                money(f.down_payment),
                money(f.monthly_rate),
                money(f.balloon),
                money(f.total_amount),
                format!("{} ", f.term_months),
                domain::order::percent_text(f.effective_rate_bp, lang),
            ]),
            domain::order::PaymentTerms::Leasing { leasing: l } => expected.extend([
                money(l.down_payment),
                money(l.monthly_rate),
                money(l.total_amount),
                format!("{} ", l.term_months),
                "15,000 km".to_string(),
            ]),
            domain::order::PaymentTerms::Cash => {}
        }
        expected.push(record.delivery.estimated_weeks.to_string());
        expected.push(domain::order::day_text(
            record.delivery.earliest_date_days,
            lang,
        ));
        if let Some(day) = record
            .delivery
            .desired
            .as_deref()
            .and_then(domain::hygiene::parse_date)
        {
            expected.push(domain::order::day_text(day, lang));
        }
        expected.extend(record.customer.company.clone());
        expected.extend(record.customer.vat_id.clone());
        for value in expected {
            assert!(text.contains(&value), "{key}: {value:?} in\n{text}");
        }
        let private = record.customer.kind == domain::order::CustomerKind::Private;
        for needle in match lang {
            domain::Lang::De => [
                "Widerrufsbelehrung",
                "in Besitz genommen",
                "Muster-Widerrufsformular",
            ],
            domain::Lang::En => [
                "Instructions on withdrawal",
                "physical possession of the goods",
                "Model withdrawal form",
            ],
        } {
            assert_eq!(text.contains(needle), private, "{key}: {needle}");
        }
    }
}

/// Issue 33: a cancellation reaches the customer by mail, with the reason staff gave.
#[tokio::test]
async fn a_cancellation_is_mailed_to_the_customer_with_its_reason() {
    let (s, mut sink) = with_mail().await;
    let placed = place(&s, "key-cancel-mail-1", &body_in("en")).await;
    let number = placed["number"].as_str().unwrap();
    assert!(
        sink.next().await.subject().contains(number),
        "the confirmation first"
    );
    let anna = staff(&s, "anna", "P01").await;
    let r = anna
        .post(s.url(&format!("/api/agent/orders/{number}/status")))
        .json(&json!({ "from": "received", "to": "cancelled", "reason": "The car cannot be built in this colour any more." }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mail = sink.next().await;
    assert_eq!(mail.to, "erika@example.de");
    assert!(mail.subject().contains("cancelled") && mail.subject().contains(number));
    let text = mail.part("text/plain").unwrap();
    assert!(
        text.contains("Reason: The car cannot be built in this colour any more."),
        "{text}"
    );
    assert!(
        text.contains(&format!("{}/orders/{number}", s.base)),
        "{text}"
    );
}

/// Finding 2 of issue 34: the confirmation goes to the account's own address, not to one typed
/// into the form (a stranger's); the form's address is shown inside, with the other details.
#[tokio::test]
async fn a_confirmation_goes_to_the_account_not_to_the_address_in_the_form() {
    let (s, mut sink) = with_mail().await;
    let mut body = body_in("en");
    body["customer"]["email"] = json!("stranger@example.org");
    let order = place(&s, "key-mail-stranger-1", &body).await;
    let mail = sink.next().await;
    assert_eq!(mail.to, "erika@example.de");
    let text = mail.part("text/plain").unwrap();
    assert!(text.contains(order["number"].as_str().unwrap()));
    assert!(text.contains("stranger@example.org"), "{text}");
    sink.nothing_within(Duration::from_millis(500)).await;
}

#[tokio::test]
async fn a_confirmation_waits_while_the_mail_relay_is_down_and_goes_out_when_it_is_back() {
    // A port with nobody listening yet.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let s = common::spawn_with(move |c| {
        c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.relay.poll_ms = 50;
        c.relay.retry_base_ms = 100;
        c.relay.retry_max_ms = 300;
        c.mail.timeout_ms = 500;
    })
    .await;
    register(&s, &s.client, "erika").await;
    let order = place(&s, "key-mail-down-01", &body_in("de")).await;
    // At least one failed attempt, and the mail still pending.
    eventually("a failed mail attempt", || async {
        let metrics = metrics(&s).await;
        metrics
            .contains("smart1_relay_failures_total{channel=\"mail\"}")
            .then_some(())
    })
    .await;
    assert!(health(&s).await["outbox"]["pending"].as_i64().unwrap() >= 1);
    let mut sink = Sink::on(
        tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap(),
    );
    let mail = sink.next().await;
    assert!(mail
        .part("text/plain")
        .unwrap()
        .contains(order["number"].as_str().unwrap()));
}

#[tokio::test]
async fn a_server_killed_during_a_delivery_delivers_after_its_restart() {
    let mut hook = Receiver::start(|n| match n {
        // The first attempt never gets its answer: the server dies meanwhile.
        0 => Answer::Hang(Duration::from_secs(120)),
        _ => Answer::Accept,
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let url = common::fresh_database(dir.path()).await;
    let oem = format!("oem={}", hook.url);
    let env = [
        ("ORDER_WEBHOOK_URLS", oem.as_str()),
        ("WEBHOOK_SECRET", SECRET),
        ("RELAY_POLL_MS", "50"),
        ("RELAY_ATTEMPT_TIMEOUT_MS", "60000"),
        // On PostgreSQL the restarted instance takes the event over when the dead one's lease
        // ends (on SQLite at once: one process uses the file).
        ("RELAY_LEASE_MS", "2000"),
    ];
    let (mut first, base) = common::start_binary_with(&url, dir.path(), &env);
    let client = common::client();
    let r = client
        .post(format!("{base}/api/auth/register"))
        .json(&json!({ "email": "kill@example.de", "password": "correct horse battery" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = client
        .post(format!("{base}/api/orders"))
        .header("idempotency-key", "key-kill-00001")
        .json(&order_body())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let order: Value = r.json().await.unwrap();
    // The delivery is under way: kill the server in the middle of it.
    let first_id = tokio::time::timeout(Duration::from_secs(20), hook.called.recv())
        .await
        .expect("the relay calls")
        .unwrap();
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(hook.arrived.try_recv().is_err(), "nothing was accepted yet");

    let (mut second, _) = common::start_binary_with(&url, dir.path(), &env);
    let got = hook.next().await;
    second.kill().unwrap();
    second.wait().unwrap();
    assert_eq!(got.body["data"]["number"], order["number"]);
    assert_eq!(
        got.id, first_id,
        "the same event: receivers dedupe by webhook-id"
    );
    assert!(hook.calls() >= 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_postgresql_deliver_every_event_and_none_twice_at_once() {
    if !std::env::var("TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres")) {
        eprintln!("skipped: one SQLite file has one relay (TEST_DATABASE_URL names no PostgreSQL)");
        return;
    }
    // Every call is counted by id, also calls for an id already accepted: a second delivery
    // of one event while the first is still running would show up as a duplicate.
    let mut hook = Receiver::start(|_| Answer::Accept).await;
    let dir = tempfile::tempdir().unwrap();
    let url = common::fresh_database(dir.path()).await;
    let oem = format!("oem={}", hook.url);
    let env = [
        ("ORDER_WEBHOOK_URLS", oem.as_str()),
        ("WEBHOOK_SECRET", SECRET),
        ("RELAY_POLL_MS", "20"),
        ("REGISTRATIONS_PER_HOUR", "1000"),
    ];
    let (mut a, base_a) = common::start_binary_with(&url, dir.path(), &env);
    let (mut b, base_b) = common::start_binary_with(&url, dir.path(), &env);
    let client = common::client();
    let r = client
        .post(format!("{base_a}/api/auth/register"))
        .json(&json!({ "email": "many@example.de", "password": "correct horse battery" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let body = order_body();
    let placed: Vec<String> = futures::future::join_all((0..200).map(|i| {
        let (client, body) = (client.clone(), body.clone());
        let base = if i % 2 == 0 {
            base_a.clone()
        } else {
            base_b.clone()
        };
        async move {
            let r = client
                .post(format!("{base}/api/orders"))
                .header("idempotency-key", format!("key-many-{i:05}"))
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201);
            r.json::<Value>().await.unwrap()["number"]
                .as_str()
                .unwrap()
                .to_string()
        }
    }))
    .await;
    // Each order's event arrives, under one webhook-id per order.
    let mut delivered = std::collections::HashMap::new();
    while delivered.len() < placed.len() {
        let got = hook.next().await;
        assert_eq!(got.body["type"], "order.placed");
        let number = got.body["data"]["number"].as_str().unwrap().to_string();
        let id = delivered.entry(number).or_insert_with(|| got.id.clone());
        assert_eq!(
            *id, got.id,
            "a second delivery of an order carries its first webhook-id"
        );
    }
    // A little longer: a late second delivery would show now.
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Both instances delivered: each one's own figures count its webhook attempts.
    let (by_a, by_b) = (
        webhook_attempts(&client, &base_a).await,
        webhook_attempts(&client, &base_b).await,
    );
    a.kill().unwrap();
    b.kill().unwrap();
    let _ = (a.wait(), b.wait());
    assert!(
        by_a > 0 && by_b > 0,
        "both instances deliver: {by_a} and {by_b} attempts"
    );
    assert_eq!(
        by_a + by_b,
        200,
        "one attempt per event, all of them accepted"
    );
    assert_eq!(
        delivered.into_keys().collect::<HashSet<_>>(),
        placed.into_iter().collect::<HashSet<_>>()
    );
    assert_eq!(*hook.duplicates.lock().unwrap(), 0, "no event twice");
    assert_eq!(hook.calls(), 200);
}

/// An instance's count of webhook delivery attempts, from its own /metrics (loopback).
async fn webhook_attempts(client: &reqwest::Client, base: &str) -> u64 {
    common::get_text(client, &format!("{base}/metrics"))
        .await
        .lines()
        .find(|l| l.starts_with("smart1_relay_attempts_total{channel=\"webhook\"}"))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
        .unwrap_or(0)
}
