//! `/checkout`: the order in clear steps (customer, agent and payment, legal, review) with the
//! final "Zahlungspflichtig bestellen". The server re-validates and re-prices everything; one
//! idempotency key per attempt makes a retried click one order.

use crate::api::{self, ApiError};
use crate::components::car_picture::CarPicture;
use crate::components::legal_text::{LegalText, Text as LegalDoc};
use crate::components::sign_in::SignIn;
use crate::draft;
use crate::i18n::{t, tx, use_lang};
use crate::nav::A;
use crate::nav::{use_navigate, use_query_map};
use crate::session::use_session;
use crate::state::{catalog, use_agent};
use domain::order::{
    CurrentPrice, Customer, CustomerKind, Delivery, Field, Invalid, OrderRequest, Payment,
    PaymentTerms, Problem, Terms,
};
use domain::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The checkout step where a field is asked for (4: the review, for what has no field).
fn field_step(field: Field) -> u8 {
    match field {
        Field::Company
        | Field::VatId
        | Field::FirstName
        | Field::LastName
        | Field::Email
        | Field::Phone
        | Field::Street
        | Field::Postcode
        | Field::City => 1,
        Field::Staff | Field::DesiredDelivery | Field::Location | Field::Payment => 2,
        Field::Terms | Field::Privacy | Field::Withdrawal => 3,
        _ => 4,
    }
}

/// Whether the form shows this field's refusal beneath it (else the review step says it).
fn has_own_error(field: Field) -> bool {
    field_step(field) == 1 || matches!(field, Field::Staff | Field::DesiredDelivery)
}

/// The words beneath a refused field.
fn invalid_key(invalid: Invalid) -> &'static str {
    match (invalid.field, invalid.problem) {
        (_, Problem::Required) => "co.required",
        (_, Problem::TooLong) => "co.too_long",
        (_, Problem::Characters) => "co.text_invalid",
        (
            Field::FirstName | Field::LastName | Field::Company | Field::Street | Field::City,
            Problem::Format,
        ) => "co.no_links",
        (Field::Postcode, _) => "co.postcode_invalid",
        (Field::VatId, _) => "co.vat_invalid",
        (Field::Email, _) => "co.email_invalid",
        (Field::Phone, _) => "co.phone_invalid",
        (Field::DesiredDelivery, Problem::TooEarly) => "co.desired_early",
        (Field::DesiredDelivery, _) => "co.desired_invalid",
        (Field::Terms | Field::Privacy | Field::Withdrawal, _) => "co.consents_missing",
        (Field::Location, _) => "co.location_unknown",
        (Field::Payment, _) => "co.payment_invalid",
        (Field::PriceList, _) => "co.price_list_changed",
        (Field::Code, _) => "co.not_buildable",
        _ => "err.invalid",
    }
}

/// Why an order was refused, in the page's language: a changed price names the new one.
fn order_error_text(e: &ApiError, lang: Lang) -> String {
    let current = e
        .current
        .as_deref()
        .and_then(|c| serde_json::from_str::<CurrentPrice>(c).ok());
    match (e.status, current, e.invalid()) {
        (409, Some(c), _) => t(lang, "co.price_changed").replace("{}", &c.price.gross.format(lang)),
        (_, _, Some(invalid)) => t(lang, invalid_key(invalid)).to_string(),
        _ => crate::i18n::error_text(lang, e),
    }
}

fn new_key() -> String {
    format!(
        "web-{:x}-{:x}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * 1e15) as u64
    )
}

/// A text field with its label and its own error underneath.
#[component]
fn FormField(
    label: &'static str,
    value: RwSignal<String>,
    testid: &'static str,
    #[prop(into)] error: Signal<Option<&'static str>>,
    #[prop(optional)] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("f-{testid}");
    let label_for = id.clone();
    let err_id = format!("e-{testid}");
    // One box per field, its error beneath it: in the form's grid the error never takes a
    // column of its own.
    view! {
        <div class="field">
            <label for=label_for>{move || t(lang.get(), label)}
                <input id=id type=if kind.is_empty() { "text" } else { kind } autocomplete=autocomplete data-testid=testid
                    aria-invalid=move || error.get().is_some().to_string() aria-describedby=err_id.clone() bind:value=value/>
            </label>
            <p class="field-error" id=format!("e-{testid}") data-testid=format!("error-{testid}")>{move || error.get().map(|k| t(lang.get(), k))}</p>
        </div>
    }
}

#[component]
pub fn Checkout() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let screen = crate::store::use_store();
    view! {
        {move || match session.user.get() {
            None => view! { <p role="status">{t(lang.get(), "loc.loading")}</p> }.into_any(),
            // On a showroom screen nobody types a password: the customer orders with their
            // e-mail address, and the confirmation there lets them set up the account.
            Some(None) if screen.get().is_some() => view! { <CheckoutForm email=String::new() guest=true/> }.into_any(),
            Some(None) => view! {
                <section class="page"><h1>{t(lang.get(), "page.checkout")}</h1><p class="lead">{t(lang.get(), "co.sign_in_first")}</p></section>
                <SignIn under_heading=true/>
            }.into_any(),
            Some(Some(user)) => view! { <CheckoutForm email=user.email/> }.into_any(),
        }}
    }
}

#[component]
fn CheckoutForm(
    email: String,
    /// Not signed in, on a showroom screen: the confirmation shows here (there is no account
    /// session to open the order's page with).
    #[prop(optional)]
    guest: bool,
) -> impl IntoView {
    let lang = use_lang();
    let cat = catalog();
    let agent = use_agent();
    let query = use_query_map();
    let navigate = use_navigate();
    // The car: from the link, else the draft on this device.
    let code = query
        .read_untracked()
        .get("c")
        .or_else(|| draft::load().map(|d| d.code));
    let Some(code) = code else {
        return view! { <section class="page"><h1>{tx("page.checkout")}</h1><p>{tx("co.no_car")}</p><A href="/configure">{tx("home.cta")}</A></section> }.into_any();
    };
    let (selection, _) = cat.decode_nearest(&code);
    let code = cat.encode(&selection);
    let car = cat
        .complete(&selection)
        .expect("the nearest selection completes");
    let price = cat.price(&car);
    let weeks = cat.delivery_weeks(&car);

    let step = RwSignal::new(1u8);
    let business = RwSignal::new(false);
    let company = RwSignal::new(String::new());
    let vat_id = RwSignal::new(String::new());
    let first = RwSignal::new(String::new());
    let last = RwSignal::new(String::new());
    let mail = RwSignal::new(email);
    let phone = RwSignal::new(String::new());
    let street = RwSignal::new(String::new());
    let postcode = RwSignal::new(String::new());
    let city = RwSignal::new(String::new());
    let payment = RwSignal::new("cash".to_string());
    // On a showroom screen the server names the staff member who set it up as the advisor.
    let screen = crate::store::use_store().get_untracked();
    let in_store = screen.is_some();
    let desired = RwSignal::new(String::new());
    let terms = RwSignal::new(false);
    let withdrawal = RwSignal::new(false);
    let marketing = RwSignal::new(false);
    let tried = RwSignal::new(0u8);
    let server_error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let key = StoredValue::new(new_key());
    let placed_here = RwSignal::new(None::<domain::order::OrderView>);

    // What the customer typed, as the order's customer.
    let customer = move || Customer {
        kind: if business.get() {
            CustomerKind::Business
        } else {
            CustomerKind::Private
        },
        company: Some(company.get()),
        vat_id: Some(vat_id.get()),
        first_name: first.get(),
        last_name: last.get(),
        email: mail.get(),
        phone: phone.get(),
        street: street.get(),
        postcode: postcode.get(),
        city: city.get(),
    };
    // The server's own checks (domain::order), each field's beneath it once its step was tried;
    // a field the server refused shows its refusal until it is edited.
    let rejected = RwSignal::new(None::<Invalid>);
    let problem = move |field: Field| {
        Signal::derive(move || {
            let problem = customer().problem(field);
            let shown = tried.get() >= field_step(field);
            problem
                .filter(|_| shown)
                .or(rejected.get().filter(|r| r.field == field))
                .map(invalid_key)
        })
    };
    // Editing a refused field takes its refusal away.
    Effect::new(move |_| {
        customer();
        rejected.set(None);
    });
    // The earliest delivery date the server accepts: today (UTC, as the server counts) plus the
    // estimate. The date field starts there, and an earlier date is refused on its own step.
    let earliest = {
        let now = js_sys::Date::new_0();
        let day = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
            now.get_time() + f64::from(weeks) * 7.0 * 86_400_000.0,
        ));
        String::from(day.to_iso_string())
            .chars()
            .take(10)
            .collect::<String>()
    };
    let desired_node = NodeRef::<leptos::html::Input>::new();
    // A date field holding something that is not a whole date (half typed, or typed in an order
    // the browser does not read) has the value "": say so rather than drop it silently.
    let desired_unreadable = RwSignal::new(false);
    let read_desired = move || {
        if let Some(input) = desired_node.get_untracked() {
            desired_unreadable.set(input.validity().bad_input());
        }
    };
    let desired_error = {
        let earliest = earliest.clone();
        Signal::derive(move || {
            let d = desired.get();
            let unreadable = desired_unreadable.get() && d.is_empty();
            (unreadable.then_some("co.desired_unreadable"))
                .or((tried.get() >= 2 && !d.is_empty() && d < earliest)
                    .then_some("co.desired_early"))
                .or(rejected
                    .get()
                    .filter(|r| r.field == Field::DesiredDelivery)
                    .map(invalid_key))
        })
    };
    let step1_ok = move || untrack(customer).cleaned().is_ok();
    let step3_ok =
        move || terms.get_untracked() && (business.get_untracked() || withdrawal.get_untracked());
    let next = move |_| {
        let s = step.get_untracked();
        tried.set(s);
        let ok = match s {
            1 => step1_ok(),
            2 => {
                let date_ok = desired_error.get_untracked().is_none();
                if !date_ok {
                    if let Some(input) = desired_node.get_untracked() {
                        let _ = input.focus();
                    }
                }
                date_ok && agent.get_untracked().is_some()
            }
            3 => step3_ok(),
            _ => true,
        };
        if ok {
            step.set(s + 1);
        } else {
            // The customer's eyes go where the first problem is, once it is drawn.
            request_animation_frame(|| {
                let first = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| {
                        d.query_selector(
                            "[data-testid=checkout] :is(div:not([hidden])) [aria-invalid=true]",
                        )
                        .ok()
                    })
                    .flatten();
                if let Some(el) = first {
                    let _ =
                        wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(el).focus();
                }
            });
        }
    };
    // The parameters the customer chose in the summary (or the price list's defaults).
    let rates = crate::state::use_rates();
    let (fin_req, lease_req) = (
        rates.financing.get_untracked(),
        rates.leasing.get_untracked(),
    );
    let financing = cat.financing(price.gross, &fin_req).ok();
    let leasing = cat.leasing(price.gross, &lease_req).ok();
    let (fin_term, lease_term) = (fin_req.term_months, lease_req.term_months);
    let fin_req_body = fin_req.clone();
    let total = price.gross;
    let order_code = code.clone();
    let (review_financing, review_leasing) = (financing.clone(), leasing.clone());
    let review_earliest = earliest.clone();
    let screen_advisor = screen.as_ref().map(|s| s.advisor.clone());
    let place = move |_| {
        let Some(location) = agent.get_untracked() else {
            return;
        };
        busy.set(true);
        server_error.set(None);
        let payment = match payment.get_untracked().as_str() {
            "financing" => Payment::Financing {
                term_months: fin_req_body.term_months,
                down_payment: fin_req_body.down_payment,
                balloon: fin_req_body.balloon,
            },
            "leasing" => Payment::Leasing {
                term_months: lease_req.term_months,
                yearly_km: lease_req.yearly_km,
                down_payment: lease_req.down_payment,
            },
            _ => Payment::Cash,
        };
        let is_business = business.get_untracked();
        let request = OrderRequest {
            code: order_code.clone(),
            price_list_version: cat.version().to_string(),
            expected_total: total,
            customer: untrack(customer),
            location_id: location.id,
            payment,
            desired_delivery: Some(desired.get_untracked()).filter(|d| !d.is_empty()),
            terms_version: domain::order::terms_version().to_string(),
            withdrawal_notice_shown: withdrawal.get_untracked() || is_business,
            // The notice is on the page the order is placed from.
            privacy_accepted: true,
            marketing_consent: marketing.get_untracked(),
            language: lang.get_untracked(),
        };
        let navigate = navigate.clone();
        let order_code_sent = request.code.clone();
        spawn_local(async move {
            match api::place_order(&key.get_value(), &request).await {
                // The confirmation replaces the checkout: Back must not offer the same order again.
                // The car is ordered: no longer a draft to offer for saving.
                Ok(placed) => {
                    if draft::load().is_some_and(|d| d.code == order_code_sent) {
                        draft::clear();
                    }
                    if guest {
                        placed_here.set(Some(placed));
                        window().scroll_to_with_x_and_y(0.0, 0.0);
                        busy.set(false);
                        return;
                    }
                    navigate(
                        &format!("/orders/{}", placed.number),
                        crate::nav::NavigateOptions {
                            replace: true,
                            scroll: true,
                        },
                    )
                }
                // A failed attempt may be corrected: the next one is a new order request.
                Err(e) => {
                    if e.status != 0 {
                        key.set_value(new_key());
                    }
                    // A refused field: back to its step, its refusal beneath it.
                    match e.invalid() {
                        Some(invalid) if has_own_error(invalid.field) => {
                            rejected.set(Some(invalid));
                            step.set(field_step(invalid.field));
                        }
                        _ => server_error.set(Some(e)),
                    }
                }
            }
            busy.set(false);
        });
    };

    let l = move || lang.get();
    const STEPS: [&str; 4] = [
        "co.step_customer",
        "co.step_agent",
        "co.step_legal",
        "co.step_review",
    ];
    view! {
        {move || placed_here.get().map(|o| {
            let thanks = format!("{} {}", t(l(), "co.store_thanks"), t(l(), "co.store_mail").replace("{}", &o.order.customer.email));
            view! {
                <section class="page order" data-testid="order-page">
                    {crate::pages::order::order_details(o, l(), thanks)}
                </section>
            }
        })}
        <section class="page checkout" data-testid="checkout" hidden=move || placed_here.get().is_some()>
            <h1>{tx("page.checkout")}</h1>
            {guest.then(|| view! { <p class="notice" data-testid="store-guest-note">{tx("co.store_guest")}</p> })}
            <div class="checkout-car"><CarPicture config=car.clone()/></div>
            <ol class="steps" aria-label=tx("steps.label")>
                {STEPS.iter().enumerate().map(|(i, k)| {
                    let n = i as u8 + 1;
                    view! { <li><span aria-current=move || (step.get() == n).then_some("step") class="step-chip">{move || format!("{n}. {}", t(l(), k))}</span></li> }
                }).collect_view()}
            </ol>
            <p class="notice">{move || format!("{}: {}", t(l(), "bar.total"), total.format(l()))}</p>
            <div hidden=move || step.get() != 1>
                <fieldset>
                    <legend>{tx("co.customer_kind")}</legend>
                    <label class="inline"><input type="radio" name="kind" data-testid="kind-private" checked=move || !business.get() on:change=move |_| business.set(false)/>{tx("co.private")}</label>
                    <label class="inline"><input type="radio" name="kind" data-testid="kind-business" checked=move || business.get() on:change=move |_| business.set(true)/>{tx("co.business")}</label>
                </fieldset>
                {move || business.get().then(|| view! {
                    <FormField label="co.company" value=company testid="company" error=problem(Field::Company)/>
                    <FormField label="co.vat_id" value=vat_id testid="vat-id" error=problem(Field::VatId)/>
                })}
                <div class="form-grid">
                    <FormField label="co.first_name" value=first testid="first-name" error=problem(Field::FirstName) autocomplete="given-name"/>
                    <FormField label="co.last_name" value=last testid="last-name" error=problem(Field::LastName) autocomplete="family-name"/>
                    <FormField label="acc.email" value=mail testid="email" error=problem(Field::Email) kind="email" autocomplete="email"/>
                    <FormField label="co.phone" value=phone testid="phone" kind="tel" autocomplete="tel" error=problem(Field::Phone)/>
                    <FormField label="co.street" value=street testid="street" error=problem(Field::Street) autocomplete="street-address"/>
                    <FormField label="co.postcode" value=postcode testid="postcode" error=problem(Field::Postcode) autocomplete="postal-code"/>
                    <FormField label="co.city" value=city testid="city" error=problem(Field::City) autocomplete="address-level2"/>
                </div>
            </div>
            <div hidden=move || step.get() != 2>
                <h2>{tx("sum.agent")}</h2>
                {move || match agent.get() {
                    Some(a) => view! { <p data-testid="checkout-agent"><strong>{a.name}</strong>", "{a.street}", "{a.postcode}" "{a.city}</p> }.into_any(),
                    None => view! { <p class="field-error" role="alert" data-testid="checkout-agent">{t(l(), "sum.agent_none")}</p> }.into_any(),
                }}
                {(!in_store).then(|| view! { <A href="/locations">{tx("sum.agent_change")}</A> })}
                {screen.map(|s| view! { <p data-testid="checkout-advisor">{tx("co.staff")}": "{s.advisor}</p> })}
                <h2>{tx("co.payment")}</h2>
                <label class="inline"><input type="radio" name="pay" data-testid="pay-cash" checked=move || payment.get() == "cash" on:change=move |_| payment.set("cash".into())/>{tx("co.pay_cash")}</label>
                <label class="inline"><input type="radio" name="pay" data-testid="pay-financing" on:change=move |_| payment.set("financing".into())/>
                    {move || format!("{}, {fin_term} {} ({}{})", t(l(), "sum.financing"), t(l(), "co.months"), financing.as_ref().map(|f| f.monthly_rate.format(l())).unwrap_or_default(), t(l(), "bar.per_month"))}</label>
                <label class="inline"><input type="radio" name="pay" data-testid="pay-leasing" on:change=move |_| payment.set("leasing".into())/>
                    {move || format!("{}, {lease_term} {} ({}{})", t(l(), "sum.leasing"), t(l(), "co.months"), leasing.as_ref().map(|f| f.monthly_rate.format(l())).unwrap_or_default(), t(l(), "bar.per_month"))}</label>
                <h2>{tx("sum.delivery")}</h2>
                <p>{move || t(l(), "sum.delivery_text").replace("{}", &weeks.to_string())}</p>
                <label>{tx("co.desired")}
                    <input type="date" data-testid="desired" min=earliest.clone() node_ref=desired_node bind:value=desired
                        on:input=move |_| read_desired() on:blur=move |_| read_desired()
                        aria-invalid=move || desired_error.get().is_some().to_string() aria-describedby="desired-error"/>
                </label>
                <p class="field-error" id="desired-error" role="alert" data-testid="desired-error">
                    {move || desired_error.get().map(|k| t(l(), k).replace("{}", &crate::i18n::local_date_iso(&earliest, lang.get())))}
                </p>
            </div>
            <div hidden=move || step.get() != 3>
                <label class="inline"><input type="checkbox" data-testid="terms" bind:checked=terms/>
                    <span>{tx("co.terms")}" "<a href="/terms" target="_blank" rel="noopener">{tx("co.terms_link")}</a>{move || format!(" ({} {})", t(l(), "co.version"), domain::order::terms_version())}</span></label>
                <p class="field-error" data-testid="error-terms">{move || (tried.get() >= 3 && !terms.get()).then(|| t(l(), "co.confirm"))}</p>
                {move || (!business.get()).then(|| view! {
                    // The statutory instructions and the model form, as the confirmation mail
                    // sends them; a business customer has no right of withdrawal.
                    <div class="notice legal-box" data-testid="withdrawal-notice" tabindex="0">
                        <LegalText text=LegalDoc::Withdrawal nested=true/>
                        <LegalText text=LegalDoc::WithdrawalForm nested=true/>
                    </div>
                    <label class="inline"><input type="checkbox" data-testid="withdrawal" bind:checked=withdrawal/>{t(l(), "co.withdrawal")}</label>
                    <p class="field-error">{move || (tried.get() >= 3 && !withdrawal.get()).then(|| t(l(), "co.confirm"))}</p>
                })}
                // Informing is required (Art. 13 GDPR), a consent is not: a notice, no checkbox.
                <p data-testid="privacy-notice">{tx("co.privacy")}" "<a href="/privacy" target="_blank" rel="noopener">{tx("co.privacy_link")}</a>{tx("co.privacy_end")}</p>
                <label class="inline"><input type="checkbox" data-testid="marketing" bind:checked=marketing/>{tx("co.marketing")}</label>
            </div>
            <div hidden=move || step.get() != 4 data-testid="review">
                <h2>{tx("co.step_review")}</h2>
                <table class="summary"><tbody>
                    {price.items.iter().map(|i| { let i = i.clone(); view! { <tr><td>{move || i.name.get(l()).to_string()}</td><td class="num">{move || i.gross.format(l())}</td></tr> } }).collect_view()}
                    <tr><th scope="row">{tx("sum.net")}</th><td class="num">{move || price.net.format(l())}</td></tr>
                    <tr><th scope="row">{tx("sum.vat")}</th><td class="num">{move || price.vat.format(l())}</td></tr>
                    <tr><th scope="row">{tx("sum.total")}</th><td class="num" data-testid="review-total">{move || total.format(l())}</td></tr>
                </tbody></table>
                <p>{move || format!("{}: {} {} {}, {} {} {}", t(l(), "co.customer"), first.get(), last.get(), mail.get(), street.get(), postcode.get(), city.get())}</p>
                <p>{move || format!("{}: {}", t(l(), "sum.agent"), agent.get().map(|a| a.name).unwrap_or_default())}</p>
                {cat.energy(&car).map(|e| view! { <p class="energy" data-testid="energy-label">{move || crate::components::energy_label::energy_text(e, lang.get())}</p> })}
                // Every term the order sends, worded by the domain as the confirmation mail, the
                // order's page and the staff desk word the stored order.
                <dl class="terms" data-testid="review-terms">{move || {
                    let payment = match payment.get().as_str() {
                        "financing" => review_financing.clone().map(|financing| PaymentTerms::Financing { financing }),
                        "leasing" => review_leasing.clone().map(|leasing| PaymentTerms::Leasing { leasing }),
                        _ => Some(PaymentTerms::Cash),
                    }
                    .unwrap_or(PaymentTerms::Cash);
                    let delivery = Delivery {
                        estimated_weeks: weeks,
                        earliest_date_days: domain::hygiene::parse_date(&review_earliest).unwrap_or_default(),
                        desired: Some(desired.get()).filter(|d| !d.is_empty()),
                    };
                    let who = customer();
                    let terms = Terms { price: &price, payment: &payment, delivery: &delivery, customer: &who, staff: screen_advisor.as_deref() };
                    terms.lines(l()).into_iter().map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()
                }}</dl>
                {move || server_error.get().map(|e| view! { <p class="notice error" role="alert" data-testid="order-error">{order_error_text(&e, l())}</p> })}
                <button type="button" class="primary" data-testid="place-order" disabled=move || busy.get() on:click=place>{tx("co.place")}</button>
            </div>
            <div class="nav-buttons">
                {move || (step.get() > 1).then(|| view! { <button type="button" data-testid="co-back" on:click=move |_| step.update(|s| *s -= 1)>{t(l(), "cfg.back")}</button> })}
                {move || (step.get() < 4).then(|| view! { <button type="button" class="primary" data-testid="co-next" on:click=next>{t(l(), "cfg.next")}</button> })}
            </div>
        </section>
    }
    .into_any()
}
