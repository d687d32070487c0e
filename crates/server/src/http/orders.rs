//! `POST /api/orders` (agency model): requires an `Idempotency-Key`; re-validates the car and
//! recomputes every price with the domain crate; a total that differs is refused with 409 and the
//! current price. `GET /api/orders`, `GET /api/orders/{id}`: the owner's only.

use super::auth::{normalise_email, CurrentUser};
use super::{ApiError, AppState};
use crate::storage::orders::{self as store, NewOrder, Placed, StoredOrder};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use domain::hygiene::{clean_optional, clean_text, limits, parse_date};
use domain::{Cents, FinancingRequest, LeasingRequest};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

/// The version of the terms a customer must accept.
pub const TERMS_VERSION: &str = "2023-11";
/// The order status model, in order (cancelled can follow any of the first five).
pub const STATUSES: [&str; 7] = [
    "received",
    "confirmed",
    "assigned_to_agent",
    "in_production",
    "ready_for_handover",
    "handed_over",
    "cancelled",
];

pub fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(list, place))
        .routes(utoipa_axum::routes!(read))
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerKind {
    Private,
    Business,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Customer {
    pub kind: CustomerKind,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub vat_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Payment {
    Cash,
    Financing {
        term_months: u32,
        down_payment: Cents,
        /// The final instalment of a balloon financing; none for a plain loan.
        #[serde(default)]
        balloon: Cents,
    },
    Leasing {
        term_months: u32,
        yearly_km: u32,
        down_payment: Cents,
    },
}

/// Where something was saved or ordered: at home/on the go, or on a showroom screen.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    #[default]
    Web,
    Store,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Store => "store",
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct OrderRequest {
    pub code: String,
    pub price_list_version: String,
    /// The gross total the customer saw and accepted.
    pub expected_total: Cents,
    pub customer: Customer,
    pub location_id: String,
    pub channel: Channel,
    #[serde(default)]
    pub staff: Option<String>,
    pub payment: Payment,
    /// "YYYY-MM-DD", not before the earliest delivery.
    #[serde(default)]
    pub desired_delivery: Option<String>,
    pub terms_version: String,
    pub withdrawal_notice_shown: bool,
    pub privacy_accepted: bool,
    #[serde(default)]
    pub marketing_consent: bool,
}

/// A desired delivery date may be at most this many days ahead.
const LATEST_DELIVERY_DAYS: i64 = 2 * 366;

/// The customer as stored: every text field NFC, trimmed and checked (control and bidi
/// characters, blank, length: `domain::hygiene`), the e-mail address trimmed.
fn clean_customer(c: &Customer) -> Result<Customer, ApiError> {
    let text = |label: &str, value: &str, max: usize| {
        clean_text(value, max).map_err(|p| ApiError::Unprocessable(format!("{label} {p}.")))
    };
    let first_name = text("First name", &c.first_name, limits::NAME)?;
    let last_name = text("Last name", &c.last_name, limits::NAME)?;
    let email = text("E-mail address", &c.email, limits::EMAIL)?;
    field(
        normalise_email(&email).is_some(),
        "Please enter a valid e-mail address.",
    )?;
    let optional = |label: &str, value: Option<&str>, max: usize| {
        clean_optional(value, max).map_err(|p| ApiError::Unprocessable(format!("{label} {p}.")))
    };
    let company = optional("Company", c.company.as_deref(), limits::COMPANY)?;
    let vat_id = optional("VAT ID", c.vat_id.as_deref(), limits::VAT_ID)?;
    if let CustomerKind::Business = c.kind {
        field(company.is_some(), "Business customers need a company name.")?;
        field(
            vat_id.as_deref().is_some_and(valid_vat_id),
            "A German VAT ID is DE followed by 9 digits.",
        )?;
    }
    Ok(Customer {
        kind: c.kind.clone(),
        company,
        vat_id,
        first_name,
        last_name,
        email,
        phone: text("Phone", &c.phone, limits::PHONE)?,
        street: text("Street", &c.street, limits::STREET)?,
        postcode: c.postcode.trim().to_string(),
        city: text("Town", &c.city, limits::CITY)?,
    })
}

/// A German VAT ID: "DE" and nine digits.
pub fn valid_vat_id(id: &str) -> bool {
    let id: String = id.chars().filter(|c| !c.is_whitespace()).collect();
    id.len() == 11 && id.starts_with("DE") && id[2..].bytes().all(|b| b.is_ascii_digit())
}

fn field(ok: bool, message: &str) -> Result<(), ApiError> {
    if ok {
        Ok(())
    } else {
        Err(ApiError::Unprocessable(message.to_string()))
    }
}

/// Everything the order needs, checked; returns the record to store.
fn accept(state: &AppState, r: &OrderRequest) -> Result<serde_json::Value, ApiError> {
    let cat = &state.catalog;
    if r.price_list_version != cat.version() {
        return Err(ApiError::Unprocessable(format!(
            "Price list {} is not offered any more; the current one is {}.",
            r.price_list_version,
            cat.version()
        )));
    }
    let selection = cat
        .decode(&r.code)
        .map_err(|e| ApiError::Unprocessable(format!("Configuration code: {e}.")))?;
    let car = cat
        .complete(&selection)
        .ok_or_else(|| ApiError::Unprocessable("The configuration cannot be built.".into()))?;
    cat.validate(&car)
        .map_err(|e| ApiError::Unprocessable(format!("The configuration cannot be built: {e}.")))?;
    let price = cat.price(&car);
    if price.gross != r.expected_total {
        return Err(ApiError::Conflict {
            message: format!(
                "The price is {} EUR, not {} EUR. Please check and accept the current price.",
                price.gross.format(domain::Lang::En),
                r.expected_total.format(domain::Lang::En)
            ),
            current: json!({ "price": price }),
        });
    }
    let location = state.network.location(&r.location_id).ok_or_else(|| {
        ApiError::Unprocessable(format!("Unknown agency location {:?}.", r.location_id))
    })?;
    let partner = state
        .network
        .partner(&location.partner)
        .map(|p| p.name.clone())
        .unwrap_or_default();

    let c = &clean_customer(&r.customer)?;
    field(
        c.phone.chars().filter(char::is_ascii_digit).count() >= 6
            && c.phone
                .chars()
                .all(|ch| ch.is_ascii_digit() || " +-/()".contains(ch)),
        "Please enter a phone number: at least 6 digits, and only digits, spaces and + - / ( ).",
    )?;
    field(
        c.postcode.len() == 5 && c.postcode.bytes().all(|b| b.is_ascii_digit()),
        "A German postcode has 5 digits.",
    )?;
    field(
        r.terms_version == TERMS_VERSION,
        &format!("Please accept the current terms (version {TERMS_VERSION})."),
    )?;
    field(
        r.privacy_accepted,
        "Please confirm that you have read the privacy notice.",
    )?;
    let consumer = matches!(c.kind, CustomerKind::Private);
    field(
        !consumer || r.withdrawal_notice_shown,
        "Consumers must be shown the withdrawal notice.",
    )?;
    let staff = clean_optional(r.staff.as_deref(), limits::NAME)
        .map_err(|p| ApiError::Unprocessable(format!("Staff member: {p}.")))?;
    if let Channel::Store = r.channel {
        field(
            staff.is_some(),
            "An order in a store names the serving staff member.",
        )?;
    }

    let payment = match &r.payment {
        Payment::Cash => json!({ "method": "cash" }),
        Payment::Financing {
            term_months,
            down_payment,
            balloon,
        } => {
            let f = cat
                .financing(
                    price.gross,
                    &FinancingRequest {
                        term_months: *term_months,
                        down_payment: *down_payment,
                        balloon: *balloon,
                    },
                )
                .map_err(|e| ApiError::Unprocessable(format!("Financing: {e}.")))?;
            json!({ "method": "financing", "financing": f })
        }
        Payment::Leasing {
            term_months,
            yearly_km,
            down_payment,
        } => {
            let l = cat
                .leasing(
                    price.gross,
                    &LeasingRequest {
                        term_months: *term_months,
                        yearly_km: *yearly_km,
                        down_payment: *down_payment,
                    },
                )
                .map_err(|e| ApiError::Unprocessable(format!("Leasing: {e}.")))?;
            json!({ "method": "leasing", "leasing": l })
        }
    };
    let weeks = cat.delivery_weeks(&car);
    let today = crate::storage::now() / 86_400;
    let earliest = today + 7 * weeks as i64;
    if let Some(desired) = &r.desired_delivery {
        let day = parse_date(desired).ok_or_else(|| {
            ApiError::Unprocessable(
                "The desired delivery date is written YYYY-MM-DD, e.g. 2030-01-31.".into(),
            )
        })?;
        field(day >= earliest, &format!("The desired delivery date cannot be before the earliest estimate ({weeks} weeks from today)."))?;
        field(
            day <= today + LATEST_DELIVERY_DAYS,
            "The desired delivery date can be at most two years from today.",
        )?;
    }
    let choices: Vec<serde_json::Value> = cat
        .chosen(&car)
        .map(|ch| json!({ "code": ch.code, "name": ch.name }))
        .collect();
    Ok(json!({
        "seller": cat.data.seller,
        "customer": c,
        "agent": { "partner_id": location.partner, "partner": partner, "location_id": location.id, "location": location.name,
                   "address": format!("{}, {} {}", location.street, location.postcode, location.city), "phone": location.phone },
        "channel": r.channel,
        "staff": staff,
        "configuration": { "code": r.code, "choices": choices },
        "price_list_version": cat.version(),
        "price": price,
        "payment": payment,
        "delivery": { "estimated_weeks": weeks, "earliest_date_days": earliest, "desired": r.desired_delivery },
        "terms_version": r.terms_version,
        "withdrawal_notice_shown": r.withdrawal_notice_shown,
        "consents": { "privacy": r.privacy_accepted, "marketing": r.marketing_consent },
    }))
}

/// "S1-7KQ9-M3XF": readable, no look-alike characters.
fn order_number() -> String {
    let code = crate::storage::readable_code(8);
    format!("S1-{}-{}", &code[..4], &code[4..])
}

fn confirmation(number: &str, order: &serde_json::Value) -> serde_json::Value {
    let total = order["price"]["gross"]
        .as_i64()
        .map(Cents)
        .unwrap_or_default();
    let agent = order["agent"]["location"].as_str().unwrap_or_default();
    json!({
        "to": order["customer"]["email"],
        "subject": { "de": format!("Ihre smart #1 Bestellung {number}"), "en": format!("Your smart #1 order {number}") },
        "body": {
            "de": format!("Vielen Dank für Ihre Bestellung {number} über {}. Ihr smart Agent {agent} meldet sich bei Ihnen. Sie können Ihre Bestellung binnen 14 Tagen widerrufen.", total.format(domain::Lang::De)),
            "en": format!("Thank you for your order {number} of {}. Your smart agent {agent} will contact you. You may withdraw from your order within 14 days.", total.format(domain::Lang::En)),
        },
    })
}

#[derive(Serialize)]
struct OrderOut {
    id: String,
    number: String,
    status: String,
    created_at: i64,
    order: serde_json::Value,
    history: Vec<store::StatusEntry>,
}

fn out(o: StoredOrder) -> Json<OrderOut> {
    Json(OrderOut {
        id: o.id,
        number: o.number,
        status: o.status,
        created_at: o.created_at,
        order: o.order,
        history: o.history,
    })
}

#[utoipa::path(post, path = "/orders", operation_id = "place_order", tag = "orders", security(("session" = [])), params(("Idempotency-Key" = String, Header, description = "8 to 128 characters, one per order: a retry with the same key and the same body answers the stored order (200)", min_length = 8, max_length = 128)), request_body = Object, responses((status = 201, description = "Ordered", body = Object), (status = 200, description = "A retry: the order this key made", body = Object), (status = 400, description = "`bad_request`: no or a malformed `Idempotency-Key`, or a body that is not JSON", body = domain::api::ErrorBody), super::openapi::NotSignedIn, (status = 409, description = "`conflict`: the price changed; `current` is the current price", body = domain::api::ErrorBody), (status = 422, description = "`invalid`: an incomplete or invalid order, or a key used for another order", body = domain::api::ErrorBody)))]
async fn place(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<OrderOut>), ApiError> {
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
    // A retry is answered from what is stored, before anything else is checked.
    if let Some(existing) = store::by_key(&state.db, &user.id, key).await? {
        return replay(existing, &request_hash, &body);
    }
    let request: OrderRequest = serde_json::from_slice(&body).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => {
            ApiError::Unprocessable(format!("The order is incomplete or has a wrong type: {e}."))
        }
        _ => ApiError::BadRequest(format!("The order is not valid JSON: {e}.")),
    })?;
    let order = accept(&state, &request)?;
    let number = order_number();
    let placed = store::place(
        &state.db,
        NewOrder {
            user_id: &user.id,
            idempotency_key: key,
            request_hash: &request_hash,
            location_id: &request.location_id,
            partner_id: order["agent"]["partner_id"].as_str().unwrap_or_default(),
            number: &number,
            body: &order,
            outbox: vec![
                ("order.placed", json!({ "number": number, "order": order })),
                ("customer.confirmation", confirmation(&number, &order)),
            ],
        },
    )
    .await?;
    match placed {
        Placed::New(o) => Ok((StatusCode::CREATED, out(o))),
        Placed::Existing(o) => replay(o, &request_hash, &body),
    }
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
) -> Result<(StatusCode, Json<OrderOut>), ApiError> {
    // Orders stored before the canonical form carry the hash of their bytes.
    if existing.request_hash == request_hash
        || existing.request_hash == hex::encode(Sha256::digest(body))
    {
        Ok((StatusCode::OK, out(existing)))
    } else {
        Err(ApiError::Unprocessable(format!(
            "This Idempotency-Key was used for a different order ({}). Use a new key for a new order.",
            existing.number
        )))
    }
}

#[utoipa::path(get, path = "/orders", operation_id = "list_orders", tag = "orders", security(("session" = [])), responses((status = 200, description = "The customer's orders", body = [Object]), super::openapi::NotSignedIn))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Vec<OrderOut>>, ApiError> {
    Ok(Json(
        store::list(&state.db, &user.id)
            .await?
            .into_iter()
            .map(|o| out(o).0)
            .collect(),
    ))
}

#[utoipa::path(get, path = "/orders/{id}", operation_id = "read_order", tag = "orders", security(("session" = [])), params(("id" = String, Path, description = "The order's id")), responses((status = 200, description = "The order", body = Object), super::openapi::NotSignedIn, (status = 404, description = "`not_found`: no such order in this account", body = domain::api::ErrorBody)))]
async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<OrderOut>, ApiError> {
    store::get(&state.db, &user.id, &id)
        .await?
        .map(out)
        .ok_or_else(|| ApiError::NotFound("No such order.".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_ids() {
        assert!(valid_vat_id("DE123456789"));
        assert!(valid_vat_id("DE 123 456 789"));
        assert!(!valid_vat_id("DE12345678"));
        assert!(!valid_vat_id("AT123456789"));
    }

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

    #[test]
    fn order_numbers_are_readable() {
        let n = order_number();
        assert_eq!(n.len(), 12);
        assert!(n.starts_with("S1-"));
        assert!(
            n[3..].chars().all(|c| c == '-' || !"01OI".contains(c)),
            "{n}"
        );
    }
}
