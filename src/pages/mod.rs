//! One module per page; simple pages that later work fills live here together.

pub mod account;
pub mod agent;
pub mod checkout;
pub mod configure;
pub mod handover;
pub mod home;
pub mod locations;
pub mod order;
pub mod reset;
pub mod store;
pub mod test_drive;

use crate::i18n::{t, tx, use_lang};
use crate::nav::A;
use leptos::prelude::*;

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
