//! The server's foundation: SPA fallback, JSON errors, security headers, compression, body limit,
//! health and the SQLite file it creates.

mod common;

use reqwest::header;
use serde_json::Value;

#[tokio::test]
async fn a_deep_link_answers_the_app_with_200_and_no_cache() {
    let s = common::spawn().await;
    for path in [
        "/",
        "/orders/123",
        "/configure?c=abc&step=wheels",
        "/store/hamburg-01",
    ] {
        let r = s.client.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()[header::CACHE_CONTROL], "no-cache", "{path}");
        assert!(
            r.text().await.unwrap().contains("<!doctype html>"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn each_page_gets_its_own_build_and_a_missing_file_is_a_404() {
    let s = common::spawn().await;
    for (path, build) in [
        ("/", "configurator"),
        ("/configure?c=abc&step=wheels", "configurator"),
        ("/configure?c=abc&step=summary", "index"),
        ("/locations", "locations"),
        ("/checkout", "checkout"),
        ("/orders/A-1", "checkout"),
        ("/account", "account"),
        ("/store/hamburg-02", "showroom"),
        ("/h/ABC123", "showroom"),
        ("/terms", "index"),
        ("/no-such-page", "index"),
        ("/agent", "agent"),
        ("/test-drive", "drive"),
    ] {
        let r = s.client.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let body = r.text().await.unwrap();
        assert!(
            body.contains(&format!("<!-- build:{build} -->")),
            "{path}: {body}"
        );
    }
    // A showroom screen gets the shop build on every customer page (its idle guard, and no
    // download between pages).
    for path in [
        "/configure",
        "/locations",
        "/checkout",
        "/account",
        "/store/hamburg-02",
    ] {
        let r = s
            .client
            .get(s.url(path))
            .header(header::COOKIE, "smart1_store=1")
            .send()
            .await
            .unwrap();
        assert!(
            r.text().await.unwrap().contains("<!-- build:index -->"),
            "{path}"
        );
    }
    // A hashed asset of another deploy is not the page under a script's name (cached a year).
    let r = s
        .client
        .get(s.url("/smart1-app-0000000000000000.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.headers()[header::CACHE_CONTROL], "no-cache");
    // A very long path is a page like any other (it was a 500).
    let long = format!("/{}", "a".repeat(256));
    assert_eq!(
        s.client.get(s.url(&long)).send().await.unwrap().status(),
        200
    );
}

#[tokio::test]
async fn the_start_page_is_painted_in_the_reader_s_language() {
    let s = common::spawn().await;
    let page = |lang: &'static str, cookie: Option<&'static str>| {
        let mut r = s
            .client
            .get(s.url("/"))
            .header(header::ACCEPT_LANGUAGE, lang);
        if let Some(c) = cookie {
            r = r.header(header::COOKIE, c);
        }
        async move { r.send().await.unwrap() }
    };
    let de = page("de-DE,de;q=0.9", None).await;
    assert!(de.headers()[header::VARY]
        .to_str()
        .unwrap()
        .contains("Accept-Language"));
    let de = de.text().await.unwrap();
    assert!(
        de.contains("<html lang=\"de\">")
            && de.contains("<div id=\"app\" inert><h1>Willkommen</h1></div>"),
        "{de}"
    );
    let en = page("en-US,en;q=0.9", None).await.text().await.unwrap();
    assert!(
        en.contains("<html lang=\"en\">") && en.contains("<h1>Welcome</h1>"),
        "{en}"
    );
    // With a query (a shared car) the app draws something else: no painted screen.
    let shared = s
        .client
        .get(s.url("/?c=X"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(shared.contains("<div id=\"app\"></div>"), "{shared}");
    // The customer's own choice in the app wins over the browser's language.
    let chosen = page("de-DE", Some("smart1_lang=en"))
        .await
        .text()
        .await
        .unwrap();
    assert!(chosen.contains("<h1>Welcome</h1>"), "{chosen}");
}

// How fast a static file answers on a kept-alive connection (TCP_NODELAY: without it ~40 ms
// each) is a figure, not a test: `make bench` measures it (`examples/latency.rs`).

#[tokio::test]
async fn a_revalidated_deep_link_is_304_or_the_whole_page_never_empty() {
    let s = common::spawn().await;
    let first = s.client.get(s.url("/account")).send().await.unwrap();
    let modified = first.headers()[header::LAST_MODIFIED]
        .to_str()
        .unwrap()
        .to_string();
    let again = s
        .client
        .get(s.url("/account"))
        .header(header::IF_MODIFIED_SINCE, modified)
        .send()
        .await
        .unwrap();
    let status = again.status().as_u16();
    let body = again.text().await.unwrap();
    assert!(
        status == 304 || (status == 200 && body.contains("<!doctype html>")),
        "{status} with {} bytes",
        body.len()
    );
    assert_eq!(status, 304);
}

#[tokio::test]
async fn unknown_api_paths_get_a_json_404() {
    let s = common::spawn().await;
    let r = s
        .client
        .get(s.url("/api/no/such/thing"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("no such API endpoint"));
}

#[tokio::test]
async fn security_headers_allow_the_wasm_and_nothing_else() {
    let s = common::spawn().await;
    let r = s.client.get(s.url("/")).send().await.unwrap();
    let h = r.headers();
    let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
        "{csp}"
    );
    assert!(
        csp.contains("default-src 'self'")
            && csp.contains("object-src 'none'")
            && csp.contains("frame-ancestors 'none'")
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
        "{csp}"
    );
    // The hash is that of the inline boot script.
    use base64::Engine as _;
    use sha2::Digest as _;
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(common::INLINE_BOOT));
    assert!(csp.contains(&hash));
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(h[header::X_FRAME_OPTIONS], "DENY");
    assert!(h.contains_key(header::REFERRER_POLICY));
    // API answers carry them too.
    let r = s.client.get(s.url("/api/health")).send().await.unwrap();
    assert!(r.headers().contains_key(header::CONTENT_SECURITY_POLICY));
    // A script or the wasm is no document: no page policies on every download, nosniff kept.
    for asset in ["/app-0123456789abcdef.js", "/app-0123456789abcdef_bg.wasm"] {
        let r = s.client.get(s.url(asset)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert!(
            !r.headers().contains_key(header::CONTENT_SECURITY_POLICY),
            "{asset}"
        );
        assert_eq!(r.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
}

/// The offline worker knows each build's files from the build itself, revalidates on every
/// check (a deploy reaches the browser), and its route table is the server's.
#[tokio::test]
async fn the_service_worker_lists_each_build_s_files_and_is_revalidated() {
    let s = common::spawn().await;
    let r = s.client.get(s.url("/sw.js")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()[header::CACHE_CONTROL], "no-cache");
    assert!(r.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    let script = r.text().await.unwrap();
    let facts = script
        .split_once("const BUILD = ")
        .and_then(|(_, rest)| rest.split_once(";\n"))
        .map(|(json, _)| serde_json::from_str::<serde_json::Value>(json).unwrap())
        .expect("the build's facts are written into the worker");
    for bundle in domain::pages::Bundle::ALL {
        let files = facts["builds"][bundle.html_file()].as_array().unwrap();
        assert!(
            files.iter().any(|f| f == "/app-0123456789abcdef.js"),
            "{files:?}"
        );
        assert!(files
            .iter()
            .all(|f| !f.as_str().unwrap().starts_with("/api")));
    }
    for (route, bundle) in domain::pages::ROUTES {
        assert!(facts["routes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r[0] == route && r[1] == bundle.html_file()));
    }
    assert_eq!(facts["version"].as_str().unwrap().len(), 16);
}

#[tokio::test]
async fn hashed_assets_are_served_precompressed_and_immutable() {
    let s = common::spawn().await;
    for (encoding, expected) in [("br", "br"), ("gzip", "gzip"), ("br, gzip", "br")] {
        let r = s
            .client
            .get(s.url("/app-0123456789abcdef_bg.wasm"))
            .header(header::ACCEPT_ENCODING, encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()[header::CONTENT_ENCODING], expected);
        assert_eq!(
            r.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert!(r.bytes().await.unwrap().len() < 4096, "compressed");
    }
    let plain = s
        .client
        .get(s.url("/app-0123456789abcdef.js"))
        .send()
        .await
        .unwrap();
    assert!(!plain.headers().contains_key(header::CONTENT_ENCODING));
    assert_eq!(plain.text().await.unwrap().len(), 34 * 200);
}

#[tokio::test]
async fn a_huge_body_is_refused_with_413_in_json() {
    let s = common::spawn().await;
    let r = s
        .client
        .post(s.url("/api/health"))
        .body(vec![b'x'; 200 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "body_too_large");
}

#[tokio::test]
async fn a_wrong_method_is_a_json_error() {
    let s = common::spawn().await;
    let r = s.client.delete(s.url("/api/health")).send().await.unwrap();
    assert_eq!(r.status(), 405);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "method_not_allowed");
}

#[tokio::test]
async fn health_reports_the_database_and_the_sqlite_file_is_in_wal_mode() {
    let s = common::spawn().await;
    let body: Value = s
        .client
        .get(s.url("/api/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(
        body["price_list_version"],
        domain::Catalog::current().version()
    );
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres")) {
        assert_eq!(body["database"], "postgres");
        return;
    }
    assert_eq!(body["database"], "sqlite");
    assert!(s.db_path.exists(), "the server creates its database file");
    assert_eq!(rusqlite_free_check(&s.db_path), "wal");
}

/// Reads the journal mode from the file header without another SQLite library: bytes 18/19 are
/// 2 for WAL (https://www.sqlite.org/fileformat.html#the_database_header).
fn rusqlite_free_check(path: &std::path::Path) -> &'static str {
    let bytes = std::fs::read(path).unwrap();
    if bytes.len() > 19 && bytes[18] == 2 && bytes[19] == 2 {
        "wal"
    } else {
        "rollback"
    }
}
