//! Hand-over codes: `POST /api/handovers` stores a snapshot of the car, its step and its
//! location and answers a short code; `GET /api/handovers/{code}` restores it on any device.
//! Failed lookups are counted per client address and lock it for a while: with 32^8 = 2^40
//! codes, guessing is hopeless (see the README for the numbers).

use super::auth::{optional_user, take, CurrentUser};
use super::responses::{NotSignedIn, Throttled};
use super::{ApiError, AppState, ClientIp};
use crate::storage::accounts::{self, Throttle};
use crate::storage::handovers::{self as store, Handover, NewHandover, CODE_LEN};
use crate::storage::{configurations, READABLE};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use domain::api::{ErrorBody, HandoverInfo as HandoverOut, NewHandover as Body};
use domain::{Channel, Step};
use std::net::IpAddr;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A snapshot is valid for 7 days.
pub const TTL: i64 = 7 * 24 * 3600;
/// Per client address: 120 new snapshots within 15 minutes (a busy showroom screen makes a few
/// an hour), so nobody fills the table by script.
pub const CREATIONS: Throttle = Throttle {
    limit: 120,
    window: 15 * 60,
};
/// Per client address: 10 failed lookups within 15 minutes; then lookups wait for the window's
/// end. Every lookup takes a slot before the code is looked at (a found code gives it back), so
/// parallel guesses get no more tries than sequential ones.
pub const LOOKUPS: Throttle = Throttle {
    limit: 10,
    window: 15 * 60,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(lookup))
        .routes(routes!(from_saved))
}

pub fn display(code: &str) -> String {
    format!("{}-{}", &code[..4], &code[4..])
}

fn out(h: Handover) -> HandoverOut {
    HandoverOut {
        display: display(&h.code),
        path: format!("/h/{}", h.code),
        code: h.code,
        config_code: h.config_code,
        step: h.step,
        price_list_version: h.price_list_version,
        location_id: h.location_id,
        channel: h.channel,
        created_at: h.created_at,
        expires_at: h.expires_at,
    }
}

/// What people type: any case, with spaces or dashes. `None` when it cannot be a code.
pub fn normalise(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| READABLE.contains(&b))).then_some(code)
}

/// Checks the car, step and location; returns the snapshot to store.
async fn store_snapshot(
    state: &AppState,
    ip: IpAddr,
    code: &str,
    step: Step,
    location_id: Option<&str>,
    channel: Channel,
    created_by: Option<&str>,
) -> Result<(StatusCode, Json<HandoverOut>), ApiError> {
    state
        .catalog
        .decode(code)
        .map_err(|e| ApiError::Unprocessable(format!("Configuration code: {e}.")))?;
    // Counted and decided in one statement: parallel requests cannot all pass one check.
    let key = format!("handover-new:{ip}");
    take(
        state,
        &key,
        &CREATIONS,
        "Too many hand-over codes from this device.",
    )
    .await?;
    let partner_id = match location_id {
        Some(id) => Some(
            state
                .network
                .location(id)
                .ok_or_else(|| ApiError::Unprocessable(format!("Unknown agency location {id:?}.")))?
                .partner
                .as_str(),
        ),
        None => None,
    };
    let saved = store::create(
        &state.db,
        &NewHandover {
            config_code: code.trim(),
            step,
            price_list_version: state.catalog.version(),
            location_id,
            partner_id,
            channel,
            created_by,
            ttl: TTL,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(out(saved))))
}

/// A snapshot of the car on screen (a showroom screen or any browser), under a short code for
/// 7 days.
#[utoipa::path(
    post,
    path = "/handovers",
    operation_id = "create_handover",
    tag = "handovers",
    security((), ("session" = [])),
    request_body = Body,
    responses(
        (status = 201, description = "Stored under a new code", body = HandoverOut, links(
            ("open" = (operation_id = "open_handover", parameters(("code" = "$response.body#/code")))),
        )),
        (status = 422, description = "`invalid`: a code that does not read, an unknown step or location", body = ErrorBody),
        Throttled,
    )
)]
async fn create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    screen: super::screens::StoreScreen,
    Json(body): Json<Body>,
) -> Result<(StatusCode, Json<HandoverOut>), ApiError> {
    // "store" only from a screen staff put into store mode, whatever the body says.
    let channel = screen.channel();
    let user = optional_user(&state, &headers).await?;
    store_snapshot(
        &state,
        ip,
        &body.code,
        body.step,
        body.location_id.as_deref(),
        channel,
        user.as_ref().map(|u| u.id.as_str()),
    )
    .await
}

/// The reverse direction: a customer's saved configuration, to open on a showroom screen.
#[utoipa::path(
    post,
    path = "/configurations/{id}/handover",
    operation_id = "handover_configuration",
    tag = "handovers",
    security(("session" = [])),
    params(("id" = String, Path, description = "The saved configuration's id")),
    responses(
        (status = 201, description = "Stored under a new code", body = HandoverOut, links(
            ("open" = (operation_id = "open_handover", parameters(("code" = "$response.body#/code")))),
        )),
        NotSignedIn,
        (status = 404, description = "`not_found`: no saved configuration with this id in this account", body = ErrorBody),
        (status = 422, description = "`invalid`: the saved code no longer reads (an old price list)", body = ErrorBody),
        Throttled,
    )
)]
async fn from_saved(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<HandoverOut>), ApiError> {
    let saved = configurations::get(&state.db, &user.id, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such saved configuration.".into()))?;
    store_snapshot(
        &state,
        ip,
        &saved.code,
        saved.step,
        saved.location_id.as_deref(),
        Channel::Web,
        Some(&user.id),
    )
    .await
}

/// Open a hand-over code (any case, with or without the hyphen or spaces).
#[utoipa::path(
    get,
    path = "/handovers/{code}",
    operation_id = "open_handover",
    tag = "handovers",
    params(("code" = String, Path, description = "The code, e.g. `7KQ9-M3XF`: 8 of `23456789ABCDEFGHJKLMNPQRSTUVWXYZ` in any case, hyphens and spaces ignored; anything else is 400", pattern = r"^[\s-]*([2-9A-HJ-NP-Za-hj-np-z][\s-]*){8}$")),
    responses(
        (status = 200, description = "The snapshot", body = HandoverOut),
        (status = 400, description = "`bad_request`: cannot be a code (8 letters and digits without 0, 1, I, O)", body = ErrorBody),
        (status = 404, description = "`not_found`: no such code", body = ErrorBody),
        (status = 410, description = "`expired`: the code is older than 7 days", body = ErrorBody),
        Throttled,
    )
)]
async fn lookup(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(input): Path<String>,
) -> Result<Json<HandoverOut>, ApiError> {
    let key = format!("handover:{ip}");
    take(
        &state,
        &key,
        &LOOKUPS,
        "Too many wrong codes from this device.",
    )
    .await?;
    let found = match normalise(&input) {
        None => Err(ApiError::BadRequest(format!(
            "A hand-over code has {CODE_LEN} letters and digits (no 0, 1, I or O), like 7KQ9-M3XF."
        ))),
        Some(code) => match store::open(&state.db, &code).await? {
            None => Err(ApiError::NotFound(
                "There is no hand-over code like this. Please check it.".into(),
            )),
            Some(h) if h.expires_at <= crate::storage::now() => Err(ApiError::Gone(
                "This hand-over code has expired (codes are valid for 7 days). Please make a new one."
                    .into(),
            )),
            Some(h) => Ok(h),
        },
    };
    if found.is_ok() {
        accounts::give_back(&state.db, &key).await?;
    }
    found.map(|h| Json(out(h)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_the_way_people_type_them() {
        assert_eq!(normalise("7kq9-m3xf").as_deref(), Some("7KQ9M3XF"));
        assert_eq!(normalise(" 7KQ9 M3XF ").as_deref(), Some("7KQ9M3XF"));
        for bad in [
            "",
            "7KQ9M3X",
            "7KQ9M3XFF",
            "7KQ9M3X0",
            "7KQ9M3XO",
            "7KQ9M3XI",
            "7KQ9M3X!",
        ] {
            assert_eq!(normalise(bad), None, "{bad}");
        }
        let fresh = crate::storage::readable_code(CODE_LEN);
        assert_eq!(normalise(&fresh).as_deref(), Some(fresh.as_str()));
        assert_eq!(display("7KQ9M3XF"), "7KQ9-M3XF");
    }
}
