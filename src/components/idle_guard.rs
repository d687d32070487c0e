//! A showroom screen's idle guard: the warning before store mode wipes the screen, and the clock
//! that counts input-free time. The state and the wipe are `crate::store`'s.

use crate::components::dialog::Modal;
use crate::i18n::{t, use_lang};
use crate::store::{use_store, wipe_and_restart};
use leptos::ev;
use leptos::prelude::*;
use std::time::Duration;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Watches for input on a showroom screen; warns before the idle period ends, then wipes.
/// A screen nobody has touched since its last wipe is left alone.
#[component]
pub fn IdleGuard() -> impl IntoView {
    let lang = use_lang();
    let store = use_store();
    let last_input = RwSignal::new(None::<f64>);
    let clock = RwSignal::new(now_ms());
    let touched = move || last_input.set(Some(now_ms()));
    let listeners = [
        window_event_listener(ev::pointerdown, move |_| touched()),
        window_event_listener(ev::keydown, move |_| touched()),
        window_event_listener(ev::wheel, move |_| touched()),
        window_event_listener(ev::touchstart, move |_| touched()),
        // On-screen keyboards of touch screens may send only input events.
        window_event_listener(ev::input, move |_| touched()),
    ];
    let ticking = set_interval_with_handle(move || clock.set(now_ms()), Duration::from_millis(250));
    // Leaving store mode removes the guard: its listeners and its clock go with it.
    on_cleanup(move || {
        listeners.into_iter().for_each(|l| l.remove());
        if let Ok(t) = ticking {
            t.clear();
        }
    });

    let remaining = Memo::new(move |_| {
        let mode = store.get()?;
        let since = (clock.get() - last_input.get()?) / 1000.0;
        Some(mode.idle_secs as f64 - since)
    });
    // The warning shows for the last third of the period, at most 30 seconds.
    let warn_for = move || {
        store
            .get()
            .map_or(0.0, |m| (m.idle_secs as f64 / 3.0).min(30.0))
    };
    let warning = Signal::derive(move || remaining.get().is_some_and(|r| r <= warn_for()));
    let wiping = StoredValue::new(false);
    Effect::new(move |_| {
        if remaining.get().is_some_and(|r| r <= 0.0) && !wiping.get_value() {
            wiping.set_value(true);
            if let Some(mode) = store.get_untracked() {
                wipe_and_restart(mode);
            }
        }
    });
    view! {
        <Modal open=warning on_close=Callback::new(move |_| touched()) labelled_by="idle-title" testid="idle-warning">
            <h2 id="idle-title">{move || t(lang.get(), "idle.title")}</h2>
            <p aria-live="polite">
                {move || t(lang.get(), "idle.lead").replace("{n}", &(remaining.get().unwrap_or(0.0).ceil().max(0.0) as u64).to_string())}
            </p>
            <div class="dialog-actions">
                <button type="button" class="primary" data-testid="idle-continue" on:click=move |_| touched()>
                    {move || t(lang.get(), "idle.continue")}
                </button>
            </div>
        </Modal>
    }
}
