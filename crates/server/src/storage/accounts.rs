//! Users, sessions and login throttling counters: all in the database, so any number of server
//! instances can share them.

use super::{col, now, Db, StorageError};
use rand::RngCore;
use sha2::{Digest, Sha256};

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct User {
    pub id: String,
    pub email: String,
}

/// A random identifier: 128 bits, hex.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn session_key(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// `None` when the e-mail address is taken.
pub async fn create_user(
    db: &Db,
    email: &str,
    password_hash: &str,
) -> Result<Option<User>, StorageError> {
    let id = random_id();
    let result = sqlx::query(
        db.sql("INSERT INTO users (id, email, password_hash, created_at) VALUES (?, ?, ?, ?)"),
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
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The user and the stored password hash.
pub async fn user_by_email(db: &Db, email: &str) -> Result<Option<(User, String)>, StorageError> {
    let row = sqlx::query(db.sql("SELECT id, email, password_hash FROM users WHERE email = ?"))
        .bind(email)
        .fetch_optional(db.pool())
        .await?;
    row.map(|r| {
        Ok((
            User {
                id: col(&r, "id")?,
                email: col(&r, "email")?,
            },
            col(&r, "password_hash")?,
        ))
    })
    .transpose()
}

/// A new session; returns the token for the cookie (only its hash is stored).
pub async fn create_session(db: &Db, user_id: &str, ttl_secs: i64) -> Result<String, StorageError> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let t = now();
    sqlx::query(
        db.sql("INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)"),
    )
    .bind(session_key(&token))
    .bind(user_id)
    .bind(t)
    .bind(t + ttl_secs)
    .execute(db.pool())
    .await?;
    Ok(token)
}

pub async fn session_user(db: &Db, token: &str) -> Result<Option<User>, StorageError> {
    let row = sqlx::query(db.sql(
        "SELECT u.id AS id, u.email AS email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.expires_at > ?",
    ))
    .bind(session_key(token))
    .bind(now())
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(User {
            id: col(&r, "id")?,
            email: col(&r, "email")?,
        })
    })
    .transpose()
}

pub async fn delete_session(db: &Db, token: &str) -> Result<(), StorageError> {
    sqlx::query(db.sql("DELETE FROM sessions WHERE id = ?"))
        .bind(session_key(token))
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Login throttling policy: within `WINDOW` seconds, `LIMIT` failures lock the key for `LOCK`.
pub struct Throttle {
    pub limit: i64,
    pub window: i64,
    pub lock: i64,
}

/// Seconds until the key may try again, if it is locked now.
pub async fn locked_for(db: &Db, key: &str) -> Result<Option<i64>, StorageError> {
    let row = sqlx::query(db.sql("SELECT locked_until FROM login_throttle WHERE key = ?"))
        .bind(key)
        .fetch_optional(db.pool())
        .await?;
    let until: i64 = match row {
        Some(r) => col(&r, "locked_until")?,
        None => 0,
    };
    let t = now();
    Ok((until > t).then_some(until - t))
}

/// Counts a failure; returns how many failures the key has in the current window.
pub async fn record_failure(db: &Db, key: &str, policy: &Throttle) -> Result<i64, StorageError> {
    let t = now();
    // One statement, so two instances counting at once cannot lose a failure.
    sqlx::query(db.sql(
        "INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES (?, 1, ?, 0) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN login_throttle.window_start < ? THEN 1 ELSE login_throttle.failures + 1 END, \
           window_start = CASE WHEN login_throttle.window_start < ? THEN ? ELSE login_throttle.window_start END",
    ))
    .bind(key)
    .bind(t)
    .bind(t - policy.window)
    .bind(t - policy.window)
    .bind(t)
    .execute(db.pool())
    .await?;
    let row = sqlx::query(db.sql("SELECT failures FROM login_throttle WHERE key = ?"))
        .bind(key)
        .fetch_one(db.pool())
        .await?;
    let failures: i64 = col(&row, "failures")?;
    if failures >= policy.limit {
        sqlx::query(db.sql("UPDATE login_throttle SET locked_until = ?, failures = 0, window_start = ? WHERE key = ?"))
            .bind(t + policy.lock)
            .bind(t)
            .bind(key)
            .execute(db.pool())
            .await?;
    }
    Ok(failures)
}

pub async fn clear_failures(db: &Db, key: &str) -> Result<(), StorageError> {
    sqlx::query(db.sql("DELETE FROM login_throttle WHERE key = ?"))
        .bind(key)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The partner a staff account belongs to; `None` for customers.
pub async fn staff_partner(db: &Db, user_id: &str) -> Result<Option<String>, StorageError> {
    let row = sqlx::query(db.sql("SELECT partner_id FROM staff WHERE user_id = ?"))
        .bind(user_id)
        .fetch_optional(db.pool())
        .await?;
    row.map(|r| col(&r, "partner_id")).transpose()
}

/// Makes an account staff of a partner (or moves it to another partner).
pub async fn make_staff(db: &Db, user_id: &str, partner_id: &str) -> Result<(), StorageError> {
    sqlx::query(db.sql(
        "INSERT INTO staff (user_id, partner_id, created_at) VALUES (?, ?, ?) \
         ON CONFLICT (user_id) DO UPDATE SET partner_id = excluded.partner_id",
    ))
    .bind(user_id)
    .bind(partner_id)
    .bind(now())
    .execute(db.pool())
    .await?;
    Ok(())
}
