//! "Passwort vergessen?": a password reset by e-mail link, single use, 30 minutes.
//!
//! - `POST /api/auth/reset-request {email, lang?}`: 202 with one body whether or not an account
//!   has the address (nothing to enumerate); throttled per client address (5 per 15 min) and
//!   per address asked about (3 per hour), 429 + `Retry-After` beyond. For an existing account
//!   a token is stored (its SHA-256 only) and the link `{origin}/reset?token=...` is mailed in
//!   the request's language (`lang`, else the app's language cookie, else the browser's; German
//!   when unknown: accounts keep no language yet), as plain text and HTML. The mail is handed
//!   to the relay after the answer, so the answer takes as long for an unknown address as for a
//!   known one. Without a mail relay (`SMTP_URL` unset) every request gets 503
//!   `mail_unavailable`: the app then says that resets are not possible right now instead of
//!   promising a mail that never comes.
//! - `POST /api/auth/reset {token, password}`: the new password passes the registration checks;
//!   then the token is taken in one conditional update (see
//!   `storage::accounts::complete_reset`), the hash replaced, all sessions ended and the
//!   account's throttles cleared: 204. Unknown or used token: 400 `reset_invalid`; expired: 410
//!   `reset_expired`.
//!
//! The link's origin is `PUBLIC_ORIGIN`, never the request's `Host` or `Origin` (a client
//! chooses those): the server does not start with mail and without it (`Config::public_origin`).

use super::auth::{check_new_password, normalise_email, take};
use super::responses::{Busy, Throttled};
use super::{ApiError, AppState, ClientIp};
use crate::mail::escape_html;
use crate::storage::accounts::{self, ResetToken, Throttle};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use domain::api::{ErrorBody, NewPassword, ResetAccepted, ResetLink, ResetRequest, User};
use domain::Lang;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A link is good for 30 minutes.
pub const RESET_TTL: i64 = 30 * 60;
/// Reset requests per client address: 5 per 15 minutes.
pub const RESET_PER_ADDRESS: Throttle = Throttle {
    limit: 5,
    window: 15 * 60,
};
/// Reset requests per e-mail address asked about: 3 per hour (no mail flood for the owner).
pub const RESET_PER_EMAIL: Throttle = Throttle {
    limit: 3,
    window: 3600,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_reset))
        .routes(routes!(check))
        .routes(routes!(reset))
}

/// The one answer to every accepted reset request.
fn neutral() -> ResetAccepted {
    ResetAccepted {
        status: domain::api::ResetStatus::Accepted,
        message: "If an account exists for this address, we have sent it a link to choose a new password. The link is valid for 30 minutes.".into(),
    }
}

/// Subject, plain text and HTML of the reset mail.
pub fn reset_mail(lang: Lang, link: &str) -> (String, String, String) {
    let minutes = RESET_TTL / 60;
    let (subject, hello, body, button, ignore) = match lang {
        Lang::De => (
            "Neues Passwort für Ihr smart #1 Konto".to_string(),
            "Guten Tag,",
            format!(
                "Sie haben ein neues Passwort für Ihr smart #1 Konto angefordert. Über diesen Link wählen Sie es (gültig {minutes} Minuten, nur einmal):"
            ),
            "Neues Passwort wählen",
            "Wenn Sie das nicht waren, ignorieren Sie diese Nachricht: Ihr Passwort bleibt, wie es ist.",
        ),
        Lang::En => (
            "A new password for your smart #1 account".to_string(),
            "Hello,",
            format!(
                "You asked for a new password for your smart #1 account. Choose it with this link (valid for {minutes} minutes, once):"
            ),
            "Choose a new password",
            "If this was not you, ignore this message: your password stays as it is.",
        ),
    };
    let text = format!("{hello}\n\n{body}\n\n{link}\n\n{ignore}\n\nsmart #1\n");
    let href = escape_html(link);
    let html = format!(
        "<!doctype html><html lang=\"{code}\"><body>\
         <p>{hello}</p><p>{body}</p>\
         <p><a href=\"{href}\">{button}</a></p>\
         <p>{href}</p><p>{ignore}</p><p>smart #1</p></body></html>",
        code = lang.code(),
        hello = escape_html(hello),
        body = escape_html(&body),
        button = escape_html(button),
        ignore = escape_html(ignore),
    );
    (subject, text, html)
}

/// "Passwort vergessen?": mails a link to choose a new password, if an account has the address.
#[utoipa::path(
    post,
    path = "/auth/reset-request",
    operation_id = "request_password_reset",
    tag = "accounts",
    request_body = ResetRequest,
    responses(
        (status = 202, description = "Accepted: the same answer whether or not an account has the address", body = ResetAccepted),
        (status = 422, description = "`invalid`: not an e-mail address", body = ErrorBody),
        Throttled,
        (status = 503, description = "`mail_unavailable`: the server sends no mail (no `SMTP_URL`)", body = ErrorBody),
    )
)]
async fn request_reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Json(body): Json<ResetRequest>,
) -> Result<(StatusCode, Json<ResetAccepted>), ApiError> {
    let Some(mailer) = state.mailer.clone() else {
        return Err(ApiError::Coded {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: domain::api::ErrorCode::MailUnavailable,
            message: "Passwords cannot be reset by e-mail right now. Please try again later or ask your smart agent.".into(),
        });
    };
    let email = normalise_email(&body.email)
        .ok_or_else(|| ApiError::Unprocessable("Please enter a valid e-mail address.".into()))?;
    let too_many = "Too many requests for a new password.";
    take(
        &state,
        &format!("reset-ip:{ip}"),
        &RESET_PER_ADDRESS,
        too_many,
    )
    .await?;
    take(
        &state,
        &format!("reset-email:{email}"),
        &RESET_PER_EMAIL,
        too_many,
    )
    .await?;
    let lang = match body.lang.as_deref() {
        Some(tag) => Lang::from_tag(tag),
        None => super::static_files::lang_of(&headers),
    };
    let origin = state
        .config
        .public_origin()
        .ok_or_else(|| ApiError::internal("mail without PUBLIC_ORIGIN"))?;
    // Everything that depends on whether the address has an account happens after the answer,
    // so a known address answers as fast as an unknown one.
    let db = state.db.clone();
    tokio::spawn(async move {
        let user = match accounts::user_by_email(&db, &email).await {
            Ok(Some((user, _))) => user,
            Ok(None) => return,
            Err(e) => return tracing::error!(error = %e, "a password reset could not be looked up"),
        };
        let token = match accounts::create_reset(&db, &user.id, RESET_TTL).await {
            Ok(token) => token,
            Err(e) => return tracing::error!(error = %e, "a password reset could not be stored"),
        };
        let (subject, text, html) = reset_mail(lang, &format!("{origin}/reset?token={token}"));
        if let Err(e) = mailer.send(&user.email, &subject, text, html).await {
            tracing::warn!(user = %user.id, "password reset mail not sent: {e}");
        }
    });
    Ok((StatusCode::ACCEPTED, Json(neutral())))
}

fn invalid() -> ApiError {
    ApiError::Coded {
        status: StatusCode::BAD_REQUEST,
        code: domain::api::ErrorCode::ResetInvalid,
        message: "This link is not valid (any more). Please ask for a new one.".into(),
    }
}

fn expired() -> ApiError {
    ApiError::Coded {
        status: StatusCode::GONE,
        code: domain::api::ErrorCode::ResetExpired,
        message: "This link has expired. Please ask for a new one.".into(),
    }
}

/// The well-formed token's state: the account it resets, or why not.
async fn token_state(state: &AppState, token: &str) -> Result<accounts::User, ApiError> {
    // 32 bytes in base64url: 43 characters. Anything else cannot be ours.
    if token.len() != 43
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(invalid());
    }
    match accounts::reset_token_state(&state.db, token).await? {
        ResetToken::Invalid => Err(invalid()),
        ResetToken::Expired => Err(expired()),
        ResetToken::Valid(user) => Ok(user),
    }
}

/// Whether a mailed link still works, asked when its page opens: a used or expired link says
/// so before the customer types a new password.
#[utoipa::path(
    post,
    path = "/auth/reset/check",
    operation_id = "check_password_reset",
    tag = "accounts",
    request_body = ResetLink,
    responses(
        (status = 204, description = "The link works"),
        (status = 400, description = "`reset_invalid`: an unknown or used token", body = ErrorBody),
        (status = 410, description = "`reset_expired`: the link is older than 30 minutes", body = ErrorBody),
    )
)]
async fn check(
    State(state): State<AppState>,
    Json(body): Json<ResetLink>,
) -> Result<StatusCode, ApiError> {
    token_state(&state, body.token.trim()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets a new password with a mailed link; all sessions of the account end, and this browser
/// is signed in with a new one.
#[utoipa::path(
    post,
    path = "/auth/reset",
    operation_id = "reset_password",
    tag = "accounts",
    request_body = NewPassword,
    responses(
        (status = 200, description = "The password is set; every other session of the account has ended and `Set-Cookie` carries this browser's new one", body = User),
        (status = 400, description = "`reset_invalid`: an unknown or used token", body = ErrorBody),
        (status = 410, description = "`reset_expired`: the link is older than 30 minutes", body = ErrorBody),
        (status = 422, description = "`invalid` (length) or `weak_password`: the link stays usable", body = ErrorBody),
        Busy,
    )
)]
async fn reset(
    State(state): State<AppState>,
    jar: axum_extra::extract::CookieJar,
    Json(body): Json<NewPassword>,
) -> Result<(axum_extra::extract::CookieJar, Json<User>), ApiError> {
    let token = body.token.trim();
    let user = token_state(&state, token).await?;
    // Checked before the token is used: a refused password leaves the link working.
    check_new_password(&state, &body.password, &user.email).await?;
    let hash = state.hashers.hash(body.password).await?;
    match accounts::complete_reset(&state.db, token, &hash).await? {
        // Whoever set the password is signed in here (a new session; all others ended).
        Some(_) => {
            let jar = super::auth::start_session(&state, jar, &user, false).await?;
            Ok((
                jar,
                Json(User {
                    id: user.id,
                    email: user.email,
                }),
            ))
        }
        // Used (or expired) meanwhile, e.g. by a parallel request with the same link.
        None => match accounts::reset_token_state(&state.db, token).await? {
            ResetToken::Expired => Err(expired()),
            _ => Err(invalid()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mail_is_in_the_readers_language_with_the_link_in_both_parts() {
        let link = "https://shop.example.de/reset?token=abc_-123";
        let (subject, text, html) = reset_mail(Lang::De, link);
        assert!(subject.contains("Passwort"));
        assert!(text.contains(link) && text.contains("30 Minuten"));
        assert!(html.contains(&format!("href=\"{link}\"")) && html.contains("lang=\"de\""));
        let (subject, text, html) = reset_mail(Lang::En, link);
        assert!(subject.contains("password"));
        assert!(text.contains(link) && text.contains("30 minutes"));
        assert!(html.contains("Choose a new password"));
    }
}
