//! The frame of every page: header with brand, navigation and language switch; footer with the
//! legal links.

use crate::i18n::{tx, use_lang};
use crate::nav::A;
use domain::Lang;
use leptos::prelude::*;

/// A showroom screen's idle guard and its staff exit, while store mode is on. The exit is for
/// staff: it shows on the screen's welcome page only, never while a customer configures.
/// Showroom screens are served the shop build (`domain::pages::Bundle::for_request`), so the
/// lean configurator build has none.
#[cfg(not(feature = "lean"))]
fn idle_guard(in_store: Memo<bool>) -> impl IntoView {
    let path = crate::nav::use_path();
    let welcome = Memo::new(move |_| path.get().starts_with("/store/"));
    move || {
        in_store.get().then(|| {
            view! {
                <crate::components::idle_guard::IdleGuard/>
                {move || welcome.get().then(|| view! { <crate::components::end_store::EndStoreMode/> })}
            }
        })
    }
}

#[cfg(feature = "lean")]
fn idle_guard(_: Memo<bool>) {}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let lang = use_lang();
    let agent = crate::state::use_agent();
    let store = crate::store::use_store();
    let session = crate::session::use_session();
    crate::nav::follow_bundle_boundary();
    // Changes only when store mode starts or ends, so the idle guard is made once.
    let in_store = Memo::new(move |_| store.get().is_some());
    // The screen's look follows store mode: larger type and touch targets.
    Effect::new(move |_| {
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body
                .class_list()
                .toggle_with_force("store-mode", store.get().is_some());
        }
    });
    let toggle = move |_| lang.update(|l| *l = if *l == Lang::De { Lang::En } else { Lang::De });
    view! {
        <a class="skip-link" href="#main" rel="external">{move || if lang.get() == Lang::De { "Zum Inhalt" } else { "Skip to content" }}</a>
        <header class="site-header" data-testid="site-header">
            <A href="/" attr:class="brand">
                <span class="brand-mark">"smart #1"</span>
                <span class="brand-tagline">{tx("brand.tagline")}</span>
            </A>
            <nav aria-label=tx("nav.main")>
                <A href="/configure">{tx("nav.configure")}</A>
                <A href="/locations">{tx("nav.locations")}</A>
                <A href="/account">{tx("nav.account")}</A>
                {move || session.staff_partner.get().map(|_| view! { <A href="/agent" attr:data-testid="nav-agent">{tx("page.agent")}</A> })}
            </nav>
            {move || agent.get().map(|a| view! {
                <A href="/locations" attr:class="agent-badge" attr:data-testid="agent-badge">
                    {tx("agent.yours")}": " {a.name.clone()}
                </A>
            })}
            <button class="lang-switch" type="button" data-testid="lang-switch" aria-label=tx("lang.switch") on:click=toggle>
                {tx("lang.other")}
            </button>
        </header>
        <crate::offline::OfflineStatus/>
        <main id="main" tabindex="-1">{children()}</main>
        {idle_guard(in_store)}
        <footer class="site-footer" data-testid="site-footer">
            <p>{tx("footer.seller")}</p>
            <p>{tx("footer.prices")}</p>
            <nav aria-label=tx("footer.imprint")>
                <A href="/imprint">{tx("footer.imprint")}</A>
                <A href="/terms">{tx("footer.terms")}</A>
                <A href="/privacy">{tx("footer.privacy")}</A>
            </nav>
        </footer>
    }
}
