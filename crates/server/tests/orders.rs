//! Orders against a real SQLite file: idempotency, re-validation, re-pricing, ownership.

mod common;

use common::register;
use serde_json::{json, Value};

use common::{order_body, premium};

async fn post(
    s: &common::TestServer,
    client: &reqwest::Client,
    key: &str,
    body: &Value,
) -> (u16, Value) {
    let r = client
        .post(s.url("/api/orders"))
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn an_order_is_stored_complete_with_history_and_outbox() {
    let s = common::spawn().await;
    register(&s, &s.client, "erika").await;
    let (status, order) = post(&s, &s.client, "key-0001-abcdef", &order_body()).await;
    assert_eq!(status, 201, "{order}");
    assert!(order["number"].as_str().unwrap().starts_with("S1-"));
    assert_eq!(order["status"], "received");
    assert_eq!(order["history"][0]["status"], "received");
    let o = &order["order"];
    assert_eq!(o["seller"], "smart Europe GmbH, Leinfelden-Echterdingen");
    assert_eq!(o["agent"]["location_id"], "hamburg-01");
    assert_eq!(o["price"]["gross"], premium().1);
    assert_eq!(o["payment"]["financing"]["term_months"], 48);
    assert_eq!(o["terms_version"], "2023-11");
    assert!(o["configuration"]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["code"] == "PREMIUM"));
    let mine: Value = s
        .client
        .get(s.url("/api/orders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 1);
    let one = s
        .client
        .get(s.url(&format!(
            "/api/orders/{}",
            order["number"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(one.status(), 200);
}

#[tokio::test]
async fn a_retry_returns_the_same_order_and_another_body_is_refused() {
    let s = common::spawn().await;
    register(&s, &s.client, "retry").await;
    let (a, first) = post(&s, &s.client, "key-retry-000001", &order_body()).await;
    let (b, second) = post(&s, &s.client, "key-retry-000001", &order_body()).await;
    assert_eq!((a, b), (201, 200));
    assert_eq!(first["id"], second["id"]);
    let mut other = order_body();
    other["location_id"] = json!("muenchen-01");
    let (c, body) = post(&s, &s.client, "key-retry-000001", &other).await;
    assert_eq!(c, 422);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("Idempotency-Key"));
    let mine: Value = s
        .client
        .get(s.url("/api/orders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 1);
}

/// 40 identical requests at once (the SQLite writer may take several of them into one batch):
/// one order, every answer names it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_with_one_key_create_one_order() {
    let s = common::spawn().await;
    register(&s, &s.client, "race").await;
    let body = order_body();
    let tasks: Vec<_> = (0..40)
        .map(|_| {
            let (client, url, body) = (s.client.clone(), s.url("/api/orders"), body.clone());
            tokio::spawn(async move {
                let r = client
                    .post(url)
                    .header("idempotency-key", "key-race-0000001")
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                (
                    status,
                    r.json::<Value>().await.unwrap()["id"]
                        .as_str()
                        .map(String::from),
                )
            })
        })
        .collect();
    let mut ids = std::collections::HashSet::new();
    let mut created = 0;
    for t in tasks {
        let (status, id) = t.await.unwrap();
        assert!(status == 201 || status == 200, "{status}");
        created += (status == 201) as u32;
        ids.insert(id.unwrap());
    }
    assert_eq!(created, 1);
    assert_eq!(ids.len(), 1);
    let mine: Value = s
        .client
        .get(s.url("/api/orders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn tampered_or_invalid_orders_are_refused_with_a_reason() {
    let s = common::spawn().await;
    register(&s, &s.client, "tamper").await;
    let mut n = 0;
    let mut refused = |edit: &dyn Fn(&mut Value)| {
        let mut body = order_body();
        edit(&mut body);
        n += 1;
        (format!("key-tamper-{n:06}"), body)
    };
    let cases: Vec<(u16, &str, (String, Value))> = vec![
        (
            409,
            "price is",
            refused(&|b| b["expected_total"] = json!(100)),
        ),
        (
            422,
            "configuration cannot be built",
            refused(&|b| b["code"] = json!("1AAAAbroken")),
        ),
        (
            422,
            "cannot be built",
            refused(&|b| {
                let c = domain::Catalog::current();
                let mut sel = c.select(&c.empty_selection(), "PREMIUM").unwrap();
                let r = c.choice_ref("PAINT_MATTE_GREY").unwrap();
                sel.0[r.var] = Some(r.val);
                b["code"] = json!(c.encode(&sel));
            }),
        ),
        (
            422,
            "no agency location",
            refused(&|b| b["location_id"] = json!("atlantis-01")),
        ),
        (
            422,
            "withdrawal",
            refused(&|b| b["withdrawal_notice_shown"] = json!(false)),
        ),
        (
            422,
            "terms",
            refused(&|b| b["terms_version"] = json!("2019-01")),
        ),
        (
            422,
            "VAT ID",
            refused(&|b| {
                b["customer"]["kind"] = json!("business");
                b["customer"]["company"] = json!("Muster GmbH");
                b["customer"]["vat_id"] = json!("DE12");
            }),
        ),
        (
            422,
            "postcode",
            refused(&|b| b["customer"]["postcode"] = json!("2009")),
        ),
        (
            422,
            "phone number",
            refused(&|b| b["customer"]["phone"] = json!("abc 123456")),
        ),
        (
            422,
            "before the earliest",
            refused(&|b| b["desired_delivery"] = json!("2020-01-01")),
        ),
        (
            422,
            "financing or leasing terms",
            refused(&|b| {
                b["payment"] = json!({"method": "financing", "term_months": 7, "down_payment": 0})
            }),
        ),
        (
            422,
            "price list",
            refused(&|b| b["price_list_version"] = json!("DE-1999")),
        ),
        (
            422,
            "missing field",
            refused(&|b| {
                b.as_object_mut().unwrap().remove("customer");
            }),
        ),
    ];
    for (status, needle, (key, body)) in cases {
        let (got, answer) = post(&s, &s.client, &key, &body).await;
        assert_eq!(got, status, "{needle}: {answer}");
        assert!(
            answer["message"].as_str().unwrap().contains(needle),
            "{needle}: {answer}"
        );
    }
    // The price conflict tells the current price.
    let mut body = order_body();
    body["expected_total"] = json!(100);
    let (_, answer) = post(&s, &s.client, "key-tamper-price", &body).await;
    assert_eq!(answer["current"]["price"]["gross"], premium().1);
    // Without a key, or with malformed JSON.
    let r = s
        .client
        .post(s.url("/api/orders"))
        .json(&order_body())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = s
        .client
        .post(s.url("/api/orders"))
        .header("idempotency-key", "key-json-00001")
        .header("content-type", "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let mine: Value = s
        .client
        .get(s.url("/api/orders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine, json!([]), "nothing refused was stored");
}

#[tokio::test]
async fn orders_belong_to_their_owner_and_need_a_session() {
    let s = common::spawn().await;
    register(&s, &s.client, "owner").await;
    let (_, order) = post(&s, &s.client, "key-owner-000001", &order_body()).await;
    let other = s.new_client();
    register(&s, &other, "other").await;
    let url = s.url(&format!("/api/orders/{}", order["id"].as_str().unwrap()));
    assert_eq!(other.get(&url).send().await.unwrap().status(), 404);
    let theirs: Value = other
        .get(s.url("/api/orders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(theirs, json!([]));
    let anonymous = common::client();
    assert_eq!(anonymous.get(&url).send().await.unwrap().status(), 401);
    let r = anonymous
        .post(s.url("/api/orders"))
        .header("idempotency-key", "key-anon-000001")
        .json(&order_body())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

/// Balloon financing: the server prices the final instalment with the domain, stores it, and
/// refuses one above what the price list allows.
#[tokio::test]
async fn a_balloon_financing_is_priced_by_the_server_and_bounded() {
    let s = common::spawn().await;
    register(&s, &s.client, "ballon").await;
    let mut body = order_body();
    body["payment"] = json!({"method": "financing", "term_months": 48, "down_payment": 500000, "balloon": 1500000});
    let (status, order) = post(&s, &s.client, "key-balloon-0001", &body).await;
    assert_eq!(status, 201, "{order}");
    let f = &order["order"]["payment"]["financing"];
    assert_eq!(f["balloon"], 1_500_000);
    let plain = domain::Catalog::current()
        .financing(
            domain::Cents(premium().1),
            &domain::FinancingRequest {
                term_months: 48,
                down_payment: domain::Cents(500_000),
                balloon: domain::Cents::ZERO,
            },
        )
        .unwrap();
    assert!(
        f["monthly_rate"].as_i64().unwrap() < plain.monthly_rate.0,
        "{f}"
    );
    // More than 40 % of the price as the final instalment: refused in words.
    body["payment"]["balloon"] = json!(premium().1);
    let (status, refused) = post(&s, &s.client, "key-balloon-0002", &body).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(
        (refused["field"].as_str(), refused["problem"].as_str()),
        (Some("payment"), Some("out_of_range")),
        "{refused}"
    );
}

/// Finding 2 of issue 34: orders (each mails a confirmation and reaches the manufacturer) are
/// limited per account and per client address, and the limits hold when 40 arrive at once. A
/// retry of a stored order is still answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_orders_at_once_get_the_accounts_allowance_and_retries_still_answer() {
    let s = common::spawn_with(|c| {
        c.limits.orders_per_account_per_hour = 5;
        c.limits.orders_per_address_per_hour = 8;
    })
    .await;
    common::register(&s, &s.client, "erika").await;
    let body = common::order_body();
    let attempts = (0..40).map(|i| {
        let (s, body) = (&s, &body);
        async move {
            let r = s
                .client
                .post(s.url("/api/orders"))
                .header("idempotency-key", format!("key-burst-{i:04}"))
                .json(body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let retry_after = r.headers().get("retry-after").is_some();
            (i, status, retry_after)
        }
    });
    let answers = futures::future::join_all(attempts).await;
    let placed: Vec<usize> = answers.iter().filter(|a| a.1 == 201).map(|a| a.0).collect();
    assert_eq!(placed.len(), 5, "{answers:?}");
    assert!(answers.iter().all(|a| a.1 == 201 || (a.1 == 429 && a.2)));
    // A retry of a placed order is answered from the store, allowance spent or not.
    let retry = s
        .client
        .post(s.url("/api/orders"))
        .header("idempotency-key", format!("key-burst-{:04}", placed[0]))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(retry.status(), 200);
    // The address's allowance (8) is shared by every account behind it: 3 more, then 429.
    let other = s.new_client();
    common::register(&s, &other, "max").await;
    let mut statuses = Vec::new();
    for i in 0..5 {
        let r = other
            .post(s.url("/api/orders"))
            .header("idempotency-key", format!("key-other-{i:04}"))
            .json(&body)
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, [201, 201, 201, 429, 429]);
}
