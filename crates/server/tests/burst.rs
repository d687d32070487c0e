//! Issue 19: a burst of 200 parallel registrations against the real server binary. Password
//! hashing (argon2id, 19 MiB each) runs on a bounded pool, so the server's peak memory stays
//! bounded, and the async workers stay free: `/api/health` answers fast throughout.
//! `cargo test -p server --test burst -- --nocapture` prints the measurements.

mod common;

use futures::future::join_all;
use std::time::{Duration, Instant};

/// The process's peak resident set (VmHWM), in MiB.
fn peak_rss_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status");
    kib / 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_parallel_registrations_keep_memory_bounded_and_health_answered() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = common::fresh_database(dir.path()).await;
    // The test is a proxy for 200 different clients (each its own X-Forwarded-For), so the
    // per-address registration limit does not stop the burst before it reaches the hashers.
    let (mut server, base) = common::start_binary_with(
        &database_url,
        dir.path(),
        &[
            ("TRUSTED_PROXIES", "127.0.0.1/32"),
            ("HASH_WAIT_MS", "30000"),
        ],
    );
    let pid = server.id();
    let health = common::client();
    // Warm up (connection, first query).
    assert_eq!(
        health
            .get(format!("{base}/api/health"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let before = peak_rss_mib(pid);

    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let probe = {
        let done = done.clone();
        let url = format!("{base}/api/health");
        tokio::spawn(async move {
            let mut samples = Vec::new();
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let started = Instant::now();
                let r = health.get(&url).send().await.unwrap();
                assert_eq!(r.status(), 200);
                r.bytes().await.unwrap();
                samples.push(started.elapsed());
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            samples
        })
    };

    let started = Instant::now();
    let statuses = join_all((0..200).map(|i| {
        let client = common::client();
        let url = format!("{base}/api/auth/register");
        async move {
            client
                .post(url)
                .header("x-forwarded-for", format!("198.51.100.{}", i % 250))
                .json(&serde_json::json!({
                    "email": format!("burst{i}@example.de"),
                    "password": "correct horse battery"
                }))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    }))
    .await;
    let burst = started.elapsed();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut samples = probe.await.unwrap();
    samples.sort();
    let p99 = samples[(samples.len() * 99 / 100).min(samples.len() - 1)];
    let peak = peak_rss_mib(pid);
    let _ = server.kill();
    let _ = server.wait();

    let created = statuses.iter().filter(|s| **s == 201).count();
    let busy = statuses.iter().filter(|s| **s == 503).count();
    println!(
        "burst of 200 registrations: {created} created, {busy} busy (503) in {burst:?}; \
         server peak RSS {peak} MiB (before the burst {before} MiB); \
         /api/health p99 {p99:?} over {} samples (max {:?})",
        samples.len(),
        samples.last().unwrap()
    );
    assert_eq!(created + busy, 200, "{statuses:?}");
    assert!(created > 0);
    assert!(peak < 600, "peak RSS {peak} MiB");
    // Health was answered throughout (its latency is a figure for `make bench`, not a test).
    assert!(!samples.is_empty(), "health answered during the burst");
}
