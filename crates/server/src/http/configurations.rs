//! Saved configurations of the signed-in customer: list, create, read, update with optimistic
//! concurrency (a stale version answers 409 with the current state), delete. Others' ids are 404.
//! Every code is validated with the domain crate before it is stored.

use super::auth::CurrentUser;
use super::orders::Channel;
use super::{ApiError, AppState};
use crate::storage::configurations::{self as store, Content, Saved, Update};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use domain::hygiene::{clean_text, limits};
use serde::Deserialize;

/// Saved configurations per account: enough for anyone choosing a car, and no one can fill the
/// table by script.
pub const MAX_SAVED: i64 = 100;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/configurations", get(list).post(create))
        .route("/configurations/{id}", get(read).put(update).delete(remove))
}

#[derive(Deserialize)]
struct Body {
    name: String,
    code: String,
    step: String,
    #[serde(default)]
    location_id: Option<String>,
    /// "web" (default) or "store" when saved on a showroom screen.
    #[serde(default)]
    channel: Option<Channel>,
    /// The version the writer last saw (updates only).
    #[serde(default)]
    version: Option<i64>,
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
) -> Result<Content<'a>, ApiError> {
    state
        .catalog
        .decode(&body.code)
        .map_err(|e| ApiError::Unprocessable(format!("Configuration code: {e}.")))?;
    if domain::Step::from_slug(&body.step).is_none() {
        return Err(ApiError::Unprocessable(format!(
            "Unknown configurator step {:?}.",
            body.step
        )));
    }
    if let Some(id) = &body.location_id {
        if state.network.location(id).is_none() {
            return Err(ApiError::Unprocessable(format!(
                "Unknown agency location {id:?}."
            )));
        }
    }
    let channel = body.channel.unwrap_or_default().as_str();
    Ok(Content {
        channel,
        name,
        code: body.code.trim(),
        step: &body.step,
        price_list_version: state.catalog.version(),
        location_id: body.location_id.as_deref(),
    })
}

fn not_found() -> ApiError {
    ApiError::NotFound("No such saved configuration.".into())
}

/// `?limit=&offset=`: a page of the list, most recently changed first. Without them, the first
/// 100: all of them, as the cap is 100 (what the app asks for).
#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    limit: Option<i64>,
    #[serde(default)]
    offset: Option<i64>,
}

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

async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(body): Json<Body>,
) -> Result<(StatusCode, Json<Saved>), ApiError> {
    let name = clean_name(&body.name)?;
    let content = validated(&state, &body, &name)?;
    match store::create(&state.db, &user.id, &content, MAX_SAVED).await? {
        Some(saved) => Ok((StatusCode::CREATED, Json(saved))),
        None => Err(ApiError::Limit {
            code: "limit_reached",
            message: format!(
                "You can keep at most {MAX_SAVED} saved configurations. Please delete one first."
            ),
        }),
    }
}

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

async fn update(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Json(body): Json<Body>,
) -> Result<Json<Saved>, ApiError> {
    let expected = body
        .version
        .ok_or_else(|| ApiError::Unprocessable("The version you last saw is missing.".into()))?;
    let name = clean_name(&body.name)?;
    let content = validated(&state, &body, &name)?;
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
