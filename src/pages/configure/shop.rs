//! The configurator's parts that only the shop build carries: the summary step, the share
//! dialog's QR code, and hand-over codes. The first-load build has `first_load.rs` in their place
//! (going to the summary or asking for a code loads the shop build, see
//! `domain::pages::Bundle::serves`).

use super::Car;
use crate::api::ApiError;
use crate::components::handover::HandoverDialog;
use crate::components::qr::QrCodeSvg;
use crate::components::summary::Summary;
use crate::i18n::{t, tx, use_lang};
use domain::api::{HandoverInfo, NewHandover};
use leptos::prelude::*;
use leptos::task::spawn_local;

pub(super) type Handover = RwSignal<Option<Result<HandoverInfo, ApiError>>>;

pub(super) fn summary_step(car: Car) -> AnyView {
    view! { <Summary config=car.config price=car.price code=car.code/> }.into_any()
}

pub(super) fn share_qr(url: Signal<String>) -> impl IntoView {
    let lang = use_lang();
    let label = Signal::derive(move || t(lang.get(), "share.title").to_string());
    view! { <div class="qr share-qr"><QrCodeSvg text=url label=label/></div> }
}

/// "Short code" in the share dialog makes a hand-over code.
pub(super) fn share_handover(make: Callback<()>, _: Car) -> impl IntoView {
    view! { <button type="button" data-testid="share-handover" on:click=move |_| make.run(())>{tx("handover.short_code")}</button> }
}

/// Makes a hand-over code for the car and step (for this screen's agent, on a showroom screen).
pub(super) fn make_handover(
    car: Car,
    share_open: RwSignal<bool>,
    handover: Handover,
) -> Callback<()> {
    let agent = crate::state::use_agent();
    Callback::new(move |_| {
        let (code, step) = (car.code.get_untracked(), car.step.get_untracked());
        let location_id = agent.get_untracked().map(|a| a.id);
        share_open.set(false);
        spawn_local(async move {
            let made = crate::api::create_handover(&NewHandover {
                code,
                step,
                location_id,
            })
            .await;
            handover.set(Some(made));
        });
    })
}

pub(super) fn handover_dialog(state: Handover) -> impl IntoView {
    view! { <HandoverDialog state=state title="handover.title_phone"/> }
}
