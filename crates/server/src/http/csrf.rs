//! CSRF defence for state-changing API requests, on top of SameSite=Lax cookies: they must carry
//! a custom header (a cross-site HTML form cannot set one, and cross-origin scripts need a CORS
//! preflight this server never grants), and an `Origin`, when sent, must be this server: the
//! configured `PUBLIC_ORIGIN` when there is one (behind a proxy the `Host` may be rewritten, and
//! a `Host` is whatever the client wrote), else the request's own `Host`.

use super::error::error_body;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

pub const HEADER: &str = "x-requested-with";
pub const VALUE: &str = "smart1-app";

pub async fn require_header(
    public_origin: Option<String>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe {
        let headers = request.headers();
        let has_header = headers.get(HEADER).is_some_and(|v| v == VALUE);
        let same_origin = match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
            (None, _) => true,
            (Some(origin), _) if public_origin.is_some() => {
                origin.to_str().ok().map(|o| o.trim_end_matches('/')) == public_origin.as_deref()
            }
            (Some(origin), Some(host)) => {
                let origin = origin.to_str().unwrap_or("");
                let host = host.to_str().unwrap_or("");
                origin
                    .strip_prefix("http://")
                    .or_else(|| origin.strip_prefix("https://"))
                    == Some(host)
            }
            (Some(_), None) => false,
        };
        if !has_header || !same_origin {
            return error_body(
                StatusCode::FORBIDDEN,
                domain::api::ErrorCode::Csrf,
                "This request must come from the smart #1 app (missing X-Requested-With header or foreign Origin).",
            );
        }
    }
    next.run(request).await
}
