//! Saved configurations of the signed-in customer: list, create, read, update with optimistic
//! concurrency (a stale version answers 409 with the current state), delete. Others' ids are 404.
//! Every code is validated with the domain crate before it is stored.

use super::auth::CurrentUser;
use super::responses::NotSignedIn;
use super::screens::StoreScreen;
use super::{ApiError, AppState};
use crate::storage::configurations::{self as store, Content, Saved, Update};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use domain::api::{ConfigurationBody as Body, ConfigurationPage as Page, ErrorBody};
use domain::hygiene::{clean_text, limits};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Saved configurations per account: enough for anyone choosing a car, and no one can fill the
/// table by script.
pub const MAX_SAVED: i64 = 100;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read, update, remove))
}

/// Checks the content against the price list and the network; returns it ready to store.
/// The name as stored (NFC, trimmed, no control or direction characters, 1 to 80 characters).
fn clean_name(name: &str) -> Result<String, ApiError> {
    clean_text(name, limits::LABEL)
        .map_err(|p| ApiError::Unprocessable(format!("The name {p} (1 to 80 characters).")))
}

fn validated<'a>(
    state: &'a AppState,
    body: &'a Body,
    name: &'a str,
    screen: &StoreScreen,
) -> Result<Content<'a>, ApiError> {
    state
        .catalog
        .decode(&body.code)
        .map_err(|e| ApiError::Unprocessable(format!("Configuration code: {e}.")))?;
    if let Some(id) = &body.location_id {
        if state.network.location(id).is_none() {
            return Err(ApiError::Unprocessable(format!(
                "Unknown agency location {id:?}."
            )));
        }
    }
    let channel = screen.channel();
    Ok(Content {
        channel,
        name,
        code: body.code.trim(),
        step: body.step,
        price_list_version: state.catalog.version(),
        location_id: body.location_id.as_deref(),
    })
}

fn not_found() -> ApiError {
    ApiError::NotFound("No such saved configuration.".into())
}

/// The customer's saved configurations, most recently changed first: a page by `?limit=&offset=`;
/// without them, the first 100 (all of them, as the cap is 100: what the app asks for).
#[utoipa::path(
    get,
    path = "/configurations",
    operation_id = "list_configurations",
    tag = "configurations",
    security(("session" = [])),
    params(Page),
    responses(
        (status = 200, description = "A page of the list", body = [Saved]),
        (status = 400, description = "`bad_request`: `limit` outside 1 to 100 or a negative `offset`", body = ErrorBody),
        NotSignedIn,
    )
)]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(page): Query<Page>,
) -> Result<Json<Vec<Saved>>, ApiError> {
    let limit = page.limit.unwrap_or(MAX_SAVED);
    let offset = page.offset.unwrap_or(0);
    if !(1..=MAX_SAVED).contains(&limit) || offset < 0 {
        return Err(ApiError::BadRequest(format!(
            "limit is 1 to {MAX_SAVED}, offset 0 or more."
        )));
    }
    Ok(Json(store::list(&state.db, &user.id, limit, offset).await?))
}

/// Save a car (at most 100 per account).
#[utoipa::path(
    post,
    path = "/configurations",
    operation_id = "create_configuration",
    tag = "configurations",
    security(("session" = [])),
    request_body = Body,
    responses(
        (status = 201, description = "Saved (version 1)", body = Saved, links(
            ("read" = (operation_id = "read_configuration", parameters(("id" = "$response.body#/id")))),
            ("update" = (operation_id = "update_configuration", parameters(("id" = "$response.body#/id")))),
            ("delete" = (operation_id = "delete_configuration", parameters(("id" = "$response.body#/id")))),
            ("handover" = (operation_id = "handover_configuration", parameters(("id" = "$response.body#/id")))),
        )),
        NotSignedIn,
        (status = 409, description = "`limit_reached`: 100 saved configurations already", body = ErrorBody),
        (status = 422, description = "`invalid`: a name that is empty, too long or has control characters; a code that does not read; an unknown step or location", body = ErrorBody),
    )
)]
async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    screen: StoreScreen,
    Json(body): Json<Body>,
) -> Result<(StatusCode, Json<Saved>), ApiError> {
    let name = clean_name(&body.name)?;
    let content = validated(&state, &body, &name, &screen)?;
    match store::create(&state.db, &user.id, &content, MAX_SAVED).await? {
        Some(saved) => Ok((StatusCode::CREATED, Json(saved))),
        None => Err(ApiError::Limit {
            code: domain::api::ErrorCode::LimitReached,
            message: format!(
                "You can keep at most {MAX_SAVED} saved configurations. Please delete one first."
            ),
        }),
    }
}

/// One saved configuration.
#[utoipa::path(
    get,
    path = "/configurations/{id}",
    operation_id = "read_configuration",
    tag = "configurations",
    security(("session" = [])),
    params(("id" = String, Path, description = "The saved configuration's id")),
    responses(
        (status = 200, description = "The saved configuration", body = Saved),
        NotSignedIn,
        (status = 404, description = "`not_found`: none with this id in this account", body = ErrorBody),
    )
)]
async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Saved>, ApiError> {
    store::get(&state.db, &user.id, &id)
        .await?
        .map(Json)
        .ok_or_else(not_found)
}

/// Overwrite a saved configuration, naming the `version` read: a stale version changes nothing.
#[utoipa::path(
    put,
    path = "/configurations/{id}",
    operation_id = "update_configuration",
    tag = "configurations",
    security(("session" = [])),
    params(("id" = String, Path, description = "The saved configuration's id")),
    request_body = Body,
    responses(
        (status = 200, description = "Saved (the version counts up)", body = Saved),
        NotSignedIn,
        (status = 404, description = "`not_found`: none with this id in this account", body = ErrorBody),
        (status = 409, description = "`conflict`: changed elsewhere since `version`; `current` is the stored `SavedConfiguration`", body = ErrorBody),
        (status = 422, description = "`invalid`: no `version`, or a name, code, step or location as on create", body = ErrorBody),
    )
)]
async fn update(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    screen: StoreScreen,
    Json(body): Json<Body>,
) -> Result<Json<Saved>, ApiError> {
    let expected = body
        .version
        .ok_or_else(|| ApiError::Unprocessable("The version you last saw is missing.".into()))?;
    let name = clean_name(&body.name)?;
    let content = validated(&state, &body, &name, &screen)?;
    match store::update(&state.db, &user.id, &id, expected, &content).await? {
        Update::Done(saved) => Ok(Json(saved)),
        Update::Stale(current) => Err(ApiError::Conflict {
            message: format!(
                "This configuration was changed elsewhere (version {} is newer than your version {expected}). Nothing was overwritten.",
                current.version
            ),
            current: serde_json::to_value(current).unwrap_or_default(),
        }),
        Update::NotFound => Err(not_found()),
    }
}

/// Delete a saved configuration.
#[utoipa::path(
    delete,
    path = "/configurations/{id}",
    operation_id = "delete_configuration",
    tag = "configurations",
    security(("session" = [])),
    params(("id" = String, Path, description = "The saved configuration's id")),
    responses(
        (status = 204, description = "Deleted"),
        NotSignedIn,
        (status = 404, description = "`not_found`: none with this id in this account", body = ErrorBody),
    )
)]
async fn remove(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    if store::delete(&state.db, &user.id, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found())
    }
}
