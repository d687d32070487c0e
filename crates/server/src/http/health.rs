//! `GET /api/health`: is the server up, and can it reach its database?

use super::{ApiError, AppState};
use axum::extract::State;
use axum::Json;
use domain::api::{Health, OutboxBacklog};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

/// Up, database reachable, price-list version, and the outbox backlog.
#[utoipa::path(
    get,
    path = "/health",
    operation_id = "health",
    tag = "meta",
    responses((status = 200, description = "Up, and the database answers", body = Health))
)]
async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.db.ping().await?;
    let (pending, dead) = crate::storage::outbox::backlog(&state.db).await?;
    Ok(Json(Health {
        outbox: OutboxBacklog { pending, dead },
        status: domain::api::HealthStatus::Ok,
        version: env!("CARGO_PKG_VERSION").into(),
        database: state.db.database(),
        price_list_version: state.catalog.version().into(),
    }))
}
