//! `LOG_FORMAT=json`: the real binary writes one JSON object per line, and a request's lines
//! carry its id, the one echoed in `x-request-id`.

mod common;

use std::io::{BufRead, BufReader};

#[tokio::test]
async fn json_logs_carry_the_request_id_the_answer_echoes() {
    let dir = tempfile::tempdir().unwrap();
    let url = common::fresh_database(dir.path()).await;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env("BIND", "127.0.0.1:0")
        .env("DATABASE_URL", &url)
        .env("DIST_DIR", dir.path())
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "info,tower_http=debug")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (lines_tx, lines_rx) = std::sync::mpsc::channel::<String>();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                return;
            }
        }
    });
    let next = || {
        lines_rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("a log line")
    };
    let base = loop {
        let line = next();
        let entry: serde_json::Value = serde_json::from_str(&line).expect("every line is JSON");
        let message = entry["fields"]["message"].as_str().unwrap_or_default();
        if let Some(i) = message.find("http://") {
            break message[i..].split_whitespace().next().unwrap().to_string();
        }
    };
    // A caller's id is kept and echoed; without one the server makes one.
    let r = reqwest::Client::new()
        .get(format!("{base}/api/health"))
        .header("x-request-id", "probe-4711")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "probe-4711");
    let made = reqwest::Client::new()
        .get(format!("{base}/api/health"))
        .send()
        .await
        .unwrap();
    let made = made.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(made.len(), 36, "a UUID: {made}");
    let mut seen = Vec::new();
    while seen.len() < 2 {
        let entry: serde_json::Value = serde_json::from_str(&next()).expect("every line is JSON");
        if let Some(id) = entry["span"]["request_id"].as_str() {
            assert_eq!(entry["span"]["uri"], "/api/health");
            if !seen.contains(&id.to_string()) {
                seen.push(id.to_string());
            }
        }
    }
    assert_eq!(seen, ["probe-4711".to_string(), made]);
    child.kill().unwrap();
    child.wait().unwrap();
}
