//! Every HTTP call of the app and the types that cross the wire. Errors come back as the
//! server's JSON `{error, message}` so the UI can say what went wrong in plain words.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ApiError {
    #[serde(default)]
    pub status: u16,
    pub error: String,
    pub message: String,
    /// With a 422 `invalid`: the refused field and why.
    #[serde(default)]
    pub field: Option<domain::order::Field>,
    #[serde(default)]
    pub problem: Option<domain::order::Problem>,
    /// With a 409: what the server holds now, as JSON text for the caller to read as its type
    /// (kept as text: a generic JSON value reader would be code in every download for nothing).
    #[serde(default, deserialize_with = "raw_json")]
    pub current: Option<String>,
}

fn raw_json<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let raw: Option<Box<serde_json::value::RawValue>> = Deserialize::deserialize(d)?;
    Ok(raw.map(|r| r.get().to_string()))
}

impl ApiError {
    /// The refused field, when the server named one.
    pub fn invalid(&self) -> Option<domain::order::Invalid> {
        Some(domain::order::Invalid::new(self.field?, self.problem?))
    }

    fn network() -> ApiError {
        ApiError {
            status: 0,
            error: "network".into(),
            message: "The server cannot be reached. Please check your connection.".into(),
            current: None,
            field: None,
            problem: None,
        }
    }
}

async fn request<T: DeserializeOwned>(
    method: &str,
    url: &str,
    body: Option<String>,
    idempotency_key: Option<&str>,
) -> Result<T, ApiError> {
    let window = web_sys::window().ok_or_else(ApiError::network)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(|_| ApiError::network())?;
    let _ = headers.set("Accept", "application/json");
    // A custom header a cross-site form cannot send: the server's CSRF defence.
    let _ = headers.set("X-Requested-With", "smart1-app");
    if let Some(key) = idempotency_key {
        let _ = headers.set("Idempotency-Key", key);
    }
    if let Some(b) = &body {
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&wasm_bindgen::JsValue::from_str(b));
    }
    init.set_headers(&headers);
    let request =
        web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| ApiError::network())?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| ApiError::network())?
        .unchecked_into();
    let text = JsFuture::from(response.text().map_err(|_| ApiError::network())?)
        .await
        .map_err(|_| ApiError::network())?;
    let mut text = text.as_string().unwrap_or_default();
    if text.is_empty() {
        text = "null".into(); // 204 No Content
    }
    if response.ok() {
        serde_json::from_str(&text).map_err(|e| ApiError {
            status: response.status(),
            error: "decode".into(),
            message: e.to_string(),
            current: None,
            field: None,
            problem: None,
        })
    } else {
        let mut e: ApiError = serde_json::from_str(&text).unwrap_or_else(|_| ApiError {
            status: 0,
            error: "http".into(),
            message: format!("The server answered {}.", response.status()),
            current: None,
            field: None,
            problem: None,
        });
        e.status = response.status();
        Err(e)
    }
}

pub async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    request("GET", url, None, None).await
}

pub async fn send<T: DeserializeOwned, B: Serialize>(
    method: &str,
    url: &str,
    body: &B,
) -> Result<T, ApiError> {
    request(
        method,
        url,
        Some(serde_json::to_string(body).unwrap_or_default()),
        None,
    )
    .await
}

/// A POST that may be retried safely: the server makes one result of one key.
pub async fn send_once<T: DeserializeOwned, B: Serialize>(
    url: &str,
    key: &str,
    body: &B,
) -> Result<T, ApiError> {
    request(
        "POST",
        url,
        Some(serde_json::to_string(body).unwrap_or_default()),
        Some(key),
    )
    .await
}

/// Query string value encoding.
pub fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

/// A location as `/api/locations` returns it.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct LocationInfo {
    pub id: String,
    pub partner: String,
    pub partner_name: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    pub phone: String,
    pub hours: std::collections::BTreeMap<domain::locations::Weekday, Vec<String>>,
    pub services: Vec<domain::Service>,
    #[serde(default)]
    pub distance_km: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Origin {
    pub lat: f64,
    pub lon: f64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct LocationSearch {
    pub origin: Option<Origin>,
    pub locations: Vec<LocationInfo>,
}
