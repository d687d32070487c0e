//! The orders credited to the partner's locations: search, status filter, pages; each order's
//! next statuses (with a note), a cancellation with its reason, and the details to act on.

use super::{pager, Desk};
use crate::api;
use crate::components::dialog::Modal;
use crate::i18n::{local_time, t, tx, use_lang};
use crate::pages::order::status_label;
use domain::order::{OrderStatus, StaffOrderView, StatusChange};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Moves an order on; a cancellation carries the reason the customer will read.
#[derive(Clone, Copy)]
struct Advance {
    desk: Desk,
    /// The order a cancellation is being asked for.
    cancelling: RwSignal<Option<(String, OrderStatus)>>,
}

impl Advance {
    fn run(
        self,
        number: String,
        from: OrderStatus,
        to: OrderStatus,
        note: String,
        reason: Option<String>,
    ) {
        let filled = |text: String| Some(text.trim().to_string()).filter(|n| !n.is_empty());
        let body = StatusChange {
            from,
            to,
            note: filled(note),
            reason: reason.and_then(filled),
        };
        spawn_local(async move {
            let outcome = api::change_order_status(&number, &body).await;
            if outcome.is_ok() {
                self.cancelling.set(None);
            }
            self.desk.done(outcome.map(|_| ()));
        });
    }
}

#[component]
pub(super) fn Orders(desk: Desk) -> impl IntoView {
    let lang = use_lang();
    let l = move || lang.get();
    // What the list shows: a search, a status, a page. A new search starts at page 1.
    let search = RwSignal::new(String::new());
    let status_filter = RwSignal::new(None::<OrderStatus>);
    let page = RwSignal::new(1u32);
    let orders =
        desk.list(move || api::staff_orders(&search.get(), status_filter.get(), page.get()));
    let advance = Advance {
        desk,
        cancelling: RwSignal::new(None),
    };
    let statuses = OrderStatus::ALL;
    view! {
        <h2>{tx("agent.orders")}</h2>
        <form class="agent-search" role="search" on:submit=|ev| ev.prevent_default()>
            <label>{tx("agent.search")}
                <input type="search" data-testid="agent-search" maxlength="100"
                    prop:value=move || search.get()
                    on:change=move |ev| { search.set(event_target_value(&ev)); page.set(1); }/>
            </label>
            <label>{tx("ord.status")}
                <select data-testid="agent-status-filter" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    status_filter.set(statuses.into_iter().find(|s| s.as_str() == v));
                    page.set(1);
                }>
                    <option value="">{tx("agent.all")}</option>
                    {statuses.into_iter().map(|s| view! { <option value=s.as_str()>{move || t(l(), status_label(s))}</option> }).collect_view()}
                </select>
            </label>
        </form>
        {move || match orders.get() {
            None | Some(Ok(None)) => view! { <p role="status">{t(l(), "page.loading")}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="notice error" role="alert">{crate::i18n::error_text(l(), &e)}</p> }.into_any(),
            Some(Ok(Some(found))) if found.orders.is_empty() => view! { <p data-testid="agent-no-orders">{t(l(), "agent.no_orders")}</p> }.into_any(),
            Some(Ok(Some(found))) => view! {
                <p class="meta" data-testid="agent-total">{t(l(), "agent.found").replace("{}", &found.total.to_string())}</p>
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
                    {found.orders.into_iter().map(|StaffOrderView { view: o, next }| {
                        let c = &o.order.customer;
                        let customer = format!("{} {}", c.first_name, c.last_name);
                        // A store order names the advisor who served the customer.
                        let channel = match &o.order.staff {
                            Some(advisor) => format!("{} · {advisor}", o.order.channel.as_str()),
                            None => o.order.channel.as_str().to_string(),
                        };
                        let note = RwSignal::new(String::new());
                        let has_next = !next.is_empty();
                        let buttons = next.into_iter().map(|to| {
                            let (number, from) = (o.number.clone(), o.status);
                            let label = t(l(), status_label(to));
                            let cancel = to == OrderStatus::Cancelled;
                            view! {
                                <button type="button" class=if cancel { "" } else { "primary" } data-testid=format!("advance-{to}")
                                    on:click=move |_| if cancel {
                                        advance.cancelling.set(Some((number.clone(), from)));
                                    } else {
                                        advance.run(number.clone(), from, to, note.get_untracked(), None);
                                    }>
                                    {if cancel { t(l(), "agent.cancel").to_string() } else { format!("→ {label}") }}
                                </button>
                            }
                        }).collect_view();
                        let details = order_details(&o, l());
                        // One body per order: its row, and beneath it across the table what
                        // staff need to act on it.
                        view! {
                            <tbody data-testid=format!("agent-order-{}", o.number)>
                            <tr>
                                <td data-label=t(l(), "agent.number")><strong>{o.number.clone()}</strong><br/><small>{channel}</small></td>
                                <td data-label=t(l(), "agent.date")>{local_time(o.created_at, l(), true)}</td>
                                <td data-label=t(l(), "agent.customer")>{customer}</td>
                                <td data-label=t(l(), "agent.location")>{o.order.agent.location.clone()}</td>
                                <td data-label=t(l(), "bar.total")>{o.order.price.gross.format(l())}</td>
                                <td data-label=t(l(), "ord.status") data-testid="agent-order-status">{t(l(), status_label(o.status))}</td>
                                <td class="actions">
                                    {has_next.then(|| view! {
                                        <input type="text" maxlength="500" data-testid="agent-note" placeholder=t(l(), "agent.note")
                                            aria-label=t(l(), "agent.note") prop:value=move || note.get()
                                            on:input=move |ev| note.set(event_target_value(&ev))/>
                                    })}
                                    {buttons}
                                </td>
                            </tr>
                            <tr class="order-details-row"><td colspan="7">{details}</td></tr>
                            </tbody>
                        }
                    }).collect_view()}
                </table>
                {pager(page, found.total, found.per_page, "agent-orders-pages")}
            }.into_any(),
        }}
        <CancelDialog cancelling=advance.cancelling on_cancel=Callback::new(move |(number, from, reason): (String, OrderStatus, String)| {
            advance.run(number, from, OrderStatus::Cancelled, String::new(), Some(reason));
        })/>
    }
}

/// What staff need to act on an order, folded beneath its row: contact details, the
/// car, every agreed term (the domain's lines, as the customer's mail and page show them) and
/// the history with the staff's notes and a cancellation's reason.
fn order_details(o: &domain::order::OrderView, lang: domain::Lang) -> impl IntoView {
    let c = &o.order.customer;
    let address = format!("{}, {} {}", c.street, c.postcode, c.city);
    let car = o
        .order
        .configuration
        .choices
        .iter()
        .map(|ch| ch.name.get(lang).to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let history = o
        .history
        .iter()
        .map(|h| {
            let mut line = format!(
                "{} · {}",
                local_time(h.at, lang, true),
                t(lang, status_label(h.status))
            );
            if !h.note.is_empty() {
                line.push_str(&format!(" · {}", h.note));
            }
            if let Some(reason) = &h.reason {
                line.push_str(&format!(" · {}: {reason}", t(lang, "agent.reason")));
            }
            view! { <li>{line}</li> }
        })
        .collect_view();
    view! {
        <details class="order-details" data-testid="agent-order-details">
            <summary>{t(lang, "agent.details")}</summary>
            <p data-testid="agent-contact">
                <a href=format!("mailto:{}", c.email)>{c.email.clone()}</a><br/>
                {crate::components::phone_link(c.phone.clone())}<br/>
                {address}
            </p>
            <p data-testid="agent-car">{car}</p>
            <dl class="terms" data-testid="agent-terms">
                {o.order.terms(lang).into_iter().map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}
            </dl>
            <ul class="history" data-testid="agent-history">{history}</ul>
        </details>
    }
}

/// "Stornieren?": asks for the reason the customer will be told, then cancels; "Zurück" keeps
/// the order as it is.
#[component]
fn CancelDialog(
    cancelling: RwSignal<Option<(String, OrderStatus)>>,
    on_cancel: Callback<(String, OrderStatus, String)>,
) -> impl IntoView {
    let lang = use_lang();
    let open = Signal::derive(move || cancelling.with(Option::is_some));
    let reason = RwSignal::new(String::new());
    // Each order's cancellation starts with an empty reason.
    Effect::new(move |_| {
        cancelling.track();
        reason.set(String::new());
    });
    let keep = move || cancelling.set(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some((number, from)) = cancelling.get_untracked() {
            on_cancel.run((number, from, reason.get_untracked()));
        }
    };
    let number = move || cancelling.get().map(|(n, _)| n).unwrap_or_default();
    view! {
        <Modal open=open on_close=Callback::new(move |_| keep()) labelled_by="cancel-title" testid="cancel-dialog">
            <h2 id="cancel-title">{move || t(lang.get(), "agent.cancel_title").replace("{}", &number())}</h2>
            <form class="stack" on:submit=submit>
                <label>{move || t(lang.get(), "agent.reason_label")}
                    <textarea required maxlength="500" rows="3" data-testid="cancel-reason"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </label>
                <div class="actions">
                    <button type="submit" class="danger" data-testid="cancel-confirm" disabled=move || reason.with(|r| r.trim().is_empty())>
                        {move || t(lang.get(), "agent.cancel_confirm")}
                    </button>
                    <button type="button" data-testid="cancel-keep" on:click=move |_| keep()>{move || t(lang.get(), "agent.cancel_keep")}</button>
                </div>
            </form>
        </Modal>
    }
}
