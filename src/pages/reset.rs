//! `/reset?token=...`: the page a password reset mail links to. It asks at once whether the
//! link still works (a used or expired one says so before a password is typed); then a new
//! password, twice; then the customer is signed in. Every refusal in the reader's language.

use crate::i18n::{t, tx, use_lang};
use crate::nav::{use_query_map, A};
use domain::api::{ErrorCode, NewPassword, ResetLink, PASSWORD_CHARS};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Reset() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let server_message = RwSignal::new(None::<String>);
    // The link itself is the problem: offer a new one instead of the form.
    let link_dead = RwSignal::new(false);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let session = crate::session::use_session();
    // Is the link still good? Asked once, when the page opens.
    {
        let token = query.get_untracked().get("token").unwrap_or_default();
        let asked = (!token.is_empty()).then(|| crate::api::check_reset_link(&ResetLink { token }));
        spawn_local(async move {
            let dead = match asked {
                None => Some(None),
                Some(asked) => match asked.await {
                    Err(e)
                        if matches!(
                            e.code,
                            Some(ErrorCode::ResetInvalid | ErrorCode::ResetExpired)
                        ) =>
                    {
                        Some(Some(e))
                    }
                    _ => None,
                },
            };
            if let Some(e) = dead {
                let lang = lang.get_untracked();
                server_message.set(Some(match e {
                    Some(e) => crate::i18n::error_text(lang, &e),
                    None => t(lang, "err.reset_invalid").to_string(),
                }));
                link_dead.set(true);
            }
        });
    }
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        server_message.set(None);
        let token = query.get_untracked().get("token").unwrap_or_default();
        let (new, again) = (password.get_untracked(), repeat.get_untracked());
        if token.is_empty() {
            error.set(Some("err.reset_invalid"));
            link_dead.set(true);
            return;
        }
        if !PASSWORD_CHARS.contains(&new.chars().count()) {
            error.set(Some("reset.length"));
            return;
        }
        if new != again {
            error.set(Some("reset.mismatch"));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let body = NewPassword {
                token,
                password: new,
            };
            let answer = crate::api::reset_password(&body).await;
            match answer {
                // Signed in here with a new session; every other one has ended.
                Ok(user) => {
                    session.user.set(Some(Some(user)));
                    done.set(true);
                }
                Err(e) => match e.code {
                    Some(ErrorCode::ResetInvalid | ErrorCode::ResetExpired) => {
                        server_message.set(Some(crate::i18n::error_text(lang.get_untracked(), &e)));
                        link_dead.set(true);
                    }
                    Some(ErrorCode::Invalid) => error.set(Some("reset.length")),
                    _ => {
                        server_message.set(Some(crate::i18n::error_text(lang.get_untracked(), &e)))
                    }
                },
            }
            busy.set(false);
        });
    };
    let problem = move || {
        error
            .get()
            .map(|key| t(lang.get(), key).to_string())
            .or_else(|| server_message.get())
    };
    view! {
        <section class="page account">
            <h1>{tx("reset.title")}</h1>
            <Show when=move || !done.get() fallback=|| view! {
                <p class="notice" role="status" data-testid="reset-done">{tx("reset.done")}</p>
                <p><A href="/account" attr:class="button primary" attr:data-testid="reset-to-account">{tx("reset.to_account")}</A></p>
            }>
                <form class="auth-form" on:submit=submit novalidate>
                    <label>{tx("reset.new")}
                        <input type="password" required minlength="10" autocomplete="new-password"
                            aria-describedby="password-hint reset-error" data-testid="reset-password" bind:value=password/>
                        <small id="password-hint">{tx("acc.password_hint")}</small>
                    </label>
                    <label>{tx("reset.repeat")}
                        <input type="password" required minlength="10" autocomplete="new-password"
                            aria-describedby="reset-error" data-testid="reset-repeat" bind:value=repeat/>
                    </label>
                    <p id="reset-error" class="field-error" role="alert" data-testid="reset-error">{problem}</p>
                    <button type="submit" class="primary" data-testid="reset-submit" disabled=move || busy.get() || link_dead.get()>
                        {tx("reset.save")}
                    </button>
                </form>
                <Show when=move || link_dead.get()>
                    <p><A href="/account" attr:class="button">{tx("reset.new_link")}</A></p>
                </Show>
            </Show>
        </section>
    }
}
