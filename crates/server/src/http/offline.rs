//! `/sw.js`: the service worker that keeps the app working offline (`service_worker.js`), with
//! what it needs to know of the build written in when the server starts, from the `dist/` it
//! serves: each build's files (read from the build's HTML, never listed by hand), the route
//! table (`domain::pages::ROUTES`) and a version that changes whenever any page or file does,
//! so a deploy is a new service worker that the page offers to load.

use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::get;
use domain::pages::{Bundle, ROUTES, SHOP_QUERIES};
use serde_json::{json, Map, Value};
use std::path::Path;

const TEMPLATE: &str = include_str!("service_worker.js");

/// Files every page uses besides its build's own: the manifest and its icon.
const SHARED_FILES: [&str; 2] = ["/manifest.webmanifest", "/favicon.svg"];

pub fn router(dist: &Path) -> axum::Router {
    let script = service_worker(dist);
    // Compressed: the browser fetches it on every update check.
    axum::Router::new()
        .route(
            "/sw.js",
            get(move || async move {
                (
                    [(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/javascript; charset=utf-8"),
                    )],
                    script,
                )
                    .into_response()
            }),
        )
        .layer(tower_http::compression::CompressionLayer::new())
}

/// The service worker's text for `dist`, without the comments meant for its readers here.
pub fn service_worker(dist: &Path) -> String {
    let code: String = TEMPLATE
        .lines()
        .filter(|line| {
            let line = line.trim_start();
            !(line.starts_with("//") || line.starts_with("/**") && line.ends_with("*/"))
        })
        .map(|line| format!("{line}\n"))
        .collect();
    code.replacen("'__BUILD__'", &build_facts(dist).to_string(), 1)
}

/// What the worker knows of the build: `{version, builds: {html: [files]}, files, routes,
/// fallback}`. A build whose HTML is missing (not built) has no files.
fn build_facts(dist: &Path) -> Value {
    use sha2::Digest as _;
    let mut version = sha2::Sha256::new();
    let mut builds = Map::new();
    let mut all: Vec<String> = Vec::new();
    for bundle in Bundle::ALL {
        let name = bundle.html_file();
        let html = std::fs::read_to_string(dist.join(name)).unwrap_or_default();
        version.update(name.as_bytes());
        version.update(html.as_bytes());
        let mut files = referenced_files(&html, dist);
        files.extend(SHARED_FILES.iter().map(|f| f.to_string()));
        files.sort();
        files.dedup();
        all.extend(files.iter().cloned());
        builds.insert(name.into(), json!(files));
    }
    // The painted first screens are pages too: a new snapshot is a new version.
    for entry in std::fs::read_dir(dist.join("pages"))
        .into_iter()
        .flatten()
        .flatten()
    {
        version.update(std::fs::read(entry.path()).unwrap_or_default());
    }
    all.sort();
    all.dedup();
    let version = version.finalize();
    json!({
        "version": version[..8].iter().map(|b| format!("{b:02x}")).collect::<String>(),
        "builds": builds,
        "files": all,
        "routes": ROUTES.iter().map(|(route, b)| json!([route, b.html_file()])).collect::<Vec<_>>(),
        "fallback": Bundle::Shop.html_file(),
        "configurator": Bundle::Configurator.html_file(),
        "shop_queries": SHOP_QUERIES,
    })
}

/// The absolute paths in a build's HTML (links, preloads, the boot script's imports) that name
/// a file in `dist`: its script, wasm and style sheet.
fn referenced_files(html: &str, dist: &Path) -> Vec<String> {
    let mut files: Vec<String> = html
        .split(['"', '\'', ' ', '>', '(', ')', '='])
        .filter(|s| s.starts_with('/') && !s.starts_with("//") && s.len() > 1)
        .filter(|s| !s.ends_with(".html") && dist.join(s.trim_start_matches('/')).is_file())
        .map(str::to_string)
        .collect();
    files.sort();
    files.dedup();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_s_files_are_read_from_its_html() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "app-0123456789abcdef.js",
            "app-0123456789abcdef_bg.wasm",
            "main-fedcba9876543210.css",
        ] {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        // As Trunk writes it, minified: unquoted attributes and the boot script's imports.
        let html = "<link rel=stylesheet href=/main-fedcba9876543210.css><link rel=modulepreload href=\"/app-0123456789abcdef.js\"><script type=module>import init from '/app-0123456789abcdef.js';await init({module_or_path:'/app-0123456789abcdef_bg.wasm'})</script><a href=/configure>x</a><link href=/gone-0123456789abcdef.js>";
        assert_eq!(
            referenced_files(html, dir.path()),
            [
                "/app-0123456789abcdef.js",
                "/app-0123456789abcdef_bg.wasm",
                "/main-fedcba9876543210.css"
            ]
        );
    }

    #[test]
    fn the_version_changes_with_any_page() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("pages")).unwrap();
        std::fs::write(dir.path().join("configurator.html"), "<p>one</p>").unwrap();
        let first = build_facts(dir.path())["version"].clone();
        std::fs::write(dir.path().join("pages/home.de.html"), "<p>painted</p>").unwrap();
        let second = build_facts(dir.path())["version"].clone();
        std::fs::write(dir.path().join("configurator.html"), "<p>two</p>").unwrap();
        let third = build_facts(dir.path())["version"].clone();
        assert_ne!(first, second);
        assert_ne!(second, third);
        assert!(service_worker(dir.path()).contains("\"fallback\":\"index.html\""));
    }
}
