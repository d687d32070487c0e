//! The API's wire types: the request and response bodies of `/api`, defined once for the server
//! (which sends and reads them, and describes them in `/api/openapi.json`) and the app (which
//! reads and sends them). Each keeps the exact JSON shape the app reads.
//!
//! With the feature `openapi` (the server only: the app's wasm leaves utoipa out) every type also
//! derives `utoipa::ToSchema` (or `IntoParams` for query strings), so the document is generated
//! from what is really sent.
//!
//! The order model (request, customer, status, the stored order) is `crate::order`.

use crate::catalog_file::Step;
use crate::channel::Channel;
use crate::locations::{Location, Service, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The machine-readable code of every error the API answers. The app words each one itself, in
/// the customer's language (`message` is for logs and people reading the API).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", try_from = "String")]
pub enum ErrorCode {
    /// 400: the request cannot be read (malformed JSON or parameters, a bad code).
    BadRequest,
    /// 401: not signed in, the session ended, or a wrong password.
    Unauthorized,
    /// 403: an unsafe request without `X-Requested-With` or from a foreign origin.
    Csrf,
    /// 403: signed in, but not allowed (a customer in the staff desk).
    Forbidden,
    /// 404.
    NotFound,
    /// 405.
    MethodNotAllowed,
    /// 408: the request took too long to arrive or to answer.
    Timeout,
    /// 409: the write is based on an old version, or the price changed; `current` says what is.
    Conflict,
    /// 409: the most saved configurations an account keeps.
    LimitReached,
    /// 409: a test-drive slot someone else booked first; `current` lists that day's free slots.
    SlotTaken,
    /// 410: a hand-over code that expired.
    Expired,
    /// 413.
    BodyTooLarge,
    /// 414.
    UriTooLong,
    /// 415: the body is not `application/json`.
    UnsupportedMediaType,
    /// 422: readable but not acceptable; with `field` and `problem` when one field is refused.
    Invalid,
    /// 422: a password that is too easy to guess.
    WeakPassword,
    /// 400: a password-reset link that is unknown or used.
    ResetInvalid,
    /// 410: a password-reset link that expired.
    ResetExpired,
    /// 429: too many attempts; `Retry-After` says when to try again.
    TooManyRequests,
    /// 503: busy right now; `Retry-After` says when to try again.
    Busy,
    /// 503: a dependency is not there.
    Unavailable,
    /// 503: mail cannot be sent (no SMTP configured or reachable).
    MailUnavailable,
    /// 500: a fault on our side.
    Internal,
}

/// Read by its name (see [`crate::serde_name::find`]).
impl TryFrom<String> for ErrorCode {
    type Error = String;

    fn try_from(name: String) -> Result<ErrorCode, String> {
        crate::serde_name::find(&ErrorCode::ALL, &name)
            .ok_or_else(|| format!("unknown error code {name:?}"))
    }
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 23] = [
        ErrorCode::BadRequest,
        ErrorCode::Unauthorized,
        ErrorCode::Csrf,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Timeout,
        ErrorCode::Conflict,
        ErrorCode::LimitReached,
        ErrorCode::SlotTaken,
        ErrorCode::Expired,
        ErrorCode::BodyTooLarge,
        ErrorCode::UriTooLong,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::Invalid,
        ErrorCode::WeakPassword,
        ErrorCode::ResetInvalid,
        ErrorCode::ResetExpired,
        ErrorCode::TooManyRequests,
        ErrorCode::Busy,
        ErrorCode::Unavailable,
        ErrorCode::MailUnavailable,
        ErrorCode::Internal,
    ];

    /// The code of an error status that layers answer on their own.
    pub fn for_status(status: u16) -> ErrorCode {
        match status {
            400 => ErrorCode::BadRequest,
            401 => ErrorCode::Unauthorized,
            403 => ErrorCode::Forbidden,
            404 => ErrorCode::NotFound,
            405 => ErrorCode::MethodNotAllowed,
            408 => ErrorCode::Timeout,
            409 => ErrorCode::Conflict,
            410 => ErrorCode::Expired,
            413 => ErrorCode::BodyTooLarge,
            414 => ErrorCode::UriTooLong,
            415 => ErrorCode::UnsupportedMediaType,
            422 => ErrorCode::Invalid,
            429 => ErrorCode::TooManyRequests,
            503 => ErrorCode::Unavailable,
            s if s < 500 => ErrorCode::BadRequest,
            _ => ErrorCode::Internal,
        }
    }
}

/// Every error of the API: `{"error": "<code>", "message": "<plain words>"}`, plus `field` and
/// `problem` when one field is refused (422 `invalid`) and `current` on a 409 for a stale write
/// or a changed price.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorCode,
    /// What went wrong, in plain (English) words.
    pub message: String,
    /// 422 `invalid`: the refused field (`customer.postcode`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<crate::order::Field>,
    /// 422 `invalid`: why the field is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<crate::order::Problem>,
    /// 409 only: the state the write conflicted with (the stored configuration, the current
    /// price, the current order). Raw JSON: each caller reads it as the type it expects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub current: Option<Box<serde_json::value::RawValue>>,
}

impl ErrorBody {
    pub fn new(error: ErrorCode, message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            error,
            message: message.into(),
            field: None,
            problem: None,
            current: None,
        }
    }
}

/// `GET /api/health`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always "ok" (a failing database answers 500).
    pub status: HealthStatus,
    /// The server's version.
    pub version: String,
    pub database: Database,
    pub price_list_version: String,
    /// Outbox events not delivered yet: still being tried, and given up (dead).
    pub outbox: OutboxBacklog,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Ok,
}

/// The database the server runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Database {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxBacklog {
    pub pending: i64,
    pub dead: i64,
}

/// How many characters a new password has (registration, reset): the server refuses others
/// with 422 `invalid`, and the forms say so before sending.
pub const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 10..=128;

/// `POST /api/auth/register` and `POST /api/auth/login`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Credentials {
    pub email: String,
    /// 10 to 128 characters, not guessable (registration); anything (sign-in).
    pub password: String,
}

/// An account as the API shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: String,
    pub email: String,
}

/// `GET /api/me`: `user` is null for a guest (asking is not an error).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user: Option<User>,
    /// The partner a staff member works for; null for customers and guests.
    pub staff_partner: Option<String>,
}

/// `POST /api/auth/reset-request`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetRequest {
    pub email: String,
    /// The mail's language ("de", "en"); else the app's language cookie, else the browser's.
    #[serde(default)]
    pub lang: Option<String>,
}

/// The one answer (202) to every accepted reset request, whether or not the address has an
/// account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetAccepted {
    /// Always "accepted".
    pub status: ResetStatus,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResetStatus {
    Accepted,
}

/// `POST /api/auth/reset/check`: is the mailed link's token still good? (Asked when the page
/// opens, so a used or expired link says so before a new password is typed.)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetLink {
    pub token: String,
}

/// `POST /api/auth/reset`: the token from the mailed link and the new password.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPassword {
    pub token: String,
    pub password: String,
}

/// `POST /api/configurations` and `PUT /api/configurations/{id}`: a car to keep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfigurationBody {
    /// 1 to 80 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub name: String,
    /// The configuration code (model, price-list version, choices).
    pub code: String,
    /// The configurator step the customer was on (e.g. "exterior", "summary").
    #[cfg_attr(feature = "openapi", schema(value_type = crate::Step))]
    pub step: Step,
    #[serde(default)]
    pub location_id: Option<String>,
    /// The version the writer last saw: required for an update, ignored on create.
    #[serde(default)]
    pub version: Option<i64>,
}

/// A saved configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedConfiguration {
    pub id: String,
    pub name: String,
    pub code: String,
    pub step: Step,
    pub price_list_version: String,
    pub location_id: Option<String>,
    /// Where it was first saved: "web", or "store" from a showroom screen that staff put into
    /// store mode (the server decides; a browser's claim counts for nothing).
    pub channel: Channel,
    /// Counts the writes: an update names the version it read.
    pub version: i64,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
}

/// `GET /api/configurations?limit=&offset=`: a page of the list, most recently changed first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
pub struct ConfigurationPage {
    /// 1 to 100 (default 100).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub limit: Option<i64>,
    /// 0 or more (default 0).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(minimum = 0))]
    pub offset: Option<i64>,
}

/// `POST /api/handovers`: a snapshot of the car on screen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewHandover {
    /// The configuration code of the car.
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::Step))]
    pub step: Step,
    #[serde(default)]
    pub location_id: Option<String>,
}

/// A hand-over snapshot under its short code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandoverInfo {
    /// The code as stored ("7KQ9M3XF").
    pub code: String,
    /// The code as shown to people ("7KQ9-M3XF").
    pub display: String,
    /// The path that opens it ("/h/7KQ9M3XF"); the QR code carries it with the origin.
    pub path: String,
    /// The configuration code of the car.
    pub config_code: String,
    pub step: Step,
    pub price_list_version: String,
    pub location_id: Option<String>,
    /// "web" or "store".
    pub channel: Channel,
    /// Unix seconds.
    pub created_at: i64,
    pub expires_at: i64,
}

/// `GET /api/partners`: a partner (agent) and how many locations it runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerSummary {
    pub id: String,
    pub name: String,
    pub locations: usize,
}

/// A location as the API shows it: the location's fields (as in `data/locations/network.json`),
/// its partner's name and, for a search from a point, the distance in km.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocationInfo {
    pub id: String,
    /// The partner's id.
    pub partner: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub district: Option<String>,
    /// Federal state code (BW, BY, BE, ...). (Defaulted when reading: an agent a browser kept
    /// from before the field was sent still reads.)
    #[serde(default)]
    pub state: String,
    pub lat: f64,
    pub lon: f64,
    pub phone: String,
    /// Per weekday, "HH:MM-HH:MM" intervals; an empty list means closed.
    pub hours: BTreeMap<Weekday, Vec<String>>,
    pub services: Vec<Service>,
    /// Sample data, not a verified fact.
    #[serde(default)]
    pub sample: bool,
    pub partner_name: String,
    /// Only in a search from a point (a postcode, a town, coordinates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
}

impl LocationInfo {
    pub fn new(location: &Location, partner_name: &str, distance_km: Option<f64>) -> LocationInfo {
        LocationInfo {
            id: location.id.clone(),
            partner: location.partner.clone(),
            name: location.name.clone(),
            street: location.street.clone(),
            postcode: location.postcode.clone(),
            city: location.city.clone(),
            district: location.district.clone(),
            state: location.state.clone(),
            lat: location.lat,
            lon: location.lon,
            phone: location.phone.clone(),
            hours: location.hours.clone(),
            services: location.services.clone(),
            sample: location.sample,
            partner_name: partner_name.to_string(),
            distance_km,
        }
    }
}

/// The point a search measured from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchOrigin {
    pub lat: f64,
    pub lon: f64,
    /// "20095 Hamburg", a town's name, or empty for coordinates.
    pub label: String,
}

/// `GET /api/locations`: the matches, nearest first when searched from a point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocationSearch {
    pub origin: Option<SearchOrigin>,
    pub locations: Vec<LocationInfo>,
}

/// `GET /api/locations?q=&lat=&lon=&service=&limit=`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
pub struct LocationQuery {
    /// A postcode (nearest first), a town, or a partner's name.
    #[serde(default)]
    pub q: Option<String>,
    /// Latitude, with `lon`: nearest first.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(minimum = -90, maximum = 90))]
    pub lat: Option<f64>,
    /// Longitude, with `lat`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(minimum = -180, maximum = 180))]
    pub lon: Option<f64>,
    /// Only locations offering this service.
    #[serde(default)]
    pub service: Option<Service>,
    /// At most this many (at least 1).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// `GET /api/agent/me`: the staff member, their partner and its locations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentMe {
    pub email: String,
    pub partner: AgentPartner,
    pub locations: Vec<AgentLocation>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentPartner {
    pub id: String,
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentLocation {
    pub id: String,
    pub name: String,
    pub city: String,
}

/// `GET /api/agent/orders`: one page of the partner's orders, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentOrderPage {
    pub orders: Vec<crate::order::StaffOrderView>,
    /// Orders matching the search, on all pages.
    pub total: i64,
    /// From 1.
    pub page: u32,
    pub per_page: u32,
}

/// `GET /api/agent/handovers`: one page of the partner's snapshots, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentHandoverPage {
    pub handovers: Vec<AgentHandover>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

/// How many entries one page of the staff desk's lists holds unless asked otherwise, and the
/// most it may hold.
pub const PER_PAGE: u32 = 20;
pub const PER_PAGE_MAX: u32 = 100;

/// `POST /api/agent/screen/activate` and `/unlock`: a staff member puts a showroom screen into
/// store mode, or ends it, by signing in on it (the screen never gets a staff session).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScreenUnlock {
    pub email: String,
    pub password: String,
    /// The screen's location: only staff of the partner running it may end its store mode.
    pub location_id: String,
}

/// `GET /api/screen`: whether this browser is a showroom screen in store mode (`screen` is
/// `null` when not: that is an answer, not an error).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScreenStatus {
    pub screen: Option<ScreenState>,
}

/// A showroom screen in store mode (also the answer to `POST /api/agent/screen/activate`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScreenState {
    pub location_id: String,
    /// The staff member who set up the screen: named as the serving advisor of its orders.
    pub advisor: String,
    /// Unix seconds: store mode ends then unless staff set the screen up again.
    pub expires_at: i64,
}

/// `GET /api/agent/deliveries`: an event about one of the partner's orders that the outbox relay
/// gave up on (a webhook target or the mail relay kept failing). Staff can replay it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadDelivery {
    pub id: String,
    /// The event that was not delivered.
    pub topic: crate::order::Topic,
    /// The order's number.
    pub number: String,
    pub attempts: i64,
    /// The last attempt's failure.
    pub last_error: Option<String>,
    /// Unix seconds when the relay gave up.
    pub dead_at: i64,
}

/// `GET /api/agent/handovers`: a snapshot handed to one of the partner's locations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentHandover {
    pub display: String,
    pub code: String,
    pub config_code: String,
    pub step: Step,
    pub location_id: Option<String>,
    pub channel: Channel,
    pub created_at: i64,
    pub expires_at: i64,
    pub expired: bool,
    /// How often it was opened.
    pub opened: i64,
    /// The car's gross price in cents; null when its code no longer reads (an old price list).
    pub price: Option<crate::Cents>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every error code and form field reads back from the name it is written as (they are read
    /// by `serde_name::find`), and an unknown name is refused.
    #[test]
    fn every_code_and_field_reads_back_from_its_name() {
        use crate::order::Field;
        for code in ErrorCode::ALL {
            let text = serde_json::to_string(&code).unwrap();
            assert_eq!(serde_json::from_str::<ErrorCode>(&text).unwrap(), code);
        }
        for field in Field::ALL {
            let text = serde_json::to_string(&field).unwrap();
            assert_eq!(serde_json::from_str::<Field>(&text).unwrap(), field);
        }
        assert!(serde_json::from_str::<ErrorCode>("\"nope\"").is_err());
        assert!(serde_json::from_str::<Field>("\"customer.nope\"").is_err());
        let postcode = serde_json::from_str::<Field>("\"customer.postcode\"").unwrap();
        assert_eq!(postcode, Field::Postcode);
    }

    #[test]
    fn an_error_has_current_only_when_there_is_one() {
        let plain = ErrorBody::new(ErrorCode::NotFound, "No such thing.");
        assert_eq!(
            serde_json::to_value(&plain).unwrap(),
            json!({ "error": "not_found", "message": "No such thing." })
        );
        let stale = ErrorBody {
            current: serde_json::value::to_raw_value(&json!({ "version": 2 })).ok(),
            ..ErrorBody::new(ErrorCode::Conflict, "Changed elsewhere.")
        };
        let value = serde_json::to_value(&stale).unwrap();
        assert_eq!(value["current"]["version"], 2);
        let back: ErrorBody = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(serde_json::to_value(&back).unwrap(), value);
    }

    #[test]
    fn error_codes_go_on_the_wire_in_snake_case_and_come_back() {
        for code in ErrorCode::ALL {
            let name = serde_json::to_value(code).unwrap();
            assert!(name
                .as_str()
                .unwrap()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_'));
            assert_eq!(serde_json::from_value::<ErrorCode>(name).unwrap(), code);
        }
        assert_eq!(ErrorCode::for_status(429), ErrorCode::TooManyRequests);
    }

    #[test]
    fn a_location_is_sent_with_its_fields_its_partner_name_and_distance() {
        let network = crate::Network::embedded();
        let location = &network.locations[0];
        let info = LocationInfo::new(location, "Partner", Some(1.5));
        let value = serde_json::to_value(&info).unwrap();
        // The location's own fields as the data file has them, plus the two of the API.
        let mut expected = serde_json::to_value(location).unwrap();
        expected["partner_name"] = json!("Partner");
        expected["distance_km"] = json!(1.5);
        assert_eq!(value, expected);
        assert_eq!(serde_json::from_value::<LocationInfo>(value).unwrap(), info);
        let without = serde_json::to_value(LocationInfo::new(location, "Partner", None)).unwrap();
        assert!(without.get("distance_km").is_none());
    }

    #[test]
    fn bodies_the_app_sends_read_with_their_defaults() {
        let saved: ConfigurationBody =
            serde_json::from_value(json!({ "name": "Mine", "code": "X", "step": "exterior" }))
                .unwrap();
        assert_eq!(saved.version, None);
        // A channel sent by an older app is a claim: read past, never stored (the server
        // records "store" only for a screen staff put into store mode).
        let handover: NewHandover = serde_json::from_value(
            json!({ "code": "X", "step": "exterior", "location_id": null, "channel": "store" }),
        )
        .unwrap();
        assert_eq!(handover.location_id, None);
    }
}
