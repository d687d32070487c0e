//! The smart #1 configurator app (Leptos, client-side rendered, built to wasm by Trunk).
//! The app ships per audience (`domain::pages::Bundle`): each entry point below is its own
//! build with only its pages. `src/bin/*` mount them; the browser tests mount [`App`].

pub mod api;
pub mod car;
pub mod components;
pub mod draft;
pub mod i18n;
pub mod nav;
pub mod pages;
pub mod session;
#[cfg(test)]
mod source_checks;
pub mod state;
pub mod store;

use components::layout::Layout;
use domain::pages::Bundle;
use leptos::prelude::*;
use nav::{Route, Routes};
use pages::*;

/// What every page can reach, whichever build it is in.
fn provide_app_state(this: Bundle) {
    nav::provide_nav(this);
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

/// The configurator build: the start page and the configurator, a customer's first load.
#[component]
pub fn ConfiguratorApp() -> impl IntoView {
    const ROUTES: &[Route] = &[
        ("/", || view! { <home::Home/> }.into_any()),
        ("/configure", || {
            view! { <configure::Configure/> }.into_any()
        }),
    ];
    provide_app_state(Bundle::Configurator);
    state::provide_rates();
    view! { <Layout><Routes routes=ROUTES not_found=not_found/></Layout> }
}

/// The shop build: every customer page (it also holds the configurator, so going back from
/// checkout to the car needs no second download).
#[component]
pub fn App() -> impl IntoView {
    const ROUTES: &[Route] = &[
        ("/", || view! { <home::Home/> }.into_any()),
        ("/configure", || {
            view! { <configure::Configure/> }.into_any()
        }),
        ("/locations", || {
            view! { <locations::Locations/> }.into_any()
        }),
        ("/checkout", || view! { <checkout::Checkout/> }.into_any()),
        ("/account", || view! { <account::Account/> }.into_any()),
        ("/reset", || view! { <reset::Reset/> }.into_any()),
        ("/orders/:id", || view! { <order::Order/> }.into_any()),
        ("/store/:location", || {
            view! { <pages::store::Store/> }.into_any()
        }),
        ("/h", || view! { <handover::CodePage/> }.into_any()),
        ("/h/:code", || view! { <handover::Handover/> }.into_any()),
        ("/imprint", || {
            view! { <Legal title="page.imprint"/> }.into_any()
        }),
        ("/terms", || {
            view! { <components::legal_text::TermsPage/> }.into_any()
        }),
        ("/withdrawal", || {
            view! { <components::legal_text::WithdrawalPage/> }.into_any()
        }),
        ("/privacy", || {
            view! { <Legal title="page.privacy"/> }.into_any()
        }),
    ];
    provide_app_state(Bundle::Shop);
    state::provide_rates();
    view! { <Layout><Routes routes=ROUTES not_found=not_found/></Layout> }
}

/// The test-drive build: booking and the mailed manage link, small enough to open from any page.
#[component]
pub fn DriveApp() -> impl IntoView {
    const ROUTES: &[Route] = &[
        ("/test-drive", || {
            view! { <test_drive::BookTestDrive/> }.into_any()
        }),
        ("/test-drive/manage", || {
            view! { <test_drive::ManageTestDrive/> }.into_any()
        }),
    ];
    provide_app_state(Bundle::Drive);
    view! { <Layout><Routes routes=ROUTES not_found=not_found/></Layout> }
}

/// The staff desk build: never part of a customer's download.
#[component]
pub fn AgentApp() -> impl IntoView {
    const ROUTES: &[Route] = &[("/agent", || view! { <agent::Agent/> }.into_any())];
    provide_app_state(Bundle::Agent);
    view! { <Layout><Routes routes=ROUTES not_found=not_found/></Layout> }
}
