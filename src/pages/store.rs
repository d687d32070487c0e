//! `/store/{location}`: a showroom screen. Opening it makes the location the agent and turns on
//! store mode (large touch layout, idle reset, channel "store"); `?idle=SECONDS` sets the idle
//! period. The welcome screen starts a car or opens one by hand-over code.

use crate::components::car_picture::CarPicture;
use crate::components::handover::CodeEntry;
use crate::i18n::{t, tx, use_lang};
use crate::nav::A;
use crate::nav::{use_params_map, use_query_map};
use crate::state::catalog;
use crate::store::{use_store, StoreMode, DEFAULT_IDLE_SECS};
use leptos::prelude::*;

#[component]
pub fn Store() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let lang = use_lang();
    let agent = crate::state::use_agent();
    let store = use_store();
    let id = params.with_untracked(|p| p.get("location").unwrap_or_default());
    let idle_secs = query
        .with_untracked(|q| q.get("idle").and_then(|s| s.parse::<u32>().ok()))
        .unwrap_or(DEFAULT_IDLE_SECS)
        .clamp(5, 3600);
    let found = LocalResource::new(move || crate::api::location(&id));
    Effect::new(move |_| {
        if let Some(Ok(l)) = found.get() {
            store.set(Some(StoreMode {
                location_id: l.id.clone(),
                idle_secs,
            }));
            agent.set(Some(l));
        }
    });
    view! {
        <section class="page store-welcome" data-testid="store-welcome">
            {move || match found.get() {
                None => view! { <p role="status">{t(lang.get(), "loc.loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="notice error" role="alert">{crate::i18n::error_text(lang.get(), &e)}</p> }.into_any(),
                Some(Ok(l)) => view! {
                    <p class="meta">{t(lang.get(), "page.store")}" · "{l.name.clone()}</p>
                    {catalog().line_car(&catalog().lines()[0].code).map(|c| view! { <CarPicture config=c/> })}
                    <h1>{t(lang.get(), "store.title")}</h1>
                    <p class="lead">{t(lang.get(), "store.lead")}</p>
                    <A href="/configure" attr:class="button primary big" attr:data-testid="store-start">{tx("home.cta")}</A>
                    <CodeEntry/>
                    <p class="meta">{t(lang.get(), "store.privacy")}</p>
                }.into_any(),
            }}
        </section>
    }
}
