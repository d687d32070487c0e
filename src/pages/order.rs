//! `/orders/:id`: the confirmation and status of an order: number, car, price, the agent's
//! contact, next steps and the status history. Also "My orders" for the account page.

use crate::api;
use crate::components::car_picture::CarPicture;
use crate::i18n::{t, tx, use_lang};
use crate::nav::use_params_map;
use crate::nav::A;
use domain::order::{OrderStatus, OrderView};
use domain::Lang;
use leptos::prelude::*;

pub fn status_label(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::Received => "st.received",
        OrderStatus::Confirmed => "st.confirmed",
        OrderStatus::AssignedToAgent => "st.assigned",
        OrderStatus::InProduction => "st.production",
        OrderStatus::ReadyForHandover => "st.ready",
        OrderStatus::HandedOver => "st.handed_over",
        OrderStatus::Cancelled => "st.cancelled",
    }
}

#[component]
pub fn Order() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let session = crate::session::use_session();
    // Only a signed-in customer has orders to see: a guest is asked to sign in, no request made.
    let order = LocalResource::new(move || {
        let (id, user) = (id.clone(), session.user.get());
        async move {
            match user {
                None => None,
                Some(None) => Some(Err(api::ApiError::not_signed_in())),
                Some(Some(_)) => Some(api::order(&id).await),
            }
        }
    });
    let l = move || lang.get();
    view! {
        <section class="page order" data-testid="order-page">
            {move || match order.get().flatten() {
                None => view! { <p role="status">{t(l(), "page.loading")}</p> }.into_any(),
                // Signed out: sign in right here, and the order shows.
                Some(Err(e)) if e.status == 401 => view! {
                    <h1>{t(l(), "page.order")}</h1>
                    <p class="lead" data-testid="order-sign-in">{t(l(), "ord.sign_in")}</p>
                    <crate::components::sign_in::SignIn under_heading=true/>
                }.into_any(),
                Some(Err(e)) => view! {
                    <h1>{t(l(), "page.order")}</h1>
                    <p class="notice error" role="alert">{if e.status == 404 { t(l(), "ord.not_found").to_string() } else { crate::i18n::error_text(l(), &e) }}</p>
                    <A href="/account">{t(l(), "nav.account")}</A>
                }.into_any(),
                Some(Ok(o)) => order_details(o, l(), t(l(), "ord.thanks").to_string()).into_any(),
            }}
        </section>
    }
}

/// An order as its customer sees it: number, car, every agreed term, the agent, next steps and
/// the status history. The order's page, and the confirmation a showroom screen shows at once
/// (whose `thanks` also says where the mail went).
pub fn order_details(o: OrderView, l: Lang, thanks: String) -> impl IntoView {
    let d = &o.order;
    let choices = d
        .configuration
        .choices
        .iter()
        .map(|c| c.name.get(l))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <h1 data-testid="order-number">{format!("{} {}", t(l, "page.order"), o.number)}</h1>
        <p class="notice" role="status" data-testid="order-thanks">{thanks}</p>
        <p>{t(l, "ord.status")}": " <strong data-testid="order-status">{t(l, status_label(o.status))}</strong></p>
        <h2>{t(l, "sum.car")}</h2>
        {{
            let cat = crate::state::catalog();
            cat.complete(&cat.decode_nearest(&d.configuration.code).0)
        }.map(|c| view! { <div class="order-car"><CarPicture config=c/></div> })}
        <p>{choices}</p>
        <p class="price" data-testid="order-total">{d.price.gross.format(l)}</p>
        // Every agreed term, worded by the domain as the confirmation mail and the staff desk
        // word them.
        <dl class="terms" data-testid="order-terms">
            {d.terms(l).into_iter().map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}
        </dl>
        <h2>{t(l, "sum.agent")}</h2>
        <p data-testid="order-agent"><strong>{d.agent.location.clone()}</strong>", "
            {d.agent.address.clone()}" · "{crate::components::phone_link(d.agent.phone.clone())}</p>
        <h2>{t(l, "ord.next")}</h2>
        <ol><li>{t(l, "ord.next1")}</li><li>{t(l, "ord.next2")}</li><li>{t(l, "ord.next3")}</li></ol>
        <h2>{t(l, "ord.history")}</h2>
        <ul data-testid="order-history">{o.history.iter().map(|h| {
            // A cancellation says why, in the words staff gave for the customer.
            let reason = h.reason.clone().map(|r| format!(": {r}"));
            view! { <li>{t(l, status_label(h.status))}{reason}</li> }
        }).collect_view()}</ul>
    }
}

/// "My orders": number, status and total of each order of the account.
#[component]
pub fn MyOrders() -> impl IntoView {
    let lang = use_lang();
    let orders = LocalResource::new(api::orders);
    let l = move || lang.get();
    view! {
        <h2>{tx("ord.mine")}</h2>
        {move || match orders.get() {
            None => view! { <p role="status">{t(l(), "page.loading")}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="notice error" role="alert">{crate::i18n::error_text(l(), &e)}</p> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <p>{t(l(), "ord.none")}</p> }.into_any(),
            Some(Ok(list)) => view! {
                <ul class="order-list" data-testid="my-orders">
                    {list.into_iter().map(|o| view! {
                        <li>
                            <A href=format!("/orders/{}", o.number)>{o.number.clone()}</A>
                            " · " {t(l(), status_label(o.status))} " · " {o.order.price.gross.format(l())}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
