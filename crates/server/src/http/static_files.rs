//! Serving the app built by Trunk: precompressed files, an SPA fallback (a deep link gets
//! index.html with 200 so the router in the browser takes over) and cache headers.

use axum::body::Body;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::io::Write;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

pub fn service(dist: &Path) -> ServeDir<ServeFile> {
    let index = ServeFile::new(dist.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    // `fallback` keeps the fallback's own status: 200 for a deep link, 304 for a revalidation.
    // (`not_found_service` would answer 404; forcing 200 would turn a 304 into an empty page.)
    ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true)
        .fallback(index)
}

/// Trunk names built assets `name-<16 hex digits>[_bg].ext`: such a file never changes.
fn is_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
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

/// The sha256 sources of the inline scripts in index.html: Trunk boots the wasm from an inline
/// module script, which a strict Content-Security-Policy allows only by its hash.
pub fn inline_script_hashes(dist: &Path) -> Vec<String> {
    use base64::Engine as _;
    use sha2::Digest as _;
    let Ok(html) = std::fs::read_to_string(dist.join("index.html")) else {
        return Vec::new();
    };
    let mut hashes = Vec::new();
    let mut rest = html.as_str();
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
    fn trunk_hashed_names_are_recognised() {
        assert!(is_hashed("/smart1-app-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed("/smart1-app-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed("/main-0123456789abcdef.css"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/orders/123"));
        assert!(!is_hashed("/favicon.svg"));
    }
}
