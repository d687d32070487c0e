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

/// The agency location the customer chose: the agent credited with the order. Kept on this
/// device so it survives a reload and follows the car into checkout.
#[derive(Clone, Copy)]
pub struct ChosenAgent(pub RwSignal<Option<LocationInfo>>);

const AGENT_KEY: &str = "smart1.agent";

fn storage() -> Option<web_sys::Storage> {
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
