//! One error type for the whole API. Every variant maps to a status code and a JSON body
//! `{"error": "<code>", "message": "<plain words>"}`; internal causes are logged, never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::api::{ErrorBody, ErrorCode};

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
    /// 409 `slot_taken`: a test-drive slot booked first by someone else; `current` lists the
    /// day's free slots.
    #[error("{message}")]
    SlotTaken {
        message: String,
        current: serde_json::Value,
    },
    /// 410: it existed but is no longer valid (an expired hand-over code).
    #[error("{0}")]
    Gone(String),
    /// 422: readable, but the content is not acceptable (validation).
    #[error("{0}")]
    Unprocessable(String),
    /// 422 naming the refused field and why (`{error: "invalid", field, problem, message}`).
    #[error("{0}")]
    Invalid(domain::order::Invalid),
    /// 422 with its own code, for refusals the app explains in its own words
    /// (e.g. `weak_password`).
    #[error("{message}")]
    Refused { code: ErrorCode, message: String },
    /// 409 with its own code (e.g. `limit_reached`).
    #[error("{message}")]
    Limit { code: ErrorCode, message: String },
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
        code: ErrorCode,
        message: String,
    },
    /// 500: a fault on our side. The cause goes to the log only.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    fn parts(&self) -> (StatusCode, ErrorCode) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            ApiError::Conflict { .. } => (StatusCode::CONFLICT, ErrorCode::Conflict),
            ApiError::SlotTaken { .. } => (StatusCode::CONFLICT, ErrorCode::SlotTaken),
            ApiError::Gone(_) => (StatusCode::GONE, ErrorCode::Expired),
            ApiError::TooMany { .. } => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyRequests),
            ApiError::Unprocessable(_) | ApiError::Invalid(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Invalid)
            }
            ApiError::Refused { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, *code),
            ApiError::Limit { code, .. } => (StatusCode::CONFLICT, *code),
            ApiError::Unavailable { .. } => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Busy),
            ApiError::Coded { status, code, .. } => (*status, *code),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal),
        }
    }
}

/// The JSON error body, also used to rewrite errors produced by layers and extractors.
pub fn error_body(status: StatusCode, code: ErrorCode, message: &str) -> Response {
    (status, Json(ErrorBody::new(code, message))).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let (status, code) = self.parts();
        match self {
            ApiError::Conflict { message, current } | ApiError::SlotTaken { message, current } => (
                status,
                Json(ErrorBody {
                    current: serde_json::value::to_raw_value(&current).ok(),
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
            ApiError::Invalid(invalid) => (
                status,
                Json(ErrorBody {
                    field: Some(invalid.field),
                    problem: Some(invalid.problem),
                    ..ErrorBody::new(code, invalid.to_string())
                }),
            )
                .into_response(),
            _ => error_body(status, code, &self.to_string()),
        }
    }
}

impl From<domain::order::Refused> for ApiError {
    fn from(refused: domain::order::Refused) -> Self {
        use domain::order::{CurrentPrice, Refused};
        match refused {
            Refused::Invalid(invalid) => ApiError::Invalid(invalid),
            Refused::PriceChanged { expected, current } => ApiError::Conflict {
                message: format!(
                    "The price is {} EUR, not {} EUR. Please check and accept the current price.",
                    current.gross.format(domain::Lang::En),
                    expected.format(domain::Lang::En)
                ),
                current: match serde_json::to_value(CurrentPrice { price: current }) {
                    Ok(value) => value,
                    Err(e) => return ApiError::internal(e),
                },
            },
        }
    }
}

impl From<domain::order::Invalid> for ApiError {
    fn from(invalid: domain::order::Invalid) -> Self {
        ApiError::Invalid(invalid)
    }
}

impl ApiError {
    /// A fault on our side, from any error (logged, never sent).
    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        ApiError::Internal(e.to_string())
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
