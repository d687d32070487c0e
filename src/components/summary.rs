//! The summary step: the whole car, the line's technical data, every price item with net, VAT
//! and gross, financing and leasing calculators, and the delivery estimate.

use crate::i18n::{t, tx, use_lang};
use crate::nav::A;
use crate::state::catalog;
use domain::{
    Cents, Configuration, FinancingRequest, GroupKind, Lang, LeasingRequest, PriceBreakdown,
};
use leptos::prelude::*;

fn percent(bp: u32, lang: Lang) -> String {
    let text = format!("{}.{:02} %", bp / 100, bp % 100);
    if lang == Lang::De {
        text.replace('.', ",")
    } else {
        text
    }
}

/// Euros typed by the customer ("5000", "5.000", "5000,50") as cents; None when unreadable.
pub fn parse_euros(text: &str, lang: Lang) -> Option<Cents> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€')
        .collect();
    let normalised = match lang {
        Lang::De => cleaned.replace('.', "").replace(',', "."),
        Lang::En => cleaned.replace(',', ""),
    };
    let value: f64 = normalised.parse().ok()?;
    (value.is_finite() && value >= 0.0).then(|| Cents((value * 100.0).round() as i64))
}

/// "10.000 km" (German) or "10,000 km".
fn km_text(km: u32, lang: Lang) -> String {
    format!("{} km", domain::money::group_thousands(km.into(), lang))
}

#[component]
pub fn Summary(
    config: Memo<Configuration>,
    price: Memo<PriceBreakdown>,
    code: Memo<String>,
) -> impl IntoView {
    let lang = use_lang();
    let agent = crate::state::use_agent();
    let cat = catalog();
    let tr = move |key| t(lang.get(), key);

    let car = move || {
        let l = lang.get();
        let cfg = config.get();
        cat.groups()
            .iter()
            .filter_map(|g| {
                let chosen: Vec<String> = g.choices.iter().filter(|c| cat.is_chosen(&cfg, &c.code)).map(|c| c.name.get(l).to_string()).collect();
                (!chosen.is_empty() || g.kind == GroupKind::Single).then(|| view! { <tr><th scope="row">{g.name.get(l).to_string()}</th><td>{chosen.join(", ")}</td></tr> })
            })
            .collect_view()
    };
    let specs = move || {
        let l = lang.get();
        cat.chosen_in(&config.get(), "line")
            .map(|line| line.specs.iter().map(|s| view! { <tr><th scope="row">{s.label.get(l).to_string()}</th><td>{s.value.get(l).to_string()}</td></tr> }).collect_view())
    };
    let items = move || {
        let l = lang.get();
        price
            .get()
            .items
            .into_iter()
            .map(|i| {
                let note = i
                    .included_in
                    .as_deref()
                    .and_then(|c| cat.choice(c))
                    .map(|c| format!(" ({} {})", t(l, "cfg.included"), c.name.get(l)));
                view! {
                    <tr>
                        <td>{i.name.get(l).to_string()}{note}</td>
                        <td class="num">{i.net.format(l)}</td>
                        <td class="num">{i.vat.format(l)}</td>
                        <td class="num">{i.gross.format(l)}</td>
                    </tr>
                }
            })
            .collect_view()
    };

    view! {
        <div class="summary" data-testid="summary">
            <h2>{tx("sum.car")}</h2>
            <table><tbody>{car}</tbody></table>
            <p>{tx("sum.code")}": " <code data-testid="config-code">{move || code.get()}</code></p>

            <h2>{tx("sum.tech")}</h2>
            <table><tbody>{specs}</tbody></table>

            <h2>{tx("sum.prices")}</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label=tx("sum.prices")>
            <table data-testid="price-items">
                <thead><tr>
                    <th scope="col">{tx("sum.item")}</th>
                    <th scope="col" class="num">{tx("sum.net")}</th>
                    <th scope="col" class="num">{tx("sum.vat")}</th>
                    <th scope="col" class="num">{tx("sum.gross")}</th>
                </tr></thead>
                <tbody>{items}</tbody>
                <tfoot><tr>
                    <td>{tx("sum.total")}</td>
                    <td class="num">{move || price.get().net.format(lang.get())}</td>
                    <td class="num">{move || price.get().vat.format(lang.get())}</td>
                    <td class="num" data-testid="summary-total">{move || price.get().gross.format(lang.get())}</td>
                </tr></tfoot>
            </table>
            </div>
            <crate::components::energy_label::EnergyLabel energy=Signal::derive(move || cat.energy(&config.get()))/>
            <p class="vat-note">{move || format!("{}: {} · {}: {}", tr("sum.net"), price.get().net.format(lang.get()), tr("sum.vat"), price.get().vat.format(lang.get()))}</p>

            <h2>{tx("sum.delivery")}</h2>
            <p data-testid="summary-delivery">{move || tr("sum.delivery_text").replace("{}", &cat.delivery_weeks(&config.get()).to_string())}</p>

            <h2>{tx("sum.agent")}</h2>
            {move || match agent.get() {
                Some(a) => view! {
                    <p data-testid="summary-agent"><strong>{a.name}</strong>", "{a.street}", "{a.postcode}" "{a.city}" · "{crate::components::phone_link(a.phone)}</p>
                }.into_any(),
                None => view! { <p data-testid="summary-agent">{tr("sum.agent_none")}</p> }.into_any(),
            }}
            <p><A href="/locations">{tx("sum.agent_change")}</A></p>
            // The configured line and car come along: the agent sees what the customer built.
            <p><a href=move || {
                let cfg = config.get();
                let line = cat.lines().iter().find(|l| cat.is_chosen(&cfg, &l.code)).map_or("", |l| l.code.as_str());
                format!("/test-drive?line={line}&c={}", code.get())
            } class="button" rel="external" data-testid="summary-test-drive">{tx("td.cta")}</a></p>

            <FinancingCalculator price=price/>
            <LeasingCalculator price=price/>
            <p class="lead">{tx("sum.sample")}</p>
        </div>
    }
}

/// A down payment typed by the customer: euros, and not more than the car costs.
fn down_payment(text: &str, lang: Lang, gross: Cents) -> Result<Cents, &'static str> {
    let c = parse_euros(text, lang).ok_or("sum.down_invalid")?;
    if c > gross {
        return Err("sum.down_too_high");
    }
    Ok(c)
}

fn down_text(c: Cents) -> String {
    format!("{}", c.0 / 100)
}

/// Financing: term, down payment and final instalment, and the rate with every figure the law
/// asks for. What the customer sets here is what the price bar shows and checkout offers.
#[component]
fn FinancingCalculator(price: Memo<PriceBreakdown>) -> impl IntoView {
    let lang = use_lang();
    let cat = catalog();
    let tr = move |key| t(lang.get(), key);
    let fin = crate::state::use_rates().financing;
    // A down payment or final instalment the customer typed that cannot be used, and why.
    let fin_down_error = RwSignal::new(None::<&'static str>);
    let balloon_error = RwSignal::new(None::<&'static str>);
    let down_problem =
        move |text: &str| down_payment(text, lang.get_untracked(), price.get_untracked().gross);
    let financing = move || cat.financing(price.get().gross, &fin.get());
    let f = &cat.data.financing;
    let terms: Vec<u32> = (f.min_term_months..=f.max_term_months).step_by(6).collect();
    view! {
    <h2>{tx("sum.financing")}</h2>
    <p class="meta" data-testid="lender">{tx("sum.lender")}</p>
    <div class="calc">
        <label>{tx("sum.term")}
            <select data-testid="fin-term" on:change=move |ev| {
                if let Ok(m) = event_target_value(&ev).parse() { fin.update(|r: &mut FinancingRequest| r.term_months = m) }
            }>
                {terms.into_iter().map(|m| view! { <option value=m.to_string() selected=move || fin.get().term_months == m>{m}</option> }).collect_view()}
            </select>
        </label>
        <label>{tx("sum.down")}
            <input type="text" inputmode="decimal" data-testid="fin-down" value=down_text(fin.get_untracked().down_payment)
                aria-invalid=move || fin_down_error.get().is_some().to_string() aria-describedby="fin-down-error"
                on:change=move |ev| match down_problem(&event_target_value(&ev)) {
                    Ok(c) => { fin_down_error.set(None); fin.update(|r| r.down_payment = c) }
                    Err(k) => fin_down_error.set(Some(k)),
                }/>
            <span class="field-error" id="fin-down-error" role="alert" data-testid="fin-down-error">{move || fin_down_error.get().map(tr)}</span>
        </label>
        // Balloon financing: a lower rate, and a final instalment at the end.
        <label>{tx("sum.balloon_input")}
            <input type="text" inputmode="decimal" data-testid="fin-balloon" value=down_text(fin.get_untracked().balloon)
                aria-invalid=move || balloon_error.get().is_some().to_string() aria-describedby="fin-balloon-hint fin-balloon-error"
                on:change=move |ev| {
                    let max = cat.max_balloon(price.get_untracked().gross).min(price.get_untracked().gross - fin.get_untracked().down_payment);
                    match parse_euros(&event_target_value(&ev), lang.get_untracked()) {
                        None => balloon_error.set(Some("sum.down_invalid")),
                        Some(c) if c > max => balloon_error.set(Some("sum.balloon_too_high")),
                        Some(c) => { balloon_error.set(None); fin.update(|r| r.balloon = c) }
                    }
                }/>
            <span class="meta" id="fin-balloon-hint" data-testid="fin-balloon-hint">{move || format!("{} {}", tr("sum.balloon_max"), cat.max_balloon(price.get().gross).format(lang.get()))}</span>
            <span class="field-error" id="fin-balloon-error" role="alert" data-testid="fin-balloon-error">{move || balloon_error.get().map(tr)}</span>
        </label>
    </div>
    // An entry refused above leaves the figures of the last valid one: said, not hidden.
    {move || (fin_down_error.get().is_some() || balloon_error.get().is_some()).then(|| {
        let r = fin.get();
        view! { <p class="notice" role="status" data-testid="fin-stale">{format!("{} {} {}, {} {}.", tr("sum.stale"), tr("sum.down_word"), r.down_payment.format(lang.get()), tr("sum.balloon"), r.balloon.format(lang.get()))}</p> }
    })}
    {move || match financing() {
        Ok(f) => view! {
            <table data-testid="financing"><tbody>
                <tr><th scope="row">{tr("sum.monthly")}</th><td class="num" data-testid="fin-monthly">{f.monthly_rate.format(lang.get())}</td></tr>
                <tr><th scope="row">{tr("sum.principal")}</th><td class="num">{f.principal.format(lang.get())}</td></tr>
                {(f.balloon.0 > 0).then(|| view! { <tr><th scope="row">{tr("sum.balloon")}</th><td class="num" data-testid="fin-balloon-amount">{f.balloon.format(lang.get())}</td></tr> })}
                <tr><th scope="row">{tr("sum.nominal")}</th><td class="num">{percent(f.nominal_rate_bp, lang.get())}</td></tr>
                <tr><th scope="row">{tr("sum.effective")}</th><td class="num">{percent(f.effective_rate_bp, lang.get())}</td></tr>
                <tr><th scope="row">{tr("sum.interest")}</th><td class="num">{f.total_interest.format(lang.get())}</td></tr>
                <tr><th scope="row">{tr("sum.total_amount")}</th><td class="num">{f.total_amount.format(lang.get())}</td></tr>
            </tbody></table>
        }.into_any(),
        Err(e) => view! { <p class="notice error" role="alert">{rate_error_text(&e, lang.get())}</p> }.into_any(),
    }}
    }
}

/// Leasing: term, yearly mileage and down payment, and the rate.
#[component]
fn LeasingCalculator(price: Memo<PriceBreakdown>) -> impl IntoView {
    let lang = use_lang();
    let cat = catalog();
    let tr = move |key| t(lang.get(), key);
    let lease = crate::state::use_rates().leasing;
    let lease_down_error = RwSignal::new(None::<&'static str>);
    let down_problem =
        move |text: &str| down_payment(text, lang.get_untracked(), price.get_untracked().gross);
    let leasing = move || cat.leasing(price.get().gross, &lease.get());
    let lease_terms = cat.data.leasing.terms_months.clone();
    let mileages = cat.data.leasing.yearly_km.clone();
    view! {
    <h2>{tx("sum.leasing")}</h2>
    <div class="calc">
        <label>{tx("sum.term")}
            <select data-testid="lease-term" on:change=move |ev| {
                if let Ok(m) = event_target_value(&ev).parse() { lease.update(|r: &mut LeasingRequest| r.term_months = m) }
            }>
                {lease_terms.into_iter().map(|m| view! { <option value=m.to_string() selected=move || lease.get().term_months == m>{m}</option> }).collect_view()}
            </select>
        </label>
        <label>{tx("sum.mileage")}
            <select data-testid="lease-km" on:change=move |ev| {
                if let Ok(k) = event_target_value(&ev).parse() { lease.update(|r: &mut LeasingRequest| r.yearly_km = k) }
            }>
                {mileages.into_iter().map(|k| view! { <option value=k.to_string() selected=move || lease.get().yearly_km == k>{move || km_text(k, lang.get())}</option> }).collect_view()}
            </select>
        </label>
        <label>{tx("sum.down")}
            <input type="text" inputmode="decimal" data-testid="lease-down" value=down_text(lease.get_untracked().down_payment)
                aria-invalid=move || lease_down_error.get().is_some().to_string() aria-describedby="lease-down-error"
                on:change=move |ev| match down_problem(&event_target_value(&ev)) {
                    Ok(c) => { lease_down_error.set(None); lease.update(|r| r.down_payment = c) }
                    Err(k) => lease_down_error.set(Some(k)),
                }/>
            <span class="field-error" id="lease-down-error" role="alert" data-testid="lease-down-error">{move || lease_down_error.get().map(tr)}</span>
        </label>
    </div>
    {move || lease_down_error.get().is_some().then(|| view! {
        <p class="notice" role="status" data-testid="lease-stale">{format!("{} {} {}.", tr("sum.stale"), tr("sum.down_word"), lease.get().down_payment.format(lang.get()))}</p>
    })}
    {move || match leasing() {
        Ok(l) => view! {
            <table data-testid="leasing"><tbody>
                <tr><th scope="row">{tr("sum.monthly")}</th><td class="num" data-testid="lease-monthly">{l.monthly_rate.format(lang.get())}</td></tr>
                <tr><th scope="row">{tr("sum.total_amount")}</th><td class="num">{l.total_amount.format(lang.get())}</td></tr>
            </tbody></table>
        }.into_any(),
        Err(e) => view! { <p class="notice error" role="alert">{rate_error_text(&e, lang.get())}</p> }.into_any(),
    }}
    }
}

/// Why no rate can be computed, in the page's language (`RateError`'s own texts are English).
fn rate_error_text(e: &domain::pricing::RateError, lang: domain::Lang) -> String {
    use domain::pricing::RateError;
    match e {
        RateError::Term { min, max } => t(lang, "sum.err_term")
            .replacen("{}", &min.to_string(), 1)
            .replacen("{}", &max.to_string(), 1),
        RateError::DownPayment => t(lang, "sum.err_down").to_string(),
        RateError::Balloon { max } => t(lang, "sum.err_balloon").replace("{}", &max.format(lang)),
        RateError::LeasingChoice { .. } => t(lang, "sum.err_leasing").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_are_read_per_language() {
        assert_eq!(parse_euros("5.000", Lang::De), Some(Cents(500_000)));
        assert_eq!(parse_euros("5000,50 €", Lang::De), Some(Cents(500_050)));
        assert_eq!(parse_euros("5,000.50", Lang::En), Some(Cents(500_050)));
        assert_eq!(parse_euros("abc", Lang::En), None);
        assert_eq!(parse_euros("-5", Lang::En), None);
    }
}
