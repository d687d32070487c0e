//! Hand-over snapshots: a car, its step and its agency location under a short code, so a
//! customer continues on another device. Expired rows stay a while, so a late lookup can be told
//! "expired" rather than "unknown".

use super::{now, readable_code, Db, StorageError};
use domain::{Channel, Step};
use serde::Serialize;

/// Characters in a code: 32^8 = 2^40 possible codes.
pub const CODE_LEN: usize = 8;
/// Expired snapshots are deleted this long after they expire.
const KEEP_EXPIRED: i64 = 30 * 24 * 3600;

#[derive(Clone, Debug, PartialEq, Serialize, sqlx::FromRow)]
pub struct Handover {
    pub code: String,
    /// The configuration code (domain crate) of the car.
    pub config_code: String,
    #[sqlx(try_from = "String")]
    pub step: Step,
    pub price_list_version: String,
    pub location_id: Option<String>,
    #[sqlx(try_from = "String")]
    pub channel: Channel,
    pub created_at: i64,
    pub expires_at: i64,
    /// How often it was opened.
    pub opened: i64,
}

pub struct NewHandover<'a> {
    pub config_code: &'a str,
    pub step: Step,
    pub price_list_version: &'a str,
    pub location_id: Option<&'a str>,
    pub partner_id: Option<&'a str>,
    pub channel: Channel,
    pub created_by: Option<&'a str>,
    pub ttl: i64,
}

/// Stores the snapshot under a fresh random code (drawing again in the unlikely case of a
/// collision) and clears out long-expired ones.
pub async fn create(db: &Db, h: &NewHandover<'_>) -> Result<Handover, StorageError> {
    let t = now();
    sqlx::query("DELETE FROM handovers WHERE expires_at < $1")
        .bind(t - KEEP_EXPIRED)
        .execute(db.pool())
        .await?;
    let mut attempt = 0;
    loop {
        let code = readable_code(CODE_LEN);
        let inserted = sqlx::query("INSERT INTO handovers (code, config_code, step, price_list_version, location_id, partner_id, channel, created_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(&code)
        .bind(h.config_code)
        .bind(h.step.slug())
        .bind(h.price_list_version)
        .bind(h.location_id)
        .bind(h.partner_id)
        .bind(h.channel.as_str())
        .bind(h.created_by)
        .bind(t)
        .bind(t + h.ttl)
        .execute(db.pool())
        .await;
        match inserted {
            Ok(_) => return Ok(get(db, &code).await?.expect("just inserted")),
            Err(e) if super::is_unique_violation(&e) && attempt < 5 => attempt += 1,
            Err(e) => return Err(e.into()),
        }
    }
}

async fn get(db: &Db, code: &str) -> Result<Option<Handover>, StorageError> {
    let row = sqlx::query_as::<_, Handover>("SELECT code, config_code, step, price_list_version, location_id, channel, created_at, expires_at, opened \
         FROM handovers WHERE code = $1")
    .bind(code)
    .fetch_optional(db.pool())
    .await?;
    Ok(row)
}

/// The snapshot for a code, counting the opening when it is still valid.
pub async fn open(db: &Db, code: &str) -> Result<Option<Handover>, StorageError> {
    sqlx::query("UPDATE handovers SET opened = opened + 1 WHERE code = $1 AND expires_at > $2")
        .bind(code)
        .bind(now())
        .execute(db.pool())
        .await?;
    get(db, code).await
}

/// A partner's snapshots, newest first.
pub async fn for_partner(db: &Db, partner_id: &str) -> Result<Vec<Handover>, StorageError> {
    let rows = sqlx::query_as::<_, Handover>("SELECT code, config_code, step, price_list_version, location_id, channel, created_at, expires_at, opened \
         FROM handovers WHERE partner_id = $1 ORDER BY created_at DESC, code LIMIT 500")
    .bind(partner_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows)
}

/// One page of a partner's snapshots, newest first, and how many match in all. `query` finds a
/// part of the code (typed with or without its dash).
pub async fn page_for_partner(
    db: &Db,
    partner_id: &str,
    query: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Handover>, i64), StorageError> {
    let code: String = query
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_uppercase();
    let code = super::orders::like_pattern(&code);
    let matching = "FROM handovers WHERE partner_id = $1 AND code LIKE $2 ESCAPE '\\'";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {matching}"))
        .bind(partner_id)
        .bind(&code)
        .fetch_one(db.pool())
        .await?;
    let rows = sqlx::query_as::<_, Handover>(&format!(
        "SELECT code, config_code, step, price_list_version, location_id, channel, created_at, expires_at, opened \
         {matching} ORDER BY created_at DESC, code LIMIT $3 OFFSET $4"
    ))
    .bind(partner_id)
    .bind(&code)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    Ok((rows, total))
}

/// Makes a snapshot expire now (the tests use it to see the "expired" answer).
pub async fn expire(db: &Db, code: &str) -> Result<(), StorageError> {
    sqlx::query("UPDATE handovers SET expires_at = $1 WHERE code = $2")
        .bind(now() - 1)
        .bind(code)
        .execute(db.pool())
        .await?;
    Ok(())
}
