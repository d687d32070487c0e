//! `GET /metrics`: Prometheus text, counting what happened, for loopback or a token holder.

mod common;

use common::{order_body, register};

/// The value of a sample line `name{labels} value` (first match), or of `name value`.
fn sample(text: &str, name: &str, labels: &str) -> Option<f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find(|l| {
            let (series, _) = l.rsplit_once(' ').unwrap_or((l, ""));
            series == name || (series.starts_with(&format!("{name}{{")) && series.contains(labels))
        })
        .and_then(|l| l.rsplit_once(' '))
        .and_then(|(_, v)| v.parse().ok())
}

async fn scrape(s: &common::TestServer, client: &reqwest::Client) -> String {
    let r = client.get(s.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/openmetrics-text"));
    r.text().await.unwrap()
}

#[tokio::test]
async fn metrics_parse_and_count_exactly_the_accepted_orders_and_the_requests() {
    let s = common::spawn().await;
    register(&s, &s.client, "metrics").await;
    let before = scrape(&s, &s.client).await;
    let accepted_before = sample(&before, "smart1_orders_accepted_total", "").unwrap();
    // Three new orders, one retry of the first (answered from the store: not a new order) and
    // one refused.
    for key in [
        "key-metrics-0001",
        "key-metrics-0002",
        "key-metrics-0003",
        "key-metrics-0001",
    ] {
        let r = s
            .client
            .post(s.url("/api/orders"))
            .header("idempotency-key", key)
            .json(&order_body())
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.status());
    }
    let mut refused = order_body();
    refused["customer"]["postcode"] = "1".into();
    let r = s
        .client
        .post(s.url("/api/orders"))
        .header("idempotency-key", "key-metrics-0004")
        .json(&refused)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);

    let text = scrape(&s, &s.client).await;
    // The whole text is well-formed: HELP/TYPE comments, `name{labels} value` samples, EOF.
    assert_eq!(text.lines().last(), Some("# EOF"));
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (series, value) = line.rsplit_once(' ').expect(line);
        assert!(value.parse::<f64>().is_ok(), "{line}");
        let name = series.split('{').next().unwrap();
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{line}"
        );
        assert!(!series.contains('{') || series.ends_with('}'), "{line}");
    }
    let accepted = sample(&text, "smart1_orders_accepted_total", "").unwrap();
    assert_eq!(accepted - accepted_before, 3.0, "{text}");
    let created = r#"method="POST",route="/api/orders",status="201""#;
    assert_eq!(
        sample(&text, "smart1_http_requests_total", created),
        Some(3.0),
        "{text}"
    );
    let retried = r#"method="POST",route="/api/orders",status="200""#;
    assert_eq!(
        sample(&text, "smart1_http_requests_total", retried),
        Some(1.0),
        "{text}"
    );
    let count = r#"method="POST",route="/api/orders""#;
    assert_eq!(
        sample(&text, "smart1_http_request_duration_seconds_count", count),
        Some(5.0),
        "{text}"
    );
    // Each accepted order wrote its two events, none delivered yet.
    assert!(
        sample(&text, "smart1_outbox_pending", "").unwrap() >= 6.0,
        "{text}"
    );
    assert!(
        sample(&text, "smart1_db_pool_connections", "").unwrap() >= 1.0,
        "{text}"
    );
}

#[tokio::test]
async fn metrics_are_refused_to_other_hosts_without_the_token() {
    // Behind a trusted proxy (loopback), the client is the address the proxy names.
    let s = common::spawn_with(|c| {
        c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
        c.metrics_token = Some("s3cret-metrics-token".into());
    })
    .await;
    let from_outside = |token: Option<&str>| {
        let mut r = s
            .client
            .get(s.url("/metrics"))
            .header("x-forwarded-for", "203.0.113.9");
        if let Some(token) = token {
            r = r.bearer_auth(token);
        }
        r.send()
    };
    let refused = from_outside(None).await.unwrap();
    assert_eq!(refused.status(), 403);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "forbidden");
    assert_eq!(from_outside(Some("wrong")).await.unwrap().status(), 403);
    assert_eq!(
        from_outside(Some("s3cret-metrics-token"))
            .await
            .unwrap()
            .status(),
        200
    );
    // The host itself needs no token.
    assert_eq!(
        s.client
            .get(s.url("/metrics"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_orders_at_once_and_their_retries_raise_the_counter_by_exactly_forty() {
    let s = common::spawn().await;
    register(&s, &s.client, "burst").await;
    let before = sample(
        &scrape(&s, &s.client).await,
        "smart1_orders_accepted_total",
        "",
    )
    .unwrap();
    // Each key twice, all 80 requests at once: 40 orders, 40 answers from the store.
    let statuses = futures::future::join_all((0..80).map(|i| {
        let (client, url) = (s.client.clone(), s.url("/api/orders"));
        async move {
            client
                .post(url)
                .header("idempotency-key", format!("key-burst-{:05}", i % 40))
                .json(&order_body())
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    }))
    .await;
    assert_eq!(
        statuses.iter().filter(|&&s| s == 201).count(),
        40,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 200).count(),
        40,
        "{statuses:?}"
    );
    let after = sample(
        &scrape(&s, &s.client).await,
        "smart1_orders_accepted_total",
        "",
    )
    .unwrap();
    assert_eq!(after - before, 40.0);
}

/// Finding 6 of issue 34: a proxy on this host makes every request look like loopback; a
/// forwarded loopback address, or garbage, must not open the metrics without the token.
#[tokio::test]
async fn a_forwarded_request_never_counts_as_this_host() {
    let trusted_lists: [Vec<ipnet::IpNet>; 2] = [vec![], vec!["127.0.0.1/32".parse().unwrap()]];
    for trusted in trusted_lists {
        let list = trusted.clone();
        let s = common::spawn_with(move |c| {
            c.trusted_proxies = list;
            c.metrics_token = Some("s3cret-metrics-token".into());
        })
        .await;
        for (header, value) in [
            ("x-forwarded-for", "203.0.113.9"),
            ("x-forwarded-for", "127.0.0.1"),
            ("x-forwarded-for", "::1"),
            ("x-forwarded-for", "[::ffff:127.0.0.1]:80"),
            ("x-forwarded-for", "203.0.113.9, nonsense"),
            ("forwarded", "for=127.0.0.1"),
        ] {
            let r = s.client.get(s.url("/metrics")).header(header, value);
            let status = r.send().await.unwrap().status();
            assert_eq!(status, 403, "{trusted:?} {header}: {value}");
            let with_token = s
                .client
                .get(s.url("/metrics"))
                .header(header, value)
                .header("authorization", "bearer s3cret-metrics-token");
            let status = with_token.send().await.unwrap().status();
            assert_eq!(status, 200, "a lower-case scheme");
        }
    }
}
