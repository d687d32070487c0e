//! The smart #1 configurator app (Leptos, client-side rendered, built to wasm by Trunk).
//! The app ships per audience (`domain::pages::Bundle`): each entry point below is its own
//! build with only its pages. `src/bin/*` mount them; the browser tests mount [`App`].

pub mod api;
pub mod components;
pub mod draft;
pub mod i18n;
pub mod pages;
pub mod session;
pub mod state;
pub mod store;

use components::layout::Layout;
use domain::pages::Bundle;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use pages::*;

/// What every page can reach, whichever build it is in.
fn provide_app_state() {
    i18n::provide_language();
    state::provide_agent();
    session::provide_session();
    store::provide_store();
}

/// Mounts `app` into `#app`, replacing the first screen the server painted there (in the same
/// task, so the browser never shows the gap), or into `<body>` when there is no such element.
pub fn start<V: IntoView + 'static>(app: fn() -> V) {
    console_error_panic_hook::set_once();
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            root.set_inner_html("");
            leptos::mount::mount_to(wasm_bindgen::JsCast::unchecked_into(root), app).forget();
        }
        None => leptos::mount::mount_to_body(app),
    }
}

/// A path no route of this build serves: a page of another build is loaded from the server
/// (the URL is already the new one); a path of this build that matches nothing is not found.
#[component]
fn Elsewhere(this: Bundle) -> impl IntoView {
    let location = web_sys::window().map(|w| w.location());
    let path = location
        .as_ref()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_default();
    if Bundle::for_path(&path) == this {
        return view! { <NotFound/> }.into_any();
    }
    if let Some(l) = location {
        let _ = l.reload();
    }
    view! { <p class="page" role="status">{i18n::tx("loc.loading")}</p> }.into_any()
}

/// The configurator build: the start page and the configurator, a customer's first load.
#[component]
pub fn ConfiguratorApp() -> impl IntoView {
    provide_app_state();
    view! {
        <Router>
            <Layout>
                <Routes fallback=|| view! { <Elsewhere this=Bundle::Configurator/> }>
                    <Route path=path!("/") view=home::Home/>
                    <Route path=path!("/configure") view=configure::Configure/>
                </Routes>
            </Layout>
        </Router>
    }
}

/// The shop build: every customer page (it also holds the configurator, so going back from
/// checkout to the car needs no second download).
#[component]
pub fn App() -> impl IntoView {
    provide_app_state();
    view! {
        <Router>
            <Layout>
                <Routes fallback=|| view! { <Elsewhere this=Bundle::Shop/> }>
                    <Route path=path!("/") view=home::Home/>
                    <Route path=path!("/configure") view=configure::Configure/>
                    <Route path=path!("/locations") view=locations::Locations/>
                    <Route path=path!("/checkout") view=checkout::Checkout/>
                    <Route path=path!("/account") view=account::Account/>
                    <Route path=path!("/orders/:id") view=order::Order/>
                    <Route path=path!("/store/:location") view=pages::store::Store/>
                    <Route path=path!("/h/:code") view=handover::Handover/>
                    <Route path=path!("/imprint") view=|| view! { <Legal title="page.imprint"/> }/>
                    <Route path=path!("/terms") view=|| view! { <Legal title="page.terms"/> }/>
                    <Route path=path!("/privacy") view=|| view! { <Legal title="page.privacy"/> }/>
                </Routes>
            </Layout>
        </Router>
    }
}

/// The staff desk build: never part of a customer's download.
#[component]
pub fn AgentApp() -> impl IntoView {
    provide_app_state();
    view! {
        <Router>
            <Layout>
                <Routes fallback=|| view! { <Elsewhere this=Bundle::Agent/> }>
                    <Route path=path!("/agent") view=agent::Agent/>
                </Routes>
            </Layout>
        </Router>
    }
}
