//! The staff desk's test drives: a location's agenda (a day or a week), a drive marked done or
//! no-show, bookings taken by phone or at the counter, and a demo car blocked for whole days.
//! Only staff of the location's partner: another partner's locations, drives and blocks are not
//! found.

use super::agent::Staff;
use super::responses::StaffOnly;
use super::test_drives::{checked, line_codes, store_booking, view};
use super::{ApiError, AppState};
use crate::storage::test_drives::{self as store, BookError, Marked, TestDriveRow};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use domain::api::ErrorBody;
use domain::order::{Field, Invalid, Problem};
use domain::test_drive::{
    self, AgendaEntry, BlockRequest, BlockView, Outcome, TestDriveRequest, TestDriveStatus,
    TestDriveView,
};
use domain::{Channel, Location};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(agenda))
        .routes(routes!(mark))
        .routes(routes!(staff_book))
        .routes(routes!(block))
        .routes(routes!(unblock))
}

/// One of the staff's partner's locations that offers test drives.
fn own_location<'a>(
    state: &'a AppState,
    staff: &Staff,
    id: &str,
) -> Result<&'a Location, ApiError> {
    state
        .network
        .location(id)
        .filter(|l| l.partner == staff.partner_id)
        .ok_or_else(|| ApiError::NotFound("No location of yours has this id.".into()))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgendaQuery {
    /// The location (one of the partner's).
    pub location: String,
    /// The first day, "YYYY-MM-DD" (the location's today unless given).
    pub from: Option<String>,
    /// 1 (a day, the default) to 7 (a week).
    #[param(minimum = 1, maximum = 7)]
    pub days: Option<u32>,
}

fn entry(state: &AppState, row: TestDriveRow) -> AgendaEntry {
    let customer = row.driver();
    let (code, block_id, note) = (
        row.config_code.clone(),
        row.block_id.clone(),
        row.note.clone(),
    );
    AgendaEntry {
        drive: view(state, row),
        customer,
        code,
        block_id,
        note,
    }
}

/// A location's test drives for a day or a week, by start, cancelled ones included.
#[utoipa::path(
    get,
    path = "/agent/test-drives",
    operation_id = "agent_test_drive_agenda",
    tag = "agent",
    security(("session" = [])),
    params(AgendaQuery),
    responses(
        (status = 200, description = "The drives, by start", body = [AgendaEntry]),
        (status = 400, description = "`bad_request`: a day that does not read, or `days` outside 1 to 7", body = ErrorBody),
        StaffOnly,
        (status = 404, description = "`not_found`: no such location of the partner's", body = ErrorBody),
    )
)]
async fn agenda(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<AgendaQuery>,
) -> Result<Json<Vec<AgendaEntry>>, ApiError> {
    let location = own_location(&state, &staff, &query.location)?;
    let days = query.days.unwrap_or(1);
    if !(1..=7).contains(&days) {
        return Err(ApiError::BadRequest(
            "`days` is 1 (a day) to 7 (a week).".into(),
        ));
    }
    let from = query
        .from
        .unwrap_or_else(|| test_drive::local_day(state.now()).to_string());
    let (start, end) = test_drive::day_range(&from, days)
        .ok_or_else(|| ApiError::BadRequest("`from` is a day written YYYY-MM-DD.".into()))?;
    let rows = store::for_location(&state.db, &location.id, start, end).await?;
    Ok(Json(rows.into_iter().map(|r| entry(&state, r)).collect()))
}

/// Marks a booked drive `done` or `no_show`.
#[utoipa::path(
    post,
    path = "/agent/test-drives/{id}/status",
    operation_id = "agent_mark_test_drive",
    tag = "agent",
    security(("session" = [])),
    params(("id" = String, Path, description = "The drive's id")),
    request_body = Outcome,
    responses(
        (status = 200, description = "Marked", body = AgendaEntry),
        StaffOnly,
        (status = 404, description = "`not_found`: no such drive at the partner's locations", body = ErrorBody),
        (status = 409, description = "`conflict`: it is no longer booked; `current` is the drive", body = ErrorBody),
        (status = 422, description = "`invalid` (`to`): only `done` or `no_show`", body = ErrorBody),
    )
)]
async fn mark(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Json(outcome): Json<Outcome>,
) -> Result<Json<AgendaEntry>, ApiError> {
    if !matches!(outcome.to, TestDriveStatus::Done | TestDriveStatus::NoShow) {
        return Err(ApiError::Invalid(Invalid::new(
            Field::Status,
            Problem::Unknown,
        )));
    }
    match store::mark(&state.db, &id, &staff.partner_id, outcome.to).await? {
        Marked::Done(row) => Ok(Json(entry(&state, row))),
        Marked::NotFound => Err(ApiError::NotFound(
            "No test drive at your locations has this id.".into(),
        )),
        Marked::NotBooked(row) => Err(ApiError::Conflict {
            message: "This drive is no longer booked.".into(),
            current: serde_json::to_value(entry(&state, row)).unwrap_or_default(),
        }),
    }
}

/// A booking taken by staff (on the phone, at the counter): checked as a customer's, for one
/// of the partner's locations; the customer gets the same mail with the invite and the link.
#[utoipa::path(
    post,
    path = "/agent/test-drives",
    operation_id = "agent_book_test_drive",
    tag = "agent",
    security(("session" = [])),
    request_body = TestDriveRequest,
    responses(
        (status = 201, description = "Booked (channel `store`)", body = TestDriveView),
        StaffOnly,
        (status = 404, description = "`not_found`: no such location of the partner's", body = ErrorBody),
        (status = 409, description = "`slot_taken`: the car is booked or blocked for that hour; `current` lists the day's free slots", body = ErrorBody),
        (status = 422, description = "`invalid` with `field`, as for a customer's booking", body = ErrorBody),
    )
)]
async fn staff_book(
    State(state): State<AppState>,
    staff: Staff,
    Json(request): Json<TestDriveRequest>,
) -> Result<(StatusCode, Json<TestDriveView>), ApiError> {
    own_location(&state, &staff, &request.location_id)?;
    let now = state.now();
    let booking = checked(&state, &request, now)?;
    store_booking(&state, &booking, Channel::Store, None, now).await
}

/// Blocks the line's demo car of a location for whole days: every hour of them is held, so
/// nobody can book it. Refused as a whole when one of the hours is booked already.
#[utoipa::path(
    post,
    path = "/agent/test-drives/blocks",
    operation_id = "agent_block_car",
    tag = "agent",
    security(("session" = [])),
    request_body = BlockRequest,
    responses(
        (status = 201, description = "Blocked", body = BlockView),
        StaffOnly,
        (status = 404, description = "`not_found`: no such location of the partner's, or it offers no test drives", body = ErrorBody),
        (status = 409, description = "`slot_taken`: a drive is booked within the period (move or cancel it first); `current` lists those drives", body = ErrorBody),
        (status = 422, description = "`invalid`: an unknown `line`, a `from` day that does not read or lies in the past (`starts_at`), `days` outside 1 to 28, or a note over 200 characters", body = ErrorBody),
    )
)]
async fn block(
    State(state): State<AppState>,
    staff: Staff,
    Json(request): Json<BlockRequest>,
) -> Result<(StatusCode, Json<BlockView>), ApiError> {
    let location = own_location(&state, &staff, &request.location_id)?;
    let car = test_drive::demo_car(location, &request.line)
        .ok_or_else(|| ApiError::NotFound("This location offers no test drives.".into()))?;
    if !line_codes(&state).contains(&request.line.as_str()) {
        return Err(ApiError::Invalid(Invalid::new(
            Field::Line,
            Problem::Unknown,
        )));
    }
    let note = request.note.trim();
    if note.chars().count() > 200 {
        return Err(ApiError::Invalid(Invalid::new(
            Field::Note,
            Problem::TooLong,
        )));
    }
    let now = state.now();
    let slots = test_drive::block_slots(location, &request.from, request.days, now).ok_or(
        ApiError::Invalid(Invalid::new(Field::Slot, Problem::Unknown)),
    )?;
    match store::block(&state.db, location, &car, &request.line, &slots, note).await {
        Ok(block_id) => Ok((
            StatusCode::CREATED,
            Json(BlockView {
                block_id,
                hours: slots.len(),
            }),
        )),
        Err(BookError::Taken) => {
            let (from, to) = match (slots.first(), slots.last()) {
                (Some(f), Some(l)) => (f.starts_at, l.ends_at),
                _ => (0, 0),
            };
            let held: Vec<AgendaEntry> = store::for_location(&state.db, &location.id, from, to)
                .await?
                .into_iter()
                .filter(|r| {
                    r.car_id == car
                        && matches!(r.status, TestDriveStatus::Booked | TestDriveStatus::Blocked)
                })
                .map(|r| entry(&state, r))
                .collect();
            Err(ApiError::SlotTaken {
                message: "Drives are booked in this period: move or cancel them first.".into(),
                current: serde_json::to_value(held).unwrap_or_default(),
            })
        }
        Err(BookError::Storage(e)) => Err(e.into()),
    }
}

/// Lifts a block: its hours still ahead are free again.
#[utoipa::path(
    delete,
    path = "/agent/test-drives/blocks/{id}",
    operation_id = "agent_unblock_car",
    tag = "agent",
    security(("session" = [])),
    params(("id" = String, Path, description = "The block's id")),
    responses(
        (status = 204, description = "Lifted"),
        StaffOnly,
        (status = 404, description = "`not_found`: no block of the partner's with an hour ahead", body = ErrorBody),
    )
)]
async fn unblock(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    if store::unblock(&state.db, &staff.partner_id, &id, state.now()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(
            "No block of yours with an hour ahead has this id.".into(),
        ))
    }
}
