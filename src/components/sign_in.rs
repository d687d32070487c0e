//! The sign-in (or registration) form with "Passwort vergessen?", for every page that needs a
//! signed-in customer (account, checkout, the staff desk).

use crate::api;
use crate::api::ApiError;
use crate::draft;
use crate::i18n::{t, tx, use_lang};
use crate::session::use_session;
use domain::api::{Credentials, ErrorCode, ResetRequest, PASSWORD_CHARS};
use domain::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;

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
            if e.code == Some(ErrorCode::Invalid) && !PASSWORD_CHARS.contains(&password_chars) =>
        {
            "reset.length"
        }
        (422, true) if e.code == Some(ErrorCode::Invalid) => "acc.invalid_email",
        _ => return crate::i18n::error_text(lang, e),
    };
    t(lang, key).to_string()
}

/// The sign-in (or registration) form. `under_heading`: the page has its own title, so the
/// form's is a second-level heading (headings descend in order). `staff`: the staff desk's
/// sign-in, without "register" (staff accounts are made by the server's command).
#[component]
pub fn SignIn(
    #[prop(optional)] under_heading: bool,
    #[prop(optional)] staff: bool,
) -> impl IntoView {
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
            {(!staff).then(|| view! {
                <p>
                    <button type="button" data-testid="auth-toggle" on:click=move |_| { register.update(|r| *r = !*r); error.set(None); }>
                        {move || t(lang.get(), if register.get() { "acc.have_account" } else { "acc.no_account" })}
                    </button>
                </p>
            })}
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
