//! State shared by the whole app.

use crate::api::LocationInfo;
use domain::Catalog;
use leptos::prelude::*;
use std::sync::OnceLock;

/// The price list compiled into the app: the same data and code the server prices with.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::current)
}

/// Sets a first-party cookie for the whole site (`max_age_secs` 0 removes it): small facts the
/// server needs before the app runs (`domain::pages::LANG_COOKIE`, `STORE_COOKIE`).
pub fn set_cookie(name: &str, value: &str, max_age_secs: u32) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        let doc: web_sys::HtmlDocument = wasm_bindgen::JsCast::unchecked_into(doc);
        let _ = doc.set_cookie(&format!(
            "{name}={value}; path=/; max-age={max_age_secs}; SameSite=Lax"
        ));
    }
}

/// The agency location the customer chose: the agent credited with the order. Kept on this
/// device so it survives a reload and follows the car into checkout.
#[derive(Clone, Copy)]
pub struct ChosenAgent(pub RwSignal<Option<LocationInfo>>);

pub const AGENT_KEY: &str = "smart1.agent";

/// This browser's localStorage (none in a browser that refuses it).
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn provide_agent() -> ChosenAgent {
    let saved = storage()
        .and_then(|s| s.get_item(AGENT_KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok());
    let agent = ChosenAgent(RwSignal::new(saved));
    Effect::new(move |_| {
        if let Some(s) = storage() {
            let _ = match agent.0.get() {
                Some(l) => s.set_item(AGENT_KEY, &serde_json::to_string(&l).unwrap_or_default()),
                None => s.remove_item(AGENT_KEY),
            };
        }
    });
    provide_context(agent);
    agent
}

pub fn use_agent() -> RwSignal<Option<LocationInfo>> {
    use_context::<ChosenAgent>()
        .map(|a| a.0)
        .unwrap_or_else(|| RwSignal::new(None))
}

/// The financing and leasing parameters the customer chose (in the summary): the price bar
/// shows their rate, checkout offers them. Kept on this device.
#[derive(Clone, Copy)]
pub struct Rates {
    pub financing: RwSignal<domain::FinancingRequest>,
    pub leasing: RwSignal<domain::LeasingRequest>,
}

pub fn provide_rates() {
    let (financing, leasing) = crate::draft::load_rates()
        .unwrap_or_else(|| (catalog().default_financing(), catalog().default_leasing()));
    let rates = Rates {
        financing: RwSignal::new(financing),
        leasing: RwSignal::new(leasing),
    };
    // Saved only once the customer changes them (the first run is the loaded state).
    Effect::new(move |first: Option<()>| {
        let (f, l) = (rates.financing.get(), rates.leasing.get());
        if first.is_some() {
            crate::draft::save_rates(&f, &l);
        }
    });
    provide_context(rates);
}

pub fn use_rates() -> Rates {
    use_context::<Rates>().unwrap_or_else(|| Rates {
        financing: RwSignal::new(catalog().default_financing()),
        leasing: RwSignal::new(catalog().default_leasing()),
    })
}
