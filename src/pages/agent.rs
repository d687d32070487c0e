//! `/agent`: the agent's view for staff of a partner: the orders and hand-over snapshots
//! credited to the partner's locations, newest first, found by search and page by page; the
//! next status of each order (with a note); and deliveries the outbox relay gave up on, to
//! send again.
//! Guests sign in here; customers are told this area is for staff.

use crate::api;
use crate::components::dialog::Modal;
use crate::components::sign_in::SignIn;
use crate::i18n::{local_time, t, tx, use_lang};
use crate::pages::order::status_label;
use crate::session::use_session;
use domain::order::{OrderStatus, StaffOrderView, StatusChange};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Agent() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    move || match session.user.get() {
        None => view! { <p role="status">{t(lang.get(), "loc.loading")}</p> }.into_any(),
        Some(None) => view! {
            <p class="notice" role="status">{t(lang.get(), "agent.sign_in")}</p>
            <SignIn staff=true/>
        }
        .into_any(),
        Some(Some(_)) => view! { <AgentDesk/> }.into_any(),
    }
}

/// "Page 2 of 5" with a previous and a next button; nothing when everything fits on one page.
fn pager(page: RwSignal<u32>, total: i64, per_page: u32, testid: &'static str) -> impl IntoView {
    let lang = use_lang();
    let pages = ((total.max(0) as u64).div_ceil(u64::from(per_page.max(1))) as u32).max(1);
    (pages > 1).then(|| {
        let current = page.get_untracked();
        // Computed outside `view!`: there a `>` in an attribute ends the tag (the next button
        // once showed program text as its label and stayed disabled).
        let (first, last) = (current <= 1, current >= pages);
        view! {
            <nav class="pager" data-testid=testid aria-label=move || t(lang.get(), "agent.pages")>
                <button type="button" data-testid=format!("{testid}-prev") disabled=first
                    on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>
                    {move || format!("← {}", t(lang.get(), "agent.previous"))}
                </button>
                <span>{move || t(lang.get(), "agent.page_of").replacen("{}", &current.to_string(), 1).replacen("{}", &pages.to_string(), 1)}</span>
                <button type="button" data-testid=format!("{testid}-next") disabled=last
                    on:click=move |_| page.update(|p| *p += 1)>
                    {move || format!("{} →", t(lang.get(), "agent.next"))}
                </button>
            </nav>
        }
    })
}

/// What a delivery was, in words.
fn topic_label(topic: domain::order::Topic) -> &'static str {
    use domain::order::Topic;
    match topic {
        Topic::OrderPlaced => "agent.topic_placed",
        Topic::OrderStatusChanged => "agent.topic_status",
        Topic::Cancellation => "agent.topic_cancel_mail",
        Topic::Confirmation => "agent.topic_mail",
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
    // What the lists show: a search, a status, a page. A new search starts at page 1.
    let search = RwSignal::new(String::new());
    let status_filter = RwSignal::new(None::<OrderStatus>);
    let page = RwSignal::new(1u32);
    let code_search = RwSignal::new(String::new());
    let code_page = RwSignal::new(1u32);
    // Asked for only once the server has said this is staff (so a customer causes no 403s).
    let orders = LocalResource::new(move || {
        refresh.track();
        let ask =
            staff().then(|| api::staff_orders(&search.get(), status_filter.get(), page.get()));
        async move {
            match ask {
                Some(ask) => ask.await.map(Some),
                None => Ok(None),
            }
        }
    });
    let snapshots = LocalResource::new(move || {
        refresh.track();
        let ask = staff().then(|| api::staff_handovers(&code_search.get(), code_page.get()));
        async move {
            match ask {
                Some(ask) => ask.await.map(Some),
                None => Ok(None),
            }
        }
    });
    let dead = LocalResource::new(move || {
        refresh.track();
        let ask = staff().then(api::dead_deliveries);
        async move {
            match ask {
                Some(ask) => ask.await,
                None => Ok(Vec::new()),
            }
        }
    });
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
    // A cancellation asks first, with the reason the customer will read.
    let cancelling = RwSignal::new(None::<(String, OrderStatus)>);
    let advance = move |number: String,
                        from: OrderStatus,
                        to: OrderStatus,
                        note: String,
                        reason: Option<String>| {
        let filled = |text: String| Some(text.trim().to_string()).filter(|n| !n.is_empty());
        spawn_local(async move {
            let body = StatusChange {
                from,
                to,
                note: filled(note),
                reason: reason.and_then(filled),
            };
            match api::change_order_status(&number, &body).await {
                Ok(_) => {
                    message.set(None);
                    cancelling.set(None);
                }
                Err(e) => message.set(Some(crate::i18n::error_text(lang.get_untracked(), &e))),
            }
            refresh.update(|n| *n += 1);
        });
    };
    let replay = move |id: String| {
        spawn_local(async move {
            match api::replay_delivery(&id).await {
                Ok(()) => message.set(None),
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
    let statuses = OrderStatus::ALL;
    view! {
        <section class="page agent" data-testid="agent-view">
            <h1>{tx("page.agent")}</h1>
            {header}
            {move || message.get().map(|m| view! { <p class="notice error" role="alert" data-testid="agent-message">{m}</p> })}
            <Show when=staff>
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
                    None | Some(Ok(None)) => view! { <p role="status">{t(l(), "loc.loading")}</p> }.into_any(),
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
                                                cancelling.set(Some((number.clone(), from)));
                                            } else {
                                                advance(number.clone(), from, to, note.get_untracked(), None);
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
                <CancelDialog cancelling=cancelling on_cancel=Callback::new(move |(number, from, reason): (String, OrderStatus, String)| {
                    advance(number, from, OrderStatus::Cancelled, String::new(), Some(reason));
                })/>
                {move || match dead.get() {
                    Some(Ok(list)) if !list.is_empty() => Some(view! {
                        <h2>{t(l(), "agent.dead")}</h2>
                        <p class="lead">{t(l(), "agent.dead_lead")}</p>
                        <ul class="order-list" data-testid="agent-dead">
                            {list.into_iter().map(|d| {
                                let id = d.id.clone();
                                view! {
                                    <li data-testid=format!("dead-{}-{}", d.number, d.topic)>
                                        <strong>{d.number.clone()}</strong>" · "{t(l(), topic_label(d.topic))}" · "
                                        {format!("{}× · ", d.attempts)}{local_time(d.dead_at, l(), true)}
                                        {d.last_error.clone().map(|e| view! { <br/><small>{e}</small> })}
                                        " "<button type="button" data-testid="replay" on:click=move |_| replay(id.clone())>{t(l(), "agent.replay")}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }),
                    _ => None,
                }}
                <h2>{tx("agent.handovers")}</h2>
                <form class="agent-search" role="search" on:submit=|ev| ev.prevent_default()>
                    <label>{tx("agent.code_search")}
                        <input type="search" data-testid="agent-code-search" maxlength="20"
                            prop:value=move || code_search.get()
                            on:change=move |ev| { code_search.set(event_target_value(&ev)); code_page.set(1); }/>
                    </label>
                </form>
                {move || match snapshots.get() {
                    None | Some(Ok(None)) => view! { <p role="status">{t(l(), "loc.loading")}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="notice error" role="alert">{crate::i18n::error_text(l(), &e)}</p> }.into_any(),
                    Some(Ok(Some(found))) if found.handovers.is_empty() => view! { <p>{t(l(), "agent.no_handovers")}</p> }.into_any(),
                    Some(Ok(Some(found))) => view! {
                        <ul class="order-list" data-testid="agent-handovers">
                            {found.handovers.into_iter().map(|h| {
                                let place = h.location_id.as_deref().map(location_name).unwrap_or_default();
                                let price = h.price.map(|p| p.format(l())).unwrap_or_default();
                                let state = if h.expired { t(l(), "agent.expired") } else { t(l(), "agent.valid") };
                                view! {
                                    <li>
                                        <code>{h.display.clone()}</code>" · "{local_time(h.created_at, l(), true)}" · "{place}" · "{price}
                                        " · "{t(l(), crate::car::step_label(h.step))}
                                        " · "{state}" · "{format!("{}× {}", h.opened, t(l(), "agent.opened"))}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {pager(code_page, found.total, found.per_page, "agent-codes-pages")}
                    }.into_any(),
                }}
            </Show>
        </section>
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
