//! The agent's view (`/api/agent/...`): staff accounts belong to one partner and see the orders
//! and hand-over snapshots credited to that partner's locations, and move orders along the
//! status model. Guests get 401, customers 403, another partner's order is simply not found.

use super::auth::CurrentUser;
use super::handovers::display;
use super::responses::StaffOnly;
use super::{ApiError, AppState};
use crate::storage::accounts::{self, User};
use crate::storage::{handovers, orders as store, outbox};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::Json;
use domain::api::{
    AgentHandover, AgentHandoverPage, AgentLocation, AgentMe, AgentOrderPage, AgentPartner,
    DeadDelivery, ErrorBody, PER_PAGE, PER_PAGE_MAX,
};
use domain::order::{ChangeRefused, Mover, OrderStatus, StaffOrderView, StatusChange};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(orders))
        .routes(routes!(change_status))
        .routes(routes!(snapshots))
        .routes(routes!(dead_deliveries))
        .routes(routes!(replay_delivery))
}

#[utoipa::path(get, path = "/agent/deliveries", operation_id = "agent_dead_deliveries", tag = "agent", security(("session" = [])), responses((status = 200, description = "Events about the partner's orders that the relay gave up on, oldest first", body = [DeadDelivery]), StaffOnly))]
async fn dead_deliveries(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<Vec<DeadDelivery>>, ApiError> {
    Ok(Json(
        outbox::dead_for_partner(&state.db, &staff.partner_id)
            .await?
            .into_iter()
            .map(|e| DeadDelivery {
                id: e.id,
                topic: e.topic,
                number: e.number,
                attempts: e.attempts,
                last_error: e.last_error,
                dead_at: e.dead_at,
            })
            .collect(),
    ))
}

/// Sends a dead event again (now, with a fresh count of attempts).
#[utoipa::path(post, path = "/agent/deliveries/{id}/replay", operation_id = "agent_replay_delivery", tag = "agent", security(("session" = [])), params(("id" = String, Path, description = "The dead event's id")), responses((status = 204, description = "Due again now"), StaffOnly, (status = 404, description = "`not_found`: no dead event with this id about the partner's orders", body = ErrorBody)))]
async fn replay_delivery(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    if outbox::replay(&state.db, &staff.partner_id, &id).await? {
        tracing::info!(event = %id, staff = %staff.user.email, "a dead outbox event is replayed");
        Ok(axum::http::StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(
            "No dead delivery with this id for your orders.".into(),
        ))
    }
}

/// A signed-in staff member and the partner they work for.
pub struct Staff {
    pub user: User,
    pub partner_id: String,
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        match accounts::staff_partner(&state.db, &user.id).await? {
            Some(partner_id) => Ok(Staff { user, partner_id }),
            None => Err(ApiError::Forbidden(
                "This area is for the staff of smart agents.".into(),
            )),
        }
    }
}

/// Provisioning (the `staff-add` command): makes the account with this address staff of the
/// partner, creating the account with `password` when it does not exist yet.
pub async fn add_staff(
    db: &crate::storage::Db,
    network: &domain::Network,
    email: &str,
    partner_id: &str,
    password: Option<String>,
) -> Result<String, String> {
    let partner = network.partner(partner_id).ok_or_else(|| {
        format!("unknown partner {partner_id:?} (see data/locations/network.json)")
    })?;
    let email = super::auth::normalise_email(email).ok_or("not an e-mail address")?;
    let user = match accounts::user_by_email(db, &email)
        .await
        .map_err(|e| e.to_string())?
    {
        Some((user, _)) => user,
        None => {
            let password = password.ok_or("no such account: set STAFF_PASSWORD to create it")?;
            if let Some(problem) = super::auth::password_problem(&password, &email) {
                return Err(problem);
            }
            let hash = super::auth::Hashers::new(1, std::time::Duration::from_secs(60))
                .hash(password)
                .await
                .map_err(|e| e.to_string())?;
            accounts::create_user(db, &email, &hash)
                .await
                .map_err(|e| e.to_string())?
                .ok_or("the account was created meanwhile; run again")?
        }
    };
    accounts::make_staff(db, &user.id, partner_id)
        .await
        .map_err(|e| e.to_string())?;
    Ok(format!(
        "{email} is staff of {} ({partner_id})",
        partner.name
    ))
}

/// The staff member, their partner and its locations.
#[utoipa::path(
    get,
    path = "/agent/me",
    operation_id = "agent_me",
    tag = "agent",
    security(("session" = [])),
    responses((status = 200, description = "The staff member and their partner", body = AgentMe), StaffOnly)
)]
async fn me(State(state): State<AppState>, staff: Staff) -> Json<AgentMe> {
    let partner = state.network.partner(&staff.partner_id);
    let locations = state
        .network
        .locations
        .iter()
        .filter(|l| l.partner == staff.partner_id)
        .map(|l| AgentLocation {
            id: l.id.clone(),
            name: l.name.clone(),
            city: l.city.clone(),
        })
        .collect();
    Json(AgentMe {
        email: staff.user.email,
        partner: AgentPartner {
            name: partner.map(|p| p.name.clone()),
            id: staff.partner_id,
        },
        locations,
    })
}

fn staff_view(o: store::StoredOrder) -> StaffOrderView {
    StaffOrderView {
        next: o.status.next(),
        view: o.view(),
    }
}

/// Which page of a staff list, and what to find.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// A part of the order number or code, or of the customer's name or company (orders).
    #[serde(default)]
    #[param(max_length = 100)]
    q: String,
    /// Orders in this status only.
    status: Option<OrderStatus>,
    /// From 1 (the default).
    #[param(minimum = 1)]
    page: Option<u32>,
    /// 1 to 100; 20 unless given.
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

impl ListQuery {
    /// (page, per page, offset), checked.
    fn window(&self) -> Result<(u32, u32, i64), ApiError> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(PER_PAGE);
        if page == 0 || page > 1_000_000 || !(1..=PER_PAGE_MAX).contains(&per_page) {
            return Err(ApiError::BadRequest(format!(
                "page counts from 1; per_page is 1 to {PER_PAGE_MAX}."
            )));
        }
        if self.q.chars().count() > 100 {
            return Err(ApiError::BadRequest(
                "The search is 100 characters at most.".into(),
            ));
        }
        // PostgreSQL refuses a NUL in text and SQLite's LIKE stops at it (matching every
        // order): refused here, the same on both.
        if self.q.chars().any(char::is_control) {
            return Err(ApiError::BadRequest(
                "The search must not contain control characters.".into(),
            ));
        }
        Ok((page, per_page, i64::from(page - 1) * i64::from(per_page)))
    }
}

#[utoipa::path(get, path = "/agent/orders", operation_id = "agent_orders", tag = "agent", security(("session" = [])), params(ListQuery), responses((status = 200, description = "One page of the partner's orders, newest first", body = AgentOrderPage), (status = 400, description = "`bad_request`: a page, page size, status or search out of range", body = ErrorBody), StaffOnly))]
async fn orders(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<ListQuery>,
) -> Result<Json<AgentOrderPage>, ApiError> {
    let (page, per_page, offset) = query.window()?;
    let (orders, total) = store::page_for_partner(
        &state.db,
        &staff.partner_id,
        &query.q,
        query.status,
        i64::from(per_page),
        offset,
    )
    .await?;
    Ok(Json(AgentOrderPage {
        orders: orders.into_iter().map(staff_view).collect(),
        total,
        page,
        per_page,
    }))
}

#[utoipa::path(post, path = "/agent/orders/{id}/status", operation_id = "change_order_status", tag = "agent", security(("session" = [])), params(("id" = String, Path, description = "The order's id")), request_body = StatusChange, responses((status = 200, description = "Changed: the order", body = StaffOrderView), StaffOnly, (status = 404, description = "`not_found`: no such order at the partner's locations", body = ErrorBody), (status = 409, description = "`conflict`: the order is no longer in `from`; `current` is the order", body = ErrorBody), (status = 422, description = "`invalid` with `field` `to` (not a next status), `note` (over 500 characters) or `reason` (missing for a cancellation, or over 500 characters)", body = ErrorBody)))]
async fn change_status(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    Json(change): Json<StatusChange>,
) -> Result<Json<StaffOrderView>, ApiError> {
    let not_found = || ApiError::NotFound("No such order at your locations.".into());
    let order = store::get_for_partner(&state.db, &staff.partner_id, &id)
        .await?
        .ok_or_else(not_found)?;
    let stale = |current: store::StoredOrder| -> ApiError {
        let message = format!(
            "The order is now \"{}\", not \"{}\": somebody changed it meanwhile. Nothing was changed.",
            current.status, change.from
        );
        match serde_json::to_value(staff_view(current)) {
            Ok(current) => ApiError::Conflict { message, current },
            Err(e) => ApiError::internal(e),
        }
    };
    let by = Mover {
        email: &staff.user.email,
        partner_id: &staff.partner_id,
    };
    let moved = match domain::order::change_status(order.status, &change, by, crate::storage::now())
    {
        Ok(moved) => moved,
        Err(ChangeRefused::Stale) => return Err(stale(order)),
        Err(ChangeRefused::Invalid(invalid)) => return Err(invalid.into()),
    };
    let changed = store::change_status(
        &state.db,
        &order.id,
        &order.number,
        &moved,
        super::request_id(&headers),
    )
    .await?;
    let current = store::get_for_partner(&state.db, &staff.partner_id, &order.id)
        .await?
        .ok_or_else(not_found)?;
    if changed {
        Ok(Json(staff_view(current)))
    } else {
        Err(stale(current))
    }
}

/// The hand-over snapshots made at the partner's locations, newest first.
#[utoipa::path(
    get,
    path = "/agent/handovers",
    operation_id = "agent_handovers",
    tag = "agent",
    security(("session" = [])),
    params(ListQuery),
    responses((status = 200, description = "One page of the partner's snapshots, newest first", body = AgentHandoverPage), (status = 400, description = "`bad_request`: a page, page size or search out of range", body = ErrorBody), StaffOnly)
)]
async fn snapshots(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<ListQuery>,
) -> Result<Json<AgentHandoverPage>, ApiError> {
    let now = crate::storage::now();
    let (page, per_page, offset) = query.window()?;
    let (list, total) = handovers::page_for_partner(
        &state.db,
        &staff.partner_id,
        &query.q,
        i64::from(per_page),
        offset,
    )
    .await?;
    Ok(Json(AgentHandoverPage {
        total,
        page,
        per_page,
        handovers: list
            .into_iter()
            .map(|h| {
                let price = state
                    .catalog
                    .decode(&h.config_code)
                    .ok()
                    .and_then(|sel| state.catalog.complete(&sel))
                    .map(|car| state.catalog.price(&car).gross);
                AgentHandover {
                    display: display(&h.code),
                    code: h.code,
                    config_code: h.config_code,
                    step: h.step,
                    location_id: h.location_id,
                    channel: h.channel,
                    created_at: h.created_at,
                    expires_at: h.expires_at,
                    expired: h.expires_at <= now,
                    opened: h.opened,
                    price,
                }
            })
            .collect(),
    }))
}
