//! Saved configurations of the signed-in customer: list, create, read, update with optimistic
//! concurrency (a stale version answers 409 with the current state), delete. Others' ids are 404.
//! Every code is validated with the domain crate before it is stored.

use super::auth::CurrentUser;
use super::orders::Channel;
use super::{ApiError, AppState};
use crate::storage::configurations::{self as store, Content, Saved, Update};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

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
fn validated<'a>(state: &'a AppState, body: &'a Body) -> Result<Content<'a>, ApiError> {
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(ApiError::Unprocessable(
            "The name needs 1 to 80 characters.".into(),
        ));
    }
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

async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Vec<Saved>>, ApiError> {
    Ok(Json(store::list(&state.db, &user.id).await?))
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(body): Json<Body>,
) -> Result<(StatusCode, Json<Saved>), ApiError> {
    let content = validated(&state, &body)?;
    Ok((
        StatusCode::CREATED,
        Json(store::create(&state.db, &user.id, &content).await?),
    ))
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
    let content = validated(&state, &body)?;
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
