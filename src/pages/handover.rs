//! `/h/{code}`: opens a hand-over snapshot. The car and step go to the configurator; the
//! location becomes the agent (a showroom screen keeps its own location).

use crate::car::configure_url;
use crate::components::handover::{lookup, CodeEntry};
use crate::i18n::{t, use_lang};
use crate::nav::NavigateOptions;
use crate::nav::{use_navigate, use_params_map};
use domain::Step;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

#[component]
pub fn Handover() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let agent = crate::state::use_agent();
    let in_store = crate::store::use_store().get_untracked().is_some();
    let navigate = use_navigate();
    let session = crate::session::use_session();
    let problem = RwSignal::new(None::<String>);
    let code = params.with_untracked(|p| p.get("code").unwrap_or_default());
    // Under this page: leaving it cancels the lookup (and the navigation it would end in).
    spawn_local_scoped_with_cancellation(async move {
        match lookup(&code).await {
            Ok(h) => {
                if let (false, Some(id)) = (in_store, &h.location_id) {
                    let url = format!("/api/locations/{}", crate::api::encode(id));
                    if let Ok(l) = crate::api::get::<crate::api::LocationInfo>(&url).await {
                        agent.set(Some(l));
                    }
                }
                let step = Step::from_slug(&h.step).unwrap_or(Step::Line);
                // A car from a code is a new car here: Save must not overwrite one being edited.
                session.editing.set(None);
                navigate(
                    &configure_url(&h.config_code, step),
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
            Err(e) => problem.set(Some(e.message)),
        }
    });
    view! {
        <section class="page">
            <h1>{move || t(lang.get(), "handover.opening")}</h1>
            {move || match problem.get() {
                None => view! { <p role="status">{t(lang.get(), "loc.loading")}</p> }.into_any(),
                Some(m) => view! {
                    <p class="notice error" role="alert" data-testid="handover-problem">{m}</p>
                    <CodeEntry/>
                }.into_any(),
            }}
        </section>
    }
}

/// `/h`: where the share dialog sends people to type a short code.
#[component]
pub fn CodePage() -> impl IntoView {
    view! {
        <section class="page" data-testid="code-page">
            <h1>{crate::i18n::tx("page.code")}</h1>
            <p class="lead">{crate::i18n::tx("page.code.lead")}</p>
            <CodeEntry/>
        </section>
    }
}
