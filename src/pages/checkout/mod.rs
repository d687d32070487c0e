//! `/checkout`: the order in clear steps (customer, agent and payment, legal, review) with the
//! final "Zahlungspflichtig bestellen". The server re-validates and re-prices everything; one
//! idempotency key per attempt makes a retried click one order.
//!
//! What the customer enters is one value (`entry::OrderEntry`); each step is a component that
//! reads and writes it, and the review and the order body are made from it alike.

mod entry;
mod fields;
mod steps;

use crate::api::{self, ApiError};
use crate::components::car_picture::CarPicture;
use crate::components::sign_in::SignIn;
use crate::draft;
use crate::i18n::{t, tx, use_lang};
use crate::nav::{use_navigate, use_query_map, A};
use crate::session::use_session;
use crate::state::{catalog, use_agent};
use domain::order::{Field, Invalid, OrderView};
use entry::{Offer, OrderEntry};
use fields::{field_step, has_own_error};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Checkout() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let screen = crate::store::use_store();
    view! {
        {move || match session.user.get() {
            None => view! { <p role="status">{t(lang.get(), "page.loading")}</p> }.into_any(),
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

/// The form's state: the entry, where the customer is, and what was refused.
#[derive(Clone, Copy)]
struct Form {
    entry: RwSignal<OrderEntry>,
    offer: StoredValue<Offer>,
    step: RwSignal<u8>,
    /// The furthest step the customer tried to leave: its fields show their problems.
    tried: RwSignal<u8>,
    /// A field the server refused: its refusal shows until the customer's data is edited.
    rejected: RwSignal<Option<Invalid>>,
    /// The desired delivery date's problem, if any (see `steps::desired_error`).
    desired_error: Signal<Option<&'static str>>,
    desired_node: NodeRef<leptos::html::Input>,
    desired_unreadable: RwSignal<bool>,
}

impl Form {
    /// The domain's own check of a customer's field, shown once its step was tried; a field the
    /// server refused shows that refusal.
    fn problem(self, field: Field) -> Signal<Option<&'static str>> {
        Signal::derive(move || {
            let problem = self.entry.with(|e| e.customer.problem(field));
            let shown = self.tried.get() >= field_step(field);
            problem
                .filter(|_| shown)
                .or(self.rejected.get().filter(|r| r.field == field))
                .map(crate::i18n::invalid_key)
        })
    }
}

/// What is ordered: the car from the link (else the draft on this device), priced now, with the
/// payment terms the customer set in the summary.
fn offer_from_url() -> Option<Offer> {
    let cat = catalog();
    let code = use_query_map().read_untracked().get("c");
    let code = code.or_else(|| draft::load().map(|d| d.code))?;
    let (selection, _) = cat.decode_nearest(&code);
    let car = cat
        .complete(&selection)
        .expect("the nearest selection completes");
    let price = cat.price(&car);
    let weeks = cat.delivery_weeks(&car);
    let rates = crate::state::use_rates();
    let (financing_request, leasing_request) = (
        rates.financing.get_untracked(),
        rates.leasing.get_untracked(),
    );
    Some(Offer {
        code: cat.encode(&selection),
        financing: cat.financing(price.gross, &financing_request).ok(),
        leasing: cat.leasing(price.gross, &leasing_request).ok(),
        car,
        price,
        weeks,
        earliest: earliest_delivery(weeks),
        financing_request,
        leasing_request,
    })
}

/// The earliest delivery date the server accepts: today (UTC, as the server counts) plus the
/// estimate. The date field starts there, and an earlier date is refused on its own step.
fn earliest_delivery(weeks: u32) -> String {
    let now = js_sys::Date::new_0();
    let day = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        now.get_time() + f64::from(weeks) * 7.0 * 86_400_000.0,
    ));
    String::from(day.to_iso_string()).chars().take(10).collect()
}

fn new_key() -> String {
    format!(
        "web-{:x}-{:x}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * 1e15) as u64
    )
}

/// What an attempt to order shows while it runs and after.
#[derive(Clone, Copy)]
struct Placing {
    busy: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    /// The order placed on a showroom screen without an account: its confirmation shows here.
    placed_here: RwSignal<Option<OrderView>>,
}

/// "Zahlungspflichtig bestellen": sends the order body made from the entry. The confirmation
/// replaces the checkout, so Back does not offer the same order again.
fn place_order(form: Form, placing: Placing, guest: bool) -> Callback<()> {
    let lang = use_lang();
    let agent = use_agent();
    let navigate = use_navigate();
    let key = StoredValue::new(new_key());
    Callback::new(move |_| {
        let Some(location) = agent.get_untracked() else {
            return;
        };
        placing.busy.set(true);
        placing.error.set(None);
        let request = form.offer.with_value(|offer| {
            let entry = form.entry.get_untracked();
            entry.request(offer, location.id, lang.get_untracked())
        });
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::place_order(&key.get_value(), &request).await {
                // The car is ordered: no longer a draft to offer for saving.
                Ok(placed) => {
                    if draft::load().is_some_and(|d| d.code == request.code) {
                        draft::clear();
                    }
                    if guest {
                        placing.placed_here.set(Some(placed));
                        window().scroll_to_with_x_and_y(0.0, 0.0);
                    } else {
                        let options = crate::nav::NavigateOptions {
                            replace: true,
                            scroll: true,
                        };
                        navigate(&format!("/orders/{}", placed.number), options);
                        return;
                    }
                }
                // A failed attempt may be corrected: the next one is a new order request.
                Err(e) => {
                    if e.status != 0 {
                        key.set_value(new_key());
                    }
                    // A refused field: back to its step, its refusal beneath it.
                    match e.invalid() {
                        Some(invalid) if has_own_error(invalid.field) => {
                            form.rejected.set(Some(invalid));
                            form.step.set(field_step(invalid.field));
                        }
                        _ => placing.error.set(Some(e)),
                    }
                }
            }
            placing.busy.set(false);
        });
    })
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
    let Some(offer) = offer_from_url() else {
        return view! { <section class="page"><h1>{tx("page.checkout")}</h1><p>{tx("co.no_car")}</p><A href="/configure">{tx("home.cta")}</A></section> }.into_any();
    };
    let (car, total) = (offer.car.clone(), offer.price.gross);
    let entry = RwSignal::new(OrderEntry::new(email));
    let (tried, rejected) = (RwSignal::new(0u8), RwSignal::new(None::<Invalid>));
    let offer = StoredValue::new(offer);
    let desired_unreadable = RwSignal::new(false);
    let form = Form {
        entry,
        offer,
        step: RwSignal::new(1u8),
        tried,
        rejected,
        desired_error: steps::desired_error(entry, offer, tried, rejected, desired_unreadable),
        desired_node: NodeRef::new(),
        desired_unreadable,
    };
    // Editing the customer's data takes a refusal of it away.
    let customer = Memo::new(move |_| entry.with(|e| e.customer.clone()));
    Effect::new(move |_| {
        customer.track();
        rejected.set(None);
    });
    let placing = Placing {
        busy: RwSignal::new(false),
        error: RwSignal::new(None),
        placed_here: RwSignal::new(None),
    };
    let place = place_order(form, placing, guest);
    let offline = crate::offline::use_offline();
    let l = move || lang.get();
    view! {
        {move || placing.placed_here.get().map(|o| {
            let thanks = format!("{} {}", t(l(), "co.store_thanks"), t(l(), "co.store_mail").replace("{}", &o.order.customer.email));
            view! {
                <section class="page order" data-testid="order-page">
                    {crate::pages::order::order_details(o, l(), thanks)}
                </section>
            }
        })}
        <section class="page checkout" data-testid="checkout" hidden=move || placing.placed_here.get().is_some()>
            <h1>{tx("page.checkout")}</h1>
            {guest.then(|| view! { <p class="notice" data-testid="store-guest-note">{tx("co.store_guest")}</p> })}
            {move || (!offline.online.get()).then(|| view! { <p class="notice" role="status" data-testid="checkout-offline">{tx("co.offline")}</p> })}
            <div class="checkout-car"><CarPicture config=car/></div>
            <steps::StepChips step=form.step/>
            <p class="notice">{move || format!("{}: {}", t(l(), "bar.total"), total.format(l()))}</p>
            <steps::CustomerStep form=form/>
            <steps::AgentStep form=form/>
            <steps::LegalStep form=form/>
            <steps::ReviewStep form=form placing=placing place=place/>
            <steps::StepButtons form=form/>
        </section>
    }
    .into_any()
}
