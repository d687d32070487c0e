//! `/h/{code}`: opens a hand-over snapshot. The car and step go to the configurator; the
//! location becomes the agent (a showroom screen keeps its own location).

use crate::car::configure_url;
use crate::components::handover::CodeEntry;
use crate::i18n::{t, use_lang};
use crate::nav::NavigateOptions;
use crate::nav::{use_navigate, use_params_map};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

/// Why a code did not open, in the page's language.
fn lookup_error_text(lang: domain::Lang, e: &crate::api::ApiError) -> String {
    match e.status {
        404 => t(lang, "handover.unknown").to_string(),
        410 => t(lang, "handover.expired").to_string(),
        400 => t(lang, "handover.format").to_string(),
        _ => crate::i18n::error_text(lang, e),
    }
}

#[component]
pub fn Handover() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let agent = crate::state::use_agent();
    let in_store = crate::store::use_store().get_untracked().is_some();
    let navigate = use_navigate();
    let session = crate::session::use_session();
    let problem = RwSignal::new(None::<crate::api::ApiError>);
    let retyped = RwSignal::new(false);
    let code = params.with_untracked(|p| p.get("code").unwrap_or_default());
    // Under this page: leaving it cancels the lookup (and the navigation it would end in).
    spawn_local_scoped_with_cancellation(async move {
        match crate::api::open_handover(&code).await {
            Ok(h) => {
                if let (false, Some(id)) = (in_store, &h.location_id) {
                    if let Ok(l) = crate::api::location(id).await {
                        agent.set(Some(l));
                    }
                }
                let step = h.step;
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
            Err(e) => problem.set(Some(e)),
        }
    });
    view! {
        <section class="page">
            {move || match problem.get() {
                None => view! {
                    <h1>{t(lang.get(), "handover.opening")}</h1>
                    <p role="status">{t(lang.get(), "page.loading")}</p>
                }.into_any(),
                // The error is about the code that was tried: typing another one clears it,
                // so an old error never stands above the new one.
                Some(e) => view! {
                    <h1>{t(lang.get(), "handover.failed")}</h1>
                    {move || (!retyped.get()).then(|| view! {
                        <p class="notice error" role="alert" data-testid="handover-problem">{lookup_error_text(lang.get(), &e)}</p>
                    })}
                    <CodeEntry on_typing=Callback::new(move |_| retyped.set(true))/>
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
