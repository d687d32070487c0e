//! `/checkout`: the order in clear steps (customer, agent and payment, legal, review) with the
//! final "Zahlungspflichtig bestellen". The server re-validates and re-prices everything; one
//! idempotency key per attempt makes a retried click one order.

use crate::api::{self, ApiError};
use crate::components::car_picture::CarPicture;
use crate::draft;
use crate::i18n::{t, tx, use_lang};
use crate::nav::A;
use crate::nav::{use_navigate, use_query_map};
use crate::pages::account::SignIn;
use crate::session::use_session;
use crate::state::{catalog, use_agent};
use domain::hygiene::{clean_text, limits, TextProblem};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use serde_json::json;

const TERMS_VERSION: &str = "2023-11";

#[derive(Clone, Deserialize)]
struct Placed {
    number: String,
}

fn new_key() -> String {
    format!(
        "web-{:x}-{:x}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * 1e15) as u64
    )
}

/// ", Schlussrate 15.000,00 €" for a balloon financing; nothing for a plain loan.
pub fn balloon_text(balloon: domain::Cents, lang: domain::Lang) -> String {
    if balloon.0 > 0 {
        format!(", {} {}", t(lang, "sum.balloon"), balloon.format(lang))
    } else {
        String::new()
    }
}

/// A text field with its label and its own error underneath.
#[component]
fn Field(
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
    view! {
        <label for=label_for>{move || t(lang.get(), label)}
            <input id=id type=if kind.is_empty() { "text" } else { kind } autocomplete=autocomplete data-testid=testid
                aria-invalid=move || error.get().is_some().to_string() aria-describedby=err_id.clone() bind:value=value/>
        </label>
        <p class="field-error" id=format!("e-{testid}") data-testid=format!("error-{testid}")>{move || error.get().map(|k| t(lang.get(), k))}</p>
    }
}

#[derive(Serialize)]
struct Customer {
    kind: &'static str,
    company: Option<String>,
    vat_id: Option<String>,
    first_name: String,
    last_name: String,
    email: String,
    phone: String,
    street: String,
    postcode: String,
    city: String,
}

#[component]
pub fn Checkout() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    view! {
        {move || match session.user.get() {
            None => view! { <p role="status">{t(lang.get(), "loc.loading")}</p> }.into_any(),
            Some(None) => view! {
                <section class="page"><h1>{t(lang.get(), "page.checkout")}</h1><p class="lead">{t(lang.get(), "co.sign_in_first")}</p></section>
                <SignIn under_heading=true/>
            }.into_any(),
            Some(Some(user)) => view! { <CheckoutForm email=user.email/> }.into_any(),
        }}
    }
}

#[component]
fn CheckoutForm(email: String) -> impl IntoView {
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
    // On a showroom screen the order names the staff member serving the customer.
    let in_store = crate::store::use_store().get_untracked().is_some();
    let staff = RwSignal::new(String::new());
    let desired = RwSignal::new(String::new());
    let terms = RwSignal::new(false);
    let withdrawal = RwSignal::new(false);
    let privacy = RwSignal::new(false);
    let marketing = RwSignal::new(false);
    let tried = RwSignal::new(0u8);
    let server_error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let key = StoredValue::new(new_key());

    // The server's own check (domain::hygiene): blank, too long, control or direction characters.
    let need = move |s: RwSignal<String>, step_no: u8, max: usize| {
        Signal::derive(move || {
            if tried.get() < step_no {
                return None;
            }
            match clean_text(&s.get(), max) {
                Ok(_) => None,
                Err(TextProblem::Empty) => Some("co.required"),
                Err(TextProblem::TooLong { .. }) => Some("co.too_long"),
                Err(_) => Some("co.text_invalid"),
            }
        })
    };
    let postcode_error = Signal::derive(move || {
        let p = postcode.get();
        (tried.get() >= 1 && !(p.len() == 5 && p.bytes().all(|b| b.is_ascii_digit())))
            .then_some("co.postcode_invalid")
    });
    let vat_error = Signal::derive(move || {
        let v: String = vat_id
            .get()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        (tried.get() >= 1
            && business.get()
            && !(v.len() == 11
                && v.starts_with("DE")
                && v[2..].bytes().all(|b| b.is_ascii_digit())))
        .then_some("co.vat_invalid")
    });
    // As the server checks it: at least 6 digits, and only what phone numbers are written with.
    let phone_error = Signal::derive(move || {
        let p = phone.get();
        let digits = p.chars().filter(char::is_ascii_digit).count();
        let allowed = p
            .chars()
            .all(|c| c.is_ascii_digit() || " +-/()".contains(c));
        (tried.get() >= 1 && !p.trim().is_empty() && (digits < 6 || !allowed))
            .then_some("co.phone_invalid")
    });
    let email_error = Signal::derive(move || {
        (tried.get() >= 1 && !mail.get().contains('@')).then_some("co.email_invalid")
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
    let desired_error = {
        let earliest = earliest.clone();
        Signal::derive(move || {
            let d = desired.get();
            (tried.get() >= 2 && !d.is_empty() && d < earliest).then_some("co.desired_early")
        })
    };
    let step1_ok = move || {
        [
            (first, limits::NAME),
            (last, limits::NAME),
            (phone, limits::PHONE),
            (street, limits::STREET),
            (city, limits::CITY),
        ]
        .iter()
        .all(|(s, max)| clean_text(&s.get_untracked(), *max).is_ok())
            && postcode_error.get_untracked().is_none()
            && email_error.get_untracked().is_none()
            && phone_error.get_untracked().is_none()
            && (!business.get_untracked()
                || (clean_text(&company.get_untracked(), limits::COMPANY).is_ok()
                    && vat_error.get_untracked().is_none()))
    };
    let step3_ok = move || {
        terms.get_untracked()
            && privacy.get_untracked()
            && (business.get_untracked() || withdrawal.get_untracked())
    };
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
                date_ok
                    && agent.get_untracked().is_some()
                    && (!in_store || clean_text(&staff.get_untracked(), limits::NAME).is_ok())
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
    let (fin_monthly, lease_monthly) = (
        financing.as_ref().map(|f| f.monthly_rate),
        leasing.as_ref().map(|f| f.monthly_rate),
    );
    let (fin_term, lease_term) = (fin_req.term_months, lease_req.term_months);
    let fin_req_body = fin_req.clone();
    let fin_balloon = fin_req.balloon;
    let total = price.gross;
    let order_code = code.clone();
    let place = move |_| {
        let Some(location) = agent.get_untracked() else {
            return;
        };
        busy.set(true);
        server_error.set(None);
        let payment_body = match payment.get_untracked().as_str() {
            "financing" => {
                json!({"method": "financing", "term_months": fin_req_body.term_months, "down_payment": fin_req_body.down_payment, "balloon": fin_req_body.balloon})
            }
            "leasing" => json!({
                "method": "leasing", "term_months": lease_req.term_months,
                "yearly_km": lease_req.yearly_km, "down_payment": lease_req.down_payment
            }),
            _ => json!({"method": "cash"}),
        };
        let is_business = business.get_untracked();
        let body = json!({
            "code": order_code,
            "price_list_version": cat.version(),
            "expected_total": total,
            "customer": Customer {
                kind: if is_business { "business" } else { "private" },
                company: is_business.then(|| company.get_untracked()),
                vat_id: is_business.then(|| vat_id.get_untracked()),
                first_name: first.get_untracked(), last_name: last.get_untracked(), email: mail.get_untracked(),
                phone: phone.get_untracked(), street: street.get_untracked(), postcode: postcode.get_untracked(), city: city.get_untracked(),
            },
            "location_id": location.id,
            "channel": if in_store { "store" } else { "web" },
            "staff": in_store.then(|| staff.get_untracked().trim().to_string()),
            "payment": payment_body,
            "desired_delivery": Some(desired.get_untracked()).filter(|d| !d.is_empty()),
            "terms_version": TERMS_VERSION,
            "withdrawal_notice_shown": withdrawal.get_untracked() || is_business,
            "privacy_accepted": privacy.get_untracked(),
            "marketing_consent": marketing.get_untracked(),
        });
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::send_once::<Placed, _>("/api/orders", &key.get_value(), &body).await {
                // The confirmation replaces the checkout: Back must not offer the same order again.
                Ok(placed) => navigate(
                    &format!("/orders/{}", placed.number),
                    crate::nav::NavigateOptions {
                        replace: true,
                        scroll: true,
                    },
                ),
                // A failed attempt may be corrected: the next one is a new order request.
                Err(e) => {
                    if e.status != 0 {
                        key.set_value(new_key());
                    }
                    server_error.set(Some(e));
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
        <section class="page checkout" data-testid="checkout">
            <h1>{tx("page.checkout")}</h1>
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
                    <Field label="co.company" value=company testid="company" error=need(company, 1, limits::COMPANY)/>
                    <Field label="co.vat_id" value=vat_id testid="vat-id" error=vat_error/>
                })}
                <div class="form-grid">
                    <Field label="co.first_name" value=first testid="first-name" error=need(first, 1, limits::NAME) autocomplete="given-name"/>
                    <Field label="co.last_name" value=last testid="last-name" error=need(last, 1, limits::NAME) autocomplete="family-name"/>
                    <Field label="acc.email" value=mail testid="email" error=email_error kind="email" autocomplete="email"/>
                    <Field label="co.phone" value=phone testid="phone" kind="tel" autocomplete="tel"
                        error=Signal::derive(move || need(phone, 1, limits::PHONE).get().or(phone_error.get()))/>
                    <Field label="co.street" value=street testid="street" error=need(street, 1, limits::STREET) autocomplete="street-address"/>
                    <Field label="co.postcode" value=postcode testid="postcode" error=postcode_error autocomplete="postal-code"/>
                    <Field label="co.city" value=city testid="city" error=need(city, 1, limits::CITY) autocomplete="address-level2"/>
                </div>
            </div>
            <div hidden=move || step.get() != 2>
                <h2>{tx("sum.agent")}</h2>
                {move || match agent.get() {
                    Some(a) => view! { <p data-testid="checkout-agent"><strong>{a.name}</strong>", "{a.street}", "{a.postcode}" "{a.city}</p> }.into_any(),
                    None => view! { <p class="field-error" role="alert" data-testid="checkout-agent">{t(l(), "sum.agent_none")}</p> }.into_any(),
                }}
                {(!in_store).then(|| view! { <A href="/locations">{tx("sum.agent_change")}</A> })}
                {in_store.then(|| view! { <Field label="co.staff" value=staff testid="staff" error=need(staff, 2, limits::NAME)/> })}
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
                        aria-invalid=move || desired_error.get().is_some().to_string() aria-describedby="desired-error"/>
                </label>
                <p class="field-error" id="desired-error" role="alert" data-testid="desired-error">
                    {move || desired_error.get().map(|k| t(l(), k).replace("{}", &crate::i18n::local_date_iso(&earliest, lang.get())))}
                </p>
            </div>
            <div hidden=move || step.get() != 3>
                <label class="inline"><input type="checkbox" data-testid="terms" bind:checked=terms/>
                    <span>{tx("co.terms")}" "<a href="/terms" target="_blank" rel="noopener">{tx("co.terms_link")}</a>{move || format!(" ({} {TERMS_VERSION})", t(l(), "co.version"))}</span></label>
                <p class="field-error" data-testid="error-terms">{move || (tried.get() >= 3 && !terms.get()).then(|| t(l(), "co.confirm"))}</p>
                {move || (!business.get()).then(|| view! {
                    <div class="notice" data-testid="withdrawal-notice"><p>{t(l(), "co.withdrawal_text")}</p></div>
                    <label class="inline"><input type="checkbox" data-testid="withdrawal" bind:checked=withdrawal/>{t(l(), "co.withdrawal")}</label>
                    <p class="field-error">{move || (tried.get() >= 3 && !withdrawal.get()).then(|| t(l(), "co.confirm"))}</p>
                })}
                <label class="inline"><input type="checkbox" data-testid="privacy" bind:checked=privacy/>
                    <span>{tx("co.privacy")}" "<a href="/privacy" target="_blank" rel="noopener">{tx("co.privacy_link")}</a>{tx("co.privacy_end")}</span></label>
                <p class="field-error">{move || (tried.get() >= 3 && !privacy.get()).then(|| t(l(), "co.confirm"))}</p>
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
                <p data-testid="review-payment">{move || {
                    let rate = |months: u32, monthly: Option<domain::Cents>| format!(", {months} {} ({}{})", t(l(), "co.months"), monthly.map(|m| m.format(l())).unwrap_or_default(), t(l(), "bar.per_month"));
                    let (method, detail) = match payment.get().as_str() {
                        "financing" => ("sum.financing", rate(fin_term, fin_monthly) + &balloon_text(fin_balloon, l())),
                        "leasing" => ("sum.leasing", rate(lease_term, lease_monthly)),
                        _ => ("co.pay_cash", String::new()),
                    };
                    format!("{}: {}{detail}", t(l(), "co.payment"), t(l(), method))
                }}</p>
                <p data-testid="review-delivery">{move || {
                    let estimate = format!("{}: {}", t(l(), "sum.delivery"), t(l(), "sum.delivery_text").replace("{}", &weeks.to_string()));
                    match desired.get() {
                        d if d.is_empty() => estimate,
                        d => format!("{estimate}; {}: {}", t(l(), "co.desired_short"), crate::i18n::local_date_iso(&d, lang.get())),
                    }
                }}</p>
                <p>{move || t(l(), "sum.delivery_text").replace("{}", &weeks.to_string())}</p>
                {move || server_error.get().map(|e| view! { <p class="notice error" role="alert" data-testid="order-error">{e.message}</p> })}
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
