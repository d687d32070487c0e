//! The first-load build's stand-ins for `shop.rs`: the summary and hand-over codes are in the
//! shop build, and links lead there (see `domain::pages::Bundle::serves`).

use super::Car;
use crate::api::ApiError;
use crate::i18n::tx;
use domain::api::HandoverInfo;
use leptos::prelude::*;

pub(super) type Handover = RwSignal<Option<Result<HandoverInfo, ApiError>>>;

/// Shown for the moment the shop build takes to load.
pub(super) fn summary_step(_: Car) -> AnyView {
    view! { <p role="status">{tx("page.loading")}</p> }.into_any()
}

/// No QR encoder in the first load: the full share dialog has it.
pub(super) fn share_qr(_: Signal<String>) {}

/// "The full share dialog" opens the shop build's, which makes the short code.
pub(super) fn share_handover(_: Callback<()>, car: Car) -> impl IntoView {
    let href = move || {
        let (code, step) = (car.code.get(), car.step.get());
        let share = domain::pages::SHARE_FULL;
        format!("/configure?c={code}&step={}&{share}", step.slug())
    };
    view! { <a class="button" href=href rel="external" data-testid="share-full">{tx("share.full")}</a> }
}

pub(super) fn make_handover(_: Car, _: RwSignal<bool>, _: Handover) -> Callback<()> {
    Callback::new(|_| {})
}

pub(super) fn handover_dialog(_: Handover) {}
