//! One module per page; simple pages that later work fills live here together.

pub mod configure;
pub mod home;

use crate::i18n::{t, use_lang};
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
pub fn Locations() -> impl IntoView {
    view! { <Simple title="page.locations" lead="page.locations.lead"/> }
}

#[component]
pub fn Checkout() -> impl IntoView {
    view! { <Simple title="page.checkout" lead="page.checkout.lead"/> }
}

#[component]
pub fn Account() -> impl IntoView {
    view! { <Simple title="page.account" lead="page.account.lead"/> }
}

#[component]
pub fn Order() -> impl IntoView {
    let params = use_params_map();
    let lang = use_lang();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    view! {
        <section class="page">
            <h1>{move || format!("{} {}", t(lang.get(), "page.order"), id())}</h1>
            <p class="lead">{move || t(lang.get(), "page.account.lead")}</p>
        </section>
    }
}

#[component]
pub fn Store() -> impl IntoView {
    let params = use_params_map();
    let lang = use_lang();
    let location = move || params.with(|p| p.get("location").unwrap_or_default());
    view! {
        <section class="page">
            <h1>{move || format!("{} – {}", t(lang.get(), "page.store"), location())}</h1>
            <p class="lead">{move || t(lang.get(), "home.lead")}</p>
        </section>
    }
}

#[component]
pub fn Legal(title: &'static str) -> impl IntoView {
    view! { <Simple title=title lead="page.legal.sample"/> }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Simple title="notfound.title" lead="notfound.lead">
            <A href="/" attr:class="button">{move || t(lang.get(), "notfound.home")}</A>
        </Simple>
    }
}
