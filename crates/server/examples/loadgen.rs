//! Order-intake load generator for `make bench` (scripts/bench-orders.sh starts the server).
//!
//! `loadgen BASE_URL DATABASE_URL [--connections 50] [--seconds 60] [--retry-percent 10]`
//!
//! Signs up one account, then keeps N connections busy with `POST /api/orders`, each with a fresh
//! `Idempotency-Key`: a first phase of fresh keys only, a second where a share of the requests
//! retry a key acknowledged earlier (answer 200, the stored order). Prints orders/s, p50/p99/max
//! and errors per phase, then reads the database: every acknowledged order is there, no key has
//! two orders, and no order exists that no request was answered for.

use std::collections::HashSet;
use std::time::{Duration, Instant};

#[derive(Default)]
struct Tally {
    created: Vec<String>,
    replays: u64,
    errors: u64,
    first_error: Option<String>,
    latencies: Vec<Duration>,
}

fn order_body() -> serde_json::Value {
    let c = domain::Catalog::current();
    let sel = c.select(&c.empty_selection(), "PREMIUM").unwrap();
    let total = c.price(&c.complete(&sel).unwrap()).gross.0;
    serde_json::json!({
        "code": c.encode(&sel),
        "price_list_version": c.version(),
        "expected_total": total,
        "customer": { "kind": "private", "first_name": "Erika", "last_name": "Mustermann", "email": "erika@example.de",
                      "phone": "+49 40 123456", "street": "Jungfernstieg 1", "postcode": "20095", "city": "Hamburg" },
        "location_id": "hamburg-01",
        "channel": "web",
        "payment": { "method": "financing", "term_months": 48, "down_payment": 500000 },
        "desired_delivery": null,
        "terms_version": "2023-11",
        "withdrawal_notice_shown": true,
        "privacy_accepted": true,
        "marketing_consent": false
    })
}

fn arg(args: &[String], name: &str, default: u64) -> u64 {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(|v| v.parse().expect("a number"))
        .unwrap_or(default)
}

/// One connection's loop until `until`: fresh keys, and `retry_percent` of the requests a retry
/// of a key this connection already got acknowledged.
async fn connection(
    client: reqwest::Client,
    url: String,
    body: Vec<u8>,
    prefix: String,
    until: Instant,
    retry_percent: u64,
    earlier: Vec<String>,
) -> Tally {
    let mut t = Tally::default();
    let mut acked = earlier;
    let mut n: u64 = 0;
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15
        ^ (prefix.len() as u64 * 7919)
        ^ prefix.bytes().map(u64::from).sum::<u64>();
    while Instant::now() < until {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let retry = retry_percent > 0 && !acked.is_empty() && seed % 100 < retry_percent;
        let key = if retry {
            acked[(seed >> 8) as usize % acked.len()].clone()
        } else {
            n += 1;
            format!("{prefix}-{n:08}")
        };
        let start = Instant::now();
        let answer = client
            .post(&url)
            .header("idempotency-key", &key)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await;
        let outcome = match answer {
            Ok(r) => {
                let status = r.status().as_u16();
                match r.bytes().await {
                    Ok(text) => Ok((status, text)),
                    Err(e) => Err(e.to_string()),
                }
            }
            Err(e) => Err(e.to_string()),
        };
        t.latencies.push(start.elapsed());
        match outcome {
            Ok((201, _)) if !retry => {
                acked.push(key.clone());
                t.created.push(key);
            }
            Ok((200, _)) if retry => t.replays += 1,
            Ok((status, text)) => {
                t.errors += 1;
                t.first_error.get_or_insert_with(|| {
                    format!("{status} for {key}: {}", String::from_utf8_lossy(&text))
                });
            }
            Err(e) => {
                t.errors += 1;
                t.first_error.get_or_insert(e);
            }
        }
    }
    t
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (base, database_url) = match (args.get(1), args.get(2)) {
        (Some(b), Some(d)) => (b.clone(), d.clone()),
        _ => {
            eprintln!("usage: loadgen BASE_URL DATABASE_URL [--connections 50] [--seconds 60] [--retry-percent 10]");
            std::process::exit(2);
        }
    };
    let connections = arg(&args, "--connections", 50);
    let seconds = arg(&args, "--seconds", 60);
    let retry_percent = arg(&args, "--retry-percent", 10);

    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-requested-with",
        reqwest::header::HeaderValue::from_static("smart1-app"),
    );
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .tcp_nodelay(true)
        .pool_max_idle_per_host(connections as usize)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let run = format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
            % (1 << 48)
    );
    let email = format!("bench-{}-{run}@example.de", std::process::id());
    let r = client
        .post(format!("{base}/api/auth/register"))
        .json(&serde_json::json!({ "email": email, "password": "correct horse battery" }))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(
        r.status(),
        201,
        "registration: {}",
        r.text().await.unwrap_or_default()
    );
    let body = serde_json::to_vec(&order_body()).unwrap();
    let url = format!("{base}/api/orders");

    let mut acked: Vec<Vec<String>> = vec![Vec::new(); connections as usize];
    let mut all_acked: Vec<String> = Vec::new();
    let mut failed = false;
    for (phase, retries) in [("fresh keys", 0), ("with retries", retry_percent)] {
        let started = Instant::now();
        let until = started + Duration::from_secs(seconds);
        let tasks: Vec<_> = (0..connections as usize)
            .map(|c| {
                tokio::spawn(connection(
                    client.clone(),
                    url.clone(),
                    body.clone(),
                    format!(
                        "{run}-{phase_tag}-{c:03}",
                        phase_tag = if retries == 0 { "f" } else { "r" }
                    ),
                    until,
                    retries,
                    std::mem::take(&mut acked[c]),
                ))
            })
            .collect();
        let mut latencies = Vec::new();
        let (mut created, mut replays, mut errors) = (0u64, 0u64, 0u64);
        let mut first_error = None;
        for (c, task) in tasks.into_iter().enumerate() {
            let t = task.await.unwrap();
            created += t.created.len() as u64;
            replays += t.replays;
            errors += t.errors;
            if first_error.is_none() {
                first_error = t.first_error;
            }
            latencies.extend(t.latencies);
            all_acked.extend(t.created.iter().cloned());
            acked[c] = t.created;
        }
        let elapsed = started.elapsed().as_secs_f64();
        latencies.sort_unstable();
        println!(
            "{phase:>12}: {connections} connections, {elapsed:.1} s: {:.0} orders/s ({:.0} requests/s; {created} created, {replays} retries answered), p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, errors {errors}",
            created as f64 / elapsed,
            latencies.len() as f64 / elapsed,
            percentile(&latencies, 0.50),
            percentile(&latencies, 0.99),
            latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
        );
        if let Some(e) = first_error {
            println!("  first error: {e}");
        }
        failed |= errors > 0;
    }

    // The database afterwards: acknowledged = stored, nothing twice.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&database_url)
        .await
        .expect("the database opens");
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT o.idempotency_key AS k FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = $1",
    )
    .bind(&email)
    .fetch_all(&pool)
    .await
    .expect("orders read");
    let stored: Vec<String> = rows.iter().map(|r| r.get::<String, _>("k")).collect();
    let distinct: HashSet<&String> = stored.iter().collect();
    let acked_set: HashSet<&String> = all_acked.iter().collect();
    let lost = acked_set.difference(&distinct).count();
    let unanswered = distinct.difference(&acked_set).count();
    let duplicated = stored.len() - distinct.len();
    println!(
        "    database: {} orders stored, {} acknowledged: {lost} lost, {duplicated} duplicated, {unanswered} without an acknowledged answer",
        stored.len(),
        all_acked.len()
    );
    pool.close().await;
    if failed || lost > 0 || duplicated > 0 || unanswered > 0 {
        std::process::exit(1);
    }
}
