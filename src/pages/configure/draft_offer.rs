//! The draft on this device: every change is kept there, and a customer arriving without a car
//! in the URL is offered the one they left.

use super::Car;
use crate::draft::{self, Draft};
use crate::i18n::{t, use_lang};
use crate::nav::ParamsMap;
use crate::state::catalog;
use domain::Step;
use leptos::prelude::*;

/// Starts keeping the draft; the answer is the older draft waiting for the customer's choice.
pub(super) fn keep_draft(car: Car, query: Memo<ParamsMap>) -> RwSignal<Option<Draft>> {
    let cat = catalog();
    let offer = RwSignal::new(None::<Draft>);
    // Arriving without a car in the URL: a line from the start page, or the draft to continue.
    // Navigating is for after the first render, hence a one-time effect.
    Effect::new(move |done: Option<()>| {
        if done.is_some() || query.read_untracked().get("c").is_some() {
            return;
        }
        let line = query.read_untracked().get("line");
        match line.and_then(|l| cat.select(&cat.empty_selection(), &l).ok()) {
            Some(sel) => car.go.run((sel, Step::Exterior, false)),
            None => {
                let default_code = cat.encode(&cat.empty_selection());
                offer.set(draft::load().filter(|d| d.code != default_code));
                car.go
                    .run((cat.empty_selection(), car.step.get_untracked(), false));
            }
        }
    });
    // Every change is saved on this device, unless an older draft still waits for an answer.
    Effect::new(move |_| {
        let (c, s) = (car.code.get(), car.step.get());
        if offer.get().is_none() {
            draft::save(&c, s.slug());
        }
    });
    offer
}

/// "Continue where you left off?" with the draft found on this device.
#[component]
pub(super) fn DraftOffer(offer: RwSignal<Option<Draft>>, car: Car) -> impl IntoView {
    let lang = use_lang();
    move || {
        offer.get().map(|d| {
            let l = lang.get();
            view! {
                <div class="notice" role="status" data-testid="draft-offer">
                    <p>{t(l, "draft.found")}</p>
                    <div class="nav-buttons">
                        <button type="button" class="primary" data-testid="draft-continue" on:click=move |_| {
                            let (sel, _) = catalog().decode_nearest(&d.code);
                            offer.set(None);
                            car.go.run((sel, Step::from_slug(&d.step).unwrap_or(Step::Line), true));
                        }>{t(l, "draft.continue")}</button>
                        <button type="button" data-testid="draft-discard" on:click=move |_| {
                            draft::clear();
                            offer.set(None);
                        }>{t(l, "draft.discard")}</button>
                    </div>
                </div>
            }
        })
    }
}
