//! `/test-drive/manage#<token>`: the link in a test drive's mails. The token is in the fragment,
//! so it never reaches a server log or another site's Referer; the page sends it in the body.

use super::book::refusal;
use super::slots::{Chosen, SlotPicker};
use crate::api;
use crate::i18n::{t, tx, use_lang};
use domain::test_drive::{RescheduleRequest, TestDriveStatus, TestDriveView};
use leptos::prelude::*;
use leptos::task::spawn_local;

fn token() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_string()
}

#[component]
pub fn ManageTestDrive() -> impl IntoView {
    let lang = use_lang();
    let drive = RwSignal::new(None::<TestDriveView>);
    let error = RwSignal::new(None::<String>);
    spawn_local(async move {
        match api::manage_test_drive("", &token()).await {
            Ok(d) => drive.set(Some(d)),
            Err(e) => error.set(Some(refusal(&e, lang.get_untracked()))),
        }
    });
    view! {
        <section class="test-drive" data-testid="td-manage">
            <h1>{tx("td.manage_title")}</h1>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="td-error">{e}</p> })}
            {move || drive.get().map(|d| view! { <Drive drive=d set=drive error=error/> })}
        </section>
    }
}

#[component]
fn Drive(
    drive: TestDriveView,
    set: RwSignal<Option<TestDriveView>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let l = move || lang.get();
    let status_key = crate::i18n::drive_status_key(drive.status);
    let booked = drive.status == TestDriveStatus::Booked;
    let lines = super::lines();
    let moving = RwSignal::new(false);
    let chosen = RwSignal::new(None::<Chosen>);
    let refresh = RwSignal::new(0u32);
    let (location, line) = (drive.location_id.clone(), drive.line.clone());
    let cancel = move |_| {
        let lang = lang.get_untracked();
        if !web_sys::window()
            .and_then(|w| w.confirm_with_message(t(lang, "td.cancel_confirm")).ok())
            .unwrap_or(false)
        {
            return;
        }
        spawn_local(async move {
            match api::manage_test_drive("/cancel", &token()).await {
                Ok(d) => {
                    error.set(None);
                    set.set(Some(d));
                }
                Err(e) => error.set(Some(refusal(&e, lang))),
            }
        });
    };
    let confirm_move = move |_| {
        let lang = lang.get_untracked();
        let Some(c) = chosen.get_untracked() else {
            error.set(Some(t(lang, "td.choose_first").to_string()));
            return;
        };
        let request = RescheduleRequest {
            token: token(),
            starts_at: c.slot.starts_at,
        };
        spawn_local(async move {
            match api::reschedule_test_drive(&request).await {
                Ok(d) => {
                    error.set(None);
                    set.set(Some(d));
                }
                Err(e) => {
                    refresh.update(|n| *n += 1);
                    error.set(Some(refusal(&e, lang)));
                }
            }
        });
    };
    let shown = drive.clone();
    view! {
        <dl class="td-facts" data-testid="td-drive">
            <dt>{move || t(l(), "td.when")}</dt><dd data-testid="td-when">{move || super::when(&shown, l())}</dd>
            <dt>{move || t(l(), "td.where")}</dt><dd>{drive.location_name.clone()}</dd>
            <dt>{move || t(l(), "td.line")}</dt><dd>{move || super::line_name(&lines.get().unwrap_or_default(), &drive.line, l())}</dd>
            <dt>{move || t(l(), "td.status")}</dt><dd data-testid="td-status">{move || t(l(), status_key)}</dd>
        </dl>
        {booked.then(|| view! {
            <div class="actions">
                <button type="button" data-testid="td-move" on:click=move |_| moving.set(true)>{tx("td.move")}</button>
                <button type="button" class="danger" data-testid="td-cancel" on:click=cancel>{tx("td.cancel")}</button>
            </div>
            {move || moving.get().then(|| view! {
                <SlotPicker location=Signal::derive({ let l = location.clone(); move || Some(l.clone()) })
                    line=Signal::derive({ let l = line.clone(); move || l.clone() }) chosen=chosen refresh=refresh/>
                <button type="button" class="primary" data-testid="td-move-confirm" on:click=confirm_move>{tx("td.move_confirm")}</button>
            })}
        })}
    }
}
