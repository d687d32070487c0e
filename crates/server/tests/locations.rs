//! The agency network API: nearest locations by postcode, filters, clear errors.

mod common;

use serde_json::Value;

async fn search(s: &common::TestServer, query: &str) -> (u16, Value) {
    let r = s
        .client
        .get(s.url(&format!("/api/locations?{query}")))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

fn cities(body: &Value, n: usize) -> Vec<String> {
    body["locations"]
        .as_array()
        .unwrap()
        .iter()
        .take(n)
        .map(|l| l["city"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_postcode_finds_the_nearest_locations_first() {
    let s = common::spawn().await;
    for (postcode, city) in [
        ("20095", "Hamburg"),
        ("80331", "München"),
        ("01067", "Dresden"),
    ] {
        let (status, body) = search(&s, &format!("q={postcode}")).await;
        assert_eq!(status, 200);
        assert_eq!(cities(&body, 2), vec![city, city], "{postcode}");
        let d: Vec<f64> = body["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["distance_km"].as_f64().unwrap())
            .collect();
        assert!(d.windows(2).all(|w| w[0] <= w[1]), "sorted by distance");
        assert!(d[0] < 10.0, "{postcode}: nearest is {} km away", d[0]);
        assert_eq!(body["locations"].as_array().unwrap().len(), 95);
    }
}

#[tokio::test]
async fn coordinates_city_and_partner_searches_work() {
    let s = common::spawn().await;
    let (_, body) = search(&s, "lat=50.9375&lon=6.9603").await; // Köln Dom
    assert_eq!(cities(&body, 1), vec!["Köln"]);
    let (_, body) = search(&s, "q=Muenchen&limit=3").await;
    assert_eq!(cities(&body, 3), vec!["München"; 3]);
    let partner = s
        .client
        .get(s.url("/api/partners"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let partners = partner.as_array().unwrap();
    assert_eq!(partners.len(), 34);
    let name = partners[0]["name"].as_str().unwrap();
    let (_, body) = search(&s, &format!("q={}", urlencode(name))).await;
    let found = body["locations"].as_array().unwrap();
    assert_eq!(
        found.len() as u64,
        partners[0]["locations"].as_u64().unwrap()
    );
    assert!(found.iter().all(|l| l["partner_name"] == name));
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn the_service_filter_keeps_only_locations_offering_it() {
    let s = common::spawn().await;
    let (status, body) = search(&s, "q=20095&service=service").await;
    assert_eq!(status, 200);
    let found = body["locations"].as_array().unwrap();
    assert!(!found.is_empty() && found.len() < 95);
    assert!(found.iter().all(|l| l["services"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x == "service")));
    let (status, body) = search(&s, "service=car_wash").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "bad_request");
}

#[tokio::test]
async fn bad_postcodes_and_ids_get_clear_errors() {
    let s = common::spawn().await;
    let (status, body) = search(&s, "q=1234").await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains("5 digits"));
    let (status, body) = search(&s, "q=00000").await;
    assert_eq!(status, 422);
    assert!(body["message"].as_str().unwrap().contains("00000"));
    let (status, _) = search(&s, "lat=91&lon=10").await;
    assert_eq!(status, 400);
    let r = s
        .client
        .get(s.url("/api/locations/no-such-place"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "not_found");
    let r = s
        .client
        .get(s.url("/api/locations/hamburg-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let l: Value = r.json().await.unwrap();
    assert_eq!(l["city"], "Hamburg");
    assert!(l["partner_name"].as_str().unwrap().len() > 3);
}
