//! The days and hours a location's demo car of a line can be driven: the days with a free hour
//! as buttons, then that day's hours (taken ones shown, but not choosable).

use crate::api;
use crate::i18n::{error_text, local_date_iso, t, use_lang};
use domain::test_drive::{AvailableDay, OpenSlot};
use leptos::prelude::*;

/// The chosen hour, with the day it is on.
#[derive(Clone, Debug, PartialEq)]
pub struct Chosen {
    pub day: String,
    pub slot: OpenSlot,
}

#[component]
pub fn SlotPicker(
    #[prop(into)] location: Signal<Option<String>>,
    #[prop(into)] line: Signal<String>,
    chosen: RwSignal<Option<Chosen>>,
    /// Raised to ask the server again (after a slot was taken meanwhile).
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let slots = LocalResource::new(move || {
        let (location, line) = (location.get(), line.get());
        refresh.track();
        async move {
            match location {
                Some(l) if !line.is_empty() => Some(api::test_drive_slots(&l, &line).await),
                _ => None,
            }
        }
    });
    let day = RwSignal::new(None::<String>);
    move || {
        let l = lang.get();
        match slots.get() {
            None => view! { <p aria-live="polite">{t(l, "td.loading")}</p> }.into_any(),
            Some(None) => ().into_any(),
            Some(Some(Err(e))) => {
                view! { <p class="error" role="alert">{error_text(l, &e)}</p> }.into_any()
            }
            Some(Some(Ok(a))) => {
                let days: Vec<AvailableDay> = a
                    .days
                    .into_iter()
                    .filter(|d| d.slots.iter().any(|s| s.free))
                    .collect();
                if days.is_empty() {
                    return view! { <p data-testid="td-none">{t(l, "td.none_free")}</p> }
                        .into_any();
                }
                // The chosen hour's day, else the first day with a free hour.
                let shown = day
                    .get_untracked()
                    .filter(|d| days.iter().any(|x| &x.day == d))
                    .unwrap_or_else(|| days[0].day.clone());
                day.set(Some(shown));
                view! { <Days days=days day=day chosen=chosen/> }.into_any()
            }
        }
    }
}

/// "Mo. 07.12." / "Mon 07/12": a day chip's label (the year is the next 28 days').
fn day_label(iso: &str, lang: domain::Lang) -> String {
    let mut parts = iso.splitn(3, '-').map(|p| p.parse::<i64>().unwrap_or(1));
    let (y, m, d) = (
        parts.next().unwrap_or(1970),
        parts.next().unwrap_or(1),
        parts.next().unwrap_or(1),
    );
    // Sakamoto's weekday (0 = Sunday).
    let t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let yy = if m < 3 { y - 1 } else { y };
    let w = (yy + yy / 4 - yy / 100 + yy / 400 + t[((m - 1).clamp(0, 11)) as usize] + d)
        .rem_euclid(7) as usize;
    match lang {
        domain::Lang::De => format!(
            "{} {d:02}.{m:02}.",
            ["So.", "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa."][w]
        ),
        domain::Lang::En => format!(
            "{} {d:02}/{m:02}",
            ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][w]
        ),
    }
}

/// Days shown before "more days" (a week; 28 chips are a long page on a phone).
const FIRST_DAYS: usize = 7;

#[component]
fn Days(
    days: Vec<AvailableDay>,
    day: RwSignal<Option<String>>,
    chosen: RwSignal<Option<Chosen>>,
) -> impl IntoView {
    let lang = use_lang();
    let l = move || lang.get();
    let hours = days.clone();
    let all = RwSignal::new(false);
    let more = days.len() > FIRST_DAYS;
    let buttons = days
        .into_iter()
        .enumerate()
        .map(|(n, d)| {
            let later = n >= FIRST_DAYS;
            let (name, pick, testid) = (d.day.clone(), d.day.clone(), format!("td-day-{}", d.day));
            let is = Signal::derive(move || day.get().as_deref() == Some(name.as_str()));
            let is = move || is.get();
            view! {
                <button type="button" class=move || if is() { "primary" } else { "" } aria-pressed=move || is().to_string()
                    hidden=move || later && !all.get() && !is()
                    data-testid=testid on:click=move |_| day.set(Some(pick.clone()))>
                    {move || day_label(&d.day, l())}
                </button>
            }
        })
        .collect_view();
    let slots = move || {
        let shown = day.get()?;
        let list = hours.iter().find(|d| d.day == shown)?.slots.clone();
        Some(list.into_iter().map(|s| {
            let (taken, label_time, testid) = (!s.free, s.time.clone(), format!("td-slot-{}", s.time.replace(':', "")));
            let this = Chosen { day: shown.clone(), slot: s.clone() };
            let mine = this.clone();
            let is = Signal::derive(move || chosen.with(|c| c.as_ref() == Some(&mine)));
            let is = move || is.get();
            let date = local_date_iso(&shown, l());
            // A screen reader hears the day, the hour and whether it is free.
            let label = format!("{date}, {label_time}: {}", t(l(), if taken { "td.taken" } else { "td.free" }));
            view! {
                <li><button type="button" disabled=taken aria-label=label data-testid=testid aria-pressed=move || is().to_string()
                    class=move || if is() { "slot primary" } else { "slot" }
                    on:click=move |_| chosen.set(Some(this.clone()))>{s.time.clone()}</button></li>
            }
        }).collect_view())
    };
    view! {
        <fieldset class="td-days">
            <legend>{move || t(l(), "td.day")}</legend>
            <div class="chips" data-testid="td-days">{buttons}</div>
            {more.then(|| view! {
                <button type="button" class="link" data-testid="td-more-days" hidden=move || all.get()
                    on:click=move |_| all.set(true)>{move || t(l(), "td.more_days")}</button>
            })}
        </fieldset>
        <fieldset class="td-slots">
            <legend>{move || t(l(), "td.hour")}</legend>
            <ul class="slot-grid" data-testid="td-slots">{slots}</ul>
        </fieldset>
    }
}
