//! `/test-drive?location=&line=&c=`: where (a location offering test drives: the one given,
//! the customer's chosen agent, or the nearest by postcode), which line, which hour, who drives.

use super::slots::{Chosen, SlotPicker};
use crate::api::{self, ApiError};
use crate::i18n::{error_text, invalid_key, t, tx, use_lang};
use crate::nav::use_query_map;
use domain::api::{ErrorCode, LocationInfo, LocationQuery};
use domain::test_drive::{Driver, LineName, TestDriveRequest, TestDriveView};
use domain::Service;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn BookTestDrive() -> impl IntoView {
    let query = use_query_map().get_untracked();
    // The line asked for, once the server's list says it exists (else the first).
    let lines = super::lines();
    let asked = query.get("line").unwrap_or_default();
    let line = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(list) = lines.get() {
            let known = list.iter().any(|l| l.code == asked);
            let first = list.first().map(|l| l.code.clone()).unwrap_or_default();
            line.set(if known { asked.clone() } else { first });
        }
    });
    let code = query.get("c");
    let location = RwSignal::new(None::<LocationInfo>);
    // The location given, else the customer's chosen agent, if it offers test drives.
    let given = query
        .get("location")
        .or_else(|| crate::state::use_agent().get_untracked().map(|a| a.id));
    let expected = given.is_some();
    if let Some(id) = given {
        spawn_local(async move {
            if let Ok(found) = api::location(&id).await {
                if found.services.contains(&Service::TestDrive) {
                    location.set(Some(found));
                }
            }
        });
    }
    let chosen = RwSignal::new(None::<Chosen>);
    let refresh = RwSignal::new(0u32);
    let booked = RwSignal::new(None::<TestDriveView>);
    Effect::new(move |_| {
        line.track();
        location.track();
        chosen.set(None);
    });
    let location_id = Signal::derive(move || location.with(|l| l.as_ref().map(|l| l.id.clone())));
    view! {
        <section class="test-drive" data-testid="test-drive">
            <h1>{tx("td.title")}</h1>
            {move || match booked.get() {
                Some(drive) => view! { <Booked drive=drive/> }.into_any(),
                None => view! {
                    <p class="lead">{tx("td.lead")}</p>
                    <Where location=location/>
                    <LinePicker line=line lines=lines/>
                    <div class:td-picker=move || expected || location.with(Option::is_some)><SlotPicker location=location_id line=line chosen=chosen refresh=refresh/></div>
                    <DriverForm location=location line=line chosen=chosen refresh=refresh booked=booked code=code.clone()/>
                }.into_any(),
            }}
        </section>
    }
}

/// The location: shown when known, with a postcode search to pick or change it.
#[component]
fn Where(location: RwSignal<Option<LocationInfo>>) -> impl IntoView {
    let lang = use_lang();
    let postcode = RwSignal::new(String::new());
    let found = RwSignal::new(Vec::<LocationInfo>::new());
    let error = RwSignal::new(None::<String>);
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = LocationQuery {
            q: Some(postcode.get_untracked()),
            lat: None,
            lon: None,
            service: Some(Service::TestDrive),
            limit: Some(5),
        };
        spawn_local(async move {
            match api::search_locations(&q).await {
                Ok(r) => {
                    error.set(None);
                    found.set(r.locations.into_iter().take(5).collect());
                }
                Err(e) => error.set(Some(error_text(lang.get_untracked(), &e))),
            }
        });
    };
    let options = move || {
        found.get().into_iter().map(|l| {
            let pick = l.clone();
            view! {
                <li><button type="button" data-testid=format!("td-pick-{}", l.id)
                    on:click=move |_| { location.set(Some(pick.clone())); found.set(Vec::new()); }>
                    <strong>{l.name.clone()}</strong>
                    <span>{format!("{}, {} {}", l.street, l.postcode, l.city)}</span>
                    {l.distance_km.map(|d| view! { <span class="distance">{move || crate::i18n::km_text(d, lang.get())}</span> })}
                </button></li>
            }
        }).collect_view()
    };
    view! {
        <h2>{tx("td.where")}</h2>
        // Its place is kept while a given location loads, so nothing below it moves.
        <p class="td-location">{move || match location.get() {
            Some(l) => view! { <span data-testid="td-location"><strong>{l.name.clone()}</strong>", "{l.street.clone()}", "{l.postcode.clone()}" "{l.city.clone()}</span> }.into_any(),
            None => view! { <span>{tx("td.where_hint")}</span> }.into_any(),
        }}</p>
        <form class="inline-form" on:submit=search>
            <label for="td-postcode">{tx("td.postcode")}</label>
            <input id="td-postcode" inputmode="numeric" autocomplete="postal-code" data-testid="td-postcode"
                prop:value=postcode on:input=move |ev| postcode.set(event_target_value(&ev))/>
            <button type="submit" data-testid="td-search">{tx("td.search")}</button>
        </form>
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        <ul class="td-found">{options}</ul>
    }
}

#[component]
fn LinePicker(line: RwSignal<String>, lines: LocalResource<Vec<LineName>>) -> impl IntoView {
    let lang = use_lang();
    let options = move || {
        lines.get().unwrap_or_default().into_iter().map(|l| {
            let code = l.code.clone();
            view! { <option value=l.code.clone() selected=move || line.get() == code>{move || l.name.get(lang.get()).to_string()}</option> }
        }).collect_view()
    };
    view! {
        <label class="field" for="td-line">{tx("td.line")}
            <select id="td-line" data-testid="td-line" on:change=move |ev| line.set(event_target_value(&ev))>{options}</select>
        </label>
    }
}

#[component]
fn DriverForm(
    location: RwSignal<Option<LocationInfo>>,
    line: RwSignal<String>,
    chosen: RwSignal<Option<Chosen>>,
    refresh: RwSignal<u32>,
    booked: RwSignal<Option<TestDriveView>>,
    code: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let driver = RwSignal::new(Driver::default());
    // A signed-in customer's address, to start with (the drive then shows in the account).
    let session = crate::session::use_session();
    Effect::new(move |_| {
        if let Some(Some(user)) = session.user.get() {
            if driver.with_untracked(|d| d.email.is_empty()) {
                driver.update(|d| d.email = user.email.clone());
            }
        }
    });
    let (licence, terms) = (RwSignal::new(false), RwSignal::new(false));
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let (Some(loc), Some(slot)) = (location.get_untracked(), chosen.get_untracked()) else {
            error.set(Some(t(l, "td.choose_first").to_string()));
            return;
        };
        // Said before asking the server (which refuses them too).
        let missing = if !licence.get_untracked() {
            Some("td.licence_missing")
        } else if !terms.get_untracked() {
            Some("co.consents_missing")
        } else {
            None
        };
        if let Some(key) = missing {
            error.set(Some(t(l, key).to_string()));
            return;
        }
        let request = TestDriveRequest {
            location_id: loc.id,
            line: line.get_untracked(),
            starts_at: slot.slot.starts_at,
            customer: driver.get_untracked(),
            licence_confirmed: licence.get_untracked(),
            terms_version: domain::order::terms_version().to_string(),
            language: l,
            code: code.clone(),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::book_test_drive(&request).await {
                Ok(drive) => booked.set(Some(drive)),
                Err(e) => {
                    if e.code == Some(ErrorCode::SlotTaken) {
                        chosen.set(None);
                        refresh.update(|n| *n += 1);
                    }
                    error.set(Some(refusal(&e, l)));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="td-form" on:submit=submit novalidate>
            <h2>{tx("td.who")}</h2>
            <DriverFields driver=driver/>
            <label class="inline"><input type="checkbox" data-testid="td-licence"
                prop:checked=move || licence.get() on:change=move |ev| licence.set(event_target_checked(&ev))/>
                <span>{tx("td.licence")}</span></label>
            <label class="inline"><input type="checkbox" data-testid="td-terms"
                prop:checked=move || terms.get() on:change=move |ev| terms.set(event_target_checked(&ev))/>
                <span>{tx("co.terms")}" "<a href="/terms" target="_blank" rel="noopener">{tx("co.terms_link")}</a></span></label>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="td-error">{e}</p> })}
            <button type="submit" class="primary big" data-testid="td-book" disabled=move || busy.get()>{tx("td.book")}</button>
        </form>
    }
}

/// Who drives: name, e-mail (the invite goes there) and phone.
#[component]
pub fn DriverFields(driver: RwSignal<Driver>) -> impl IntoView {
    type Get = fn(&Driver) -> &String;
    type Set = fn(&mut Driver) -> &mut String;
    let text =
        move |label: &'static str, kind: &'static str, auto: &'static str, get: Get, set: Set| {
            let (id, label_for, testid) = (
                format!("td-{auto}"),
                format!("td-{auto}"),
                format!("td-{auto}"),
            );
            view! {
                <label class="field" for=label_for>{tx(label)}
                    <input id=id type=kind autocomplete=auto data-testid=testid required
                        prop:value=move || driver.with(|d| get(d).clone())
                        on:input=move |ev| driver.update(|d| *set(d) = event_target_value(&ev))/>
                </label>
            }
        };
    view! {
        <div class="form-grid">
            {text("co.first_name", "text", "given-name", |d| &d.first_name, |d| &mut d.first_name)}
            {text("co.last_name", "text", "family-name", |d| &d.last_name, |d| &mut d.last_name)}
            {text("td.email", "email", "email", |d| &d.email, |d| &mut d.email)}
            {text("co.phone", "tel", "tel", |d| &d.phone, |d| &mut d.phone)}
        </div>
    }
}

/// Why a booking or a move was refused, in the page's language.
pub(super) fn refusal(e: &ApiError, lang: domain::Lang) -> String {
    match e.invalid() {
        Some(invalid) => t(lang, invalid_key(invalid)).to_string(),
        None => error_text(lang, e),
    }
}

#[component]
fn Booked(drive: TestDriveView) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="notice success" role="status" data-testid="td-booked">
            <h2>{tx("td.booked")}</h2>
            <p>{drive.location_name.clone()}" · "{move || super::when(&drive, lang.get())}</p>
            <p>{tx("td.mail_sent")}</p>
        </div>
    }
}
