//! Working offline, as the page shows it: whether the device reaches the server, and that a new
//! version of the app waits to be loaded. The service worker itself (`/sw.js`, written by the
//! server: `server::http::offline`) is registered by the page's boot script after load
//! (`Trunk.toml`), which tells the app of a waiting version (`smart1-update`) and reloads under
//! it when the customer says so (`smart1-reload`): a few lines of script, not bindings in every
//! build's wasm.

use leptos::ev;
use leptos::prelude::*;
use std::cell::Cell;

#[derive(Clone, Copy)]
pub struct Offline {
    /// False while the device has no network: the browser's `online` and `offline` events, and
    /// whether the last request reached the server.
    pub online: RwSignal<bool>,
    /// A new version of the app is installed and waits for the reload the page offers.
    pub update_ready: RwSignal<bool>,
}

thread_local! {
    /// The page's offline state, once started (one per page): requests to the server report to
    /// it, components read it.
    static STATE: Cell<Option<Offline>> = const { Cell::new(None) };
    /// A new try to reach the server is due.
    static PROBING: Cell<bool> = const { Cell::new(false) };
}

/// Seconds between asking the server again while it cannot be reached.
const PROBE_SECS: u64 = 5;

/// The page's offline state; outside an app that started it (a component under test), online.
pub fn use_offline() -> Offline {
    STATE.get().unwrap_or_else(|| Offline {
        online: RwSignal::new(true),
        update_ready: RwSignal::new(false),
    })
}

/// Starts following the network and the service worker's news, once per page.
pub fn provide_offline() -> Offline {
    let html = document().document_element();
    let offline = Offline {
        online: RwSignal::new(is_online()),
        // The boot script may have found the waiting version before the app started.
        update_ready: RwSignal::new(html.is_some_and(|h| h.has_attribute("data-update"))),
    };
    STATE.set(Some(offline));
    window_event_listener(ev::online, move |_| offline.online.set(true));
    window_event_listener(ev::offline, move |_| offline.online.set(false));
    window_event_listener(
        ev::Custom::<web_sys::Event>::new("smart1-update"),
        move |_| offline.update_ready.set(true),
    );
    offline
}

/// Whether the device has a network: the browser says so, and the server answered the last
/// request. (A browser counts a Wi-Fi without internet as online.)
pub fn is_online() -> bool {
    window().navigator().on_line() && STATE.get().is_none_or(|s| s.online.get_untracked())
}

/// Each request says whether it reached the server: the offline badge follows. After a miss
/// the server is asked again every few seconds, so the page learns that the network is back
/// even where the browser never said it was gone.
pub fn reached_server(reached: bool) {
    let Some(state) = STATE.get() else {
        return;
    };
    if state.online.get_untracked() != reached {
        state.online.set(reached);
    }
    if !reached && !PROBING.replace(true) {
        set_timeout(
            || {
                PROBING.set(false);
                leptos::task::spawn_local(crate::api::reach_server());
            },
            std::time::Duration::from_secs(PROBE_SECS),
        );
    }
}

/// The header's line while the device is offline, and the offer of a new version: the boot
/// script lets the waiting version take over and loads the page again under it.
#[component]
pub fn OfflineStatus() -> impl IntoView {
    let offline = use_offline();
    let reload = move |_| {
        if let Ok(event) = web_sys::Event::new("smart1-reload") {
            let _ = window().dispatch_event(&event);
        }
    };
    view! {
        {move || (!offline.online.get()).then(|| view! {
            <p class="offline-badge" role="status" data-testid="offline-badge">{crate::i18n::tx("offline.badge")}</p>
        })}
        {move || offline.update_ready.get().then(|| view! {
            <div class="update-banner" role="status" data-testid="update-banner">
                <span>{crate::i18n::tx("offline.update")}</span>
                <button type="button" class="primary" data-testid="update-reload" on:click=reload>
                    {crate::i18n::tx("offline.reload")}
                </button>
            </div>
        })}
    }
}
