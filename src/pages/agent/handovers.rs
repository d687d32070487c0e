//! The hand-over codes made at the partner's locations: search by code, pages.

use super::{pager, Desk};
use crate::api;
use crate::i18n::{local_time, t, tx, use_lang};
use leptos::prelude::*;

#[component]
pub(super) fn Handovers(desk: Desk) -> impl IntoView {
    let lang = use_lang();
    let l = move || lang.get();
    let code_search = RwSignal::new(String::new());
    let code_page = RwSignal::new(1u32);
    let snapshots = desk.list(move || api::staff_handovers(&code_search.get(), code_page.get()));
    let location_name = move |id: &str| {
        let me = desk.me.get().and_then(|m| m.ok());
        let location = me.and_then(|m| m.locations.into_iter().find(|x| x.id == id));
        location.map_or_else(|| id.to_string(), |x| x.name)
    };
    view! {
        <h2>{tx("agent.handovers")}</h2>
        <form class="agent-search" role="search" on:submit=|ev| ev.prevent_default()>
            <label>{tx("agent.code_search")}
                <input type="search" data-testid="agent-code-search" maxlength="20"
                    prop:value=move || code_search.get()
                    on:change=move |ev| { code_search.set(event_target_value(&ev)); code_page.set(1); }/>
            </label>
        </form>
        {move || match snapshots.get() {
            None | Some(Ok(None)) => view! { <p role="status">{t(l(), "page.loading")}</p> }.into_any(),
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
    }
}
