//! Hand-over between devices: the dialog with a QR code and a short code that restore the car,
//! its step and its location on another device, and the field where a code is typed in.

use crate::api::ApiError;
use crate::components::dialog::Modal;
use crate::components::qr::QrCodeSvg;
use crate::i18n::{t, tx, use_lang};
use crate::nav::use_navigate;
use domain::api::HandoverInfo;
use leptos::prelude::*;

/// The dialog: shows the code while it is being made, then QR, code and expiry, or the error.
#[component]
pub fn HandoverDialog(
    state: RwSignal<Option<Result<HandoverInfo, ApiError>>>,
    /// "handover.title_phone" on a showroom screen, "handover.title_screen" for the reverse.
    #[prop(into)]
    title: Signal<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    let close = Callback::new(move |_| state.set(None));
    view! {
        <Modal open=Signal::derive(move || state.get().is_some()) on_close=close labelled_by="handover-title" testid="handover-dialog">
            <h2 id="handover-title">{move || t(lang.get(), title.get())}</h2>
            {move || state.get().map(|r| match r {
                Ok(h) => {
                    let l = lang.get();
                    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
                    let url = format!("{origin}{}", h.path);
                    view! {
                        <p>{t(l, "handover.lead")}</p>
                        <div class="qr"><QrCodeSvg text=Signal::derive(move || url.clone()) label=Signal::derive(move || t(lang.get(), "handover.qr").to_string())/></div>
                        <p class="handover-code" data-testid="handover-code" aria-label=t(l, "handover.code")>{h.display.clone()}</p>
                        <p>{t(l, "handover.enter_at")}" " <code>{format!("{origin}/h")}</code></p>
                        <p class="meta" data-testid="handover-expires">{t(l, "handover.valid_until")}" "{crate::i18n::local_time(h.expires_at, l, false)}</p>
                    }.into_any()
                }
                Err(e) => view! { <p class="notice error" role="alert" data-testid="handover-error">{crate::i18n::error_text(lang.get(), &e)}</p> }.into_any(),
            })}
            <div class="dialog-actions">
                <button type="button" data-testid="handover-close" on:click=move |_| state.set(None)>{tx("share.close")}</button>
            </div>
        </Modal>
    }
}

/// "Have a code?": a field for the 8 characters; opens `/h/{code}`, which restores the car.
#[component]
pub fn CodeEntry(
    /// Told when the customer types a new code (a page's old error then goes).
    #[prop(optional)]
    on_typing: Option<Callback<()>>,
) -> impl IntoView {
    let lang = use_lang();
    let navigate = use_navigate();
    let value = RwSignal::new(String::new());
    let problem = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code: String = value
            .get_untracked()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        problem.set(code.len() != 8);
        if code.len() == 8 {
            navigate(&format!("/h/{code}"), Default::default());
        }
    };
    view! {
        <form class="code-entry" on:submit=submit novalidate data-testid="code-entry">
            <label for="handover-input">{tx("handover.have_code")}</label>
            <div class="row">
                <input id="handover-input" type="text" inputmode="text" autocomplete="off" autocapitalize="characters"
                    spellcheck="false" maxlength="12" placeholder="7KQ9-M3XF" data-testid="code-input"
                    aria-describedby="handover-input-error" bind:value=value
                    on:input=move |_| { problem.set(false); if let Some(f) = on_typing { f.run(()) } }/>
                <button type="submit" class="primary" data-testid="code-open">{tx("handover.open")}</button>
            </div>
            <p class="field-error" id="handover-input-error" role="alert">
                {move || problem.get().then(|| t(lang.get(), "handover.format"))}
            </p>
        </form>
    }
}
