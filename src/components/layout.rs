//! The frame of every page: header with brand, navigation and language switch; footer with the
//! legal links.

use crate::i18n::{t, use_lang};
use domain::Lang;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let lang = use_lang();
    let agent = crate::state::use_agent();
    let tr = move |key| t(lang.get(), key);
    let toggle = move |_| lang.update(|l| *l = if *l == Lang::De { Lang::En } else { Lang::De });
    view! {
        <a class="skip-link" href="#main">{move || if lang.get() == Lang::De { "Zum Inhalt" } else { "Skip to content" }}</a>
        <header class="site-header" data-testid="site-header">
            <A href="/" attr:class="brand">
                <span class="brand-mark">"smart #1"</span>
                <span class="brand-tagline">{move || tr("brand.tagline")}</span>
            </A>
            <nav aria-label=move || tr("nav.main")>
                <A href="/configure">{move || tr("nav.configure")}</A>
                <A href="/locations">{move || tr("nav.locations")}</A>
                <A href="/account">{move || tr("nav.account")}</A>
            </nav>
            {move || agent.get().map(|a| view! {
                <A href="/locations" attr:class="agent-badge" attr:data-testid="agent-badge">
                    {move || tr("agent.yours")}": " {a.name.clone()}
                </A>
            })}
            <button class="lang-switch" type="button" data-testid="lang-switch" aria-label=move || tr("lang.switch") on:click=toggle>
                {move || tr("lang.other")}
            </button>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer" data-testid="site-footer">
            <p>{move || tr("footer.seller")}</p>
            <p>{move || tr("footer.prices")}</p>
            <nav aria-label=move || tr("footer.imprint")>
                <A href="/imprint">{move || tr("footer.imprint")}</A>
                <A href="/terms">{move || tr("footer.terms")}</A>
                <A href="/privacy">{move || tr("footer.privacy")}</A>
            </nav>
        </footer>
    }
}
