//! Showroom screens in store mode: the token a staff member's sign-in on a screen gives it (see
//! migration 0011). Only the token's SHA-256 is stored.

use super::accounts::{secret_token, token_key};
use super::{now, Db, StorageError};

/// A screen in store mode, as its valid token says.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Screen {
    pub location_id: String,
    pub partner_id: String,
    /// The staff member who set the screen up: the serving advisor of its orders.
    pub advisor: String,
    pub expires_at: i64,
}

pub struct NewScreen<'a> {
    pub location_id: &'a str,
    pub partner_id: &'a str,
    pub staff_user_id: &'a str,
    pub advisor: &'a str,
    pub ttl: i64,
}

/// Stores a screen's token and returns it (for the cookie). Tokens that ended a day ago go.
pub async fn create(db: &Db, s: &NewScreen<'_>) -> Result<(String, Screen), StorageError> {
    let token = secret_token();
    let t = now();
    sqlx::query("DELETE FROM screens WHERE expires_at < $1")
        .bind(t - 24 * 3600)
        .execute(db.pool())
        .await?;
    sqlx::query("INSERT INTO screens (token_hash, location_id, partner_id, staff_user_id, advisor, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)")
    .bind(token_key(&token))
    .bind(s.location_id)
    .bind(s.partner_id)
    .bind(s.staff_user_id)
    .bind(s.advisor)
    .bind(t)
    .bind(t + s.ttl)
    .execute(db.pool())
    .await?;
    let screen = Screen {
        location_id: s.location_id.into(),
        partner_id: s.partner_id.into(),
        advisor: s.advisor.into(),
        expires_at: t + s.ttl,
    };
    Ok((token, screen))
}

/// The screen a token stands for, while it is valid (not expired, not revoked).
pub async fn valid(db: &Db, token: &str) -> Result<Option<Screen>, StorageError> {
    Ok(sqlx::query_as::<_, Screen>(
        "SELECT location_id, partner_id, advisor, expires_at FROM screens \
         WHERE token_hash = $1 AND expires_at > $2 AND revoked_at IS NULL",
    )
    .bind(token_key(token))
    .bind(now())
    .fetch_optional(db.pool())
    .await?)
}

/// Ends a screen's store mode.
pub async fn revoke(db: &Db, token: &str) -> Result<(), StorageError> {
    sqlx::query("UPDATE screens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL")
        .bind(now())
        .bind(token_key(token))
        .execute(db.pool())
        .await?;
    Ok(())
}
