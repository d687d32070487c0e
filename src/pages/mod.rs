//! One module per page; simple pages that later work fills live here together.

pub mod account;
pub mod checkout;
pub mod configure;
pub mod home;
pub mod locations;
pub mod order;

use crate::i18n::{t, tx, use_lang};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// A titled page with a lead paragraph.
#[component]
fn Simple(
    title: &'static str,
    lead: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="page">
            <h1>{move || t(lang.get(), title)}</h1>
            <p class="lead">{move || t(lang.get(), lead)}</p>
            {children.map(|c| c())}
        </section>
    }
}

#[component]
pub fn Store() -> impl IntoView {
    let params = use_params_map();
    let lang = use_lang();
    let agent = crate::state::use_agent();
    let id = params.with_untracked(|p| p.get("location").unwrap_or_default());
    // Opening a store's URL makes that store the agent.
    let found = LocalResource::new(move || {
        let id = id.clone();
        async move {
            crate::api::get::<crate::api::LocationInfo>(&format!(
                "/api/locations/{}",
                crate::api::encode(&id)
            ))
            .await
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(l)) = found.get() {
            agent.set(Some(l));
        }
    });
    let location = move || match found.get() {
        Some(Ok(l)) => l.name,
        Some(Err(e)) => e.message,
        None => String::new(),
    };
    view! {
        <section class="page">
            <h1>{move || format!("{} – {}", t(lang.get(), "page.store"), location())}</h1>
            <p class="lead">{tx("home.lead")}</p>
            <A href="/configure" attr:class="button primary">{tx("home.cta")}</A>
        </section>
    }
}

#[component]
pub fn Legal(title: &'static str) -> impl IntoView {
    view! { <Simple title=title lead="page.legal.sample"/> }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Simple title="notfound.title" lead="notfound.lead">
            <A href="/" attr:class="button">{tx("notfound.home")}</A>
        </Simple>
    }
}
