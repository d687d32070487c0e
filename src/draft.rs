//! The draft on this device: the car in progress, saved to localStorage on every change so
//! nothing is lost when the tab closes; offered back when the customer returns.

use crate::state::storage;
use serde::{Deserialize, Serialize};

const KEY: &str = "smart1.draft";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// The configuration code.
    pub code: String,
    /// The configurator step (slug).
    pub step: String,
    /// Milliseconds since the epoch.
    pub saved_at: f64,
}

pub fn load() -> Option<Draft> {
    serde_json::from_str(&storage()?.get_item(KEY).ok().flatten()?).ok()
}

pub fn save(code: &str, step: &str) {
    let draft = Draft {
        code: code.to_string(),
        step: step.to_string(),
        saved_at: js_sys_now(),
    };
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(&draft)) {
        let _ = s.set_item(KEY, &json);
    }
}

pub fn clear() {
    if let Some(s) = storage() {
        let _ = s.remove_item(KEY);
    }
}

fn js_sys_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.time_origin() + p.now())
        .unwrap_or(0.0)
}

const RATES_KEY: &str = "smart1.rates";

/// The financing and leasing parameters chosen in the summary, carried into checkout.
pub fn save_rates(financing: &domain::FinancingRequest, leasing: &domain::LeasingRequest) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(&(financing, leasing))) {
        let _ = s.set_item(RATES_KEY, &json);
    }
}

pub fn load_rates() -> Option<(domain::FinancingRequest, domain::LeasingRequest)> {
    serde_json::from_str(&storage()?.get_item(RATES_KEY).ok().flatten()?).ok()
}

const PENDING_KEY: &str = "smart1.pending_save";

/// A save to the account made without a network: kept on this device (in this browser's
/// storage, which a showroom screen's idle reset empties) until it can be sent. One at a time:
/// a later save replaces it, as it would have replaced it on the server.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingSave {
    /// The account it is for: sent only while that account is signed in here.
    pub owner: String,
    /// The saved configuration it updates; none for a new one.
    pub id: Option<String>,
    /// The request body, as JSON text (`domain::api::ConfigurationBody`).
    pub body: String,
}

/// Kept as plain text: the owner's id, the saved configuration's id (empty for a new one), a
/// line each, then the body.
pub fn keep_pending_save(save: &PendingSave) {
    if let Some(s) = storage() {
        let id = save.id.as_deref().unwrap_or("");
        let _ = s.set_item(PENDING_KEY, &format!("{}\n{id}\n{}", save.owner, save.body));
    }
}

pub fn pending_save() -> Option<PendingSave> {
    let text = storage()?.get_item(PENDING_KEY).ok().flatten()?;
    let mut lines = text.splitn(3, '\n');
    let (owner, id, body) = (lines.next()?, lines.next()?, lines.next()?);
    Some(PendingSave {
        owner: owner.to_string(),
        id: (!id.is_empty()).then(|| id.to_string()),
        body: body.to_string(),
    })
}

pub fn clear_pending_save() {
    if let Some(s) = storage() {
        let _ = s.remove_item(PENDING_KEY);
    }
}
