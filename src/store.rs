//! Store mode: this browser is a showroom screen at one agency location. The location is the
//! agent of everything saved or ordered here and the channel is "store". After a while without
//! input the screen warns, then wipes the customer's car, data and session and starts over.

use crate::components::dialog::Modal;
use crate::i18n::{t, use_lang};
use leptos::ev;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreMode {
    pub location_id: String,
    /// Seconds without input before the screen is wiped.
    pub idle_secs: u32,
}

/// Two minutes, unless the screen's URL says otherwise (`/store/{id}?idle=90`).
pub const DEFAULT_IDLE_SECS: u32 = 120;
const KEY: &str = "smart1.store";

#[derive(Clone, Copy)]
pub struct Store(pub RwSignal<Option<StoreMode>>);

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn provide_store() {
    let saved: Option<StoreMode> = local()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok());
    // The server sends a showroom screen the shop build (its idle guard) by this cookie.
    let store_cookie = |on: bool| {
        let max_age = if on { 31_536_000 } else { 0 };
        crate::state::set_cookie(domain::pages::STORE_COOKIE, "1", max_age);
    };
    // A screen in store mode that reached the lean build (its cookie was lost): reload with it.
    if cfg!(feature = "lean") && saved.is_some() {
        store_cookie(true);
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    }
    let mode = RwSignal::new(saved);
    Effect::new(move |_| {
        if let Some(s) = local() {
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

/// "store" on a showroom screen, "web" everywhere else. Takes the signal from [`use_store`]
/// (called while the component is made: event handlers and tasks have no context).
pub fn channel(store: RwSignal<Option<StoreMode>>) -> &'static str {
    if store.get_untracked().is_some() {
        "store"
    } else {
        "web"
    }
}

/// Ends the customer's visit: signs out on the server, empties this browser's storage except
/// the screen's own setting, and reloads the welcome page so nothing stays in memory either.
pub fn wipe_and_restart(mode: StoreMode) {
    leptos::task::spawn_local(async move {
        let _ = crate::session::sign_out().await;
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Some(s) = local() {
            let _ = s.clear();
            let _ = s.set_item(KEY, &serde_json::to_string(&mode).unwrap_or_default());
        }
        if let Ok(Some(s)) = window.session_storage() {
            let _ = s.clear();
        }
        // The next customer starts in their browser's language, as with a fresh device.
        crate::state::set_cookie(domain::pages::LANG_COOKIE, "", 0);
        let _ = window.location().replace(&format!(
            "/store/{}?idle={}",
            crate::api::encode(&mode.location_id),
            mode.idle_secs
        ));
    });
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Watches for input on a showroom screen; warns before the idle period ends, then wipes.
/// A screen nobody has touched since its last wipe is left alone.
#[component]
pub fn IdleGuard() -> impl IntoView {
    let lang = use_lang();
    let store = use_store();
    let last_input = RwSignal::new(None::<f64>);
    let clock = RwSignal::new(now_ms());
    let touched = move || last_input.set(Some(now_ms()));
    let listeners = [
        window_event_listener(ev::pointerdown, move |_| touched()),
        window_event_listener(ev::keydown, move |_| touched()),
        window_event_listener(ev::wheel, move |_| touched()),
        window_event_listener(ev::touchstart, move |_| touched()),
        // On-screen keyboards of touch screens may send only input events.
        window_event_listener(ev::input, move |_| touched()),
    ];
    let ticking = set_interval_with_handle(move || clock.set(now_ms()), Duration::from_millis(250));
    // Leaving store mode removes the guard: its listeners and its clock go with it.
    on_cleanup(move || {
        listeners.into_iter().for_each(|l| l.remove());
        if let Ok(t) = ticking {
            t.clear();
        }
    });

    let remaining = Memo::new(move |_| {
        let mode = store.get()?;
        let since = (clock.get() - last_input.get()?) / 1000.0;
        Some(mode.idle_secs as f64 - since)
    });
    // The warning shows for the last third of the period, at most 30 seconds.
    let warn_for = move || {
        store
            .get()
            .map_or(0.0, |m| (m.idle_secs as f64 / 3.0).min(30.0))
    };
    let warning = Signal::derive(move || remaining.get().is_some_and(|r| r <= warn_for()));
    let wiping = StoredValue::new(false);
    Effect::new(move |_| {
        if remaining.get().is_some_and(|r| r <= 0.0) && !wiping.get_value() {
            wiping.set_value(true);
            if let Some(mode) = store.get_untracked() {
                wipe_and_restart(mode);
            }
        }
    });
    view! {
        <Modal open=warning on_close=Callback::new(move |_| touched()) labelled_by="idle-title" testid="idle-warning">
            <h2 id="idle-title">{move || t(lang.get(), "idle.title")}</h2>
            <p aria-live="polite">
                {move || t(lang.get(), "idle.lead").replace("{n}", &remaining.get().unwrap_or(0.0).ceil().max(0.0).to_string())}
            </p>
            <div class="dialog-actions">
                <button type="button" class="primary" data-testid="idle-continue" on:click=move |_| touched()>
                    {move || t(lang.get(), "idle.continue")}
                </button>
            </div>
        </Modal>
    }
}
