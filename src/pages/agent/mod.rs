//! `/agent`: the agent's view for staff of a partner: the orders and hand-over snapshots
//! credited to the partner's locations, newest first, found by search and page by page; the
//! next status of each order (with a note); and deliveries the outbox relay gave up on, to
//! send again.
//! Guests sign in here; customers are told this area is for staff.
//!
//! One file per list: `orders.rs`, `drives.rs` (test drives), `deliveries.rs`, `handovers.rs`; this file holds what they
//! share (who is signed in, the message line, the refresh after an action, the pager).

mod deliveries;
mod drives;
mod handovers;
mod orders;

use crate::api::{self, ApiError};
use crate::components::sign_in::SignIn;
use crate::i18n::{t, tx, use_lang};
use crate::session::use_session;
use domain::api::AgentMe;
use leptos::prelude::*;
use std::future::Future;

#[component]
pub fn Agent() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    move || match session.user.get() {
        None => view! { <p role="status">{t(lang.get(), "page.loading")}</p> }.into_any(),
        Some(None) => view! {
            <p class="notice" role="status">{t(lang.get(), "agent.sign_in")}</p>
            <SignIn staff=true/>
        }
        .into_any(),
        Some(Some(_)) => view! { <AgentDesk/> }.into_any(),
    }
}

/// What the desk's lists share.
#[derive(Clone, Copy)]
struct Desk {
    me: LocalResource<Result<AgentMe, ApiError>>,
    /// Raised after every action: the lists ask again.
    refresh: RwSignal<u32>,
    /// Why the last action failed, in words.
    message: RwSignal<Option<String>>,
    lang: RwSignal<domain::Lang>,
}

impl Desk {
    fn is_staff(self) -> bool {
        matches!(self.me.get(), Some(Ok(_)))
    }

    /// A list from the server, asked for again on each refresh and only once the server has
    /// said this is staff (so a customer causes no 403s); `None` until then.
    fn list<T, F>(self, ask: impl Fn() -> F + 'static) -> LocalResource<Result<Option<T>, ApiError>>
    where
        T: 'static,
        F: Future<Output = Result<T, ApiError>> + 'static,
    {
        LocalResource::new(move || {
            self.refresh.track();
            let asked = self.is_staff().then(&ask);
            async move {
                match asked {
                    Some(asked) => asked.await.map(Some),
                    None => Ok(None),
                }
            }
        })
    }

    /// After an action: its failure said (or the last one cleared), and the lists fresh.
    fn done(self, outcome: Result<(), ApiError>) {
        let lang = self.lang;
        match outcome {
            Ok(()) => self.message.set(None),
            Err(e) => self
                .message
                .set(Some(crate::i18n::error_text(lang.get_untracked(), &e))),
        }
        self.refresh.update(|n| *n += 1);
    }
}

#[component]
fn AgentDesk() -> impl IntoView {
    let lang = use_lang();
    let l = move || lang.get();
    let desk = Desk {
        me: LocalResource::new(api::staff_me),
        refresh: RwSignal::new(0),
        message: RwSignal::new(None),
        lang,
    };
    let header = move || {
        match desk.me.get() {
        None => view! { <p role="status">{t(l(), "page.loading")}</p> }.into_any(),
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
            {move || desk.message.get().map(|m| view! { <p class="notice error" role="alert" data-testid="agent-message">{m}</p> })}
            <Show when=move || desk.is_staff()>
                <orders::Orders desk=desk/>
                <drives::Drives desk=desk/>
                <deliveries::DeadDeliveries desk=desk/>
                <handovers::Handovers desk=desk/>
            </Show>
        </section>
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
