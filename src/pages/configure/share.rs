//! The share dialog: the link to the car's summary (copy, the browser's share sheet, a QR code
//! in the shop build) and a short code to type in elsewhere.

use super::Car;
use crate::car::configure_url;
use crate::components::dialog::Modal;
use crate::i18n::{t, tx, use_lang};
use domain::Step;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Whether the browser offers its own share sheet (phones, some desktops).
fn can_share() -> bool {
    js_sys::Reflect::has(&window().navigator(), &"share".into()).unwrap_or(false)
}

/// Opens the browser's share sheet with the link; closing it without sharing is no error.
async fn native_share(url: &str) {
    let data = web_sys::ShareData::new();
    data.set_title("smart #1");
    data.set_url(url);
    let _ = wasm_bindgen_futures::JsFuture::from(window().navigator().share_with_data(&data)).await;
}

/// Puts `text` on the clipboard; false where the browser has no clipboard or refuses.
async fn copy_text(text: &str) -> bool {
    let navigator = window().navigator();
    if !js_sys::Reflect::has(&navigator, &"clipboard".into()).unwrap_or(false) {
        return false;
    }
    wasm_bindgen_futures::JsFuture::from(navigator.clipboard().write_text(text))
        .await
        .is_ok()
}

#[component]
pub(super) fn ShareDialog(
    open: RwSignal<bool>,
    car: Car,
    make_handover: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let status = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| {
        if !open.get() {
            status.set(None);
        }
    });
    let url = Signal::derive(move || {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        // Someone the link is sent to sees the shared car's summary, not the sender's step
        // (a hand-over code, to continue oneself, keeps the step).
        format!("{origin}{}", configure_url(&car.code.get(), Step::Summary))
    });
    view! {
        <Modal open=open on_close=Callback::new(move |_| open.set(false)) labelled_by="share-title" testid="share-dialog">
            <h2 id="share-title">{tx("share.title")}</h2>
            <p>{tx("share.lead")}</p>
            <label>{tx("share.link")}
                <input class="share-link" type="text" readonly data-testid="share-link" prop:value=move || url.get()/>
            </label>
            {super::shop::share_qr(url)}
            // One code only: the short code made on request (typed in at /h) is the one a person
            // can type; the configuration code travels in the link and the QR code.
            <p class="meta" role="status" data-testid="share-status">{move || status.get().map(|k| t(lang.get(), k))}</p>
            <div class="dialog-actions">
                <button type="button" data-testid="share-copy" on:click=move |_| {
                    let url = url.get_untracked();
                    spawn_local(async move { status.set(Some(if copy_text(&url).await { "share.copied" } else { "share.copy_failed" })) });
                }>{tx("share.copy")}</button>
                {can_share().then(|| view! {
                    <button type="button" data-testid="share-native" on:click=move |_| {
                        let url = url.get_untracked();
                        spawn_local(async move { native_share(&url).await });
                    }>{tx("share.native")}</button>
                })}
                {super::shop::share_handover(make_handover, car)}
                <button type="button" data-testid="share-close" on:click=move |_| open.set(false)>{tx("share.close")}</button>
            </div>
        </Modal>
    }
}
