//! Working offline: the service worker (`/sw.js`, written by the server: `server::http::offline`)
//! is registered once the first screen is up, so a first visit loads nothing more; the page then
//! asks it to keep this build's files. What the page shows: whether the device is online, and
//! that a new version waits, loaded only when the customer says so.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState,
};

#[derive(Clone, Copy)]
pub struct Offline {
    /// False while the device has no network: the browser's `online` and `offline` events, and
    /// whether the last request reached the server.
    pub online: RwSignal<bool>,
    /// A new version of the app is installed and waits for the reload the page offers.
    pub update_ready: RwSignal<bool>,
}

/// The page's offline state; outside an app that started it (a component under test), online.
pub fn use_offline() -> Offline {
    use_context::<Offline>().unwrap_or_else(|| Offline {
        online: RwSignal::new(true),
        update_ready: RwSignal::new(false),
    })
}

/// Starts offline support for the page of build `this`, once per page.
pub fn provide_offline(this: domain::pages::Bundle) -> Offline {
    let offline = Offline {
        online: RwSignal::new(is_online()),
        update_ready: RwSignal::new(false),
    };
    provide_context(offline);
    STATE.set(Some(offline));
    window_event_listener(ev::online, move |_| {
        offline.online.set(true);
        check_for_update();
    });
    window_event_listener(ev::offline, move |_| offline.online.set(false));
    after_first_screen(move || register(this.html_file(), offline));
    offline
}

thread_local! {
    /// The page's offline state, once started: requests to the server report to it.
    static STATE: std::cell::Cell<Option<Offline>> = const { std::cell::Cell::new(None) };
}

/// Whether the device has a network: the browser says so, and the server answered the last
/// request. (A browser counts a Wi-Fi without internet as online.)
pub fn is_online() -> bool {
    let browser = web_sys::window().is_none_or(|w| w.navigator().on_line());
    browser && STATE.get().is_none_or(|s| s.online.get_untracked())
}

/// Each request says whether it reached the server: the offline badge follows.
pub fn reached_server(reached: bool) {
    if let Some(state) = STATE.get() {
        if state.online.get_untracked() != reached {
            state.online.set(reached);
        }
    }
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    // Browsers without service workers (or pages that may not use them) leave this undefined.
    js_sys::Reflect::has(&navigator, &"serviceWorker".into())
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

/// How long after the page's `load` event the worker is registered: a first visit's own
/// requests are done by then, so the worker never competes with them.
const REGISTER_AFTER_LOAD_MS: i32 = 2000;

/// Runs `f` a while after the page's `load` event.
fn after_first_screen(f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let complete = window
        .document()
        .is_some_and(|d| d.ready_state() == "complete");
    let later = Closure::once_into_js(f);
    let run = Closure::once_into_js(move || {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                later.unchecked_ref(),
                REGISTER_AFTER_LOAD_MS,
            );
        }
    });
    if complete {
        let _ = window.set_timeout_with_callback(run.unchecked_ref());
    } else {
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        let _ = window.add_event_listener_with_callback_and_add_event_listener_options(
            "load",
            run.unchecked_ref(),
            &options,
        );
    }
}

fn register(build: &'static str, offline: Offline) {
    let Some(container) = container() else {
        return;
    };
    let registering = container.register("/sw.js");
    leptos::task::spawn_local(async move {
        let Ok(registration) = wasm_bindgen_futures::JsFuture::from(registering).await else {
            return;
        };
        let registration: ServiceWorkerRegistration = registration.unchecked_into();
        watch_for_update(&registration, offline);
        if let Ok(ready) = container.ready() {
            if let Ok(ready) = wasm_bindgen_futures::JsFuture::from(ready).await {
                let ready: ServiceWorkerRegistration = ready.unchecked_into();
                if let Some(worker) = ready.active() {
                    let page = web_sys::window()
                        .and_then(|w| w.location().pathname().ok())
                        .unwrap_or_default();
                    post(
                        &worker,
                        &[("type", "cache-build"), ("build", build), ("page", &page)],
                    );
                }
            }
        }
    });
}

/// Offers the reload when a new version has installed beside the one running this page.
fn watch_for_update(registration: &ServiceWorkerRegistration, offline: Offline) {
    let controlled = move || container().is_some_and(|c| c.controller().is_some());
    if registration.waiting().is_some() && controlled() {
        offline.update_ready.set(true);
    }
    let found = registration.clone();
    let on_found = Closure::<dyn FnMut()>::new(move || {
        let Some(worker) = found.installing() else {
            return;
        };
        let installing = worker.clone();
        let on_state = Closure::<dyn FnMut()>::new(move || {
            if installing.state() == ServiceWorkerState::Installed && controlled() {
                offline.update_ready.set(true);
            }
        });
        worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
        on_state.forget();
    });
    registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
    on_found.forget();
    // A page left open for days asks again whenever it comes back into view.
    let on_visible = Closure::<dyn FnMut()>::new(move || {
        if web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
        {
            check_for_update();
        }
    });
    if let Some(d) = web_sys::window().and_then(|w| w.document()) {
        d.set_onvisibilitychange(Some(on_visible.as_ref().unchecked_ref()));
    }
    on_visible.forget();
}

fn check_for_update() {
    let Some(container) = container() else {
        return;
    };
    leptos::task::spawn_local(async move {
        if let Ok(Some(registration)) =
            wasm_bindgen_futures::JsFuture::from(container.get_registration())
                .await
                .map(|r| r.dyn_into::<ServiceWorkerRegistration>().ok())
        {
            let _ = registration.update();
        }
    });
}

/// The customer's "reload": the waiting version takes over, and the page loads again under it,
/// HTML and files of one build.
pub fn reload_into_update() {
    let Some(container) = container() else {
        return;
    };
    let on_change = Closure::once_into_js(|| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    container.set_oncontrollerchange(Some(on_change.unchecked_ref()));
    leptos::task::spawn_local(async move {
        if let Ok(registration) =
            wasm_bindgen_futures::JsFuture::from(container.get_registration()).await
        {
            let registration: Option<ServiceWorkerRegistration> = registration.dyn_into().ok();
            match registration.and_then(|r| r.waiting()) {
                Some(waiting) => post(&waiting, &[("type", "activate")]),
                None => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                }
            }
        }
    });
}

fn post(worker: &ServiceWorker, fields: &[(&str, &str)]) {
    let message = js_sys::Object::new();
    for (key, value) in fields {
        let _ = js_sys::Reflect::set(&message, &(*key).into(), &(*value).into());
    }
    let _ = worker.post_message(&message);
}

/// The header's line while the device is offline, and the offer of a new version.
#[component]
pub fn OfflineStatus() -> impl IntoView {
    let offline = use_offline();
    view! {
        {move || (!offline.online.get()).then(|| view! {
            <p class="offline-badge" role="status" data-testid="offline-badge">{crate::i18n::tx("offline.badge")}</p>
        })}
        {move || offline.update_ready.get().then(|| view! {
            <div class="update-banner" role="status" data-testid="update-banner">
                <span>{crate::i18n::tx("offline.update")}</span>
                <button type="button" class="primary" data-testid="update-reload" on:click=move |_| reload_into_update()>
                    {crate::i18n::tx("offline.reload")}
                </button>
            </div>
        })}
    }
}
