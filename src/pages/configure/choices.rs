//! The choices of the current step, group by group: each card with its status, what it would
//! change the price and delivery by, why it is not possible, and its rate against a budget.

use super::Car;
use crate::components::choice_card::ChoiceCard;
use crate::i18n::use_lang;
use crate::state::catalog;
use domain::{Cents, Choice, Group, Status, Step};
use leptos::prelude::*;

#[component]
pub(super) fn StepChoices(
    car: Car,
    pick: Callback<&'static str>,
    budget: RwSignal<Option<Cents>>,
) -> impl IntoView {
    move || {
        let s = car.step.get();
        if s == Step::Summary {
            return super::shop::summary_step(car);
        }
        catalog()
            .groups()
            .iter()
            .filter(|g| g.step == s)
            .map(|g| view! { <GroupChoices group=g car=car pick=pick budget=budget/> })
            .collect_view()
            .into_any()
    }
}

#[component]
fn GroupChoices(
    group: &'static Group,
    car: Car,
    pick: Callback<&'static str>,
    budget: RwSignal<Option<Cents>>,
) -> impl IntoView {
    let lang = use_lang();
    // What this car can have comes first; what needs another line or choice after it.
    // (A partition, not a sort: the first load carries no sorting code for it.)
    let (mut choices, later): (Vec<&'static Choice>, Vec<_>) = group
        .choices
        .iter()
        .partition(|c| untrack(|| car.status_of(&c.code)) != Status::Unavailable);
    choices.extend(later);
    let is_line = group.code == "line";
    let cards = choices
        .into_iter()
        .map(|choice| choice_card(choice, is_line, car, pick, budget))
        .collect_view();
    let heading_id = format!("group-title-{}", group.code);
    let labelled_by = heading_id.clone();
    view! {
        <section aria-labelledby=labelled_by data-testid=format!("group-{}", group.code)>
            <h2 class="group-title" id=heading_id>{move || group.name.get(lang.get()).to_string()}</h2>
            <div class="choices">{cards}</div>
            {is_line.then(super::comparison::line_comparison)}
        </section>
    }
}

fn choice_card(
    choice: &'static Choice,
    is_line: bool,
    car: Car,
    pick: Callback<&'static str>,
    budget: RwSignal<Option<Cents>>,
) -> impl IntoView {
    let lang = use_lang();
    let cat = catalog();
    let rates = crate::state::use_rates();
    let code: &'static str = &choice.code;
    let Car {
        selection, price, ..
    } = car;
    let status = Signal::derive(move || car.status_of(code));
    // What the total and the delivery estimate change by if the customer picks it, with all it
    // drags along: one domain computation, the same pick the configurator then applies and
    // charges.
    let effect = Memo::new(move |_| {
        (!matches!(status.get(), Status::Fixed | Status::Chosen))
            .then(|| cat.pick_effect(&selection.get(), code))
            .flatten()
    });
    let delta = Signal::derive(move || effect.get().map_or(Cents::ZERO, |e| e.total));
    let reason = Signal::derive(move || match status.get() {
        Status::Unavailable | Status::Fixed => {
            let l = lang.get();
            let rules = cat.why_not(&selection.get(), code);
            let reasons: Vec<_> = rules.iter().map(|r| r.reason.get(l).to_string()).collect();
            (!rules.is_empty()).then(|| reasons.join(" "))
        }
        _ => None,
    });
    let car_view = is_line.then(|| cat.line_car(code)).flatten();
    let from = is_line.then(|| cat.from_price(code)).flatten();
    let weeks = Signal::derive(move || effect.get().map(|e| e.weeks));
    // With a monthly budget set: the rate this choice would bring, when above it.
    let over_budget = Signal::derive(move || {
        let limit = budget.get()?;
        if matches!(status.get(), Status::Chosen | Status::Fixed) {
            return None;
        }
        let total = price.get().gross + delta.get();
        let rate = cat
            .financing(total, &rates.financing.get())
            .ok()?
            .monthly_rate;
        (rate > limit).then_some(rate)
    });
    view! { <ChoiceCard choice=choice status=status delta=delta reason=reason on_pick=pick car=car_view over_budget=Some(over_budget) from=from weeks=Some(weeks)/> }
}
