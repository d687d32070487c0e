//! `/store/{location}`: a showroom screen. Store mode is the server's to grant: unless this
//! browser already holds a valid screen token for the location, the page asks a staff member of
//! the location's agent to sign in on it ([`SetUpScreen`]); the server then gives the screen its
//! token, and the screen turns on store mode (large touch layout, idle reset, the location as
//! agent; the server records the channel "store" and the staff member as advisor).
//! `?idle=SECONDS` sets the idle period. The welcome screen starts a car or opens one by
//! hand-over code.

use crate::components::car_picture::CarPicture;
use crate::components::handover::CodeEntry;
use crate::i18n::{t, tx, use_lang};
use crate::nav::A;
use crate::nav::{use_params_map, use_query_map};
use crate::state::catalog;
use crate::store::{use_store, StoreMode, DEFAULT_IDLE_SECS};
use domain::api::{ScreenState, ScreenUnlock};
use leptos::prelude::*;
use leptos::task::spawn_local;

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
    // Without a network, a screen already set up here carries on with what it kept: its store
    // mode and its location (an idle reset keeps both), until the server can be asked again.
    let kept_mode = store.get_untracked().filter(|m| m.location_id == id);
    let kept_location = agent.get_untracked().filter(|l| l.id == id);
    let found = LocalResource::new({
        let id = id.clone();
        move || {
            let asked = crate::api::location(&id);
            let kept = kept_location.clone();
            async move {
                match asked.await {
                    Err(e) if e.is_unreachable() => kept.ok_or(e),
                    answer => answer,
                }
            }
        }
    });
    // What the server says this screen is: set up for this location, or not (yet).
    let granted = RwSignal::new(None::<Option<ScreenState>>);
    {
        let id = id.clone();
        let asked = crate::api::screen_state();
        spawn_local(async move {
            let state = match asked.await {
                Ok(s) => s.screen.filter(|s| s.location_id == id),
                Err(e) if e.is_unreachable() => kept_mode.map(|m| ScreenState {
                    location_id: m.location_id,
                    advisor: m.advisor,
                    expires_at: 0,
                }),
                Err(_) => None,
            };
            granted.set(Some(state));
        });
    }
    Effect::new(move |_| {
        if let (Some(Ok(l)), Some(Some(screen))) = (found.get(), granted.get()) {
            store.set(Some(StoreMode {
                location_id: l.id.clone(),
                idle_secs,
                advisor: screen.advisor,
            }));
            agent.set(Some(l));
        }
    });
    view! {
        <section class="page store-welcome" data-testid="store-welcome">
            {move || match (found.get(), granted.get()) {
                (Some(Err(e)), _) => view! { <p class="notice error" role="alert">{crate::i18n::error_text(lang.get(), &e)}</p> }.into_any(),
                (None, _) | (_, None) => view! { <p role="status">{t(lang.get(), "page.loading")}</p> }.into_any(),
                (Some(Ok(l)), Some(None)) => view! {
                    <p class="meta">{t(lang.get(), "page.store")}" · "{l.name.clone()}</p>
                    <SetUpScreen location_id=l.id.clone() granted=granted/>
                }.into_any(),
                (Some(Ok(l)), Some(Some(_))) => view! {
                    <p class="meta">{t(lang.get(), "page.store")}" · "{l.name.clone()}</p>
                    {catalog().line_car(&catalog().lines()[0].code).map(|c| view! { <CarPicture config=c/> })}
                    <h1>{t(lang.get(), "store.title")}</h1>
                    <p class="lead">{t(lang.get(), "store.lead")}</p>
                    <A href="/configure" attr:class="button primary big" attr:data-testid="store-start">{tx("home.cta")}</A>
                    <A href=format!("/test-drive?location={}", l.id) attr:class="button big" attr:data-testid="store-test-drive">{tx("td.cta")}</A>
                    <CodeEntry/>
                    <p class="meta">{t(lang.get(), "store.privacy")}</p>
                }.into_any(),
            }}
        </section>
    }
}

/// A staff member of the location's agent signs in to put this screen into store mode. The
/// screen gets a screen token from the server, never the staff member's session.
#[component]
fn SetUpScreen(
    location_id: String,
    granted: RwSignal<Option<Option<ScreenState>>>,
) -> impl IntoView {
    let lang = use_lang();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let activate = ScreenUnlock {
            email: email.get_untracked(),
            password: password.get_untracked(),
            location_id: location_id.clone(),
        };
        spawn_local(async move {
            match crate::api::activate_screen(&activate).await {
                Ok(screen) => granted.set(Some(Some(screen))),
                Err(e) => {
                    let lang = lang.get_untracked();
                    error.set(Some(match e.status {
                        401 => t(lang, "acc.wrong").to_string(),
                        403 => t(lang, "store.setup_refused").to_string(),
                        _ => crate::i18n::error_text(lang, &e),
                    }));
                    password.set(String::new());
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <h1 id="store-setup-title">{tx("store.setup")}</h1>
        <p class="lead">{tx("store.setup_lead")}</p>
        <form class="stack" data-testid="store-setup" aria-labelledby="store-setup-title" on:submit=submit>
            <label>{tx("acc.email")}
                <input type="email" autocomplete="username" required data-testid="store-setup-email"
                    prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
            </label>
            <label>{tx("acc.password")}
                <input type="password" autocomplete="current-password" required data-testid="store-setup-password"
                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
            </label>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert" data-testid="store-setup-error">{e}</p> })}
            <button type="submit" class="primary big" data-testid="store-setup-submit" disabled=move || busy.get()>{tx("store.setup_submit")}</button>
        </form>
    }
}
