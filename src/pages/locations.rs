//! `/locations`: find the nearest of the 95 agency locations by postcode, city, partner or the
//! browser's position, see them on a map of Germany, and choose the agent for this car.

use crate::api::{self, LocationInfo};
use crate::components::germany_map::GermanyMap;
use crate::i18n::{t, tx, use_lang};
use crate::nav::A;
use crate::state::use_agent;
use domain::api::LocationQuery;
use domain::locations::{Interval, Weekday};
use domain::{Lang, Service};
use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

pub fn service_name(service: Service, lang: Lang) -> &'static str {
    let key = match service {
        Service::Sales => "service.sales",
        Service::TestDrive => "service.test_drive",
        Service::Handover => "service.handover",
        Service::Service => "service.service",
    };
    t(lang, key)
}

/// Today (Monday = 0) and the minute of the day, in the browser's clock.
fn now() -> (Weekday, u16) {
    let d = js_sys::Date::new_0();
    (
        Weekday::from_monday_index((d.get_day() + 6) % 7),
        (d.get_hours() * 60 + d.get_minutes()) as u16,
    )
}

/// "Heute 09:00–18:00 · jetzt geöffnet".
/// "Heute: 09:00–18:00" and whether it is open now; `None` for the hours on a day it is closed
/// all day (then "geschlossen" alone says it, not twice).
fn today_text(l: &LocationInfo, lang: Lang) -> (Option<String>, bool) {
    let (day, minute) = now();
    let intervals: Vec<Interval> = l
        .hours
        .get(&day)
        .map(|v| v.iter().filter_map(|s| Interval::parse(s)).collect())
        .unwrap_or_default();
    let open = intervals
        .iter()
        .any(|i| i.open <= minute && minute < i.close);
    if intervals.is_empty() {
        return (None, false);
    }
    let fmt = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
    let hours = intervals
        .iter()
        .map(|i| format!("{}–{}", fmt(i.open), fmt(i.close)))
        .collect::<Vec<_>>()
        .join(", ");
    (Some(format!("{}: {hours}", t(lang, "loc.today"))), open)
}

/// Why a search found nothing to show, in the page's language.
fn search_error_text(lang: Lang, e: &api::ApiError, query: &str) -> String {
    match e.status {
        422 => t(lang, "loc.postcode_unknown").replace("{}", query.trim()),
        400 => t(lang, "loc.query_invalid").to_string(),
        _ => crate::i18n::error_text(lang, e),
    }
}

/// Asks the browser for its position (it asks the customer); a refusal or no answer is said.
fn ask_position(position: RwSignal<Option<(f64, f64)>>, position_error: RwSignal<bool>) {
    position_error.set(false);
    let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        position_error.set(true);
        return;
    };
    let ok = Closure::once_into_js(move |pos: JsValue| {
        let coords = js_sys::Reflect::get(&pos, &"coords".into()).unwrap_or(JsValue::NULL);
        let read = |k: &str| {
            js_sys::Reflect::get(&coords, &k.into())
                .ok()
                .and_then(|v| v.as_f64())
        };
        match (read("latitude"), read("longitude")) {
            (Some(lat), Some(lon)) => position.set(Some((lat, lon))),
            _ => position_error.set(true),
        }
    });
    let err = Closure::once_into_js(move |_: JsValue| position_error.set(true));
    if geo
        .get_current_position_with_error_callback(ok.unchecked_ref(), Some(err.unchecked_ref()))
        .is_err()
    {
        position_error.set(true);
    }
}

/// One location: partner, address and phone, services, today's hours, and "Choose".
#[component]
fn LocationCard(
    loc: LocationInfo,
    #[prop(into)] chosen_id: Signal<Option<String>>,
    choose: Callback<LocationInfo>,
) -> impl IntoView {
    let lang = use_lang();
    let l = lang.get_untracked();
    let id = StoredValue::new(loc.id.clone());
    let is_chosen = move || chosen_id.get().as_deref() == Some(id.get_value().as_str());
    let (today, open) = today_text(&loc, l);
    let services = loc
        .services
        .iter()
        .map(|s| service_name(*s, l))
        .collect::<Vec<_>>()
        .join(" · ");
    let distance = loc.distance_km.map(|d| crate::i18n::km_text(d, l));
    let pick = loc.clone();
    let heading = format!("loc-{}", loc.id);
    let labelled_by = heading.clone();
    view! {
        <li class="location" data-testid=format!("location-{}", loc.id) aria-labelledby=labelled_by>
            <div class="location-head">
                <h2 id=heading>{loc.name.clone()}</h2>
                {distance.map(|d| view! { <span class="distance">{d}</span> })}
            </div>
            <p class="partner">{t(l, "loc.agent_of")}" "{loc.partner_name.clone()}</p>
            <p>{loc.street.clone()}", "{loc.postcode.clone()}" "{loc.city.clone()}" · "{crate::components::phone_link(loc.phone.clone())}</p>
            <p>{services}</p>
            <p>{match today {
                Some(hours) => view! { {hours}" · "<strong class=if open { "open" } else { "closed" }>{t(l, if open { "loc.open_now" } else { "loc.closed_now" })}</strong> }.into_any(),
                None => view! { {t(l, "loc.today")}": "<strong class="closed">{t(l, "loc.closed_today")}</strong> }.into_any(),
            }}</p>
            {loc.services.contains(&Service::TestDrive).then(|| view! {
                <p><A href=format!("/test-drive?location={}", loc.id) attr:data-testid=format!("test-drive-{}", loc.id)>{t(l, "td.cta")}</A></p>
            })}
            <button type="button" id=format!("choose-{}", loc.id) data-testid=format!("choose-{}", loc.id) aria-pressed=move || is_chosen().to_string()
                class=move || if is_chosen() { "primary" } else { "" }
                on:click=move |_| choose.run(pick.clone())>
                {move || t(lang.get(), if is_chosen() { "loc.chosen" } else { "loc.choose" })}
            </button>
        </li>
    }
}

/// Locations listed before "show all".
const SHOWN_FIRST: usize = 10;

#[component]
pub fn Locations() -> impl IntoView {
    let lang = use_lang();
    let agent = use_agent();
    let input = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let service = RwSignal::new(String::new());
    let position = RwSignal::new(None::<(f64, f64)>);
    let position_error = RwSignal::new(false);

    let results = LocalResource::new(move || {
        let position = position.get();
        let search = LocationQuery {
            q: Some(query.get()),
            lat: position.map(|p| p.0),
            lon: position.map(|p| p.1),
            service: Service::from_slug(&service.get()),
            limit: None,
        };
        api::search_locations(&search)
    });
    let found = Signal::derive(move || {
        results
            .get()
            .and_then(|r| r.ok())
            .map(|r| r.locations)
            .unwrap_or_default()
    });
    let origin = Signal::derive(move || results.get().and_then(|r| r.ok()).and_then(|r| r.origin));
    // The nearest few first; all of them on request (95 cards are a very long page on a phone).
    let show_all = RwSignal::new(false);
    Effect::new(move |_| {
        results.track();
        show_all.set(false);
    });
    let chosen_id = Signal::derive(move || agent.get().map(|a| a.id));
    // A showroom screen's agent is its own store: browsing other locations changes nothing.
    let in_store = crate::store::use_store().get_untracked().is_some();
    let choose = Callback::new(move |l: LocationInfo| {
        if !in_store {
            agent.set(Some(l))
        }
    });

    // A dot on the map is small and easy to hit by mistake: it shows its location in the list,
    // where "Choose" confirms it.
    let show_in_list = Callback::new(move |l: LocationInfo| {
        let focus = move || {
            let Some(button) = document().get_element_by_id(&format!("choose-{}", l.id)) else {
                return;
            };
            if let Some(card) = button.closest(".location").ok().flatten() {
                card.scroll_into_view();
            }
            if let Ok(button) = button.dyn_into::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        };
        if show_all.get_untracked() {
            focus();
        } else {
            // Not among the few shown: show them all, then focus it once drawn.
            show_all.set(true);
            request_animation_frame(focus);
        }
    });

    let use_position = move |_| ask_position(position, position_error);

    let result_list = move || {
        let l = lang.get();
        match results.get() {
            // Holds the results' room while they load, so nothing below jumps when they arrive.
            None => view! { <p class="results-loading" role="status">{t(l, "loc.loading")}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="notice error" role="alert" data-testid="locations-error">{search_error_text(l, &e, &query.get_untracked())}</p> }.into_any(),
            Some(Ok(r)) if r.locations.is_empty() => view! { <p class="notice" role="status">{t(l, "loc.none")}</p> }.into_any(),
            Some(Ok(r)) => {
                let origin = r.origin.map(|o| {
                    let text = if o.label.is_empty() { t(l, "loc.nearest_you").to_string() } else { format!("{} {}", t(l, "loc.nearest_to"), o.label) };
                    view! { <p role="status" data-testid="origin">{text}</p> }
                });
                let total = r.locations.len();
                let shown = if show_all.get() { total } else { total.min(SHOWN_FIRST) };
                let more = (shown < total).then(|| view! {
                    <button type="button" class="more" data-testid="locations-more" on:click=move |_| show_all.set(true)>
                        {t(l, "loc.show_all").replace("{}", &total.to_string())}
                    </button>
                });
                let items = r
                    .locations
                    .into_iter()
                    .take(shown)
                    .map(|loc| view! { <LocationCard loc=loc chosen_id=chosen_id choose=choose/> })
                    .collect_view();
                view! { {origin} <ol class="location-list" data-testid="location-results">{items}</ol> {more} }.into_any()
            }
        }
    };

    view! {
        <section class="page locations">
            <h1>{tx("page.locations")}</h1>
            <p class="lead">{tx("page.locations.lead")}</p>
            <form class="location-search" role="search" on:submit=move |ev| {
                ev.prevent_default();
                position.set(None);
                query.set(input.get_untracked());
            }>
                <label>{tx("loc.search_label")}
                    <input type="search" data-testid="location-query" autocomplete="postal-code" bind:value=input/>
                </label>
                <label>{tx("loc.service")}
                    <select data-testid="location-service" on:change=move |ev| service.set(event_target_value(&ev))>
                        <option value="">{tx("loc.service_all")}</option>
                        <option value="test_drive">{move || service_name(Service::TestDrive, lang.get())}</option>
                        <option value="handover">{move || service_name(Service::Handover, lang.get())}</option>
                        <option value="service">{move || service_name(Service::Service, lang.get())}</option>
                    </select>
                </label>
                <button type="submit" class="primary" data-testid="location-search">{tx("loc.search")}</button>
                <button type="button" data-testid="use-position" on:click=use_position>{tx("loc.use_position")}</button>
            </form>
            {move || position_error.get().then(|| view! { <p class="notice error" role="alert" data-testid="position-error">{t(lang.get(), "loc.position_denied")}</p> })}
            {in_store.then(|| view! { <p class="notice" role="status" data-testid="store-agent-fixed">{tx("store.agent_fixed")}</p> })}
            {move || agent.get().map(|a| view! {
                <p class="notice" role="status" data-testid="chosen-agent">
                    {t(lang.get(), "agent.yours")}": " <strong>{a.name}</strong>", "{a.city}" · "
                    <A href="/configure">{t(lang.get(), "loc.back_to_config")}</A>" · "
                    <A href="/checkout" attr:data-testid="to-checkout">{t(lang.get(), "loc.to_checkout")}</A>
                </p>
            })}
            <div class="locations-layout">
                <div>{result_list}</div>
                <GermanyMap locations=found chosen=chosen_id origin=origin on_choose=show_in_list/>
            </div>
        </section>
    }
}
