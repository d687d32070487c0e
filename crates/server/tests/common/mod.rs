//! A real server on an ephemeral port with its own SQLite file and a small built-app folder.
#![allow(dead_code)]

pub mod hooks;
pub mod smtp;

use server::config::Config;
use std::path::PathBuf;

pub const INLINE_BOOT: &str =
    "import init from '/app-0123456789abcdef.js';init('/app-0123456789abcdef_bg.wasm');";

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub db_path: PathBuf,
    /// The same database the server uses, for arranging what the API cannot (staff, expiry).
    pub db: server::storage::Db,
    pub database_url: String,
    _dir: tempfile::TempDir,
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A second browser: its own cookies.
    pub fn new_client(&self) -> reqwest::Client {
        client()
    }
}

/// A client like the app: keeps cookies and sends the CSRF header.
/// The body of a GET that must answer (a test's own server): panics on a failed request.
pub async fn get_text(client: &reqwest::Client, url: &str) -> String {
    client.get(url).send().await.unwrap().text().await.unwrap()
}

pub fn client() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-requested-with",
        reqwest::header::HeaderValue::from_static("smart1-app"),
    );
    reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .unwrap()
}

/// Registers a new account in `client` (signed in afterwards); returns the e-mail address.
pub async fn register(s: &TestServer, client: &reqwest::Client, name: &str) -> String {
    let email = format!("{name}@example.de");
    let r = client
        .post(s.url("/api/auth/register"))
        .json(&serde_json::json!({ "email": email, "password": "correct horse battery" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    email
}

/// The session cookie a response sets, if any.
pub fn session_cookie(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("smart1_session="))
        .map(|v| v.split(';').next().unwrap().to_string())
}

/// A dist folder like the build's: one HTML per build (each names itself in a comment) with an
/// inline boot script, hashed assets, and a painted German and English start page.
fn fake_dist(dir: &std::path::Path) -> PathBuf {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    for build in domain::pages::Bundle::ALL.map(|b| b.html_file().trim_end_matches(".html")) {
        std::fs::write(
            dist.join(format!("{build}.html")),
            format!("<!doctype html><html lang=\"de\"><head><!-- build:{build} --><link rel=modulepreload href=/app-0123456789abcdef.js><script type=\"module\">{INLINE_BOOT}</script></head><body><div id=\"app\"></div></body></html>"),
        )
        .unwrap();
    }
    let shells = dir.join("shells");
    std::fs::create_dir_all(&shells).unwrap();
    std::fs::write(shells.join("home.de.html"), "<h1>Willkommen</h1>").unwrap();
    std::fs::write(shells.join("home.en.html"), "<h1>Welcome</h1>").unwrap();
    assert_eq!(
        server::http::static_files::paint_pages(&dist, &shells).unwrap(),
        2
    );
    std::fs::write(
        dist.join("app-0123456789abcdef.js"),
        "export default function init() {}\n".repeat(200),
    )
    .unwrap();
    std::fs::write(dist.join("app-0123456789abcdef_bg.wasm"), vec![0u8; 4096]).unwrap();
    server::http::static_files::precompress(&dist).unwrap();
    dist
}

/// A fresh database for one test: a SQLite file in `dir`, or, when `TEST_DATABASE_URL` names a
/// PostgreSQL server (as `make test` does for its second pass), a new database on it.
pub async fn fresh_database(dir: &std::path::Path) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if base.starts_with("postgres") => {
            sqlx::any::install_default_drivers();
            let admin = sqlx::AnyPool::connect(&base)
                .await
                .expect("the test PostgreSQL is reachable");
            let name = format!("t_{}", server::storage::accounts::random_id());
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin)
                .await
                .unwrap();
            admin.close().await;
            let (prefix, _) = base.rsplit_once('/').expect("a URL with a database name");
            format!("{prefix}/{name}")
        }
        _ => format!("sqlite://{}", dir.join("var").join("test.sqlite").display()),
    }
}

pub async fn spawn() -> TestServer {
    spawn_with(|_| {}).await
}

/// A server whose configuration `adjust` changes first (short timeouts, trusted proxies...).
pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let dist = fake_dist(dir.path());
    let db_path = dir.path().join("var").join("test.sqlite");
    let database_url = fresh_database(dir.path()).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut config = Config::for_test(database_url.clone(), dist);
    // As `make run` does: links in mail start with the address the server is reached at.
    config.public_origin = Some(format!("http://{addr}"));
    adjust(&mut config);
    let limits = server::Limits::from_config(&config);
    let (app, db) = server::build(config).await.expect("server builds");
    tokio::spawn(async move {
        server::serve(listener, app, limits, std::future::pending())
            .await
            .unwrap();
    });
    TestServer {
        base: format!("http://{addr}"),
        client: client(),
        db_path,
        db,
        database_url,
        _dir: dir,
    }
}

/// A signed-in staff member of `partner`.
pub async fn staff(s: &TestServer, name: &str, partner: &str) -> reqwest::Client {
    let email = format!("{name}@agent.example.de");
    let done = server::http::add_staff(
        &s.db,
        &domain::Network::embedded(),
        &email,
        partner,
        Some("correct horse battery".into()),
    )
    .await
    .unwrap();
    assert!(done.contains(partner), "{done}");
    signed_in(s, &email).await
}

/// A new browser signed in as `email` (password "correct horse battery").
pub async fn signed_in(s: &TestServer, email: &str) -> reqwest::Client {
    let client = s.new_client();
    let r = client
        .post(s.url("/api/auth/login"))
        .json(&serde_json::json!({ "email": email, "password": "correct horse battery" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    client
}

/// A Premium's configuration code and gross price.
pub fn premium() -> (String, i64) {
    let c = domain::Catalog::current();
    let sel = c.select(&c.empty_selection(), "PREMIUM").unwrap();
    let total = c.price(&c.complete(&sel).unwrap()).gross.0;
    (c.encode(&sel), total)
}

/// A complete, valid order request for a Premium, agent Hamburg.
pub fn order_body() -> serde_json::Value {
    let (code, total) = premium();
    serde_json::json!({
        "code": code,
        "price_list_version": domain::Catalog::current().version(),
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

/// Starts the real server binary on a free port; returns the process and its base URL.
pub fn start_binary(database_url: &str, dist: &std::path::Path) -> (std::process::Child, String) {
    start_binary_with(database_url, dist, &[])
}

/// [`start_binary`] with more environment variables (limits, trusted proxies).
pub fn start_binary_with(
    database_url: &str,
    dist: &std::path::Path,
    env: &[(&str, &str)],
) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        // Bursts of orders from one test account (a test may set its own limits).
        .env("ORDERS_PER_ACCOUNT_PER_HOUR", "1000000")
        .env("ORDERS_PER_ADDRESS_PER_HOUR", "1000000")
        .envs(env.iter().copied())
        .env("BIND", "127.0.0.1:0")
        .env("DATABASE_URL", database_url)
        .env("DIST_DIR", dist)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the server binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("the server prints its address")
            .unwrap();
        if let Some(i) = line.find("http://") {
            break line[i..].trim().to_string();
        }
    };
    (child, base)
}
