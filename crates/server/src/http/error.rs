//! One error type for the whole API. Every variant maps to a status code and a JSON body
//! `{"error": "<code>", "message": "<plain words>"}`; internal causes are logged, never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::api::ErrorBody;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request cannot be read (malformed JSON, a wrong type, a bad code).
    #[error("{0}")]
    BadRequest(String),
    /// 404: nothing here, or nothing the caller may see.
    #[error("{0}")]
    NotFound(String),
    /// 401: not signed in (or the session ended).
    #[error("{0}")]
    Unauthorized(String),
    /// 403: refused, e.g. a request without the CSRF defence.
    #[error("{0}")]
    Forbidden(String),
    /// 409: the write is based on an old version; `current` is what is stored now.
    #[error("{message}")]
    Conflict {
        message: String,
        current: serde_json::Value,
    },
    /// 410: it existed but is no longer valid (an expired hand-over code).
    #[error("{0}")]
    Gone(String),
    /// 422: readable, but the content is not acceptable (validation).
    #[error("{0}")]
    Unprocessable(String),
    /// 422 with its own code, for refusals the app explains in its own words
    /// (e.g. `weak_password`).
    #[error("{message}")]
    Refused { code: &'static str, message: String },
    /// 409 with its own code (e.g. `limit_reached`).
    #[error("{message}")]
    Limit { code: &'static str, message: String },
    /// 503: busy right now (the password hashers are all taken); try again after this many
    /// seconds.
    #[error("{message}")]
    Unavailable { message: String, retry_after: i64 },
    /// 429: too many attempts; try again after this many seconds.
    #[error("{message}")]
    TooMany { message: String, retry_after: i64 },
    /// Any status with its own code, for refusals the app words itself (`reset_invalid` 400,
    /// `reset_expired` 410, `mail_unavailable` 503).
    #[error("{message}")]
    Coded {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    /// 500: a fault on our side. The cause goes to the log only.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::Conflict { .. } => (StatusCode::CONFLICT, "conflict"),
            ApiError::Gone(_) => (StatusCode::GONE, "expired"),
            ApiError::TooMany { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            ApiError::Unprocessable(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            ApiError::Refused { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, code),
            ApiError::Limit { code, .. } => (StatusCode::CONFLICT, code),
            ApiError::Unavailable { .. } => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            ApiError::Coded { status, code, .. } => (*status, code),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

/// The JSON error body, also used to rewrite errors produced by layers and extractors.
pub fn error_body(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(ErrorBody::new(code, message))).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let (status, code) = self.parts();
        match self {
            ApiError::Conflict { message, current } => (
                status,
                Json(ErrorBody {
                    current: Some(current),
                    ..ErrorBody::new(code, message)
                }),
            )
                .into_response(),
            ApiError::TooMany {
                ref message,
                retry_after,
            }
            | ApiError::Unavailable {
                ref message,
                retry_after,
            } => {
                let mut response = error_body(status, code, message);
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, retry_after.max(1).into());
                response
            }
            _ => error_body(status, code, &self.to_string()),
        }
    }
}

impl From<crate::storage::StorageError> for ApiError {
    fn from(e: crate::storage::StorageError) -> Self {
        // PostgreSQL cannot hold a NUL character in text (SQLSTATE 22021, "invalid byte
        // sequence for encoding UTF8: 0x00"); SQLite can. Such text (an id in the path, an
        // address at sign-in) comes from the request: a client error, not a fault (probing the API
        // found the 500 on PostgreSQL).
        if let crate::storage::StorageError::Sqlx(sqlx::Error::Database(db)) = &e {
            if db.code().as_deref() == Some("22021") {
                return ApiError::BadRequest(
                    "The request contains a character that cannot be stored (a NUL character)."
                        .into(),
                );
            }
        }
        ApiError::Internal(e.to_string())
    }
}

/// A short machine-readable code for statuses that layers produce on their own.
pub fn code_for(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "timeout",
        409 => "conflict",
        410 => "expired",
        413 => "body_too_large",
        415 => "unsupported_media_type",
        422 => "invalid",
        414 => "uri_too_long",
        429 => "too_many_requests",
        503 => "unavailable",
        s if s >= 500 => "internal",
        _ => "error",
    }
}
