//! `/agent`: the agent's view for staff of a partner: the orders and hand-over snapshots
//! credited to the partner's locations, newest first, and the next status of each order.
//! Guests sign in here; customers are told this area is for staff.

use crate::api::{self, ApiError};
use crate::components::sign_in::SignIn;
use crate::i18n::{local_time, t, tx, use_lang};
use crate::pages::order::status_label;
use crate::session::use_session;
use domain::api::AgentMe;
use domain::order::{OrderStatus, StaffOrderView, StatusChange};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

/// One of the agent's lists, asked for only once the server has said this is staff (so a
/// customer causes no 403s), and again whenever `refresh` changes.
fn staff_list<T: 'static, F: Future<Output = Result<Vec<T>, ApiError>> + 'static>(
    me: LocalResource<Result<AgentMe, ApiError>>,
    refresh: RwSignal<u32>,
    fetch: fn() -> F,
) -> LocalResource<Result<Vec<T>, ApiError>> {
    LocalResource::new(move || {
        refresh.track();
        let list = matches!(me.get(), Some(Ok(_))).then(fetch);
        async move {
            match list {
                Some(list) => list.await,
                None => Ok(Vec::new()),
            }
        }
    })
}

#[component]
pub fn Agent() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    move || match session.user.get() {
        None => view! { <p role="status">{t(lang.get(), "loc.loading")}</p> }.into_any(),
        Some(None) => view! {
            <p class="notice" role="status">{t(lang.get(), "agent.sign_in")}</p>
            <SignIn/>
        }
        .into_any(),
        Some(Some(_)) => view! { <AgentDesk/> }.into_any(),
    }
}

#[component]
fn AgentDesk() -> impl IntoView {
    let lang = use_lang();
    let l = move || lang.get();
    let refresh = RwSignal::new(0u32);
    let message = RwSignal::new(None::<String>);
    let me = LocalResource::new(api::staff_me);
    let staff = move || matches!(me.get(), Some(Ok(_)));
    let orders = staff_list(me, refresh, api::staff_orders);
    let snapshots = staff_list(me, refresh, api::staff_handovers);
    let location_name = move |id: &str| {
        me.get()
            .and_then(|m| m.ok())
            .and_then(|m| {
                m.locations
                    .iter()
                    .find(|x| x.id == id)
                    .map(|x| x.name.clone())
            })
            .unwrap_or_else(|| id.to_string())
    };
    let advance = move |number: String, from: OrderStatus, to: OrderStatus| {
        spawn_local(async move {
            let body = StatusChange {
                from,
                to,
                note: None,
            };
            match api::change_order_status(&number, &body).await {
                Ok(_) => message.set(None),
                Err(e) => message.set(Some(crate::i18n::error_text(lang.get_untracked(), &e))),
            }
            refresh.update(|n| *n += 1);
        });
    };
    let header = move || {
        match me.get() {
        None => view! { <p role="status">{t(l(), "loc.loading")}</p> }.into_any(),
        Some(Err(e)) => {
            let text = if e.status == 403 { t(l(), "agent.staff_only").to_string() } else { crate::i18n::error_text(l(), &e) };
            view! { <p class="notice error" role="alert" data-testid="agent-refused">{text}</p> }.into_any()
        }
        Some(Ok(m)) => view! {
            <p class="lead" data-testid="agent-partner">{m.partner.name.clone().unwrap_or_default()}</p>
        }
        .into_any(),
    }
    };
    view! {
        <section class="page agent" data-testid="agent-view">
            <h1>{tx("page.agent")}</h1>
            {header}
            {move || message.get().map(|m| view! { <p class="notice error" role="alert" data-testid="agent-message">{m}</p> })}
            <Show when=staff>
                <h2>{tx("agent.orders")}</h2>
                {move || match orders.get() {
                    None => view! { <p role="status">{t(l(), "loc.loading")}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="notice error" role="alert">{crate::i18n::error_text(l(), &e)}</p> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! { <p>{t(l(), "agent.no_orders")}</p> }.into_any(),
                    Some(Ok(list)) => view! {
                        <table class="agent-table" data-testid="agent-orders">
                            <thead><tr>
                                <th scope="col">{t(l(), "agent.number")}</th>
                                <th scope="col">{t(l(), "agent.date")}</th>
                                <th scope="col">{t(l(), "agent.customer")}</th>
                                <th scope="col">{t(l(), "agent.location")}</th>
                                <th scope="col">{t(l(), "bar.total")}</th>
                                <th scope="col">{t(l(), "ord.status")}</th>
                                <th scope="col">{t(l(), "agent.action")}</th>
                            </tr></thead>
                            <tbody>
                            {list.into_iter().map(|StaffOrderView { view: o, next }| {
                                let c = &o.order.customer;
                                let customer = format!("{} {}", c.first_name, c.last_name);
                                // A store order names the advisor who served the customer.
                                let channel = match &o.order.staff {
                                    Some(advisor) => format!("{} · {advisor}", o.order.channel.as_str()),
                                    None => o.order.channel.as_str().to_string(),
                                };
                                let buttons = next.into_iter().map(|to| {
                                    let (number, from) = (o.number.clone(), o.status);
                                    let label = t(l(), status_label(to));
                                    let cancel = to == OrderStatus::Cancelled;
                                    view! {
                                        <button type="button" class=if cancel { "" } else { "primary" } data-testid=format!("advance-{to}")
                                            on:click=move |_| advance(number.clone(), from, to)>
                                            {if cancel { t(l(), "agent.cancel").to_string() } else { format!("→ {label}") }}
                                        </button>
                                    }
                                }).collect_view();
                                view! {
                                    <tr data-testid=format!("agent-order-{}", o.number)>
                                        <td data-label=t(l(), "agent.number")><strong>{o.number.clone()}</strong><br/><small>{channel}</small></td>
                                        <td data-label=t(l(), "agent.date")>{local_time(o.created_at, l(), true)}</td>
                                        <td data-label=t(l(), "agent.customer")>{customer}</td>
                                        <td data-label=t(l(), "agent.location")>{o.order.agent.location.clone()}</td>
                                        <td data-label=t(l(), "bar.total")>{o.order.price.gross.format(l())}</td>
                                        <td data-label=t(l(), "ord.status") data-testid="agent-order-status">{t(l(), status_label(o.status))}</td>
                                        <td class="actions">{buttons}</td>
                                    </tr>
                                }
                            }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }}
                <h2>{tx("agent.handovers")}</h2>
                {move || match snapshots.get() {
                    None => view! { <p role="status">{t(l(), "loc.loading")}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="notice error" role="alert">{crate::i18n::error_text(l(), &e)}</p> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! { <p>{t(l(), "agent.no_handovers")}</p> }.into_any(),
                    Some(Ok(list)) => view! {
                        <ul class="order-list" data-testid="agent-handovers">
                            {list.into_iter().map(|h| {
                                let place = h.location_id.as_deref().map(location_name).unwrap_or_default();
                                let price = h.price.map(|p| p.format(l())).unwrap_or_default();
                                let state = if h.expired { t(l(), "agent.expired") } else { t(l(), "agent.valid") };
                                view! {
                                    <li>
                                        <code>{h.display.clone()}</code>" · "{local_time(h.created_at, l(), true)}" · "{place}" · "{price}
                                        " · "{t(l(), crate::car::step_label(domain::Step::from_slug(&h.step).unwrap_or(domain::Step::Line)))}
                                        " · "{state}" · "{format!("{}× {}", h.opened, t(l(), "agent.opened"))}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </Show>
        </section>
    }
}
