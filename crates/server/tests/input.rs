//! Issue 19: input hygiene of order fields (NFC, control and direction characters, blank and
//! zero-width names, lengths, a trimmed e-mail, strict dates), the cap and paging of saved
//! configurations, and idempotent retries that compare the parsed request.

mod common;

use common::{order_body, premium, register, TestServer};
use futures::future::join_all;
use serde_json::{json, Value};

async fn post_raw(s: &TestServer, key: &str, body: String) -> (u16, Value) {
    let r = s
        .client
        .post(s.url("/api/orders"))
        .header("idempotency-key", key)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

async fn post(s: &TestServer, key: &str, body: &Value) -> (u16, Value) {
    post_raw(s, key, body.to_string()).await
}

#[tokio::test]
async fn bad_text_in_order_fields_is_refused_with_the_field_named() {
    let s = common::spawn().await;
    register(&s, &s.client, "hygiene").await;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("first_name", json!("\u{200B}\u{200D}"), "required"),
        ("first_name", json!("   "), "required"),
        ("last_name", json!("Muster\u{202E}nnam"), "characters"),
        ("city", json!("Ham\r\nburg"), "characters"),
        ("street", json!("Jungfernstieg\u{0}1"), "characters"),
        ("first_name", json!("E".repeat(60_000)), "too_long"),
        ("street", json!("S".repeat(201)), "too_long"),
        ("company", json!("C".repeat(201)), "too_long"),
    ];
    for (i, (field, value, needle)) in cases.into_iter().enumerate() {
        let mut body = order_body();
        if field == "company" {
            // Company and VAT ID are a business customer's (a private one's are not kept).
            body["customer"]["kind"] = json!("business");
            body["customer"]["vat_id"] = json!("DE123456789");
        }
        body["customer"][field] = value;
        let (status, e) = post(&s, &format!("key-hygiene-{i:04}"), &body).await;
        assert_eq!(status, 422, "{field}: {e}");
        let named = (e["field"].as_str(), e["problem"].as_str());
        assert_eq!(
            named,
            (Some(&*format!("customer.{field}")), Some(needle)),
            "{e}"
        );
    }
}

#[tokio::test]
async fn the_stored_order_has_nfc_text_and_a_trimmed_e_mail() {
    let s = common::spawn().await;
    register(&s, &s.client, "nfc").await;
    let mut body = order_body();
    body["customer"]["first_name"] = json!("  Rene\u{301} ");
    body["customer"]["email"] = json!(" erika@example.de\r\n");
    let (status, order) = post(&s, "key-nfc-000001", &body).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["order"]["customer"]["first_name"], "Ren\u{e9}");
    assert_eq!(order["order"]["customer"]["email"], "erika@example.de");
    // As stored, not only as answered.
    let stored: Value = s
        .client
        .get(s.url(&format!("/api/orders/{}", order["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stored["order"]["customer"]["first_name"], "Ren\u{e9}");
    assert_eq!(stored["order"]["customer"]["email"], "erika@example.de");
}

#[tokio::test]
async fn delivery_dates_are_strict_and_within_two_years() {
    let s = common::spawn().await;
    register(&s, &s.client, "dates").await;
    for (i, (date, needle)) in [
        ("2030-1-1", "YYYY-MM-DD"),
        ("+2030-01-01", "YYYY-MM-DD"),
        ("2030-02-30", "YYYY-MM-DD"),
        ("2030-01-01T00:00", "YYYY-MM-DD"),
        ("2199-01-01", "two years"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut body = order_body();
        body["desired_delivery"] = json!(date);
        let (status, e) = post(&s, &format!("key-dates-{i:04}"), &body).await;
        assert_eq!(status, 422, "{date}: {e}");
        assert!(
            e["message"].as_str().unwrap().contains(needle),
            "{date}: {e}"
        );
    }
}

#[tokio::test]
async fn a_re_indented_retry_is_the_same_order() {
    let s = common::spawn().await;
    register(&s, &s.client, "indent").await;
    let body = order_body();
    let (status, first) = post_raw(&s, "key-indent-0001", body.to_string()).await;
    assert_eq!(status, 201, "{first}");
    let pretty = serde_json::to_string_pretty(&body).unwrap();
    let (status, again) = post_raw(&s, "key-indent-0001", pretty).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["number"], first["number"]);
    // Keys in another order, too.
    let mut fields: Vec<(String, Value)> = body.as_object().unwrap().clone().into_iter().collect();
    fields.reverse();
    let reordered = format!(
        "{{{}}}",
        fields
            .iter()
            .map(|(k, v)| format!("{}: {v}", json!(k)))
            .collect::<Vec<_>>()
            .join(",\n")
    );
    let (status, again) = post_raw(&s, "key-indent-0001", reordered).await;
    assert_eq!(status, 200, "{again}");
    // Another order under the same key is still refused.
    let mut other = body.clone();
    other["marketing_consent"] = json!(true);
    let (status, e) = post(&s, "key-indent-0001", &other).await;
    assert_eq!(status, 422, "{e}");
}

fn saved_car(i: usize) -> Value {
    json!({ "name": format!("Car {i}"), "code": premium().0, "step": "wheels" })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn saved_configurations_stop_at_100_even_in_parallel_and_the_list_is_paged() {
    let s = common::spawn().await;
    register(&s, &s.client, "collector").await;
    let statuses = join_all((0..110).map(|i| {
        let client = s.client.clone();
        let url = s.url("/api/configurations");
        async move {
            let r = client.post(url).json(&saved_car(i)).send().await.unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap())
        }
    }))
    .await;
    let created = statuses.iter().filter(|(s, _)| *s == 201).count();
    let refused: Vec<&Value> = statuses
        .iter()
        .filter(|(s, _)| *s == 409)
        .map(|(_, e)| e)
        .collect();
    let codes: Vec<u16> = statuses.iter().map(|(s, _)| *s).collect();
    assert_eq!(created, 100, "{codes:?}");
    assert_eq!(refused.len(), 10, "{codes:?}");
    assert_eq!(refused[0]["error"], "limit_reached");
    assert!(refused[0]["message"]
        .as_str()
        .unwrap()
        .contains("at most 100"));

    let list = |query: &'static str| {
        let client = s.client.clone();
        let url = s.url(&format!("/api/configurations{query}"));
        async move {
            let r = client.get(url).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    // The app's call, without paging: all of them.
    let (status, all) = list("").await;
    assert_eq!(status, 200);
    assert_eq!(all.as_array().unwrap().len(), 100);
    let (_, page) = list("?limit=10&offset=95").await;
    let page = page.as_array().unwrap();
    assert_eq!(page.len(), 5);
    assert_eq!(page[0]["id"], all[95]["id"]);
    for bad in ["?limit=0", "?limit=101", "?offset=-1", "?limit=ten"] {
        let (status, e) = list(bad).await;
        assert_eq!(status, 400, "{bad}: {e}");
        assert!(e["message"].is_string(), "{bad}: {e}");
    }
    // Deleting one makes room again.
    let id = all[0]["id"].as_str().unwrap();
    let r = s
        .client
        .delete(s.url(&format!("/api/configurations/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = s
        .client
        .post(s.url("/api/configurations"))
        .json(&saved_car(999))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn a_saved_configuration_name_is_checked_like_any_text() {
    let s = common::spawn().await;
    register(&s, &s.client, "names").await;
    for name in ["\u{200B}", "My\u{202E}car", "line\nbreak", &"n".repeat(81)] {
        let mut body = saved_car(0);
        body["name"] = json!(name);
        let r = s
            .client
            .post(s.url("/api/configurations"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{name:?}");
    }
}
