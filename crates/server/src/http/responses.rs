//! The error answers many operations share, as the OpenAPI document states them (the bodies
//! are [`ErrorBody`]; `ApiError` makes them).

use domain::api::ErrorBody;
use utoipa::IntoResponses;

/// 401 for an operation that needs a signed-in account.
#[derive(IntoResponses)]
#[response(
    status = 401,
    description = "`unauthorized`: not signed in, or the session ended"
)]
#[allow(dead_code)]
pub struct NotSignedIn(ErrorBody);

/// 401 and 403 for the staff desk.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum StaffOnly {
    #[response(
        status = 401,
        description = "`unauthorized`: not signed in, or the session ended"
    )]
    NotSignedIn(ErrorBody),
    #[response(
        status = 403,
        description = "`forbidden`: the account is not staff of an agent"
    )]
    NotStaff(ErrorBody),
}

/// 429 from a throttle (per client address, account or e-mail address).
#[derive(IntoResponses)]
#[response(
    status = 429,
    description = "`too_many_requests`: throttled; try again after `Retry-After` seconds",
    headers(("Retry-After" = i64, description = "Seconds until the next attempt may succeed"))
)]
#[allow(dead_code)]
pub struct Throttled(ErrorBody);

/// 503 when every password hasher stayed busy for `HASH_WAIT_MS`.
#[derive(IntoResponses)]
#[response(
    status = 503,
    description = "`busy`: all password hashers stayed busy; try again after `Retry-After` seconds",
    headers(("Retry-After" = i64, description = "Seconds to wait"))
)]
#[allow(dead_code)]
pub struct Busy(ErrorBody);
