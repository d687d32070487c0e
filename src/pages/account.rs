//! `/account`: sign up, sign in, and "My smart": the saved configurations with a small picture,
//! price and last step; continue, rename, delete; a local draft is offered for saving.

use crate::api;
use crate::car::{configure_url, default_name, step_label};
use crate::components::car_picture::CarPicture;
use crate::components::sign_in::SignIn;
use crate::draft;
use crate::i18n::{t, tx, use_lang};
use crate::nav::use_navigate;
use crate::session::use_session;
use crate::state::{catalog, use_agent};
use domain::api::{ConfigurationBody, SavedConfiguration};
use domain::Step;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Account() -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    move || match session.user.get() {
        None => view! { <p role="status">{t(lang.get(), "page.loading")}</p> }.into_any(),
        Some(None) => view! { <SignIn/> }.into_any(),
        Some(Some(user)) => view! { <MySmart email=user.email owner=user.id/> }.into_any(),
    }
}

/// A save kept on this device while offline (the configurator's Save without a network), sent
/// before the account lists its cars, so the list shows it and the draft is not offered again.
/// A conflict or a refusal stays kept: the configurator offers the choice or says why.
async fn send_kept_save(owner: String) {
    let Some(save) = draft::pending_save().filter(|s| s.owner == owner) else {
        return;
    };
    if api::save_configuration_json(save.id.as_deref(), save.body)
        .await
        .is_ok()
    {
        draft::clear_pending_save();
    }
}

#[component]
fn MySmart(email: String, owner: String) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let agent = use_agent();
    let navigate = use_navigate();
    let refresh = RwSignal::new(0u32);
    let message = RwSignal::new(None::<String>);
    let saved = LocalResource::new(move || {
        refresh.track();
        let kept = send_kept_save(owner.clone());
        async move {
            kept.await;
            api::saved_configurations().await
        }
    });
    // A draft on this device that is not saved yet is offered for saving.
    let offer = Signal::derive(move || {
        let d = draft::load()?;
        match saved.get() {
            Some(Ok(list)) if !list.iter().any(|s| s.code == d.code) => Some(d),
            _ => None,
        }
    });
    let save_draft_now = move || {
        let Some(d) = offer.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let name = default_name(&d.code);
            let location = agent.get_untracked().map(|a| a.id);
            let body = ConfigurationBody {
                name,
                code: d.code,
                // A draft from an older app may name a step no longer there.
                step: Step::from_slug(&d.step).unwrap_or(Step::Line),
                location_id: location,
                version: None,
            };
            match api::save_configuration(None, &body).await {
                Ok(s) => {
                    session.editing.set(Some(s));
                    refresh.update(|n| *n += 1);
                }
                Err(e) => message.set(Some(crate::i18n::error_text(lang.get_untracked(), &e))),
            }
        });
    };
    let save_draft = move |_| save_draft_now();
    // Came here from the configurator's Save while signed out: once signed in, the car is saved
    // without a second press (issue 33).
    let save_requested =
        crate::nav::use_query_map().with_untracked(|q| q.get("next").as_deref() == Some("save"));
    let auto_saved = StoredValue::new(false);
    Effect::new(move |_| {
        if save_requested && !auto_saved.get_value() && offer.get().is_some() {
            auto_saved.set_value(true);
            save_draft_now();
        }
    });
    let sign_out = move |_| {
        spawn_local(async move {
            let _ = api::logout().await;
            session.editing.set(None);
            session.staff_partner.set(None);
            session.user.set(Some(None));
        });
    };
    let cont = Callback::new(move |s: SavedConfiguration| {
        let step = s.step;
        let url = format!("{}&saved={}", configure_url(&s.code, step), s.id);
        session.editing.set(Some(s));
        navigate(&url, Default::default());
    });
    let changed = Callback::new(move |result: Result<(), String>| {
        if let Err(e) = result {
            message.set(Some(e));
        }
        refresh.update(|n| *n += 1);
    });
    // A deleted car can be brought back; the draft of the same car is not offered again.
    let deleted = RwSignal::new(None::<SavedConfiguration>);
    let on_deleted = Callback::new(move |s: SavedConfiguration| {
        if draft::load().is_some_and(|d| d.code == s.code) {
            draft::clear();
        }
        deleted.set(Some(s));
        refresh.update(|n| *n += 1);
    });
    let undo_delete = move |_| {
        let Some(s) = deleted.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let body = ConfigurationBody {
                name: s.name.clone(),
                code: s.code.clone(),
                step: s.step,
                location_id: s.location_id.clone(),
                version: None,
            };
            match api::save_configuration(None, &body).await {
                Ok(_) => {
                    deleted.set(None);
                    refresh.update(|n| *n += 1);
                }
                Err(e) => message.set(Some(crate::i18n::error_text(lang.get_untracked(), &e))),
            }
        });
    };
    view! {
        <section class="page account">
            <h1>{tx("page.account")}</h1>
            {move || deleted.get().map(|s| view! {
                <div class="notice" role="status" data-testid="deleted-notice">
                    <p>{t(lang.get(), "acc.deleted").replace("{}", &s.name)}</p>
                    <button type="button" data-testid="undo-delete" on:click=undo_delete>{t(lang.get(), "auto.undo")}</button>
                </div>
            })}
            <p>{tx("acc.signed_in_as")}" " <strong data-testid="signed-in-as">{email.clone()}</strong>" "
                <button type="button" data-testid="sign-out" on:click=sign_out>{tx("acc.sign_out")}</button>
            </p>
            {move || offer.get().map(|_| view! {
                <div class="notice" role="status" data-testid="save-draft-offer">
                    <p>{t(lang.get(), "acc.save_draft")}</p>
                    <button type="button" class="primary" data-testid="save-draft" on:click=save_draft>{t(lang.get(), "bar.save")}</button>
                </div>
            })}
            {move || message.get().map(|m| view! { <p class="notice error" role="alert">{m}</p> })}
            <crate::pages::order::MyOrders/>
            <MyTestDrives/>
            <h2>{tx("acc.saved")}</h2>
            <SavedList saved=saved on_continue=cont on_changed=changed on_deleted=on_deleted/>
        </section>
    }
}

/// The account's saved cars, each with continue, rename and delete.
#[component]
fn SavedList(
    saved: LocalResource<Result<Vec<SavedConfiguration>, api::ApiError>>,
    on_continue: Callback<SavedConfiguration>,
    on_changed: Callback<Result<(), String>>,
    on_deleted: Callback<SavedConfiguration>,
) -> impl IntoView {
    let lang = use_lang();
    move || {
        match saved.get() {
        None => view! { <p role="status">{t(lang.get(), "page.loading")}</p> }.into_any(),
        Some(Err(e)) => view! { <p class="notice error" role="alert">{crate::i18n::error_text(lang.get(), &e)}</p> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! { <p data-testid="saved-empty">{t(lang.get(), "acc.none_saved")}</p> }.into_any(),
        Some(Ok(list)) => view! {
            <ul class="saved-list" data-testid="saved-list">
                {list.into_iter().map(|s| view! { <SavedItem saved=s on_continue=on_continue on_changed=on_changed on_deleted=on_deleted/> }).collect_view()}
            </ul>
        }.into_any(),
    }
    }
}

#[component]
fn SavedItem(
    saved: SavedConfiguration,
    on_continue: Callback<SavedConfiguration>,
    on_changed: Callback<Result<(), String>>,
    on_deleted: Callback<SavedConfiguration>,
) -> impl IntoView {
    let lang = use_lang();
    let cat = catalog();
    let (sel, _) = cat.decode_nearest(&saved.code);
    let car = cat.complete(&sel).unwrap_or_else(|| {
        cat.complete(&cat.empty_selection())
            .expect("the default car is valid")
    });
    let price = cat.price(&car).gross;
    let config = Memo::new(move |_| car.clone());
    let step = saved.step;
    let renaming = RwSignal::new(false);
    let new_name = RwSignal::new(saved.name.clone());
    let item = StoredValue::new(saved.clone());
    let rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let s = item.get_value();
        spawn_local(async move {
            let name = new_name.get_untracked();
            let body = ConfigurationBody {
                name,
                code: s.code.clone(),
                step: s.step,
                location_id: s.location_id.clone(),
                version: Some(s.version),
            };
            on_changed.run(
                api::save_configuration(Some(&s.id), &body)
                    .await
                    .map(drop)
                    .map_err(|e| crate::i18n::error_text(lang.get_untracked(), &e)),
            );
        });
    };
    let remove = move |_| {
        let s = item.get_value();
        spawn_local(async move {
            match api::delete_configuration(&s.id).await {
                Ok(()) => on_deleted.run(s),
                Err(e) => on_changed.run(Err(crate::i18n::error_text(lang.get_untracked(), &e))),
            }
        });
    };
    // The reverse hand-over: a code to open this car on a showroom screen.
    let handover = RwSignal::new(None);
    let show_in_store = move |_| {
        let id = item.get_value().id;
        spawn_local(async move {
            handover.set(Some(api::handover_of_saved(&id).await));
        });
    };
    let testid = format!("saved-{}", saved.id);
    view! {
        <li class="saved" data-testid=testid>
            <div class="saved-picture"><CarPicture config=config/></div>
            <div>
                <h3 data-testid="saved-name">{saved.name.clone()}</h3>
                <p class="price" data-testid="saved-price">{move || price.format(lang.get())}</p>
                <p>{tx("acc.last_step")}": " {move || t(lang.get(), step_label(step))}</p>
                {move || renaming.get().then(|| view! {
                    <form class="rename" on:submit=rename>
                        <label>{t(lang.get(), "acc.name")}<input type="text" maxlength="80" data-testid="rename-input" bind:value=new_name/></label>
                        <button type="submit" data-testid="rename-save">{t(lang.get(), "bar.save")}</button>
                    </form>
                })}
                <div class="nav-buttons">
                    <button type="button" class="primary" data-testid="saved-continue" on:click=move |_| on_continue.run(item.get_value())>{tx("draft.continue")}</button>
                    <button type="button" data-testid="saved-rename" on:click=move |_| renaming.update(|r| *r = !*r)>{tx("acc.rename")}</button>
                    <button type="button" data-testid="saved-delete" on:click=remove>{tx("acc.delete")}</button>
                    <button type="button" data-testid="saved-handover" on:click=show_in_store>{tx("handover.to_screen")}</button>
                </div>
                <crate::components::handover::HandoverDialog state=handover title="handover.title_screen"/>
            </div>
        </li>
    }
}

/// The drives booked while signed in: when, where, which line, and where they stand. Moving or
/// cancelling one goes through the link in its mail.
#[component]
fn MyTestDrives() -> impl IntoView {
    let lang = use_lang();
    let drives = LocalResource::new(crate::api::my_test_drives);
    move || {
        let l = lang.get();
        let list = drives
            .get()
            .and_then(Result::ok)
            .filter(|d| !d.is_empty())?;
        Some(view! {
            <h2>{t(l, "acc.drives")}</h2>
            <ul class="order-list" data-testid="my-test-drives">
                {list.into_iter().map(|d| {
                    let status = crate::i18n::drive_status_key(d.status);
                    let when = format!("{} {}", crate::i18n::local_date_iso(&d.day, l), d.time);
                    view! { <li><strong>{when}</strong>" · "{d.location_name.clone()}" · "{d.line.clone()}" · "{t(l, status)}</li> }
                }).collect_view()}
            </ul>
            <p class="meta">{t(l, "acc.drives_manage")}</p>
        })
    }
}
