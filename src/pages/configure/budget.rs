//! "Nach Monatsrate konfigurieren": a monthly budget to configure by.

use crate::i18n::{t, tx, use_lang};
use crate::state::catalog;
use domain::{Cents, PriceBreakdown};
use leptos::prelude::*;

/// "Nach Monatsrate konfigurieren": a monthly budget in whole euros; choices whose financing
/// rate would exceed it are greyed out (still clickable) with that rate, and the car as it
/// stands says so when it is over the budget already.
#[component]
pub(super) fn BudgetFilter(
    budget: RwSignal<Option<Cents>>,
    price: Memo<PriceBreakdown>,
) -> impl IntoView {
    let lang = use_lang();
    let rates = crate::state::use_rates();
    // The current car's monthly rate with the financing as set.
    let current_rate = move || {
        let financing = catalog().financing(price.get().gross, &rates.financing.get());
        financing.ok().map(|f| f.monthly_rate)
    };
    let invalid = RwSignal::new(false);
    // Whole euros, integers only: the configurator's first load carries no float parser.
    let read = move |text: String| -> Option<Option<Cents>> {
        let decimal = if lang.get_untracked() == domain::Lang::De {
            ','
        } else {
            '.'
        };
        let whole: String = text
            .split(decimal)
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_whitespace() && !"€.,".contains(*c))
            .collect();
        if whole.is_empty() {
            return Some(None);
        }
        let euros: i64 = whole.parse().ok().filter(|e| *e > 0 && *e < 100_000)?;
        Some(Some(Cents(euros * 100)))
    };
    view! {
        // Mounted again on another step: open, with the amount set, when there is a budget.
        <details class="budget" data-testid="budget" open=budget.get_untracked().is_some()>
            <summary>{tx("budget.open")}</summary>
            <label>{tx("budget.label")}
                <input type="text" inputmode="numeric" data-testid="budget-input" aria-invalid=move || invalid.get().to_string()
                    prop:value=budget.get_untracked().map(|c| (c.0 / 100).to_string()).unwrap_or_default()
                    aria-describedby="budget-error"
                    on:change=move |ev| match read(event_target_value(&ev)) {
                        Some(b) => { invalid.set(false); budget.set(b) }
                        None => invalid.set(true),
                    }/>
            </label>
            <p class="field-error" id="budget-error" role="alert" data-testid="budget-error">{move || invalid.get().then(|| t(lang.get(), "budget.invalid"))}</p>
            {move || match (budget.get(), current_rate()) {
                (Some(limit), Some(rate)) if rate > limit => Some(view! {
                    <p class="notice" role="status" data-testid="budget-current-over">
                        {format!("{} {}{} – {} {}.", t(lang.get(), "budget.current_over"), rate.format(lang.get()), t(lang.get(), "bar.per_month"), t(lang.get(), "budget.over_limit"), limit.format(lang.get()))}
                    </p>
                }),
                _ => None,
            }}
            <p class="meta">{tx("budget.hint")}</p>
        </details>
    }
}
