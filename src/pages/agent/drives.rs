//! A location's test drives: the agenda of a day or a week (drives with whom to call and the car
//! they configured; a blocked car as one line per day), marking a drive done or no-show, a
//! booking taken on the phone or at the counter, and blocking a demo car for whole days.

use super::Desk;
use crate::api;
use crate::i18n::{error_text, local_date_iso, t, tx, use_lang};
use crate::pages::test_drive::{DriverFields, SlotChoice, SlotPicker};
use crate::state::catalog;
use domain::test_drive::{AgendaEntry, BlockRequest, Driver, TestDriveRequest, TestDriveStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub(super) fn Drives(desk: Desk) -> impl IntoView {
    let lang = use_lang();
    let l = move || lang.get();
    let location = RwSignal::new(String::new());
    // The first of the partner's locations, once the server said which they are.
    Effect::new(move |_| {
        if let Some(Ok(me)) = desk.me.get() {
            if location.get_untracked().is_empty() {
                if let Some(first) = me.locations.first() {
                    location.set(first.id.clone());
                }
            }
        }
    });
    let from = RwSignal::new(String::new());
    let week = RwSignal::new(false);
    let agenda = desk.list(move || {
        let (loc, from, days) = (location.get(), from.get(), if week.get() { 7 } else { 1 });
        async move {
            if loc.is_empty() {
                return Ok(Vec::new());
            }
            api::staff_agenda(&loc, &from, days).await
        }
    });
    let locations = move || {
        desk.me.get().and_then(|m| m.ok()).map(|m| {
            m.locations.into_iter().map(|x| {
                let id = x.id.clone();
                view! { <option value=x.id.clone() selected=move || location.get() == id>{x.name.clone()}</option> }
            }).collect_view()
        })
    };
    view! {
        <h2>{tx("agent.drives")}</h2>
        <form class="agent-search" on:submit=|ev| ev.prevent_default()>
            <label>{tx("agent.location")}
                <select data-testid="drives-location" on:change=move |ev| location.set(event_target_value(&ev))>{locations}</select>
            </label>
            <label>{tx("td.day")}
                <input type="date" data-testid="drives-from" prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev))/>
            </label>
            <label class="inline"><input type="checkbox" data-testid="drives-week" prop:checked=move || week.get()
                on:change=move |ev| week.set(event_target_checked(&ev))/>{tx("agent.week")}</label>
        </form>
        {move || match agenda.get() {
            None | Some(Ok(None)) => view! { <p role="status">{t(l(), "page.loading")}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="notice error" role="alert">{error_text(l(), &e)}</p> }.into_any(),
            Some(Ok(Some(list))) if list.is_empty() => view! { <p data-testid="drives-none">{t(l(), "agent.no_drives")}</p> }.into_any(),
            Some(Ok(Some(list))) => view! { <ul class="order-list" data-testid="drives-agenda">{rows(desk, list)}</ul> }.into_any(),
        }}
        <details class="budget">
            <summary>{tx("agent.drive_book")}</summary>
            <StaffBooking desk=desk location=location/>
        </details>
        <details class="budget">
            <summary>{tx("agent.block")}</summary>
            <BlockCar desk=desk location=location/>
        </details>
    }
}

/// The agenda's lines: one per drive, one per day and block for a blocked car.
fn rows(desk: Desk, list: Vec<AgendaEntry>) -> impl IntoView {
    let lang = desk.lang;
    let l = move || lang.get();
    let mut lines: Vec<(AgendaEntry, String)> = Vec::new();
    for e in list {
        // A lifted block's hours are gone from the agenda.
        if e.block_id.is_some() && e.drive.status != TestDriveStatus::Blocked {
            continue;
        }
        if let (Some(block), Some((last, until))) = (&e.block_id, lines.last_mut()) {
            if last.block_id.as_ref() == Some(block) && last.drive.day == e.drive.day {
                *until = end_time(&e);
                continue;
            }
        }
        let until = end_time(&e);
        lines.push((e, until));
    }
    lines.into_iter().map(move |(e, until)| {
        let d = e.drive.clone();
        let when = format!("{} {}–{}", local_date_iso(&d.day, l()), d.time, until);
        let line = catalog().lines().iter().find(|x| x.code == d.line).map_or(d.line.clone(), |x| x.name.get(l()).to_string());
        if let Some(block) = e.block_id.clone() {
            let lift = move |_| { let b = block.clone(); spawn_local(async move { desk.done(api::unblock_car(&b).await) }) };
            return view! {
                <li data-testid="drives-block"><strong>{when}</strong>" · "{line}" · "{t(l(), "td.status_blocked")}
                    {e.note.clone().filter(|n| !n.is_empty()).map(|n| format!(" ({n})"))}
                    " "<button type="button" data-testid="drives-unblock" on:click=lift>{t(l(), "agent.unblock")}</button></li>
            }.into_any();
        }
        let c = e.customer.clone();
        let booked = d.status == TestDriveStatus::Booked;
        let mark = move |to: TestDriveStatus| {
            let id = d.id.clone();
            move |_| { let id = id.clone(); spawn_local(async move { desk.done(api::mark_test_drive(&id, to).await.map(drop)) }) }
        };
        let status = crate::i18n::drive_status_key(e.drive.status);
        view! {
            <li data-testid=format!("drive-{}", e.drive.time.replace(':', ""))>
                <strong>{when}</strong>" · "{line}" · "{format!("{} {}", c.first_name, c.last_name)}" · "
                {crate::components::phone_link(c.phone.clone())}" · "<a href=format!("mailto:{}", c.email)>{c.email.clone()}</a>
                " · "<span data-testid="drive-status">{t(l(), status)}</span>
                {e.code.clone().map(|code| view! { " · "<a href=format!("/configure?c={code}") target="_blank" rel="noopener">{t(l(), "agent.drive_car")}</a> })}
                {booked.then(|| view! {
                    <span class="actions">
                        <button type="button" data-testid="drive-done" on:click=mark(TestDriveStatus::Done)>{t(l(), "agent.drive_done")}</button>
                        <button type="button" data-testid="drive-no-show" on:click=mark(TestDriveStatus::NoShow)>{t(l(), "agent.drive_no_show")}</button>
                    </span>
                })}
            </li>
        }.into_any()
    }).collect_view()
}

fn end_time(e: &AgendaEntry) -> String {
    // The wall clock's end: the start plus the hour (slots never cross midnight).
    let hour: u32 = e
        .drive
        .time
        .get(..2)
        .and_then(|h| h.parse().ok())
        .unwrap_or(0);
    format!("{:02}:{}", hour + 1, e.drive.time.get(3..).unwrap_or("00"))
}

fn line_select(line: RwSignal<String>, testid: &'static str) -> impl IntoView {
    let lang = use_lang();
    let options = catalog().lines().iter().map(|x| {
        let (code, name) = (x.code.clone(), x.name.clone());
        view! { <option value=code.clone() selected=move || line.get() == code>{move || name.get(lang.get()).to_string()}</option> }
    }).collect_view();
    view! { <label>{tx("td.line")}<select data-testid=testid on:change=move |ev| line.set(event_target_value(&ev))>{options}</select></label> }
}

fn first_line() -> String {
    catalog()
        .lines()
        .first()
        .map(|x| x.code.clone())
        .unwrap_or_default()
}

/// A booking taken on the phone or at the counter: the hour from the same grid customers see.
#[component]
fn StaffBooking(desk: Desk, location: RwSignal<String>) -> impl IntoView {
    let line = RwSignal::new(first_line());
    let chosen = RwSignal::new(None::<SlotChoice>);
    let refresh = RwSignal::new(0u32);
    let driver = RwSignal::new(Driver::default());
    let licence = RwSignal::new(false);
    let place = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = desk.lang.get_untracked();
        let Some(c) = chosen.get_untracked() else {
            desk.message
                .set(Some(t(lang, "td.choose_first").to_string()));
            return;
        };
        let request = TestDriveRequest {
            location_id: location.get_untracked(),
            line: line.get_untracked(),
            starts_at: c.slot.starts_at,
            customer: driver.get_untracked(),
            licence_confirmed: licence.get_untracked(),
            terms_version: domain::order::terms_version().to_string(),
            language: lang,
            code: None,
        };
        spawn_local(async move {
            let done = api::staff_book_test_drive(&request).await;
            if done.is_ok() {
                driver.set(Driver::default());
                chosen.set(None);
            }
            refresh.update(|n| *n += 1);
            desk.done(done.map(drop));
        });
    };
    let loc = Signal::derive(move || Some(location.get()).filter(|l| !l.is_empty()));
    view! {
        <form class="td-form" on:submit=place data-testid="drives-book">
            {line_select(line, "drives-book-line")}
            <SlotPicker location=loc line=line chosen=chosen refresh=refresh/>
            <DriverFields driver=driver/>
            <label class="inline"><input type="checkbox" data-testid="drives-book-licence" prop:checked=move || licence.get()
                on:change=move |ev| licence.set(event_target_checked(&ev))/>{tx("agent.licence_asked")}</label>
            <button type="submit" class="primary" data-testid="drives-book-submit">{tx("td.book")}</button>
        </form>
    }
}

#[component]
fn BlockCar(desk: Desk, location: RwSignal<String>) -> impl IntoView {
    let line = RwSignal::new(first_line());
    let from = RwSignal::new(String::new());
    let days = RwSignal::new(String::from("1"));
    let note = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = BlockRequest {
            location_id: location.get_untracked(),
            line: line.get_untracked(),
            from: from.get_untracked(),
            days: days.get_untracked().trim().parse().unwrap_or(0),
            note: note.get_untracked(),
        };
        spawn_local(async move { desk.done(api::block_car(&request).await.map(drop)) });
    };
    view! {
        <form class="agent-search" on:submit=submit data-testid="drives-block-form">
            {line_select(line, "drives-block-line")}
            <label>{tx("agent.block_from")}<input type="date" required data-testid="drives-block-from" prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev))/></label>
            <label>{tx("agent.block_days")}<input type="number" min="1" max="28" data-testid="drives-block-days" prop:value=move || days.get() on:change=move |ev| days.set(event_target_value(&ev))/></label>
            <label>{tx("agent.block_note")}<input maxlength="200" data-testid="drives-block-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/></label>
            <button type="submit" data-testid="drives-block-submit">{tx("agent.block")}</button>
        </form>
    }
}
