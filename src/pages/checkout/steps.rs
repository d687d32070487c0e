//! The checkout's steps, each drawn from the one entry: the customer, the agent with payment and
//! delivery, the legal step, and the review with the order button.

use super::entry::{Offer, OrderEntry, PayBy};
use super::fields::{order_error_text, FormField};
use super::{Form, Placing};
use crate::components::legal_text::{LegalText, Text as LegalDoc};
use crate::i18n::{t, tx, use_lang};
use crate::nav::A;
use crate::state::use_agent;
use domain::order::{CustomerKind, Field, Invalid, Terms};
use leptos::prelude::*;

const STEPS: [&str; 4] = [
    "co.step_customer",
    "co.step_agent",
    "co.step_legal",
    "co.step_review",
];

/// "1. Kunde  2. Agent & Zahlung …", the current one marked.
#[component]
pub(super) fn StepChips(step: RwSignal<u8>) -> impl IntoView {
    let lang = use_lang();
    let chips = STEPS.iter().enumerate().map(|(i, k)| {
        let n = i as u8 + 1;
        view! { <li><span aria-current=move || (step.get() == n).then_some("step") class="step-chip">{move || format!("{n}. {}", t(lang.get(), k))}</span></li> }
    });
    view! { <ol class="steps" aria-label=tx("steps.label")>{chips.collect_view()}</ol> }
}

#[component]
pub(super) fn CustomerStep(form: Form) -> impl IntoView {
    let entry = form.entry;
    let business = Memo::new(move |_| entry.with(OrderEntry::business));
    let set_kind = move |kind| entry.update(|e| e.customer.kind = kind);
    let field = move |label, field, testid, kind, autocomplete| {
        view! { <FormField label=label entry=entry field=field testid=testid error=form.problem(field) kind=kind autocomplete=autocomplete/> }
    };
    view! {
        <div hidden=move || form.step.get() != 1>
            <fieldset>
                <legend>{tx("co.customer_kind")}</legend>
                <label class="inline"><input type="radio" name="kind" data-testid="kind-private" checked=move || !business.get() on:change=move |_| set_kind(CustomerKind::Private)/>{tx("co.private")}</label>
                <label class="inline"><input type="radio" name="kind" data-testid="kind-business" checked=move || business.get() on:change=move |_| set_kind(CustomerKind::Business)/>{tx("co.business")}</label>
            </fieldset>
            {move || business.get().then(|| view! {
                {field("co.company", Field::Company, "company", "", "")}
                {field("co.vat_id", Field::VatId, "vat-id", "", "")}
            })}
            <div class="form-grid">
                {field("co.first_name", Field::FirstName, "first-name", "", "given-name")}
                {field("co.last_name", Field::LastName, "last-name", "", "family-name")}
                {field("acc.email", Field::Email, "email", "email", "email")}
                {field("co.phone", Field::Phone, "phone", "tel", "tel")}
                {field("co.street", Field::Street, "street", "", "street-address")}
                {field("co.postcode", Field::Postcode, "postcode", "", "postal-code")}
                {field("co.city", Field::City, "city", "", "address-level2")}
            </div>
        </div>
    }
}

/// The desired delivery date's problem: unreadable (a date field holding something that is not
/// a whole date, half typed or in an order the browser does not read, has the value ""), before
/// the earliest once the step was tried, or refused by the server.
pub(super) fn desired_error(
    entry: RwSignal<OrderEntry>,
    offer: StoredValue<Offer>,
    tried: RwSignal<u8>,
    rejected: RwSignal<Option<Invalid>>,
    unreadable: RwSignal<bool>,
) -> Signal<Option<&'static str>> {
    Signal::derive(move || {
        let d = entry.with(|e| e.desired.clone());
        let early = offer.with_value(|o| !d.is_empty() && d < o.earliest);
        (unreadable.get() && d.is_empty())
            .then_some("co.desired_unreadable")
            .or((tried.get() >= 2 && early).then_some("co.desired_early"))
            .or(rejected
                .get()
                .filter(|r| r.field == Field::DesiredDelivery)
                .map(crate::i18n::invalid_key))
    })
}

/// The agent (the showroom's, or the one chosen on /locations), the payment and the delivery.
#[component]
pub(super) fn AgentStep(form: Form) -> impl IntoView {
    let lang = use_lang();
    let l = move || lang.get();
    let agent = use_agent();
    // On a showroom screen the server names the staff member who set it up as the advisor.
    let screen = crate::store::use_store().get_untracked();
    let in_store = screen.is_some();
    let entry = form.entry;
    let pay_by = Memo::new(move |_| entry.with(|e| e.pay_by));
    let set_pay = move |by| entry.update(|e| e.pay_by = by);
    let (fin_term, lease_term, weeks, earliest) = form.offer.with_value(|o| {
        let terms = (
            o.financing_request.term_months,
            o.leasing_request.term_months,
        );
        (terms.0, terms.1, o.weeks, o.earliest.clone())
    });
    let rate = move |by| form.offer.with_value(|o| o.rate(by, l()));
    let read_desired = move || {
        if let Some(input) = form.desired_node.get_untracked() {
            form.desired_unreadable.set(input.validity().bad_input());
        }
    };
    let desired = Memo::new(move |_| entry.with(|e| e.desired.clone()));
    view! {
        <div hidden=move || form.step.get() != 2>
            <h2>{tx("sum.agent")}</h2>
            {move || match agent.get() {
                Some(a) => view! { <p data-testid="checkout-agent"><strong>{a.name}</strong>", "{a.street}", "{a.postcode}" "{a.city}</p> }.into_any(),
                None => view! { <p class="field-error" role="alert" data-testid="checkout-agent">{t(l(), "sum.agent_none")}</p> }.into_any(),
            }}
            {(!in_store).then(|| view! { <A href="/locations">{tx("sum.agent_change")}</A> })}
            {screen.map(|s| view! { <p data-testid="checkout-advisor">{tx("co.staff")}": "{s.advisor}</p> })}
            <h2>{tx("co.payment")}</h2>
            <label class="inline"><input type="radio" name="pay" data-testid="pay-cash" checked=move || pay_by.get() == PayBy::Cash on:change=move |_| set_pay(PayBy::Cash)/>{tx("co.pay_cash")}</label>
            <label class="inline"><input type="radio" name="pay" data-testid="pay-financing" on:change=move |_| set_pay(PayBy::Financing)/>
                {move || format!("{}, {fin_term} {} ({}{})", t(l(), "sum.financing"), t(l(), "co.months"), rate(PayBy::Financing), t(l(), "bar.per_month"))}</label>
            <label class="inline"><input type="radio" name="pay" data-testid="pay-leasing" on:change=move |_| set_pay(PayBy::Leasing)/>
                {move || format!("{}, {lease_term} {} ({}{})", t(l(), "sum.leasing"), t(l(), "co.months"), rate(PayBy::Leasing), t(l(), "bar.per_month"))}</label>
            <h2>{tx("sum.delivery")}</h2>
            <p>{move || t(l(), "sum.delivery_text").replace("{}", &weeks.to_string())}</p>
            <label>{tx("co.desired")}
                <input type="date" data-testid="desired" min=earliest.clone() node_ref=form.desired_node prop:value=desired
                    on:input=move |ev| { entry.update(|e| e.desired = event_target_value(&ev)); read_desired() } on:blur=move |_| read_desired()
                    aria-invalid=move || form.desired_error.get().is_some().to_string() aria-describedby="desired-error"/>
            </label>
            <p class="field-error" id="desired-error" role="alert" data-testid="desired-error">
                {move || form.desired_error.get().map(|k| t(l(), k).replace("{}", &crate::i18n::local_date_iso(&earliest, lang.get())))}
            </p>
        </div>
    }
}

/// The terms, the withdrawal instructions for a consumer, the privacy notice and the optional
/// marketing consent.
#[component]
pub(super) fn LegalStep(form: Form) -> impl IntoView {
    let lang = use_lang();
    let l = move || lang.get();
    let entry = form.entry;
    let terms = Memo::new(move |_| entry.with(|e| e.terms));
    let withdrawal = Memo::new(move |_| entry.with(|e| e.withdrawal));
    let business = Memo::new(move |_| entry.with(OrderEntry::business));
    let checked = |ev: leptos::ev::Event| event_target_checked(&ev);
    let confirm =
        move |given: bool| (form.tried.get() >= 3 && !given).then(|| t(l(), "co.confirm"));
    view! {
        <div hidden=move || form.step.get() != 3>
            <label class="inline"><input type="checkbox" data-testid="terms" prop:checked=terms on:change=move |ev| entry.update(|e| e.terms = checked(ev))/>
                <span>{tx("co.terms")}" "<a href="/terms" target="_blank" rel="noopener">{tx("co.terms_link")}</a>{move || format!(" ({} {})", t(l(), "co.version"), domain::order::terms_version())}</span></label>
            <p class="field-error" data-testid="error-terms">{move || confirm(terms.get())}</p>
            {move || (!business.get()).then(|| view! {
                // The statutory instructions and the model form, as the confirmation mail
                // sends them; a business customer has no right of withdrawal.
                <div class="notice legal-box" data-testid="withdrawal-notice" tabindex="0">
                    <LegalText text=LegalDoc::Withdrawal nested=true/>
                    <LegalText text=LegalDoc::WithdrawalForm nested=true/>
                </div>
                <label class="inline"><input type="checkbox" data-testid="withdrawal" prop:checked=withdrawal on:change=move |ev| entry.update(|e| e.withdrawal = checked(ev))/>{t(l(), "co.withdrawal")}</label>
                <p class="field-error">{move || confirm(withdrawal.get())}</p>
            })}
            // Informing is required (Art. 13 GDPR), a consent is not: a notice, no checkbox.
            <p data-testid="privacy-notice">{tx("co.privacy")}" "<a href="/privacy" target="_blank" rel="noopener">{tx("co.privacy_link")}</a>{tx("co.privacy_end")}</p>
            <label class="inline"><input type="checkbox" data-testid="marketing" on:change=move |ev| entry.update(|e| e.marketing = checked(ev))/>{tx("co.marketing")}</label>
        </div>
    }
}

/// The review: every price item, and every term the order sends, worded by the domain from the
/// very order body the button sends (as the confirmation mail, the order's page and the staff
/// desk word the stored order).
#[component]
pub(super) fn ReviewStep(form: Form, placing: Placing, place: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let l = move || lang.get();
    let agent = use_agent();
    let advisor = crate::store::use_store().get_untracked().map(|s| s.advisor);
    let (price, energy) = form.offer.with_value(|o| {
        let energy = crate::state::catalog().energy(&o.car);
        (o.price.clone(), energy)
    });
    let items = price.items.clone().into_iter().map(|i| {
        view! { <tr><td>{move || i.name.get(l()).to_string()}</td><td class="num">{move || i.gross.format(l())}</td></tr> }
    });
    let (net, vat, total) = (price.net, price.vat, price.gross);
    let terms = move || {
        let location = agent.get().map(|a| a.id).unwrap_or_default();
        let request = form
            .offer
            .with_value(|o| form.entry.get().request(o, location, l()));
        let (payment, delivery) = form.offer.with_value(|o| {
            let delivery = o.delivery(request.desired_delivery.clone());
            (o.payment_terms(&request.payment), delivery)
        });
        let who = &request.customer;
        let terms = Terms {
            price: &price,
            payment: &payment,
            delivery: &delivery,
            customer: who,
            staff: advisor.as_deref(),
        };
        let lines = terms.lines(l()).into_iter();
        let customer = format!(
            "{}: {} {} {}, {} {} {}",
            t(l(), "co.customer"),
            who.first_name,
            who.last_name,
            who.email,
            who.street,
            who.postcode,
            who.city
        );
        view! {
            <p>{customer}</p>
            <p>{format!("{}: {}", t(l(), "sum.agent"), agent.get().map(|a| a.name).unwrap_or_default())}</p>
            {energy.map(|e| view! { <p class="energy" data-testid="energy-label">{crate::components::energy_label::energy_text(e, l())}</p> })}
            <dl class="terms" data-testid="review-terms">{lines.map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}</dl>
        }
    };
    view! {
        <div hidden=move || form.step.get() != 4 data-testid="review">
            <h2>{tx("co.step_review")}</h2>
            <table class="summary"><tbody>
                {items.collect_view()}
                <tr><th scope="row">{tx("sum.net")}</th><td class="num">{move || net.format(l())}</td></tr>
                <tr><th scope="row">{tx("sum.vat")}</th><td class="num">{move || vat.format(l())}</td></tr>
                <tr><th scope="row">{tx("sum.total")}</th><td class="num" data-testid="review-total">{move || total.format(l())}</td></tr>
            </tbody></table>
            {terms}
            {move || placing.error.get().map(|e| view! { <p class="notice error" role="alert" data-testid="order-error">{order_error_text(&e, l())}</p> })}
            <button type="button" class="primary" data-testid="place-order" disabled=move || placing.busy.get() on:click=move |_| place.run(())>{tx("co.place")}</button>
        </div>
    }
}

/// Back and Next: Next checks the step first (the domain's checks of the customer, a readable
/// date and a chosen agent, the consents) and takes the customer's eyes to the first problem.
#[component]
pub(super) fn StepButtons(form: Form) -> impl IntoView {
    let lang = use_lang();
    let agent = use_agent();
    let step = form.step;
    let next = move |_| {
        let s = step.get_untracked();
        form.tried.set(s);
        let ok = match s {
            1 => form.entry.with_untracked(|e| e.customer.cleaned().is_ok()),
            2 => {
                let date_ok = form.desired_error.get_untracked().is_none();
                if let Some(input) = form.desired_node.get_untracked().filter(|_| !date_ok) {
                    let _ = input.focus();
                }
                date_ok && agent.get_untracked().is_some()
            }
            3 => form.entry.with_untracked(OrderEntry::consents_given),
            _ => true,
        };
        if ok {
            step.set(s + 1);
        } else {
            request_animation_frame(focus_first_problem);
        }
    };
    view! {
        <div class="nav-buttons">
            {move || (step.get() > 1).then(|| view! { <button type="button" data-testid="co-back" on:click=move |_| step.update(|s| *s -= 1)>{t(lang.get(), "cfg.back")}</button> })}
            {move || (step.get() < 4).then(|| view! { <button type="button" class="primary" data-testid="co-next" on:click=next>{t(lang.get(), "cfg.next")}</button> })}
        </div>
    }
}

/// The customer's eyes go where the first problem is, once it is drawn.
fn focus_first_problem() {
    let first = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("[data-testid=checkout] :is(div:not([hidden])) [aria-invalid=true]")
                .ok()
        })
        .flatten();
    if let Some(el) = first {
        let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(el).focus();
    }
}
