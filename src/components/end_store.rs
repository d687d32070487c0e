//! Ends a showroom screen's store mode: a staff member of the location's agent signs in on the
//! screen. The server checks the sign-in and the agent but gives the screen no session; the
//! screen then forgets store mode and everything of the last customer and starts as a plain
//! shop ([`crate::store::end_store_mode`]).

use crate::components::dialog::Modal;
use crate::i18n::{t, tx, use_lang};
use crate::store::use_store;
use domain::api::ScreenUnlock;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn EndStoreMode() -> impl IntoView {
    let lang = use_lang();
    let store = use_store();
    let open = RwSignal::new(false);
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let close = move || {
        open.set(false);
        password.set(String::new());
        error.set(None);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(mode) = store.get_untracked() else {
            return;
        };
        busy.set(true);
        error.set(None);
        let unlock = ScreenUnlock {
            email: email.get_untracked(),
            password: password.get_untracked(),
            location_id: mode.location_id,
        };
        spawn_local(async move {
            match crate::api::unlock_screen(&unlock).await {
                Ok(()) => crate::store::end_store_mode(),
                Err(e) => {
                    let lang = lang.get_untracked();
                    error.set(Some(match e.status {
                        401 => t(lang, "acc.wrong").to_string(),
                        403 => t(lang, "store.end_refused").to_string(),
                        _ => crate::i18n::error_text(lang, &e),
                    }));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <div class="store-staff">
            <button type="button" class="link" data-testid="store-end" on:click=move |_| open.set(true)>{tx("store.end_staff")}</button>
        </div>
        <Modal open=open on_close=Callback::new(move |_| close()) labelled_by="store-end-title" testid="store-end-dialog">
            <h2 id="store-end-title">{tx("store.end")}</h2>
            <p>{tx("store.end_lead")}</p>
            <form class="stack" on:submit=submit>
                <label>{tx("acc.email")}
                    <input type="email" autocomplete="username" required data-testid="store-end-email"
                        prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                </label>
                <label>{tx("acc.password")}
                    <input type="password" autocomplete="current-password" required data-testid="store-end-password"
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                </label>
                {move || error.get().map(|e| view! { <p class="field-error" role="alert" data-testid="store-end-error">{e}</p> })}
                <div class="actions">
                    <button type="submit" class="primary" data-testid="store-end-submit" disabled=move || busy.get()>{tx("store.end")}</button>
                    <button type="button" on:click=move |_| close()>{move || t(lang.get(), "agent.previous")}</button>
                </div>
            </form>
        </Modal>
    }
}
