//! Users, sessions and login throttling counters: all in the database, so any number of server
//! instances can share them.

use super::{now, Db, StorageError};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// An account as the API shows it (a wire type of `domain::api`).
pub use domain::api::User;

/// A `users` row as read: the domain's `User` stays free of sqlx (it is built for wasm too).
#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    email: String,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> User {
        User {
            id: r.id,
            email: r.email,
        }
    }
}

#[derive(sqlx::FromRow)]
struct LoginRow {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: String,
}

#[derive(sqlx::FromRow)]
struct ThrottleRow {
    failures: i64,
    window_start: i64,
}

#[derive(sqlx::FromRow)]
struct ResetRow {
    #[sqlx(flatten)]
    user: UserRow,
    expires_at: i64,
    used_at: Option<i64>,
}

/// A random identifier: 128 bits, hex.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A secret for a cookie: 256 bits, hex. Only its [`token_key`] is stored.
pub fn secret_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the database keeps of a secret token (session, known device, reset link): its SHA-256.
pub fn token_key(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// `None` when the e-mail address is taken.
pub async fn create_user(
    db: &Db,
    email: &str,
    password_hash: &str,
) -> Result<Option<User>, StorageError> {
    let id = random_id();
    let result = sqlx::query(
        "INSERT INTO users (id, email, password_hash, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&id)
    .bind(email)
    .bind(password_hash)
    .bind(now())
    .execute(db.pool())
    .await;
    match result {
        Ok(_) => Ok(Some(User {
            id,
            email: email.to_string(),
        })),
        Err(e) if super::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The stored password hash of an account that has none yet: no password verifies against
/// it (it is no hash at all), so nobody signs in to the account before its owner chose one.
pub const NO_PASSWORD: &str = "";

/// The account for an order placed on a showroom screen by a customer who is not signed in:
/// the account of that (normalised) address, made without a password if there is none. The
/// confirmation mail lets its owner choose a password (see `has_password`).
pub async fn account_for_store_order(db: &Db, email: &str) -> Result<User, StorageError> {
    // Insert-if-absent, then read: two screens ordering for one new address at once get one
    // account.
    sqlx::query(
        "INSERT INTO users (id, email, password_hash, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (email) DO NOTHING",
    )
    .bind(random_id())
    .bind(email)
    .bind(NO_PASSWORD)
    .bind(now())
    .execute(db.pool())
    .await?;
    let row = sqlx::query_as::<_, UserRow>("SELECT id, email FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(db.pool())
        .await?;
    Ok(row.into())
}

/// Whether the account has chosen a password (a showroom order's account may not have yet).
pub async fn has_password(db: &Db, user_id: &str) -> Result<bool, StorageError> {
    let hash = sqlx::query_scalar::<_, String>("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(hash.is_some_and(|h| h != NO_PASSWORD))
}

/// The user and the stored password hash.
pub async fn user_by_email(db: &Db, email: &str) -> Result<Option<(User, String)>, StorageError> {
    let row = sqlx::query_as::<_, LoginRow>(
        "SELECT id, email, password_hash FROM users WHERE email = $1",
    )
    .bind(email)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| (r.user.into(), r.password_hash)))
}

/// A new session; returns the token for the cookie (only its hash is stored).
pub async fn create_session(db: &Db, user_id: &str, ttl_secs: i64) -> Result<String, StorageError> {
    let token = secret_token();
    let t = now();
    sqlx::query(
        "INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_key(&token))
    .bind(user_id)
    .bind(t)
    .bind(t + ttl_secs)
    .execute(db.pool())
    .await?;
    Ok(token)
}

pub async fn session_user(db: &Db, token: &str) -> Result<Option<User>, StorageError> {
    let row = sqlx::query_as::<_, UserRow>("SELECT u.id AS id, u.email AS email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.expires_at > $2")
    .bind(token_key(token))
    .bind(now())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(User::from))
}

pub async fn delete_session(db: &Db, token: &str) -> Result<(), StorageError> {
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(token_key(token))
        .execute(db.pool())
        .await?;
    Ok(())
}

/// A throttle: at most `limit` attempts per key within a fixed window of `window` seconds; the
/// ones beyond wait for the window's end.
pub struct Throttle {
    pub limit: i64,
    pub window: i64,
}

/// Takes one attempt of `key`'s allowance: counts it and decides in one statement (an upsert that
/// returns the new count), so parallel requests, on one instance or several, can never all see
/// the same old count and all pass. `None`: go ahead; `Some(seconds)`: refused, retry after.
pub async fn take(db: &Db, key: &str, policy: &Throttle) -> Result<Option<i64>, StorageError> {
    let t = now();
    let row = sqlx::query_as::<_, ThrottleRow>("INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES ($1, 1, $2, 0) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN login_throttle.window_start <= $3 THEN 1 ELSE login_throttle.failures + 1 END, \
           window_start = CASE WHEN login_throttle.window_start <= $4 THEN $5 ELSE login_throttle.window_start END \
         RETURNING failures, window_start")
    .bind(key)
    .bind(t)
    .bind(t - policy.window)
    .bind(t - policy.window)
    .bind(t)
    .fetch_one(db.pool())
    .await?;
    Ok((row.failures > policy.limit).then(|| (row.window_start + policy.window - t).max(1)))
}

/// Gives back an attempt taken with [`take`] that turned out fine (a right password, a known
/// code): only failures use up the allowance.
pub async fn give_back(db: &Db, key: &str) -> Result<(), StorageError> {
    sqlx::query(
        "UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0",
    )
    .bind(key)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn clear_failures(db: &Db, key: &str) -> Result<(), StorageError> {
    sqlx::query("DELETE FROM login_throttle WHERE key = $1")
        .bind(key)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Remembers a browser an account signed in from (OWASP's "device cookie"): returns the token
/// for its cookie; only the token's hash is stored.
pub async fn remember_device(db: &Db, user_id: &str) -> Result<String, StorageError> {
    let token = secret_token();
    let t = now();
    sqlx::query(
        "INSERT INTO known_devices (id, user_id, created_at, last_used) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_key(&token))
    .bind(user_id)
    .bind(t)
    .bind(t)
    .execute(db.pool())
    .await?;
    Ok(token)
}

/// Whether the device token belongs to this account (and was used within `max_age` seconds).
pub async fn is_known_device(
    db: &Db,
    user_id: &str,
    token: &str,
    max_age: i64,
) -> Result<bool, StorageError> {
    let row = sqlx::query(
        "SELECT user_id FROM known_devices WHERE id = $1 AND user_id = $2 AND last_used > $3",
    )
    .bind(token_key(token))
    .bind(user_id)
    .bind(now() - max_age)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.is_some())
}

/// The device signed in again: its token stays valid for another `max_age`.
pub async fn touch_device(db: &Db, token: &str) -> Result<(), StorageError> {
    sqlx::query("UPDATE known_devices SET last_used = $1 WHERE id = $2")
        .bind(now())
        .bind(token_key(token))
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The partner a staff account belongs to; `None` for customers.
pub async fn staff_partner(db: &Db, user_id: &str) -> Result<Option<String>, StorageError> {
    Ok(
        sqlx::query_scalar::<_, String>("SELECT partner_id FROM staff WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// Makes an account staff of a partner (or moves it to another partner).
pub async fn make_staff(db: &Db, user_id: &str, partner_id: &str) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO staff (user_id, partner_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET partner_id = excluded.partner_id",
    )
    .bind(user_id)
    .bind(partner_id)
    .bind(now())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// A password reset link's token: 32 random bytes, base64url (43 characters).
pub fn reset_token() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Stores a new reset for the user, valid `ttl_secs`; returns the token for the link (only
/// its SHA-256 is stored). Resets that ended more than a day ago are removed on the way.
pub async fn create_reset(db: &Db, user_id: &str, ttl_secs: i64) -> Result<String, StorageError> {
    let token = reset_token();
    let t = now();
    sqlx::query("DELETE FROM password_resets WHERE expires_at < $1")
        .bind(t - 24 * 3600)
        .execute(db.pool())
        .await?;
    sqlx::query("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
    .bind(token_key(&token))
    .bind(user_id)
    .bind(t)
    .bind(t + ttl_secs)
    .execute(db.pool())
    .await?;
    Ok(token)
}

/// What a reset token stands for, as far as it is known.
#[derive(Clone, Debug, PartialEq)]
pub enum ResetToken {
    /// No such token, or it was used.
    Invalid,
    /// It existed, unused, but its time ran out.
    Expired,
    /// Good (for now): the account it resets.
    Valid(User),
}

pub async fn reset_token_state(db: &Db, token: &str) -> Result<ResetToken, StorageError> {
    let row = sqlx::query_as::<_, ResetRow>(
        "SELECT u.id AS id, u.email AS email, r.expires_at AS expires_at, r.used_at AS used_at \
         FROM password_resets r JOIN users u ON u.id = r.user_id WHERE r.token_hash = $1",
    )
    .bind(token_key(token))
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(ResetToken::Invalid);
    };
    Ok(if row.used_at.is_some() {
        ResetToken::Invalid
    } else if row.expires_at <= now() {
        ResetToken::Expired
    } else {
        ResetToken::Valid(row.user.into())
    })
}

/// Uses the token and sets the new password hash, in one transaction: the token is taken by a
/// single conditional update (unused and unexpired, then marked used), so of any number of
/// parallel requests with one token exactly one gets the account. Then every session of the
/// account ends, its other reset links die, and its sign-in throttles (by e-mail, by its known
/// browsers, and for reset requests) are cleared. `None`: the token was not (or no longer)
/// good.
pub async fn complete_reset(
    db: &Db,
    token: &str,
    password_hash: &str,
) -> Result<Option<User>, StorageError> {
    let t = now();
    let mut tx = db.pool().begin().await?;
    let taken = sqlx::query_scalar::<_, String>(
        "UPDATE password_resets SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3 RETURNING user_id",
    )
    .bind(t)
    .bind(token_key(token))
    .bind(t)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(user_id) = taken else {
        tx.rollback().await?;
        return Ok(None);
    };
    let user: User = sqlx::query_as::<_, UserRow>(
        "UPDATE users SET password_hash = $1 WHERE id = $2 RETURNING id, email",
    )
    .bind(password_hash)
    .bind(&user_id)
    .fetch_one(&mut *tx)
    .await?
    .into();
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(t)
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "DELETE FROM login_throttle WHERE key = $1 OR key = $2 \
         OR key IN (SELECT 'device:' || id FROM known_devices WHERE user_id = $3)",
    )
    .bind(format!("email:{}", user.email))
    .bind(format!("reset-email:{}", user.email))
    .bind(&user.id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(user))
}
