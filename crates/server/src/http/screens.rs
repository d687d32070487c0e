//! Showroom screens. Store mode is a fact the server establishes, not a browser setting: a staff
//! member of the location's agent signs in on the screen (`POST /api/agent/screen/activate`),
//! and the screen gets an HttpOnly cookie with a random token that expires
//! (`SCREEN_HOURS`). Only a request carrying a valid token is recorded as the store channel, and
//! an order from it names the staff member who set up the screen as the serving advisor; without
//! it, whatever the browser claims, it is the web channel. Ending store mode
//! (`POST /api/agent/screen/unlock`) revokes the token. The screen never gets a staff session.

use super::auth::check_credentials;
use super::{ApiError, AppState, ClientIp};
use crate::storage::accounts::{self, User};
use crate::storage::screens::{self, NewScreen, Screen};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use domain::api::{ErrorBody, ScreenState, ScreenStatus, ScreenUnlock};
use domain::Channel;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The screen's cookie: its token.
pub const COOKIE: &str = "smart1_screen";

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(activate))
        .routes(routes!(unlock))
        .routes(routes!(current))
}

/// The showroom screen a request comes from, if it carries a valid screen token.
pub struct StoreScreen(pub Option<Screen>);

impl StoreScreen {
    /// "store" from an activated screen, "web" from anywhere else.
    pub fn channel(&self) -> Channel {
        match self.0 {
            Some(_) => Channel::Store,
            None => Channel::Web,
        }
    }

    /// Where an order from this request is taken: the channel, and the screen's advisor.
    pub fn origin(&self) -> domain::order::Origin {
        domain::order::Origin {
            channel: self.channel(),
            advisor: self.0.as_ref().map(|s| s.advisor.clone()),
        }
    }
}

impl FromRequestParts<AppState> for StoreScreen {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match CookieJar::from_headers(&parts.headers).get(COOKIE) {
            Some(token) => Ok(StoreScreen(screens::valid(&state.db, token.value()).await?)),
            None => Ok(StoreScreen(None)),
        }
    }
}

fn view(screen: &Screen) -> ScreenState {
    ScreenState {
        location_id: screen.location_id.clone(),
        advisor: screen.advisor.clone(),
        expires_at: screen.expires_at,
    }
}

/// The staff member behind `body`'s credentials, if they work for the partner running its
/// location; else 401 (credentials), 403 (another partner, or a customer) or 404 (location).
async fn staff_of_location(
    state: &AppState,
    ip: std::net::IpAddr,
    jar: &CookieJar,
    body: ScreenUnlock,
    refused: &str,
) -> Result<(User, &'static domain::Location), ApiError> {
    let location = state
        .network
        .location(&body.location_id)
        .ok_or_else(|| ApiError::NotFound("No such location.".into()))?;
    let credentials = domain::api::Credentials {
        email: body.email,
        password: body.password,
    };
    let (user, _) = check_credentials(state, ip, jar, &credentials).await?;
    match accounts::staff_partner(&state.db, &user.id).await? {
        Some(partner) if partner == location.partner => Ok((user, location)),
        _ => Err(ApiError::Forbidden(refused.into())),
    }
}

/// A staff member of the location's agent signs in on a showroom screen to put it into store
/// mode. The screen gets a screen token (no session); the sign-in counts against the sign-in's
/// throttles.
#[utoipa::path(post, path = "/agent/screen/activate", operation_id = "agent_screen_activate", tag = "agent", request_body = ScreenUnlock, responses((status = 200, description = "The screen is in store mode for this location: `Set-Cookie` carries its token", body = ScreenState), (status = 401, description = "`unauthorized`: the e-mail address or the password is wrong", body = ErrorBody), (status = 403, description = "`forbidden`: not staff of the agent running this location", body = ErrorBody), (status = 404, description = "`not_found`: no such location", body = ErrorBody), super::responses::Throttled, super::responses::Busy))]
async fn activate(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Json(body): Json<ScreenUnlock>,
) -> Result<(CookieJar, Json<ScreenState>), ApiError> {
    let (user, location) = staff_of_location(
        &state,
        ip,
        &jar,
        body,
        "Only staff of this location's agent can put its screens into store mode.",
    )
    .await?;
    let ttl = i64::from(state.config.timeouts.screen_hours.max(1)) * 3600;
    let (token, screen) = screens::create(
        &state.db,
        &NewScreen {
            location_id: &location.id,
            partner_id: &location.partner,
            staff_user_id: &user.id,
            advisor: &user.email,
            ttl,
        },
    )
    .await?;
    tracing::info!(staff = %user.email, location = %location.id, "a screen is in store mode");
    let cookie = Cookie::build((COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.config.behind_tls)
        .path("/api")
        .max_age(time::Duration::seconds(ttl))
        .build();
    Ok((jar.add(cookie), Json(view(&screen))))
}

/// A staff member of the screen's agent signs in on a showroom screen to end its store mode:
/// its token is revoked. The screen gets no session; the sign-in counts against the sign-in's
/// throttles.
#[utoipa::path(post, path = "/agent/screen/unlock", operation_id = "agent_screen_unlock", tag = "agent", request_body = ScreenUnlock, responses((status = 204, description = "Staff of this location's agent: the screen has left store mode"), (status = 401, description = "`unauthorized`: the e-mail address or the password is wrong", body = ErrorBody), (status = 403, description = "`forbidden`: not staff of the agent running this location", body = ErrorBody), (status = 404, description = "`not_found`: no such location", body = ErrorBody), super::responses::Throttled, super::responses::Busy))]
async fn unlock(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Json(body): Json<ScreenUnlock>,
) -> Result<(CookieJar, StatusCode), ApiError> {
    let (user, location) = staff_of_location(
        &state,
        ip,
        &jar,
        body,
        "Only staff of this location's agent can end its store mode.",
    )
    .await?;
    if let Some(token) = jar.get(COOKIE) {
        screens::revoke(&state.db, token.value()).await?;
    }
    tracing::info!(staff = %user.email, location = %location.id, "store mode ended by staff");
    let removal = Cookie::build((COOKIE, ""))
        .path("/api")
        .max_age(time::Duration::ZERO)
        .build();
    Ok((jar.add(removal), StatusCode::NO_CONTENT))
}

/// Whether this browser is a showroom screen in store mode, and for which location.
#[utoipa::path(get, path = "/screen", operation_id = "current_screen", tag = "agent", responses((status = 200, description = "`screen`: this browser's store mode, or `null` (no token, or it expired or was ended)", body = ScreenStatus)))]
async fn current(screen: StoreScreen) -> Json<ScreenStatus> {
    Json(ScreenStatus {
        screen: screen.0.as_ref().map(view),
    })
}
