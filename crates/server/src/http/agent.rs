//! The agent's view (`/api/agent/...`): staff accounts belong to one partner and see the orders
//! and hand-over snapshots credited to that partner's locations, and move orders along the
//! status model. Guests get 401, customers 403, another partner's order is simply not found.

use super::auth::CurrentUser;
use super::handovers::display;
use super::openapi::StaffOnly;
use super::orders::STATUSES;
use super::{ApiError, AppState};
use crate::storage::accounts::{self, User};
use crate::storage::{handovers, orders as store};
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::Json;
use domain::api::{AgentHandover, AgentLocation, AgentMe, AgentPartner, ErrorBody};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(orders))
        .routes(routes!(change_status))
        .routes(routes!(snapshots))
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

/// The statuses an order may move to from `status`: the next one along the model, and
/// "cancelled" until the car is handed over.
pub fn next_statuses(status: &str) -> Vec<&'static str> {
    let Some(i) = STATUSES.iter().position(|s| *s == status) else {
        return Vec::new();
    };
    let handed_over = STATUSES
        .iter()
        .position(|s| *s == "handed_over")
        .unwrap_or(0);
    let mut next = Vec::new();
    if i < handed_over {
        next.push(STATUSES[i + 1]);
        next.push("cancelled");
    }
    next
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

fn order_out(o: store::StoredOrder) -> Value {
    json!({
        "id": o.id,
        "number": o.number,
        "next": next_statuses(&o.status),
        "status": o.status,
        "created_at": o.created_at,
        "order": o.order,
        "history": o.history,
    })
}

#[utoipa::path(get, path = "/agent/orders", operation_id = "agent_orders", tag = "agent", security(("session" = [])), responses((status = 200, description = "The partner's orders, newest first", body = [Object]), StaffOnly))]
async fn orders(State(state): State<AppState>, staff: Staff) -> Result<Json<Vec<Value>>, ApiError> {
    Ok(Json(
        store::for_partner(&state.db, &staff.partner_id)
            .await?
            .into_iter()
            .map(order_out)
            .collect(),
    ))
}

#[derive(Deserialize)]
struct StatusChange {
    /// The status the staff member saw: if it changed meanwhile, nothing happens (409).
    from: String,
    to: String,
    #[serde(default)]
    note: Option<String>,
}

#[utoipa::path(post, path = "/agent/orders/{id}/status", operation_id = "change_order_status", tag = "agent", security(("session" = [])), params(("id" = String, Path, description = "The order's id")), request_body = Object, responses((status = 200, description = "Changed: the order", body = Object), StaffOnly, (status = 404, description = "`not_found`: no such order at the partner's locations", body = ErrorBody), (status = 409, description = "`conflict`: the order is no longer in `from`; `current` is the order", body = ErrorBody), (status = 422, description = "`invalid`: not a next status, or a note over 500 characters", body = ErrorBody)))]
async fn change_status(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Json(change): Json<StatusChange>,
) -> Result<Json<Value>, ApiError> {
    let not_found = || ApiError::NotFound("No such order at your locations.".into());
    let order = store::get_for_partner(&state.db, &staff.partner_id, &id)
        .await?
        .ok_or_else(not_found)?;
    let stale = |current: store::StoredOrder| {
        ApiError::Conflict {
        message: format!(
            "The order is now \"{}\", not \"{}\": somebody changed it meanwhile. Nothing was changed.",
            current.status, change.from
        ),
        current: order_out(current),
    }
    };
    if order.status != change.from {
        return Err(stale(order));
    }
    if !next_statuses(&order.status).contains(&change.to.as_str()) {
        return Err(ApiError::Unprocessable(format!(
            "An order that is \"{}\" cannot become \"{}\"; possible: {}.",
            order.status,
            change.to,
            next_statuses(&order.status).join(", ")
        )));
    }
    let note = change.note.as_deref().map(str::trim).unwrap_or_default();
    if note.chars().count() > 500 {
        return Err(ApiError::Unprocessable(
            "The note may have at most 500 characters.".into(),
        ));
    }
    let note = if note.is_empty() {
        format!("by {}", staff.user.email)
    } else {
        format!("{note} (by {})", staff.user.email)
    };
    let event = json!({
        "number": order.number, "from": order.status, "to": change.to,
        "partner_id": staff.partner_id, "at": crate::storage::now(),
    });
    let changed = store::change_status(
        &state.db,
        &order.id,
        &order.status,
        &change.to,
        &note,
        event,
    )
    .await?;
    let current = store::get_for_partner(&state.db, &staff.partner_id, &order.id)
        .await?
        .ok_or_else(not_found)?;
    if changed {
        Ok(Json(order_out(current)))
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
    responses((status = 200, description = "The partner's snapshots, newest first", body = [AgentHandover]), StaffOnly)
)]
async fn snapshots(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<Vec<AgentHandover>>, ApiError> {
    let now = crate::storage::now();
    let list = handovers::for_partner(&state.db, &staff.partner_id).await?;
    Ok(Json(
        list.into_iter()
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
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_move_forward_one_status_at_a_time_or_are_cancelled() {
        assert_eq!(next_statuses("received"), ["confirmed", "cancelled"]);
        assert_eq!(
            next_statuses("ready_for_handover"),
            ["handed_over", "cancelled"]
        );
        assert!(next_statuses("handed_over").is_empty());
        assert!(next_statuses("cancelled").is_empty());
        assert!(next_statuses("unknown").is_empty());
    }
}
