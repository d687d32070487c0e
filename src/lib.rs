//! The smart #1 configurator app (Leptos, client-side rendered, built to wasm by Trunk).
//! `main.rs` only mounts [`App`]; the browser tests mount it too.

pub mod api;
pub mod components;
pub mod draft;
pub mod i18n;
pub mod pages;
pub mod session;
pub mod state;
pub mod store;

use components::layout::Layout;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use pages::*;

#[component]
pub fn App() -> impl IntoView {
    i18n::provide_language();
    state::provide_agent();
    session::provide_session();
    store::provide_store();
    view! {
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=home::Home/>
                    <Route path=path!("/configure") view=configure::Configure/>
                    <Route path=path!("/locations") view=locations::Locations/>
                    <Route path=path!("/checkout") view=checkout::Checkout/>
                    <Route path=path!("/account") view=account::Account/>
                    <Route path=path!("/orders/:id") view=order::Order/>
                    <Route path=path!("/store/:location") view=pages::store::Store/>
                    <Route path=path!("/h/:code") view=handover::Handover/>
                    <Route path=path!("/agent") view=agent::Agent/>
                    <Route path=path!("/imprint") view=|| view! { <Legal title="page.imprint"/> }/>
                    <Route path=path!("/terms") view=|| view! { <Legal title="page.terms"/> }/>
                    <Route path=path!("/privacy") view=|| view! { <Legal title="page.privacy"/> }/>
                </Routes>
            </Layout>
        </Router>
    }
}
