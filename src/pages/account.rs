//! `/account`: sign up, sign in, and "My smart": the saved configurations with a small picture,
//! price and last step; continue, rename, delete; a local draft is offered for saving.

use crate::api;
use crate::api::ApiError;
use crate::car::{configure_url, default_name, step_label};
use crate::components::car_picture::CarPicture;
use crate::draft;
use crate::i18n::{t, tx, use_lang};
use crate::nav::use_navigate;
use crate::session::use_session;
use crate::state::{catalog, use_agent};
use domain::api::{ConfigurationBody, Credentials, SavedConfiguration};
use domain::api::{ErrorCode, ResetRequest};
use domain::{Lang, Step};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Account() -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    move || match session.user.get() {
        None => view! { <p role="status">{t(lang.get(), "loc.loading")}</p> }.into_any(),
        Some(None) => view! { <SignIn/> }.into_any(),
        Some(Some(user)) => view! { <MySmart email=user.email/> }.into_any(),
    }
}

/// The sign-in (or registration) form. `under_heading`: the page has its own title, so the
/// form's is a second-level heading (headings descend in order).
/// Why signing in or registering failed, in the reader's language.
fn sign_in_error_text(
    lang: Lang,
    e: &ApiError,
    registering: bool,
    password_chars: usize,
) -> String {
    let key = match (e.status, registering) {
        (401, false) => "acc.wrong",
        (409, true) => "acc.exists",
        // A length is the one password rule refused as `invalid`; else it is the address.
        (422, true)
            if e.code == Some(ErrorCode::Invalid) && !(10..=128).contains(&password_chars) =>
        {
            "reset.length"
        }
        (422, true) if e.code == Some(ErrorCode::Invalid) => "acc.invalid_email",
        _ => return crate::i18n::error_text(lang, e),
    };
    t(lang, key).to_string()
}

#[component]
pub fn SignIn(#[prop(optional)] under_heading: bool) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let register = RwSignal::new(false);
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let credentials = Credentials {
                email: email.get_untracked(),
                password: password.get_untracked(),
            };
            let signed_in = if register.get_untracked() {
                api::register(&credentials).await
            } else {
                api::login(&credentials).await
            };
            match signed_in {
                Ok(_) => session.refresh().await,
                Err(e) => error.set(Some(sign_in_error_text(
                    lang.get_untracked(),
                    &e,
                    register.get_untracked(),
                    password.get_untracked().chars().count(),
                ))),
            }
            busy.set(false);
        });
    };
    let has_draft = draft::load().is_some();
    let forgot = RwSignal::new(false);
    view! {
        <section class="page account">
            <Show when=move || !forgot.get() fallback=move || view! { <ForgotPassword email=email forgot=forgot/> }>
            {move || {
                let title = t(lang.get(), if register.get() { "acc.register" } else { "acc.sign_in" });
                if under_heading { view! { <h2>{title}</h2> }.into_any() } else { view! { <h1>{title}</h1> }.into_any() }
            }}
            {has_draft.then(|| view! { <p class="notice" role="status">{tx("acc.draft_kept")}</p> })}
            <form class="auth-form" on:submit=submit novalidate>
                <label>{tx("acc.email")}
                    <input type="email" required autocomplete="email" data-testid="auth-email" bind:value=email/>
                </label>
                <label>{tx("acc.password")}
                    <input type="password" required minlength="10"
                        autocomplete=move || if register.get() { "new-password" } else { "current-password" }
                        aria-describedby="password-hint auth-error" data-testid="auth-password" bind:value=password/>
                    <small id="password-hint">{tx("acc.password_hint")}</small>
                </label>
                <p id="auth-error" class="field-error" role="alert" data-testid="auth-error">{move || error.get()}</p>
                <button type="submit" class="primary" data-testid="auth-submit" disabled=move || busy.get()>
                    {move || t(lang.get(), if register.get() { "acc.register" } else { "acc.sign_in" })}
                </button>
            </form>
            <p>
                <button type="button" data-testid="auth-toggle" on:click=move |_| { register.update(|r| *r = !*r); error.set(None); }>
                    {move || t(lang.get(), if register.get() { "acc.have_account" } else { "acc.no_account" })}
                </button>
            </p>
            <p>
                <button type="button" data-testid="auth-forgot" on:click=move |_| { forgot.set(true); error.set(None); }>
                    {tx("acc.forgot")}
                </button>
            </p>
            </Show>
        </section>
    }
}

/// "Passwort vergessen?": asks for a reset link by mail. The answer is the same whether or not
/// an account has the address, and so is what the page says.
#[component]
fn ForgotPassword(email: RwSignal<String>, forgot: RwSignal<bool>) -> impl IntoView {
    let lang = use_lang();
    let sent = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let lang = lang.get_untracked();
            let address = email.get_untracked();
            let body = ResetRequest {
                email: address.trim().to_string(),
                lang: Some(lang.code().to_string()),
            };
            let answer = crate::api::request_password_reset(&body).await;
            match answer {
                Ok(_) => sent.set(true),
                Err(e) => error.set(Some(match e.code {
                    Some(ErrorCode::Invalid | ErrorCode::BadRequest) => {
                        t(lang, "acc.invalid_email").to_string()
                    }
                    _ => crate::i18n::error_text(lang, &e),
                })),
            }
            busy.set(false);
        });
    };
    view! {
        <h2>{tx("acc.forgot")}</h2>
        <Show when=move || !sent.get() fallback=|| view! { <p class="notice" role="status" data-testid="forgot-sent">{tx("acc.forgot_sent")}</p> }>
            <p>{tx("acc.forgot_lead")}</p>
            <form class="auth-form" on:submit=submit novalidate>
                <label>{tx("acc.email")}
                    <input type="email" required autocomplete="email" aria-describedby="forgot-error" data-testid="forgot-email" bind:value=email/>
                </label>
                <p id="forgot-error" class="field-error" role="alert" data-testid="forgot-error">{move || error.get()}</p>
                <button type="submit" class="primary" data-testid="forgot-submit" disabled=move || busy.get()>{tx("acc.forgot_send")}</button>
            </form>
        </Show>
        <p>
            <button type="button" data-testid="forgot-back" on:click=move |_| { forgot.set(false); sent.set(false); }>
                {tx("acc.forgot_back")}
            </button>
        </p>
    }
}

#[component]
fn MySmart(email: String) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let agent = use_agent();
    let store = crate::store::use_store();
    let navigate = use_navigate();
    let refresh = RwSignal::new(0u32);
    let message = RwSignal::new(None::<String>);
    let saved = LocalResource::new(move || {
        refresh.track();
        api::saved_configurations()
    });
    // A draft on this device that is not saved yet is offered for saving.
    let offer = Signal::derive(move || {
        let d = draft::load()?;
        match saved.get() {
            Some(Ok(list)) if !list.iter().any(|s| s.code == d.code) => Some(d),
            _ => None,
        }
    });
    let save_draft = move |_| {
        let Some(d) = offer.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let name = default_name(&d.code);
            let location = agent.get_untracked().map(|a| a.id);
            let body = ConfigurationBody {
                name,
                code: d.code,
                step: d.step,
                location_id: location,
                channel: Some(crate::store::channel(store)),
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
    let sign_out = move |_| {
        spawn_local(async move {
            let _ = api::logout().await;
            session.editing.set(None);
            session.staff_partner.set(None);
            session.user.set(Some(None));
        });
    };
    let cont = Callback::new(move |s: SavedConfiguration| {
        let step = Step::from_slug(&s.step).unwrap_or(Step::Line);
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
                step: s.step.clone(),
                location_id: s.location_id.clone(),
                channel: Some(crate::store::channel(store)),
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
            <h2>{tx("acc.saved")}</h2>
            {move || match saved.get() {
                None => view! { <p role="status">{t(lang.get(), "loc.loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="notice error" role="alert">{crate::i18n::error_text(lang.get(), &e)}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p data-testid="saved-empty">{t(lang.get(), "acc.none_saved")}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="saved-list" data-testid="saved-list">
                        {list.into_iter().map(|s| view! { <SavedItem saved=s on_continue=cont on_changed=changed on_deleted=on_deleted/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
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
    let step = Step::from_slug(&saved.step).unwrap_or(Step::Line);
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
                step: s.step.clone(),
                location_id: s.location_id.clone(),
                channel: None,
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
