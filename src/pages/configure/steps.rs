//! Where the customer is: the step list with what was chosen on each step, Back and Next, and
//! where the price bar's Continue leads.

use super::Car;
use crate::car::step_label;
use crate::i18n::{t, tx, use_lang};
use crate::nav::use_navigate;
use crate::state::catalog;
use domain::{GroupKind, Step};
use leptos::prelude::*;

fn next_step(s: Step) -> Option<Step> {
    let i = Step::ALL.iter().position(|x| *x == s)?;
    Step::ALL.get(i + 1).copied()
}

fn prev_step(s: Step) -> Option<Step> {
    let i = Step::ALL.iter().position(|x| *x == s)?;
    i.checked_sub(1).map(|i| Step::ALL[i])
}

/// The steps, each with what is chosen on it; the current one is marked (and, where the list
/// scrolls sideways on a phone, kept in view).
#[component]
pub(super) fn StepList(car: Car) -> impl IntoView {
    let lang = use_lang();
    let cat = catalog();
    let steps_list = NodeRef::<leptos::html::Ol>::new();
    Effect::new(move |_| {
        let current = car.step.get();
        if let Some(list) = steps_list.get() {
            let index = Step::ALL.iter().position(|s| *s == current).unwrap_or(0) as u32;
            if let Some(item) = list.children().item(index) {
                let item: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(item);
                let (left, width) = (item.offset_left(), item.offset_width());
                let visible = list.scroll_left()..=list.scroll_left() + list.client_width() - width;
                if !visible.contains(&left) {
                    list.set_scroll_left(left - 8);
                }
            }
        }
    });
    let steps = move || {
        let l = lang.get();
        let cfg = car.config.get();
        Step::ALL
            .iter()
            .map(|&s| {
                let chosen: Vec<String> = cat
                    .groups()
                    .iter()
                    .filter(|g| g.step == s && g.kind == GroupKind::Single)
                    .filter_map(|g| cat.chosen_in(&cfg, &g.code))
                    .map(|c| c.name.get(l).to_string())
                    .collect();
                view! {
                    <li>
                        <button
                            type="button"
                            data-testid=format!("step-{}", s.slug())
                            aria-current=move || (car.step.get() == s).then_some("step")
                            on:click=move |_| car.to_step(s)
                        >
                            {t(l, step_label(s))}
                            <small>{chosen.join(" · ")}</small>
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <nav aria-label=tx("steps.label")>
            <ol class="steps" node_ref=steps_list>{steps}</ol>
        </nav>
    }
}

/// Back and Next beneath the step's choices.
#[component]
pub(super) fn StepButtons(car: Car) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="nav-buttons">
            {move || prev_step(car.step.get()).map(|p| view! {
                <button type="button" data-testid="back" on:click=move |_| car.to_step(p)>{t(lang.get(), "cfg.back")}</button>
            })}
            {move || next_step(car.step.get()).map(|n| view! {
                <button type="button" class="primary" data-testid="next" on:click=move |_| car.to_step(n)>{t(lang.get(), "cfg.next")}</button>
            })}
        </div>
    }
}

/// The price bar's Continue: the next step; after the summary the agent's choice, or on a
/// showroom screen (whose store is the agent) straight to the order.
pub(super) fn on_continue(car: Car) -> Callback<()> {
    let store = crate::store::use_store();
    let navigate = use_navigate();
    Callback::new(move |_| match next_step(car.step.get_untracked()) {
        Some(n) => car.to_step(n),
        None if store.get_untracked().is_some() => navigate("/checkout", Default::default()),
        None => navigate("/locations", Default::default()),
    })
}

/// What the price bar's Continue says on this step.
pub(super) fn continue_label(car: Car) -> Signal<&'static str> {
    let store = crate::store::use_store();
    Signal::derive(move || match car.step.get() {
        Step::Summary if store.get().is_some() => "loc.to_checkout",
        Step::Summary => "bar.to_locations",
        _ => "bar.continue",
    })
}
