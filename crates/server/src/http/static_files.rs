//! Serving the app built by Trunk: precompressed files, each page from its own build's HTML
//! (`domain::pages::Bundle`; a deep link gets it with 200 so the router in the browser takes
//! over), first screens painted on the server, and cache headers.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::pages::{page_path, Bundle, LANG_COOKIE, PAINTED_PAGES, STORE_COOKIE};
use domain::Lang;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// The app's files and pages: a path whose last segment has a dot is a file (a missing one is a
/// plain 404, never a page under a script's name); any other path is a page.
pub fn router(dist: &Path, network: &'static domain::Network) -> axum::Router {
    axum::Router::new()
        .fallback(file_or_page)
        .with_state(Pages {
            dist: Arc::new(dist.to_path_buf()),
            network,
        })
}

#[derive(Clone)]
struct Pages {
    dist: Arc<PathBuf>,
    network: &'static domain::Network,
}

/// `/store/{id}` for a location the network does not have: the page says so, with a 404.
fn unknown_store(path: &str, network: &domain::Network) -> bool {
    path.strip_prefix("/store/")
        .map(|id| id.trim_end_matches('/'))
        .is_some_and(|id| network.location(id).is_none())
}

async fn file_or_page(State(pages): State<Pages>, request: Request<Body>) -> Response {
    let dist = pages.dist;
    let path = request.uri().path().to_string();
    let last = path.rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        let files = ServeDir::new(dist.as_path())
            .precompressed_br()
            .precompressed_gzip();
        return match files.oneshot(request).await {
            Ok(r) => r.into_response(),
            Err(e) => match e {},
        };
    }
    let headers = request.headers();
    let store_screen = cookie(headers, STORE_COOKIE).is_some();
    let query = request.uri().query().unwrap_or("");
    let file = page_file(&dist, &path, query, lang_of(headers), store_screen);
    // ServeFile answers conditional requests too: 304 on revalidation, never an empty page.
    let mut response = match ServeFile::new(file)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(request)
        .await
    {
        Ok(r) => r.into_response(),
        Err(e) => match e {},
    };
    if response.status() == StatusCode::NOT_FOUND {
        return (StatusCode::NOT_FOUND, "the app is not built").into_response();
    }
    if unknown_store(&path, pages.network) {
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    // A painted first screen is in the reader's language.
    response.headers_mut().insert(
        header::VARY,
        HeaderValue::from_static("Accept-Encoding, Accept-Language, Cookie"),
    );
    response
}

fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| kv.trim().strip_prefix(name)?.strip_prefix('='))
}

/// The language of a page request: the app's cookie, else the browser's first language.
pub(crate) fn lang_of(headers: &HeaderMap) -> Lang {
    let tag = cookie(headers, LANG_COOKIE).or_else(|| {
        headers
            .get(header::ACCEPT_LANGUAGE)?
            .to_str()
            .ok()?
            .split([',', ';'])
            .next()
    });
    tag.map(|t| Lang::from_tag(t.trim())).unwrap_or_default()
}

/// The HTML for a page request: its build's, painted in `lang` where the server has a painted
/// version of exactly this page (a snapshot of the plain URL: with a query, such as a shared
/// car, the app would draw something else, so it starts from the unpainted page).
fn page_file(dist: &Path, path: &str, query: &str, lang: Lang, store_screen: bool) -> PathBuf {
    let bundle = Bundle::for_request(path, query, store_screen);
    let path = page_path(path);
    PAINTED_PAGES
        .iter()
        .find(|(p, _)| *p == path && query.is_empty() && bundle == Bundle::for_path(p))
        .map(|(_, stem)| painted_path(dist, stem, lang))
        .filter(|f| f.exists())
        .unwrap_or_else(|| dist.join(bundle.html_file()))
}

fn painted_path(dist: &Path, stem: &str, lang: Lang) -> PathBuf {
    dist.join("pages")
        .join(format!("{stem}.{}.html", lang.code()))
}

/// Writes `dist/pages/{page}.{lang}.html`: the page's build HTML with the first screen from
/// `shells/{page}.{lang}.html` inside `#app` (the app replaces it when it starts). Returns how
/// many pages were painted; a page without a shell keeps its plain build HTML.
pub fn paint_pages(dist: &Path, shells: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dist.join("pages"))?;
    let mut painted = 0;
    for (path, stem) in PAINTED_PAGES {
        let html = std::fs::read_to_string(dist.join(Bundle::for_path(path).html_file()))?;
        for lang in [Lang::De, Lang::En] {
            let shell = shells.join(format!("{stem}.{}.html", lang.code()));
            let Ok(shell) = std::fs::read_to_string(&shell) else {
                continue;
            };
            let page = paint(&html, shell.trim(), lang).ok_or_else(|| {
                std::io::Error::other("the build's HTML has no <div id=\"app\"></div>")
            })?;
            std::fs::write(painted_path(dist, stem, lang), page)?;
            painted += 1;
        }
    }
    Ok(painted)
}

/// The build's HTML with `shell` in its empty `#app` and the document in `lang`. The painted
/// screen is `inert` (seen, not yet usable) until the app replaces it. Accepts the HTML as
/// written and as Trunk minifies it (attribute quotes dropped).
fn paint(html: &str, shell: &str, lang: Lang) -> Option<String> {
    let app = ["<div id=\"app\"></div>", "<div id=app></div>"]
        .into_iter()
        .find(|a| html.contains(a))?;
    let page = html.replacen(app, &format!("<div id=\"app\" inert>{shell}</div>"), 1);
    let code = lang.code();
    Some(
        ["<html lang=\"de\">", "<html lang=de>"]
            .into_iter()
            .fold(page, |page, tag| {
                page.replacen(tag, &format!("<html lang=\"{code}\">"), 1)
            }),
    )
}

/// Trunk names built assets `name-<hash>[_bg].ext`, the hash a 64-bit number in hex without
/// leading zeros (so up to 16 digits): such a file never changes.
fn is_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (8..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// Hashed assets are cached for a year; everything else (index.html, the fallback) is revalidated.
pub async fn cache_headers(request: Request<Body>, next: Next) -> Response {
    let immutable = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    let value = if immutable && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// The sha256 sources of the inline scripts in the builds' HTML files: Trunk boots the wasm
/// from an inline module script, which a strict Content-Security-Policy allows only by its hash.
pub fn inline_script_hashes(dist: &Path) -> Vec<String> {
    let mut hashes: Vec<String> = Bundle::ALL
        .iter()
        .filter_map(|b| std::fs::read_to_string(dist.join(b.html_file())).ok())
        .flat_map(|html| script_hashes(&html))
        .collect();
    hashes.sort();
    hashes.dedup();
    hashes
}

fn script_hashes(html: &str) -> Vec<String> {
    use base64::Engine as _;
    use sha2::Digest as _;
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_start = &after[open_end + 1..];
        let Some(close) = body_start.find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            let digest = sha2::Sha256::digest(&body_start.as_bytes()[..close]);
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &body_start[close..];
    }
    hashes
}

/// Writes `.br` and `.gz` beside every compressible file, so no request pays for compression.
pub fn precompress(dist: &Path) -> std::io::Result<usize> {
    let mut written = 0;
    let mut stack = vec![dist.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(
                ext,
                "html" | "js" | "wasm" | "css" | "svg" | "json" | "webmanifest" | "txt"
            ) {
                continue;
            }
            let data = std::fs::read(&path)?;
            let mut br = Vec::new();
            {
                let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
                w.write_all(&data)?;
            }
            std::fs::write(path.with_extension(format!("{ext}.br")), &br)?;
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            gz.write_all(&data)?;
            std::fs::write(path.with_extension(format!("{ext}.gz")), gz.finish()?)?;
            written += 1;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_language_is_the_cookie_else_the_browser_s() {
        let headers = |pairs: &[(header::HeaderName, &str)]| {
            let mut h = HeaderMap::new();
            for (n, v) in pairs {
                h.append(n.clone(), HeaderValue::from_str(v).unwrap());
            }
            h
        };
        assert_eq!(lang_of(&headers(&[])), Lang::De);
        assert_eq!(
            lang_of(&headers(&[(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9")])),
            Lang::En
        );
        assert_eq!(
            lang_of(&headers(&[(header::ACCEPT_LANGUAGE, "de-DE,en;q=0.5")])),
            Lang::De
        );
        let chosen = headers(&[
            (header::ACCEPT_LANGUAGE, "de-DE"),
            (header::COOKIE, "a=1; smart1_lang=en"),
        ]);
        assert_eq!(lang_of(&chosen), Lang::En);
    }

    #[test]
    fn a_shell_goes_into_the_empty_app_element_in_its_language() {
        let html = "<html lang=\"de\"><body><div id=\"app\"></div><script></script></body></html>";
        assert_eq!(
            paint(html, "<h1>Hi</h1>", Lang::En).unwrap(),
            "<html lang=\"en\"><body><div id=\"app\" inert><h1>Hi</h1></div><script></script></body></html>"
        );
        assert_eq!(paint("<body></body>", "x", Lang::De), None);
        let minified = "<html lang=de><body><div id=app></div></body></html>";
        assert_eq!(
            paint(minified, "<p>Hallo</p>", Lang::De).unwrap(),
            "<html lang=\"de\"><body><div id=\"app\" inert><p>Hallo</p></div></body></html>"
        );
    }

    #[test]
    fn trunk_hashed_names_are_recognised() {
        assert!(is_hashed("/smart1-app-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed("/smart1-app-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed("/main-0123456789abcdef.css"));
        assert!(is_hashed("/configurator-8547e65aecc967d_bg.wasm"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/orders/123"));
        assert!(!is_hashed("/favicon.svg"));
    }
}
