//! The smart #1 configurator app (Leptos, client-side rendered, built to wasm by Trunk).
//! The app ships per audience (`domain::pages::Bundle`): each entry point below is its own
//! build with only its pages. `src/bin/*` mount them; the browser tests mount [`App`].

pub mod api;
pub mod car;
pub mod components;
pub mod draft;
pub mod i18n;
pub mod nav;
pub mod offline;
pub mod pages;
pub mod session;
#[cfg(test)]
mod source_checks;
pub mod state;
pub mod store;

use components::layout::Layout;
use domain::pages::Bundle;
use leptos::children::ToChildren;
use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, FlatRoutesProps, Route, Router};
use leptos_router::{path, MatchNestedRoutes};
use pages::*;

/// What every page can reach, whichever build it is in.
fn provide_app_state(this: Bundle) {
    nav::provide_nav(this);
    // First: the session and the configurator follow whether the server can be reached.
    offline::provide_offline();
    i18n::provide_language();
    state::provide_agent();
    session::provide_session();
    store::provide_store();
}

/// Mounts `app` into `#app`, replacing the first screen the server painted there (in the same
/// task, so the browser never shows the gap), or into `<body>` when there is no such element.
pub fn start<V: IntoView + 'static>(app: fn() -> V) {
    // Panic messages in the console while developing; a release build leaves out their text and
    // formatting code (it aborts on a panic, and the page says it could not load).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            root.set_inner_html("");
            let _ = root.remove_attribute("inert");
            leptos::mount::mount_to(wasm_bindgen::JsCast::unchecked_into(root), app).forget();
        }
        None => leptos::mount::mount_to_body(app),
    }
}

fn not_found() -> AnyView {
    view! { <NotFound/> }.into_any()
}

// Each area's pages, as the builds combine them (see `domain::pages::Bundle`).
fn configurator() -> impl MatchNestedRoutes + Clone + Send + 'static {
    view! {
        <Route path=path!("/") view=home::Home/>
        <Route path=path!("/configure") view=configure::Configure/>
    }
    .into_inner()
}

fn locations() -> impl MatchNestedRoutes + Clone + Send + 'static {
    view! { <Route path=path!("/locations") view=locations::Locations/> }.into_inner()
}

fn checkout() -> impl MatchNestedRoutes + Clone + Send + 'static {
    view! {
        <Route path=path!("/checkout") view=checkout::Checkout/>
        <Route path=path!("/orders/:id") view=order::Order/>
    }
    .into_inner()
}

fn account() -> impl MatchNestedRoutes + Clone + Send + 'static {
    view! {
        <Route path=path!("/account") view=account::Account/>
        <Route path=path!("/reset") view=reset::Reset/>
    }
    .into_inner()
}

fn showroom() -> impl MatchNestedRoutes + Clone + Send + 'static {
    view! {
        <Route path=path!("/store/:location") view=pages::store::Store/>
        <Route path=path!("/h") view=handover::CodePage/>
        <Route path=path!("/h/:code") view=handover::Handover/>
    }
    .into_inner()
}

fn legal() -> impl MatchNestedRoutes + Clone + Send + 'static {
    view! {
        <Route path=path!("/imprint") view=|| view! { <Legal title="page.imprint"/> }/>
        <Route path=path!("/terms") view=components::legal_text::TermsPage/>
        <Route path=path!("/withdrawal") view=components::legal_text::WithdrawalPage/>
        <Route path=path!("/privacy") view=|| view! { <Legal title="page.privacy"/> }/>
    }
    .into_inner()
}

/// A build with `routes`. `prices`: its pages price a car, so they share the financing and
/// leasing terms the customer chose (a build without them carries no catalog).
fn build_app(
    this: Bundle,
    routes: impl MatchNestedRoutes + Clone + Send + 'static,
    prices: bool,
) -> impl IntoView {
    provide_app_state(this);
    if prices {
        state::provide_rates();
    }
    // The route table is built by hand (`view!` would take `routes` for a view, not for routes),
    // and inside the `<Router>`, whose context it reads: hence a closure the view calls.
    let table = move || {
        FlatRoutes(
            FlatRoutesProps::builder()
                .fallback(|| nav::fallback(not_found))
                .children(ToChildren::to_children(move || routes))
                .build(),
        )
    };
    view! { <Router><Layout>{table()}</Layout></Router> }
}

/// The configurator build: the start page and the configurator, a customer's first load.
#[component]
pub fn ConfiguratorApp() -> impl IntoView {
    build_app(Bundle::Configurator, configurator(), true)
}

/// The shop build: every customer page, for showroom screens (one download, then no wait
/// between pages), the configurator's summary step, the legal pages and "not found".
#[component]
pub fn App() -> impl IntoView {
    let routes = (
        configurator(),
        locations(),
        checkout(),
        account(),
        showroom(),
        legal(),
    );
    build_app(Bundle::Shop, routes, true)
}

/// The locations build: finding a location and choosing it as one's agent.
#[component]
pub fn LocationsApp() -> impl IntoView {
    build_app(Bundle::Locations, locations(), false)
}

/// The checkout build: ordering the car and the order's page.
#[component]
pub fn CheckoutApp() -> impl IntoView {
    build_app(Bundle::Checkout, checkout(), true)
}

/// The account build: "My smart" and the password reset link's page.
#[component]
pub fn AccountApp() -> impl IntoView {
    build_app(Bundle::Account, account(), false)
}

/// The showroom build: a location's welcome page before store mode, and hand-over codes.
#[component]
pub fn ShowroomApp() -> impl IntoView {
    build_app(Bundle::Showroom, showroom(), false)
}

/// The test-drive build: booking and the mailed manage link, small enough to open from any page.
#[component]
pub fn DriveApp() -> impl IntoView {
    let routes = view! {
        <Route path=path!("/test-drive") view=test_drive::BookTestDrive/>
        <Route path=path!("/test-drive/manage") view=test_drive::ManageTestDrive/>
    }
    .into_inner();
    build_app(Bundle::Drive, routes, false)
}

/// The staff desk build: never part of a customer's download.
#[component]
pub fn AgentApp() -> impl IntoView {
    let routes = view! { <Route path=path!("/agent") view=agent::Agent/> }.into_inner();
    build_app(Bundle::Agent, routes, false)
}
