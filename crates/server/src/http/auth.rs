//! Accounts: register, sign in, sign out, who am I. Passwords hashed with argon2id (OWASP
//! parameters); HttpOnly session cookies (SameSite=Lax, Secure behind TLS) with a new session on
//! every sign-in; throttling per account and per client address with one generic answer.
//!
//! Lock-out model (README "Threat model"): every attempt takes a slot of an atomic counter
//! before the password is checked (a right password gives it back), per client address (20 per
//! 15 min: the bulk of the defence) and per account (5 per 15 min). A browser the account has
//! signed in from before (a device cookie) is counted on its own key instead of the account's,
//! so failures from elsewhere cannot lock the owner out of their own devices.

use super::responses::{Busy, Throttled};
use super::{ApiError, AppState, ClientIp};
use crate::storage::accounts::{self, Throttle, User};
use argon2::password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use domain::api::{Credentials, ErrorBody, Me, PASSWORD_CHARS};
/// Sign-in addresses are checked as orders check theirs.
pub use domain::hygiene::normalise_email;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::Semaphore;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub const COOKIE: &str = "smart1_session";
/// The device cookie: marks a browser the account signed in from.
pub const DEVICE_COOKIE: &str = "smart1_device";
/// A device stays known this long after its last sign-in.
const DEVICE_TTL: i64 = 365 * 24 * 3600;
const SESSION_TTL: i64 = 30 * 24 * 3600;
const MIN_PASSWORD: usize = *PASSWORD_CHARS.start();
const MAX_PASSWORD: usize = *PASSWORD_CHARS.end();
/// Per account (from browsers it never signed in from): 5 failed attempts per 15 minutes.
pub const PER_ACCOUNT: Throttle = Throttle {
    limit: 5,
    window: 15 * 60,
};
/// Per known browser of an account: the same allowance, its own counter.
const PER_DEVICE: Throttle = PER_ACCOUNT;
/// Per client address: more room (shared networks), same window.
pub const PER_ADDRESS: Throttle = Throttle {
    limit: 20,
    window: 15 * 60,
};
/// New accounts per client address and hour (the limit is `Config::registrations_per_hour`,
/// default 10: a showroom makes a few a day).
pub const REGISTRATIONS: Throttle = Throttle {
    limit: 10,
    window: 3600,
};
/// zxcvbn's estimate a new password must reach: 3 = about 10^10 guesses (an offline attack on a
/// slow hash, or any online one, is hopeless).
const MIN_SCORE: zxcvbn::Score = zxcvbn::Score::Three;
const WRONG: &str = "E-mail address or password is wrong.";

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
}

/// argon2id, m = 19 MiB, t = 2, p = 1 (OWASP Password Storage Cheat Sheet).
fn argon2() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters"),
    )
}

/// The bounded pool password hashing runs on: `workers` long-lived threads of its own, so at
/// most that many argon2 computations (19 MiB each) run at once and the async workers keep
/// answering. A caller waits for a free hasher at most `wait`, then gets 503 + `Retry-After`.
///
/// Each thread keeps one 19 MiB block buffer and hashes in it (argon2's
/// `hash_password_into_with_memory`), so hashing allocates nothing per request. Measured with
/// 200 parallel registrations: with a fresh buffer per hash (argon2's `hash_password`) on
/// `spawn_blocking`, glibc kept the freed buffers in per-thread arenas and the server peaked at
/// 877 MiB; with the kept buffers it stays well under 100 MiB (README, "Measured").
#[derive(Clone)]
pub struct Hashers {
    slots: Arc<Semaphore>,
    wait: Duration,
    jobs: std::sync::mpsc::Sender<Job>,
}

type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

impl Hashers {
    pub fn new(workers: usize, wait: Duration) -> Hashers {
        let workers = workers.max(1);
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for n in 0..workers {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    let mut memory = Vec::new();
                    loop {
                        // The guard is dropped before the job runs: the others can take the next.
                        let job = match queue.lock() {
                            Ok(queue) => queue.recv(),
                            Err(_) => return,
                        };
                        match job {
                            // A panicking job ends only itself; its caller sees the dropped sender.
                            Ok(job) => {
                                let run = std::panic::AssertUnwindSafe(|| job(&mut memory));
                                let _ = std::panic::catch_unwind(run);
                            }
                            // Every `Hashers` is gone: the server stopped.
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!("cannot start a password hashing thread: {e}");
            }
        }
        Hashers {
            slots: Arc::new(Semaphore::new(workers)),
            wait,
            jobs,
        }
    }

    pub(super) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let busy = || ApiError::Unavailable {
            message: "The server is busy. Please try again in a moment.".into(),
            retry_after: 2,
        };
        let _slot = tokio::time::timeout(self.wait, self.slots.acquire())
            .await
            .map_err(|_| busy())?
            .map_err(|_| busy())?;
        let (done, result) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move |memory| {
                let _ = done.send(work(memory));
            }))
            .map_err(|_| ApiError::Internal("the password hashers have stopped".into()))?;
        result
            .await
            .map_err(|_| ApiError::Internal("password hashing failed".into()))
    }

    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        self.run(move |memory| hash_with(password.as_bytes(), memory))
            .await?
            .map_err(|e| ApiError::Internal(e.to_string()))
    }

    /// `None` as the hash: an unknown account, checked against a dummy hash so both answers
    /// take equally long.
    async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, ApiError> {
        self.run(move |memory| {
            let hash = hash.unwrap_or_else(|| dummy_hash(memory).to_string());
            verify_with(password.as_bytes(), &hash, memory)
        })
        .await
    }
}

/// `memory` with room for `blocks` blocks (allocated once per hashing thread).
fn room(memory: &mut Vec<Block>, blocks: usize) -> &mut [Block] {
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    &mut memory[..blocks]
}

/// argon2's `PasswordHasher::hash_password`, computed in `memory` instead of a fresh buffer.
fn hash_with(
    password: &[u8],
    memory: &mut Vec<Block>,
) -> Result<String, argon2::password_hash::Error> {
    let argon = argon2();
    let params = argon.params().clone();
    let salt = SaltString::generate(&mut OsRng);
    let salt = salt.as_salt();
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
    let output = Output::init_with(
        params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN),
        |out| {
            Ok(argon.hash_password_into_with_memory(
                password,
                salt_bytes,
                out,
                room(memory, params.block_count()),
            )?)
        },
    )?;
    Ok(PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)?,
        salt: Some(salt),
        hash: Some(output),
    }
    .to_string())
}

/// argon2's `PasswordVerifier::verify_password` (the parameters, salt and length of the stored
/// hash; a constant-time comparison), computed in `memory`.
fn verify_with(password: &[u8], hash: &str, memory: &mut Vec<Block>) -> bool {
    let mut check = || -> Result<bool, argon2::password_hash::Error> {
        let parsed = PasswordHash::new(hash)?;
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return Ok(false);
        };
        let algorithm = Algorithm::try_from(parsed.algorithm)?;
        let version = parsed
            .version
            .map(Version::try_from)
            .transpose()?
            .unwrap_or_default();
        let params = Params::try_from(&parsed)?;
        let mut salt_bytes = [0u8; 64];
        let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
        let mut out = vec![0u8; expected.len()];
        Argon2::new(algorithm, version, params.clone()).hash_password_into_with_memory(
            password,
            salt_bytes,
            &mut out,
            room(memory, params.block_count()),
        )?;
        Ok(Output::new(&out)? == expected)
    };
    check().unwrap_or(false)
}

/// A hash to verify against for unknown addresses (made once, on a hashing thread).
fn dummy_hash(memory: &mut Vec<Block>) -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_with(b"no such account here", memory).unwrap_or_default())
}

const COMMON: &str = include_str!("common_passwords.txt");

/// Why a password is refused, in plain words; `None` when it is acceptable.
pub fn password_problem(password: &str, email: &str) -> Option<String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD {
        return Some(format!(
            "The password needs at least {MIN_PASSWORD} characters."
        ));
    }
    if chars > MAX_PASSWORD {
        return Some(format!(
            "The password may have at most {MAX_PASSWORD} characters."
        ));
    }
    let lower = password.to_lowercase();
    if COMMON.lines().any(|c| c.trim() == lower) {
        return Some("This password is among the most common ones. Please choose another.".into());
    }
    if password.chars().all(|c| password.starts_with(c)) {
        return Some("The password must not repeat one character.".into());
    }
    let local = email.split('@').next().unwrap_or("");
    if local.len() >= 4 && lower.contains(local) {
        return Some("The password must not contain your e-mail address.".into());
    }
    // Dictionary words, keyboard walks, sequences, repeats, dates and l33t: zxcvbn's estimate.
    let parts: Vec<&str> = email.split(['@', '.']).collect();
    if zxcvbn::zxcvbn(password, &parts).score() < MIN_SCORE {
        return Some(
            "This password is too easy to guess (a common word, name, sequence or repetition). \
             Please choose a longer or less predictable one, e.g. several unrelated words."
                .into(),
        );
    }
    None
}

/// The checks a new password passes (registration, reset): 422 `invalid` for a length, 422
/// `weak_password` for anything guessable. zxcvbn takes milliseconds of CPU: it runs on the
/// hashing threads, not the async workers.
pub(super) async fn check_new_password(
    state: &AppState,
    password: &str,
    email: &str,
) -> Result<(), ApiError> {
    let (candidate, address) = (password.to_string(), email.to_string());
    let problem = state
        .hashers
        .run(move |_| password_problem(&candidate, &address))
        .await?;
    match problem {
        None => Ok(()),
        Some(problem) => {
            // A length is a plain rule; anything else means "guessable", which the app words
            // itself.
            let length_ok = (MIN_PASSWORD..=MAX_PASSWORD).contains(&password.chars().count());
            Err(if length_ok {
                ApiError::Refused {
                    code: domain::api::ErrorCode::WeakPassword,
                    message: problem,
                }
            } else {
                ApiError::Unprocessable(problem)
            })
        }
    }
}

fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build((COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.behind_tls)
        .path("/")
        .max_age(time::Duration::seconds(SESSION_TTL))
        .build()
}

fn removal_cookie() -> Cookie<'static> {
    Cookie::build((COOKIE, ""))
        .path("/")
        .max_age(time::Duration::ZERO)
        .build()
}

/// Starts a fresh session (a new id on every sign-in), ending the one the browser had, and
/// marks the browser as one this account uses (unless it already is).
pub(crate) async fn start_session(
    state: &AppState,
    jar: CookieJar,
    user: &User,
    known_device: bool,
) -> Result<CookieJar, ApiError> {
    if let Some(old) = jar.get(COOKIE) {
        accounts::delete_session(&state.db, old.value()).await?;
    }
    let token = accounts::create_session(&state.db, &user.id, SESSION_TTL).await?;
    let jar = jar.add(session_cookie(state, token));
    let device = match (known_device, jar.get(DEVICE_COOKIE)) {
        (true, Some(cookie)) => {
            accounts::touch_device(&state.db, cookie.value()).await?;
            cookie.value().to_string()
        }
        _ => accounts::remember_device(&state.db, &user.id).await?,
    };
    Ok(jar.add(
        Cookie::build((DEVICE_COOKIE, device))
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(state.config.behind_tls)
            .path("/api/auth")
            .max_age(time::Duration::seconds(DEVICE_TTL))
            .build(),
    ))
}

/// 429 with `Retry-After` when `key` has used up its allowance (this attempt counted).
pub async fn take(
    state: &AppState,
    key: &str,
    policy: &Throttle,
    too_many: &str,
) -> Result<(), ApiError> {
    match accounts::take(&state.db, key, policy).await? {
        Some(wait) => Err(too_many_error(too_many, wait)),
        None => Ok(()),
    }
}

fn too_many_error(too_many: &str, wait: i64) -> ApiError {
    ApiError::TooMany {
        message: format!(
            "{too_many} Please try again in {} minutes.",
            (wait + 59) / 60
        ),
        retry_after: wait,
    }
}

/// A new account, signed in at once (a new session cookie; the browser becomes a known device).
#[utoipa::path(
    post,
    path = "/auth/register",
    operation_id = "register",
    tag = "accounts",
    request_body = Credentials,
    responses(
        (status = 201, description = "Registered and signed in: `Set-Cookie` carries the new session", body = User),
        (status = 409, description = "`conflict`: an account with this e-mail address exists (`current` is null)", body = ErrorBody),
        (status = 422, description = "`invalid`: not an e-mail address, or a password shorter than 10 or longer than 128 characters; `weak_password`: a guessable password (common, the e-mail address, zxcvbn score below 3)", body = ErrorBody),
        Throttled,
        Busy,
    )
)]
async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Json(body): Json<Credentials>,
) -> Result<(StatusCode, CookieJar, Json<User>), ApiError> {
    let email = normalise_email(&body.email)
        .ok_or_else(|| ApiError::Unprocessable("Please enter a valid e-mail address.".into()))?;
    check_new_password(&state, &body.password, &email).await?;
    let per_hour = Throttle {
        limit: state.config.limits.registrations_per_hour,
        ..REGISTRATIONS
    };
    take(
        &state,
        &format!("register:{ip}"),
        &per_hour,
        "Too many new accounts from this network.",
    )
    .await?;
    let hash = state.hashers.hash(body.password).await?;
    let user = accounts::create_user(&state.db, &email, &hash)
        .await?
        .ok_or_else(|| ApiError::Conflict {
            message: "An account with this e-mail address exists. Please sign in.".into(),
            current: serde_json::Value::Null,
        })?;
    let jar = start_session(&state, jar, &user, false).await?;
    Ok((StatusCode::CREATED, jar, Json(user)))
}

/// Sign in: a new session (the old one, if any, ends).
///
/// Each attempt takes a slot per address and per account (or per known device of the account)
/// before the password is checked, in one statement each: parallel guesses get no more tries
/// than sequential ones. A right password gives the slots back.
#[utoipa::path(
    post,
    path = "/auth/login",
    operation_id = "login",
    tag = "accounts",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in: `Set-Cookie` carries a new session", body = User),
        (status = 401, description = "`unauthorized`: the e-mail address or the password is wrong (one answer for both)", body = ErrorBody),
        Throttled,
        Busy,
    )
)]
async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Json(body): Json<Credentials>,
) -> Result<(CookieJar, Json<User>), ApiError> {
    let (user, known_device) = check_credentials(&state, ip, &jar, &body).await?;
    let jar = start_session(&state, jar, &user, known_device).await?;
    Ok((jar, Json(user)))
}

/// Checks an address and a password under the sign-in's throttles: the account (and whether
/// this browser is one of its known devices) when they match, else 401 for both.
pub(crate) async fn check_credentials(
    state: &AppState,
    ip: std::net::IpAddr,
    jar: &CookieJar,
    body: &Credentials,
) -> Result<(User, bool), ApiError> {
    // An unreadable address is answered like a wrong password: nothing to learn from it.
    let email = normalise_email(&body.email).unwrap_or_else(|| body.email.trim().to_lowercase());
    let too_many = "Too many failed sign-ins.";
    let address_key = format!("ip:{ip}");
    take(state, &address_key, &PER_ADDRESS, too_many).await?;
    let found = accounts::user_by_email(&state.db, &email).await?;
    let device = jar.get(DEVICE_COOKIE).map(|c| c.value().to_string());
    let known_device = match (&found, &device) {
        (Some((user, _)), Some(token)) => {
            accounts::is_known_device(&state.db, &user.id, token, DEVICE_TTL).await?
        }
        _ => false,
    };
    let account_key = match (&device, known_device) {
        (Some(token), true) => format!("device:{}", accounts::token_key(token)),
        _ => format!("email:{email}"),
    };
    let policy = if known_device {
        &PER_DEVICE
    } else {
        &PER_ACCOUNT
    };
    take(state, &account_key, policy, too_many).await?;
    let hash = found.as_ref().map(|(_, h)| h.clone());
    let verified = state.hashers.verify(body.password.clone(), hash).await?;
    match found {
        Some((user, _)) if verified => {
            accounts::give_back(&state.db, &address_key).await?;
            accounts::clear_failures(&state.db, &account_key).await?;
            Ok((user, known_device))
        }
        _ => {
            // Each further failure answers a little later.
            tokio::time::sleep(Duration::from_millis(200)).await;
            Err(ApiError::Unauthorized(WRONG.into()))
        }
    }
}

/// Sign out: the session ends and its cookie is removed (also without a session).
#[utoipa::path(
    post,
    path = "/auth/logout",
    operation_id = "logout",
    tag = "accounts",
    security((), ("session" = [])),
    responses((status = 204, description = "Signed out"))
)]
async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
) -> Result<(StatusCode, CookieJar), ApiError> {
    if let Some(c) = jar.get(COOKIE) {
        accounts::delete_session(&state.db, c.value()).await?;
    }
    Ok((StatusCode::NO_CONTENT, jar.add(removal_cookie())))
}

/// Who is signed in: `{"user": {...}}` when signed in, `{"user": null}` when not. Asking is not an
/// error (and a 401 on every page load of a guest would fill the browser console).
#[utoipa::path(
    get,
    path = "/me",
    operation_id = "me",
    tag = "accounts",
    security((), ("session" = [])),
    responses((status = 200, description = "The signed-in user (null for a guest) and, for staff, their partner", body = Me))
)]
async fn me(State(state): State<AppState>, jar: CookieJar) -> Result<Json<Me>, ApiError> {
    let user = match jar.get(COOKIE) {
        Some(token) => accounts::session_user(&state.db, token.value()).await?,
        None => None,
    };
    // Staff see the partner they work for, so the app can offer the agent's view.
    let staff = match &user {
        Some(u) => accounts::staff_partner(&state.db, &u.id).await?,
        None => None,
    };
    Ok(Json(Me {
        user,
        staff_partner: staff,
    }))
}

/// The signed-in user, if any (for endpoints guests may use too).
pub async fn optional_user(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<User>, ApiError> {
    match CookieJar::from_headers(headers).get(COOKIE) {
        Some(token) => Ok(accounts::session_user(&state.db, token.value()).await?),
        None => Ok(None),
    }
}

/// The signed-in user; a handler taking it answers 401 to everybody else.
pub struct CurrentUser(pub User);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let not_signed_in = || ApiError::Unauthorized("Please sign in.".into());
        let token = jar.get(COOKIE).ok_or_else(not_signed_in)?;
        accounts::session_user(&state.db, token.value())
            .await?
            .map(CurrentUser)
            .ok_or_else(not_signed_in)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_made_in_kept_memory_are_standard_argon2id() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let mut memory = Vec::new();
        let ours = hash_with(b"correct horse battery", &mut memory).unwrap();
        assert!(
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{ours}"
        );
        // The library verifies ours, we verify the library's.
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(argon2()
            .verify_password(b"correct horse battery", &parsed)
            .is_ok());
        let theirs = argon2()
            .hash_password(b"correct horse battery", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(verify_with(b"correct horse battery", &theirs, &mut memory));
        assert!(!verify_with(b"correct horse batterx", &theirs, &mut memory));
        assert!(!verify_with(
            b"correct horse battery",
            "not a hash",
            &mut memory
        ));
    }

    #[test]
    fn addresses_are_normalised_and_checked() {
        assert_eq!(
            normalise_email("  Max.Muster@Example.DE ").as_deref(),
            Some("max.muster@example.de")
        );
        for bad in [
            "",
            "no-at-sign",
            "a@b",
            "@example.de",
            "a b@example.de",
            "a@.de",
            "a@example.de.",
            "a\u{0}b@example.de",
            "a\u{7}b@example.de",
            "\"a\\\"b\"@example.de",
            "\"a b\"@example.de",
            "a..b@example.de",
            ".a@example.de",
            "a(comment)@example.de",
            "a@exa_mple.de",
            "a@-example.de",
            "a@example.123",
            "a@[127.0.0.1]",
        ] {
            assert_eq!(normalise_email(bad), None, "{bad}");
        }
    }

    /// Issue 34: an address the shop takes must be one the mailer takes, or its confirmation
    /// dies in the outbox. Every address `normalise_email` accepts, generated from the
    /// characters that matter, is one lettre parses.
    #[test]
    fn every_address_the_shop_takes_the_mailer_takes() {
        use proptest::prelude::*;
        // Mostly well-formed addresses (the shop takes many), with the characters at the edges
        // of both rules mixed in.
        let local = r#"[a-z0-9!#$%&'*+/=?^_`{|}~.\-"é]{1,10}"#;
        let domain = r"[a-z0-9äö\-_]{1,8}(\.[a-z0-9\-]{1,6}){1,2}";
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(&(local, domain), |(local, domain)| {
                let address = format!("{local}@{domain}");
                if let Some(taken) = normalise_email(&address) {
                    prop_assert!(
                        taken.parse::<lettre::Address>().is_ok(),
                        "{taken} is taken by the shop but not by the mailer"
                    );
                }
                Ok(())
            })
            .unwrap();
        for good in ["max.muster@example.de", "o'neil+car@müller.de", "a@b.co"] {
            let taken = normalise_email(good).expect(good);
            assert!(taken.parse::<lettre::Address>().is_ok(), "{good}");
        }
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        assert!(password_problem("short", "a@b.de")
            .unwrap()
            .contains("at least 10"));
        assert!(password_problem("1234567890", "a@b.de")
            .unwrap()
            .contains("common"));
        assert!(password_problem("Password123", "a@b.de")
            .unwrap()
            .contains("common"));
        assert!(password_problem("aaaaaaaaaaaa", "a@b.de").is_some());
        assert!(password_problem("xmaxmuster!", "maxmuster@b.de")
            .unwrap()
            .contains("e-mail"));
        assert_eq!(password_problem("correct horse battery", "a@b.de"), None);
        // Issue 19: these passed the old list of 72 words.
        for weak in ["0123456789", "passwordpassword", "smart1smart1"] {
            assert!(
                password_problem(weak, "max@example.de").is_some_and(|p| p.contains("too easy")),
                "{weak}"
            );
        }
    }
}
