//! Store mode: this browser is a showroom screen at one agency location. The location is the
//! agent of everything saved or ordered here. The server decides the rest: a staff member of
//! the location's agent set the screen up (`pages::store`), so it holds a screen token, and only
//! with it is the channel "store" and the staff member the advisor. What is kept here is the
//! screen's own setting; on every start it is checked against the server, and a screen whose
//! token expired or was ended goes back to its welcome page to be set up again. After a while
//! without input the screen warns, then wipes the customer's car, data and session and starts
//! over ([`wipe_and_restart`]; the warning and the clock are the view `components::idle_guard`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreMode {
    pub location_id: String,
    /// Seconds without input before the screen is wiped.
    pub idle_secs: u32,
    /// The staff member who set the screen up (the server names them on its orders).
    #[serde(default)]
    pub advisor: String,
}

/// Two minutes, unless the screen's URL says otherwise (`/store/{id}?idle=90`).
pub const DEFAULT_IDLE_SECS: u32 = 120;
const KEY: &str = "smart1.store";

#[derive(Clone, Copy)]
pub struct Store(pub RwSignal<Option<StoreMode>>);

pub fn provide_store() {
    let saved: Option<StoreMode> = crate::state::storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok());
    // The server sends a showroom screen the shop build (its idle guard) by this cookie.
    let store_cookie = |on: bool| {
        let max_age = if on { 31_536_000 } else { 0 };
        crate::state::set_cookie(domain::pages::STORE_COOKIE, "1", max_age);
    };
    // A screen in store mode that reached the lean build (its cookie was lost): reload with it
    // (online: offline, the service worker has no other page to give).
    if cfg!(feature = "lean") && saved.is_some() && crate::offline::is_online() {
        store_cookie(true);
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    }
    // Store mode is the server's to say: a screen whose token ended is set up again.
    if !cfg!(feature = "lean") {
        if let Some(kept) = saved.clone() {
            let checked = crate::api::screen_state();
            leptos::task::spawn_local(async move {
                // Only the server's "no" counts: without a network the screen carries on.
                let gone = match checked.await {
                    Ok(s) => s.screen.is_none_or(|s| s.location_id != kept.location_id),
                    Err(_) => false,
                };
                let on_welcome = web_sys::window()
                    .and_then(|w| w.location().pathname().ok())
                    .is_some_and(|p| p.starts_with("/store/"));
                if gone && !on_welcome {
                    wipe(None, welcome_path(&kept));
                }
            });
        }
    }
    let mode = RwSignal::new(saved);
    Effect::new(move |_| {
        if let Some(s) = crate::state::storage() {
            let _ = match mode.get() {
                Some(m) => s.set_item(KEY, &serde_json::to_string(&m).unwrap_or_default()),
                None => s.remove_item(KEY),
            };
        }
        store_cookie(mode.with(Option::is_some));
    });
    provide_context(Store(mode));
}

pub fn use_store() -> RwSignal<Option<StoreMode>> {
    use_context::<Store>()
        .map(|s| s.0)
        .unwrap_or_else(|| RwSignal::new(None))
}

/// The screen's welcome page, with its idle period.
fn welcome_path(mode: &StoreMode) -> String {
    format!(
        "/store/{}?idle={}",
        crate::api::encode(&mode.location_id),
        mode.idle_secs
    )
}

/// Ends the customer's visit: signs out on the server, empties this browser's storage except
/// the screen's own setting, and reloads the welcome page so nothing stays in memory either.
pub fn wipe_and_restart(mode: StoreMode) {
    let welcome = welcome_path(&mode);
    wipe(Some(mode), welcome);
}

/// Ends store mode (a staff member signed in on the screen): the last customer's session and
/// data go with it, and the screen starts over as a plain shop.
pub fn end_store_mode() {
    crate::state::set_cookie(domain::pages::STORE_COOKIE, "1", 0);
    wipe(None, "/".into());
}

/// Signs out, empties this browser's storage (keeping the screen's store mode, if given) and
/// loads `then`.
fn wipe(keep: Option<StoreMode>, then: String) {
    leptos::task::spawn_local(async move {
        let signed_out = crate::api::logout().await.is_ok();
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Some(s) = crate::state::storage() {
            // The screen's own location stays its agent (its welcome page needs it offline);
            // one the customer picked does not.
            let agent = crate::state::AGENT_KEY;
            let screen_agent = s.get_item(agent).ok().flatten().filter(|json| {
                serde_json::from_str::<crate::api::LocationInfo>(json)
                    .is_ok_and(|l| keep.as_ref().is_some_and(|m| m.location_id == l.id))
            });
            let _ = s.clear();
            if let Some(mode) = &keep {
                let _ = s.set_item(KEY, &serde_json::to_string(mode).unwrap_or_default());
            }
            if let Some(json) = screen_agent {
                let _ = s.set_item(agent, &json);
            }
            // Offline: the customer's session ends on the server once the network is back.
            if !signed_out {
                let _ = s.set_item(crate::session::SIGN_OUT_PENDING, "1");
            }
        }
        if let Ok(Some(s)) = window.session_storage() {
            let _ = s.clear();
        }
        // The next customer starts in their browser's language, as with a fresh device.
        crate::state::set_cookie(domain::pages::LANG_COOKIE, "", 0);
        let _ = window.location().replace(&then);
    });
}
