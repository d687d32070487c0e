//! Latency of plain GETs on one kept-alive connection, for `make bench`
//! (scripts/bench-orders.sh starts the server).
//!
//! `latency BASE_URL PATH... [--requests 2000]`
//!
//! Asks for each path one request after the other on a single connection, as a browser that
//! already holds a connection does, with `Accept-Encoding: br, gzip` and without decompressing,
//! and prints the median, p99 and max per path. The first 50 requests warm up and do not count.

use std::time::{Duration, Instant};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let requests: usize = args
        .iter()
        .position(|a| a == "--requests")
        .and_then(|i| args.get(i + 1))
        .map_or(2000, |v| v.parse().expect("a number"));
    let plain: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--requests"))
        .map(|(_, a)| a)
        .collect();
    let Some((base, paths)) = plain.split_first().filter(|(_, p)| !p.is_empty()) else {
        eprintln!("usage: latency BASE_URL PATH... [--requests 2000]");
        std::process::exit(2);
    };
    let client = reqwest::Client::builder()
        .tcp_nodelay(true)
        .pool_max_idle_per_host(1)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut failed = false;
    for path in paths {
        let url = format!("{base}{path}");
        let mut times = Vec::with_capacity(requests);
        let mut bytes = 0;
        for i in 0..requests + 50 {
            let start = Instant::now();
            let answer = client
                .get(&url)
                .header("accept-encoding", "br, gzip")
                .send()
                .await
                .expect("the server answers");
            let status = answer.status();
            let body = answer.bytes().await.expect("a body");
            let took = start.elapsed();
            if !status.is_success() {
                eprintln!("{path}: {status}");
                failed = true;
                break;
            }
            bytes = body.len();
            if i >= 50 {
                times.push(took);
            }
        }
        if times.is_empty() {
            continue;
        }
        times.sort_unstable();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "GET {path}: {} requests on one kept-alive connection, {bytes} bytes: median {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            times.len(),
            ms(times[times.len() / 2]),
            ms(times[(times.len() * 99).div_ceil(100) - 1]),
            ms(times[times.len() - 1]),
        );
    }
    if failed {
        std::process::exit(1);
    }
}
