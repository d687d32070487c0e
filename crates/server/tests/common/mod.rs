//! A real server on an ephemeral port with its own SQLite file and a small built-app folder.
#![allow(dead_code)]

use server::config::Config;
use std::path::PathBuf;

pub const INLINE_BOOT: &str =
    "import init from '/app-0123456789abcdef.js';init('/app-0123456789abcdef_bg.wasm');";

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub db_path: PathBuf,
    _dir: tempfile::TempDir,
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// A dist folder like Trunk's: index.html with an inline boot script, hashed assets.
fn fake_dist(dir: &std::path::Path) -> PathBuf {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        format!("<!doctype html><html><head><script type=\"module\">{INLINE_BOOT}</script></head><body></body></html>"),
    )
    .unwrap();
    std::fs::write(
        dist.join("app-0123456789abcdef.js"),
        "export default function init() {}\n".repeat(200),
    )
    .unwrap();
    std::fs::write(dist.join("app-0123456789abcdef_bg.wasm"), vec![0u8; 4096]).unwrap();
    server::http::static_files::precompress(&dist).unwrap();
    dist
}

pub async fn spawn() -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let dist = fake_dist(dir.path());
    let db_path = dir.path().join("var").join("test.sqlite");
    let config = Config::for_test(format!("sqlite://{}", db_path.display()), dist);
    let (app, _db) = server::build(config).await.expect("server builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap();
    });
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    TestServer {
        base: format!("http://{addr}"),
        client,
        db_path,
        _dir: dir,
    }
}
