//! `POST /api/orders` (agency model): from a signed-in customer, or from a showroom screen in
//! store mode without sign-in (the order then goes to the account of the address given, see
//! `place`); requires an `Idempotency-Key`; re-validates the car and
//! recomputes every price with the domain crate; a total that differs is refused with 409 and the
//! current price. `GET /api/orders`, `GET /api/orders/{id}`: the owner's only.

use super::auth::CurrentUser;
use super::screens::StoreScreen;
use super::{ApiError, AppState, ClientIp};
use crate::storage::orders::{self as store, NewOrder, Placed, StoredOrder};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use domain::order::{Accepted, Field, Invalid, OrderRequest, OrderView, Problem};
use sha2::{Digest, Sha256};

pub fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(list, place))
        .routes(utoipa_axum::routes!(read))
}

#[utoipa::path(post, path = "/orders", operation_id = "place_order", tag = "orders", security(("session" = [])), params(("Idempotency-Key" = String, Header, description = "8 to 128 characters, one per order: a retry with the same key and the same body answers the stored order (200)", min_length = 8, max_length = 128)), request_body = OrderRequest, responses((status = 201, description = "Ordered", body = OrderView), (status = 200, description = "A retry: the order this key made", body = OrderView), (status = 400, description = "`bad_request`: no or a malformed `Idempotency-Key`, or a body that is not JSON", body = domain::api::ErrorBody), super::responses::NotSignedIn, (status = 409, description = "`conflict`: the price changed; `current` is the current price (`CurrentPrice`)", body = domain::api::ErrorBody), (status = 422, description = "`invalid`: an incomplete or invalid order (with `field` and `problem` when one field is refused), or a key used for another order", body = domain::api::ErrorBody), super::responses::Throttled))]
async fn place(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    screen: StoreScreen,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<OrderView>), ApiError> {
    // A customer's session, or a showroom screen in store mode (see below); nobody else orders.
    let signed_in = super::auth::optional_user(&state, &headers).await?;
    if signed_in.is_none() && screen.0.is_none() {
        return Err(ApiError::Unauthorized("Please sign in.".into()));
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| (8..=128).contains(&k.len()))
        .ok_or_else(|| {
            ApiError::BadRequest(
                "An Idempotency-Key header (8 to 128 characters) is required.".into(),
            )
        })?;
    let request_hash = request_hash(&body);
    // The idempotency lookup is folded into the insert (a taken key writes nothing and answers
    // the stored order). Only a request refused here looks first whether its key made an order
    // before: a retry is answered from what is stored, even if the price changed since.
    let accepted = parse(&body).and_then(|request| {
        let origin = screen.origin();
        let now = crate::storage::now();
        domain::order::accept(&state.catalog, state.network, &request, origin, now)
            .map_err(ApiError::from)
    });
    let order: Accepted = match accepted {
        Ok(accepted) => accepted,
        Err(refused) => {
            let Some(user) = &signed_in else {
                return Err(refused);
            };
            return match store::by_key(&state.db, &user.id, key).await? {
                Some(existing) => replay(existing, &request_hash, &body),
                None => Err(refused),
            };
        }
    };
    // Whose order: the signed-in customer's. On a showroom screen (the server's own fact) a
    // customer may order without signing in, so nobody types a password on a public screen:
    // the order goes to the account of the address they gave, made for it if new, and the
    // confirmation mail there lets them choose a password.
    let user = match signed_in {
        Some(user) => user,
        None => {
            let email = super::auth::normalise_email(&order.record.customer.email)
                .ok_or(Invalid::new(Field::Email, Problem::Format))?;
            crate::storage::accounts::account_for_store_order(&state.db, &email).await?
        }
    };
    // Each order mails a confirmation and reaches the manufacturer: a bounded number per
    // account and per client address. A retry of a stored order gives its share back.
    let address = ip.to_string();
    let allowance = match Taken::new(&state, &user.id, &address) {
        Ok(taken) => taken,
        // A retry of a stored order is answered even when the allowance is spent.
        Err(refused) => {
            return match store::by_key(&state.db, &user.id, key).await? {
                Some(existing) => replay(existing, &request_hash, &body),
                None => Err(refused),
            }
        }
    };
    let placed = store::place(
        &state.db,
        NewOrder {
            user_id: &user.id,
            idempotency_key: key,
            request_hash: &request_hash,
            order: &order,
            request_id: super::request_id(&headers),
        },
    )
    .await?;
    match placed {
        Placed::New(o) => {
            state.metrics.orders_accepted.inc();
            Ok((StatusCode::CREATED, Json(o.customer_view())))
        }
        Placed::Existing(o) => {
            allowance.give_back();
            replay(o, &request_hash, &body)
        }
    }
}

/// One new order taken from the account's and the address's allowances.
struct Taken<'a> {
    state: &'a AppState,
    account: &'a str,
    address: &'a str,
}

impl<'a> Taken<'a> {
    fn new(state: &'a AppState, account: &'a str, address: &'a str) -> Result<Self, ApiError> {
        let too_many = |wait: i64| ApiError::TooMany {
            message: format!(
                "Too many orders at once. Please try again in {} minutes.",
                (wait + 59) / 60
            ),
            retry_after: wait,
        };
        state.orders_per_account.take(account).map_err(too_many)?;
        if let Err(wait) = state.orders_per_address.take(address) {
            state.orders_per_account.give_back(account);
            return Err(too_many(wait));
        }
        Ok(Taken {
            state,
            account,
            address,
        })
    }

    fn give_back(self) {
        self.state.orders_per_account.give_back(self.account);
        self.state.orders_per_address.give_back(self.address);
    }
}

/// The order request in `body`: 400 when it is not JSON, 422 when a field is missing or wrong.
fn parse(body: &[u8]) -> Result<OrderRequest, ApiError> {
    serde_json::from_slice(body).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => {
            ApiError::Unprocessable(format!("The order is incomplete or has a wrong type: {e}."))
        }
        _ => ApiError::BadRequest(format!("The order is not valid JSON: {e}.")),
    })
}

/// The request's JSON in one canonical form (object keys sorted, no whitespace): a retry that
/// re-indents or reorders the same request is the same request.
fn canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(v, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// SHA-256 of the canonical JSON; of the bytes when the body is not JSON (refused anyway).
fn request_hash(body: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value) => {
            let mut text = String::with_capacity(body.len());
            canonical(&value, &mut text);
            hex::encode(Sha256::digest(text.as_bytes()))
        }
        Err(_) => hex::encode(Sha256::digest(body)),
    }
}

fn replay(
    existing: StoredOrder,
    request_hash: &str,
    body: &[u8],
) -> Result<(StatusCode, Json<OrderView>), ApiError> {
    // Orders stored before the canonical form carry the hash of their bytes.
    if existing.request_hash == request_hash
        || existing.request_hash == hex::encode(Sha256::digest(body))
    {
        Ok((StatusCode::OK, Json(existing.customer_view())))
    } else {
        Err(ApiError::Unprocessable(format!(
            "This Idempotency-Key was used for a different order ({}). Use a new key for a new order.",
            existing.number
        )))
    }
}

#[utoipa::path(get, path = "/orders", operation_id = "list_orders", tag = "orders", security(("session" = [])), responses((status = 200, description = "The customer's orders", body = [OrderView]), super::responses::NotSignedIn))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Vec<OrderView>>, ApiError> {
    Ok(Json(
        store::list(&state.db, &user.id)
            .await?
            .into_iter()
            .map(StoredOrder::customer_view)
            .collect(),
    ))
}

#[utoipa::path(get, path = "/orders/{id}", operation_id = "read_order", tag = "orders", security(("session" = [])), params(("id" = String, Path, description = "The order's id")), responses((status = 200, description = "The order", body = OrderView), super::responses::NotSignedIn, (status = 404, description = "`not_found`: no such order in this account", body = domain::api::ErrorBody)))]
async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<OrderView>, ApiError> {
    store::get(&state.db, &user.id, &id)
        .await?
        .map(|o| Json(o.customer_view()))
        .ok_or_else(|| ApiError::NotFound("No such order.".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_hash_ignores_layout_and_key_order() {
        let a = br#"{"a": 1, "b": {"x": [1, 2, {"k": "v"}], "y": null}}"#;
        let b = b"{\n  \"b\": {\"y\": null, \"x\": [1,2,{\"k\":\"v\"}]},\n  \"a\": 1\n}";
        assert_eq!(request_hash(a), request_hash(b));
        assert_ne!(
            request_hash(a),
            request_hash(br#"{"a": 2, "b": {"x": [1, 2, {"k": "v"}], "y": null}}"#)
        );
        assert_ne!(
            request_hash(a),
            request_hash(br#"{"a": 1, "b": {"x": [2, 1, {"k": "v"}], "y": null}}"#)
        );
    }
}
