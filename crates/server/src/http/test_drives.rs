//! Test drives: `GET /api/locations/{id}/test-drives?line=` lists a location's slots for the next
//! 28 days with what is free; `POST /api/test-drives` books one. The domain decides what may be
//! booked (`domain::test_drive`), the database that a car is never booked twice for one hour.
//! The mails' manage link (`/api/test-drives/manage...`) shows, moves and cancels a drive. The
//! staff's side is in `drive_desk.rs`.

use super::auth::{optional_user, take, CurrentUser};
use super::responses::Throttled;
use super::{ApiError, AppState, ClientIp};
use crate::storage::accounts::Throttle;
use crate::storage::test_drives::{self as store, BookError, Changed, ChangedBy, TestDriveRow};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use domain::api::ErrorBody;
use domain::order::{Field, Invalid, Problem};
use domain::test_drive::{
    self, Availability, Booking, LineName, ManageRequest, OpenSlot, RescheduleRequest,
    TestDriveRequest, TestDriveStatus, TestDriveView,
};
use domain::Channel;
use domain::Location;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Per client address: 60 bookings an hour (a showroom's screens and phone bookings share one
/// address; 40 customers at once for one slot still get their answer, not a 429).
pub const PER_ADDRESS: Throttle = Throttle {
    limit: 60,
    window: 3600,
};
/// Per e-mail address: 10 bookings an hour.
pub const PER_EMAIL: Throttle = Throttle {
    limit: 10,
    window: 3600,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(availability))
        .routes(routes!(lines))
        .routes(routes!(book, mine))
        .routes(routes!(manage))
        .routes(routes!(reschedule))
        .routes(routes!(cancel))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LineQuery {
    /// The line to drive (`PRO`, `PREMIUM`, `BRABUS`, ...).
    pub line: String,
}

pub(super) fn line_codes(state: &AppState) -> Vec<&str> {
    state
        .catalog
        .lines()
        .iter()
        .map(|c| c.code.as_str())
        .collect()
}

/// The lines of the current price list, by code and name: what can be driven.
#[utoipa::path(
    get,
    path = "/test-drives/lines",
    operation_id = "test_drive_lines",
    tag = "test drives",
    responses((status = 200, description = "Every line, in the price list's order", body = [LineName]))
)]
async fn lines(State(state): State<AppState>) -> Json<Vec<LineName>> {
    Json(
        state
            .catalog
            .lines()
            .iter()
            .map(|l| LineName {
                code: l.code.clone(),
                name: l.name.clone(),
            })
            .collect(),
    )
}

/// The location's slots for the next 28 days, each with whether the line's demo car is free.
#[utoipa::path(
    get,
    path = "/locations/{id}/test-drives",
    operation_id = "test_drive_availability",
    tag = "test drives",
    params(("id" = String, Path, description = "The location's id"), LineQuery),
    responses(
        (status = 200, description = "28 days from the location's today; past slots left out", body = Availability),
        (status = 404, description = "`not_found`: no such location, or it offers no test drives", body = ErrorBody),
        (status = 422, description = "`invalid` (`line`): no such line", body = ErrorBody),
    )
)]
async fn availability(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<LineQuery>,
) -> Result<Json<Availability>, ApiError> {
    let (location, car) = state
        .network
        .location(&id)
        .and_then(|l| Some((l, test_drive::demo_car(l, &query.line)?)))
        .ok_or_else(|| ApiError::NotFound("No location with test drives has this id.".into()))?;
    if !line_codes(&state).contains(&query.line.as_str()) {
        return Err(ApiError::Invalid(Invalid::new(
            Field::Line,
            Problem::Unknown,
        )));
    }
    let now = state.now();
    let until = now + i64::from(test_drive::DAYS_AHEAD + 1) * 86_400;
    let held = store::held_starts(&state.db, &car, now, until).await?;
    Ok(Json(test_drive::availability(
        location,
        &query.line,
        &held,
        now,
    )))
}

pub(super) fn view(state: &AppState, row: TestDriveRow) -> TestDriveView {
    let location_name = state
        .network
        .location(&row.location_id)
        .map_or_else(String::new, |l| l.name.clone());
    let local = test_drive::local_slot(row.starts_at);
    TestDriveView {
        id: row.id,
        location_id: row.location_id,
        location_name,
        line: row.line,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        day: local.0,
        time: local.1,
        status: row.status,
        channel: row.channel,
    }
}

/// Books a drive. A slot taken meanwhile answers 409 `slot_taken` with that day's free slots.
#[utoipa::path(
    post,
    path = "/test-drives",
    operation_id = "book_test_drive",
    tag = "test drives",
    security((), ("session" = [])),
    request_body = TestDriveRequest,
    responses(
        (status = 201, description = "Booked", body = TestDriveView),
        (status = 409, description = "`slot_taken`: the car is booked for that hour; `current` lists the day's free slots", body = ErrorBody),
        (status = 422, description = "`invalid` with `field`: an unknown location or line, a past, too distant or closed slot (`starts_at`), the driver's data, the licence or the terms", body = ErrorBody),
        Throttled,
    )
)]
async fn book(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    screen: super::screens::StoreScreen,
    Json(request): Json<TestDriveRequest>,
) -> Result<(StatusCode, Json<TestDriveView>), ApiError> {
    let now = state.now();
    let booking = checked(&state, &request, now)?;
    // Counted and decided in one statement each: parallel requests cannot all pass one check.
    let too_many = "Too many test-drive bookings.";
    take(&state, &format!("test-drive:{ip}"), &PER_ADDRESS, too_many).await?;
    let email = booking.customer.email.to_lowercase();
    take(
        &state,
        &format!("test-drive-mail:{email}"),
        &PER_EMAIL,
        too_many,
    )
    .await?;
    let user = optional_user(&state, &headers).await?;
    let account = user.as_ref().map(|u| u.id.as_str());
    store_booking(&state, &booking, screen.channel(), account, now).await
}

/// The signed-in customer's drives (booked while signed in), the latest first.
#[utoipa::path(
    get,
    path = "/test-drives",
    operation_id = "my_test_drives",
    tag = "test drives",
    security(("session" = [])),
    responses(
        (status = 200, description = "The account's drives, the latest first (at most 100)", body = [TestDriveView]),
        super::responses::NotSignedIn,
    )
)]
async fn mine(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Vec<TestDriveView>>, ApiError> {
    let rows = store::for_account(&state.db, &user.id).await?;
    Ok(Json(rows.into_iter().map(|r| view(&state, r)).collect()))
}

/// A request checked as the domain says, whoever sends it.
pub(super) fn checked<'a>(
    state: &'a AppState,
    request: &TestDriveRequest,
    now: i64,
) -> Result<Booking<'a>, ApiError> {
    let lines = line_codes(state);
    test_drive::check_request(state.network, &lines, request, now).map_err(ApiError::Invalid)
}

/// Stores a checked booking: 201 with the drive, or 409 `slot_taken` with the day's free hours.
pub(super) async fn store_booking(
    state: &AppState,
    booking: &Booking<'_>,
    channel: Channel,
    account: Option<&str>,
    now: i64,
) -> Result<(StatusCode, Json<TestDriveView>), ApiError> {
    match store::book(&state.db, booking, channel, account, now).await {
        Ok(row) => Ok((StatusCode::CREATED, Json(view(state, row)))),
        Err(BookError::Taken) => Err(slot_taken(
            state,
            booking.location,
            &booking.car_id,
            booking.slot.starts_at,
        )
        .await),
        Err(BookError::Storage(e)) => Err(e.into()),
    }
}

/// 409 `slot_taken` with the free slots of that day: that day's slots only, against the car's
/// bookings of that day.
pub(super) async fn slot_taken(
    state: &AppState,
    location: &Location,
    car: &str,
    starts_at: i64,
) -> ApiError {
    let now = state.now();
    let day = test_drive::local_day(starts_at);
    let slots = test_drive::slots_on(location, day);
    let (from, to) = match (slots.first(), slots.last()) {
        (Some(first), Some(last)) => (first.starts_at, last.ends_at),
        _ => (0, 0),
    };
    let held = match store::held_starts(&state.db, car, from, to).await {
        Ok(held) => held,
        Err(e) => return e.into(),
    };
    let free: Vec<OpenSlot> = slots
        .into_iter()
        .filter(|s| s.starts_at > now && !held.contains(&s.starts_at))
        .map(|s| OpenSlot {
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            time: s.time,
            free: true,
        })
        .collect();
    ApiError::SlotTaken {
        message: "Someone else booked this slot first; these are the day's free slots.".into(),
        current: serde_json::to_value(free).unwrap_or_default(),
    }
}

/// The drive a manage token stands for, while it has not ended.
async fn managed(state: &AppState, token: &str) -> Result<TestDriveRow, ApiError> {
    store::by_token(&state.db, token, state.now())
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(
                "This link is not valid (anymore): the drive is over, or the link is mistyped."
                    .into(),
            )
        })
}

/// A change to a drive that is no longer booked, or has begun: 409 with its current state.
fn not_changeable(state: &AppState, row: TestDriveRow) -> ApiError {
    ApiError::Conflict {
        message: "This drive can no longer be changed.".into(),
        current: serde_json::to_value(view(state, row)).unwrap_or_default(),
    }
}

fn changed(state: &AppState, outcome: Changed) -> Result<Json<TestDriveView>, ApiError> {
    match outcome {
        Changed::Done(row) => Ok(Json(view(state, row))),
        Changed::Stale(row) => Err(not_changeable(state, row)),
        // A cancel takes no hour; a move answers a taken one before this.
        Changed::NotFound | Changed::Taken => Err(ApiError::NotFound("No such test drive.".into())),
    }
}

/// The drive behind a manage link (the link in the confirmation and the reminder mail).
#[utoipa::path(
    post,
    path = "/test-drives/manage",
    operation_id = "managed_test_drive",
    tag = "test drives",
    request_body = ManageRequest,
    responses(
        (status = 200, description = "The drive", body = TestDriveView),
        (status = 404, description = "`not_found`: no such link, or the drive is over", body = ErrorBody),
    )
)]
async fn manage(
    State(state): State<AppState>,
    Json(request): Json<ManageRequest>,
) -> Result<Json<TestDriveView>, ApiError> {
    let row = managed(&state, &request.token).await?;
    Ok(Json(view(&state, row)))
}

/// Moves the drive to another hour at the same location (the same line's car). The invite's
/// SEQUENCE goes up; the customer gets the new invite, the agent `test_drive.rescheduled`.
#[utoipa::path(
    post,
    path = "/test-drives/manage/reschedule",
    operation_id = "reschedule_test_drive",
    tag = "test drives",
    request_body = RescheduleRequest,
    responses(
        (status = 200, description = "Moved", body = TestDriveView),
        (status = 404, description = "`not_found`: no such link, or the drive is over", body = ErrorBody),
        (status = 409, description = "`slot_taken`: the car is booked for that hour (`current`: the day's free slots); `conflict`: the drive is cancelled, done or has begun (`current`: the drive)", body = ErrorBody),
        (status = 422, description = "`invalid` (`starts_at`): a past, too distant or closed slot", body = ErrorBody),
    )
)]
async fn reschedule(
    State(state): State<AppState>,
    Json(request): Json<RescheduleRequest>,
) -> Result<Json<TestDriveView>, ApiError> {
    let row = managed(&state, &request.token).await?;
    let now = state.now();
    if row.status != TestDriveStatus::Booked || row.starts_at <= now {
        return Err(not_changeable(&state, row));
    }
    let location = state
        .network
        .location(&row.location_id)
        .ok_or_else(|| ApiError::NotFound("The drive's location is closed.".into()))?;
    let slot = test_drive::check_slot(location, request.starts_at, now)
        .map_err(|refused| ApiError::Invalid(test_drive::slot_invalid(refused)))?;
    match store::reschedule(&state.db, &row, &slot, ChangedBy::Customer, now).await? {
        Changed::Taken => Err(slot_taken(&state, location, &row.car_id, slot.starts_at).await),
        outcome => changed(&state, outcome),
    }
}

/// Cancels the drive: its hour is free at once; the customer gets the cancelling invite, the
/// agent `test_drive.cancelled`.
#[utoipa::path(
    post,
    path = "/test-drives/manage/cancel",
    operation_id = "cancel_test_drive",
    tag = "test drives",
    request_body = ManageRequest,
    responses(
        (status = 200, description = "Cancelled", body = TestDriveView),
        (status = 404, description = "`not_found`: no such link, or the drive is over", body = ErrorBody),
        (status = 409, description = "`conflict`: the drive is cancelled already, done or has begun (`current`: the drive)", body = ErrorBody),
    )
)]
async fn cancel(
    State(state): State<AppState>,
    Json(request): Json<ManageRequest>,
) -> Result<Json<TestDriveView>, ApiError> {
    let row = managed(&state, &request.token).await?;
    if row.status != TestDriveStatus::Booked || row.starts_at <= state.now() {
        return Err(not_changeable(&state, row));
    }
    let outcome = store::cancel(&state.db, &row, ChangedBy::Customer).await?;
    changed(&state, outcome)
}
