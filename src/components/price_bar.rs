//! Always in view: the total incl. VAT (announced to screen readers), the monthly rate of the
//! default financing, the delivery estimate, and Save / Share / Continue.

use crate::i18n::{t, tx, use_lang};
use crate::state::catalog;
use domain::{Configuration, PriceBreakdown};
use leptos::prelude::*;

#[component]
pub fn PriceBar(
    price: Memo<PriceBreakdown>,
    config: Memo<Configuration>,
    on_save: Callback<()>,
    on_share: Callback<()>,
    on_continue: Callback<()>,
    #[prop(into)] continue_label: Signal<&'static str>,
    /// "Continue on your phone", offered on showroom screens.
    on_handover: Callback<()>,
    #[prop(into)] show_handover: Signal<bool>,
    /// A notice above the bar's row (what a choice changed on its own).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let lang = use_lang();
    // On a phone the bar is one row (total, rate, Continue); the rest opens on tap.
    let open = RwSignal::new(false);
    // The financing the customer chose in the summary (else the price list's), as a rate.
    let rates = crate::state::use_rates();
    let monthly = move || {
        let p = price.get();
        let request = rates.financing.get();
        catalog()
            .financing(p.gross, &request)
            .map(|f| {
                format!(
                    "{}: {}{}",
                    t(lang.get(), "bar.monthly").replace("{}", &request.term_months.to_string()),
                    f.monthly_rate.format(lang.get()),
                    t(lang.get(), "bar.per_month")
                )
            })
            .unwrap_or_default()
    };
    let delivery = move || {
        format!(
            "{} {} {}",
            t(lang.get(), "bar.delivery"),
            catalog().delivery_weeks(&config.get()),
            t(lang.get(), "bar.weeks")
        )
    };
    view! {
        <section class=move || if open.get() { "price-bar open" } else { "price-bar" } data-testid="price-bar" aria-label=tx("bar.total")>
            {children.map(|c| c())}
            <div class="bar-price">
                <div class="meta bar-more">{tx("bar.total")}</div>
                <div class="total" data-testid="price-total" aria-live="polite" aria-atomic="true">
                    {move || price.get().gross.format(lang.get())}
                </div>
            </div>
            <div class="meta bar-rate">
                <div data-testid="price-monthly">{monthly}</div>
                <div class="bar-more" data-testid="delivery-estimate">{delivery}</div>
            </div>
            <crate::components::energy_label::EnergyLabel energy=Signal::derive(move || catalog().energy(&config.get()))/>
            <div class="actions">
                <button type="button" class="bar-more" data-testid="save" on:click=move |_| on_save.run(())>{tx("bar.save")}</button>
                <button type="button" class="bar-more" data-testid="share" on:click=move |_| on_share.run(())>{tx("bar.share")}</button>
                <Show when=move || show_handover.get()>
                    <button type="button" class="bar-more" data-testid="handover" on:click=move |_| on_handover.run(())>{tx("handover.button")}</button>
                </Show>
                // Says in words what it opens: save, share and the delivery time were hidden
                // behind a bare "▴" on phones.
                <button type="button" class="bar-toggle" data-testid="bar-toggle" aria-expanded=move || open.get().to_string()
                    aria-label=move || t(lang.get(), if open.get() { "bar.less" } else { "bar.more" })
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {move || format!("{} {}", if open.get() { "▾" } else { "▴" }, t(lang.get(), if open.get() { "bar.less_short" } else { "bar.more_short" }))}
                </button>
                <button type="button" class="primary" data-testid="continue" on:click=move |_| on_continue.run(())>
                    {move || t(lang.get(), continue_label.get())}
                </button>
            </div>
        </section>
    }
}
