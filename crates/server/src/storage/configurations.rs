//! Saved configurations: owned by one account, versioned for optimistic concurrency.

use super::{now, Db, StorageError};
use domain::{Channel, Step};

/// A saved configuration as stored and sent (a wire type of `domain::api`).
pub use domain::api::SavedConfiguration as Saved;

/// What a customer writes; the server has validated it.
pub struct Content<'a> {
    pub name: &'a str,
    pub code: &'a str,
    pub step: Step,
    pub price_list_version: &'a str,
    pub location_id: Option<&'a str>,
    pub channel: Channel,
}

/// A `configurations` row as read: `Saved` lives in the domain crate, which has no sqlx (wasm).
#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    code: String,
    #[sqlx(try_from = "String")]
    step: Step,
    price_list_version: String,
    location_id: Option<String>,
    #[sqlx(try_from = "String")]
    channel: Channel,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

impl From<Row> for Saved {
    fn from(r: Row) -> Saved {
        Saved {
            id: r.id,
            name: r.name,
            code: r.code,
            step: r.step,
            price_list_version: r.price_list_version,
            location_id: r.location_id,
            channel: r.channel,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A page of the owner's list, most recently changed first.
pub async fn list(
    db: &Db,
    user_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<Saved>, StorageError> {
    let sql = "SELECT id, name, code, step, price_list_version, location_id, channel, version, created_at, updated_at \
         FROM configurations WHERE user_id = $1 ORDER BY updated_at DESC, id LIMIT $2 OFFSET $3";
    let rows = sqlx::query_as::<_, Row>(sql)
        .bind(user_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.into_iter().map(Saved::from).collect())
}

/// Only the owner's: another account's id is simply not found.
pub async fn get(db: &Db, user_id: &str, id: &str) -> Result<Option<Saved>, StorageError> {
    let sql = "SELECT id, name, code, step, price_list_version, location_id, channel, version, created_at, updated_at \
         FROM configurations WHERE id = $1 AND user_id = $2";
    let row = sqlx::query_as::<_, Row>(sql)
        .bind(id)
        .bind(user_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(Saved::from))
}

/// `None` when the account already has `max` saved configurations. Counting and inserting are
/// one transaction that first locks the account's row (a row lock in PostgreSQL, the write lock
/// in SQLite): parallel saves of one account take turns, so none slips past the cap.
pub async fn create(
    db: &Db,
    user_id: &str,
    c: &Content<'_>,
    max: i64,
) -> Result<Option<Saved>, StorageError> {
    let id = super::accounts::random_id();
    let t = now();
    let mut tx = db.pool().begin().await?;
    sqlx::query("UPDATE users SET email = email WHERE id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) AS n FROM configurations WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
    if n >= max {
        tx.rollback().await?;
        return Ok(None);
    }
    sqlx::query("INSERT INTO configurations (id, user_id, name, code, step, price_list_version, location_id, channel, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10)")
    .bind(&id)
    .bind(user_id)
    .bind(c.name)
    .bind(c.code)
    .bind(c.step.slug())
    .bind(c.price_list_version)
    .bind(c.location_id)
    .bind(c.channel.as_str())
    .bind(t)
    .bind(t)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    get(db, user_id, &id).await
}

pub enum Update {
    Done(Saved),
    /// The stored version differs from the one the writer had: here is the current state.
    Stale(Saved),
    NotFound,
}

/// Writes only if the stored version is still `expected`: a compare-and-set in one statement,
/// so of two concurrent writers exactly one wins.
pub async fn update(
    db: &Db,
    user_id: &str,
    id: &str,
    expected: i64,
    c: &Content<'_>,
) -> Result<Update, StorageError> {
    let done = sqlx::query("UPDATE configurations SET name = $1, code = $2, step = $3, price_list_version = $4, location_id = $5, \
         version = version + 1, updated_at = $6 WHERE id = $7 AND user_id = $8 AND version = $9")
    .bind(c.name)
    .bind(c.code)
    .bind(c.step.slug())
    .bind(c.price_list_version)
    .bind(c.location_id)
    .bind(now())
    .bind(id)
    .bind(user_id)
    .bind(expected)
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(match (done, get(db, user_id, id).await?) {
        (1, Some(saved)) => Update::Done(saved),
        (_, Some(current)) => Update::Stale(current),
        (_, None) => Update::NotFound,
    })
}

/// `false` when there was nothing of this user's to delete.
pub async fn delete(db: &Db, user_id: &str, id: &str) -> Result<bool, StorageError> {
    let n = sqlx::query("DELETE FROM configurations WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(db.pool())
        .await?;
    Ok(n.rows_affected() > 0)
}
