//! Test drives: a booking holds a location's demo car for one hour. That no car is booked twice
//! for one hour is the database's guarantee, not a check before writing: the unique index of
//! migration 0013 in both databases, and on PostgreSQL also an exclusion constraint over the time
//! range (`ensure_no_overlap`). Whatever arrives at once, the second insert fails.

use super::{now, time_ordered_id, Db, Kind, StorageError};
use domain::test_drive::{Booking, TestDriveStatus};
use domain::Channel;

/// A stored booking.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct TestDriveRow {
    pub id: String,
    pub location_id: String,
    pub partner_id: String,
    pub car_id: String,
    pub line: String,
    pub starts_at: i64,
    pub ends_at: i64,
    #[sqlx(try_from = "String")]
    pub status: TestDriveStatus,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub language: String,
    pub config_code: Option<String>,
    #[sqlx(try_from = "String")]
    pub channel: Channel,
    pub sequence: i64,
}

const COLUMNS: &str =
    "id, location_id, partner_id, car_id, line, starts_at, ends_at, status, first_name, \
     last_name, email, phone, language, config_code, channel, sequence";

#[derive(Debug, thiserror::Error)]
pub enum BookError {
    /// The car is booked for that hour already.
    #[error("the slot is taken")]
    Taken,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// A unique index or an exclusion constraint refused the row: the slot is taken.
fn is_overlap(e: &sqlx::Error) -> bool {
    // 23P01: PostgreSQL's exclusion_violation.
    super::is_unique_violation(e)
        || matches!(e, sqlx::Error::Database(d) if d.code().as_deref() == Some("23P01"))
}

/// PostgreSQL only: no two bookings of a car whose hours overlap, for any range (the unique
/// index covers equal starts, which is every overlap while slots start on the hour). Added at
/// start under an advisory lock, so instances starting together do it once.
pub(super) async fn ensure_no_overlap(db: &Db) -> Result<(), StorageError> {
    if db.kind != Kind::Postgres {
        return Ok(());
    }
    let mut tx = db.pool().begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(7301)")
        .execute(&mut *tx)
        .await?;
    sqlx::query("CREATE EXTENSION IF NOT EXISTS btree_gist")
        .execute(&mut *tx)
        .await?;
    let present: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_constraint WHERE conname = 'test_drives_no_overlap'",
    )
    .fetch_one(&mut *tx)
    .await?;
    if present == 0 {
        sqlx::query(
            "ALTER TABLE test_drives ADD CONSTRAINT test_drives_no_overlap EXCLUDE USING gist \
             (car_id WITH =, tstzrange(to_timestamp(starts_at), to_timestamp(ends_at)) WITH &&) \
             WHERE (status <> 'cancelled')",
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Stores a checked booking; `Taken` when the car is booked for that hour already.
pub async fn book(
    db: &Db,
    booking: &Booking<'_>,
    channel: Channel,
    account_id: Option<&str>,
) -> Result<TestDriveRow, BookError> {
    let id = time_ordered_id();
    let t = now();
    let c = &booking.customer;
    let inserted = sqlx::query(
        "INSERT INTO test_drives (id, location_id, partner_id, car_id, line, starts_at, ends_at, \
         status, first_name, last_name, email, phone, language, config_code, account_id, channel, \
         sequence, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 0, $17, $17)",
    )
    .bind(&id)
    .bind(&booking.location.id)
    .bind(&booking.location.partner)
    .bind(&booking.car_id)
    .bind(&booking.line)
    .bind(booking.slot.starts_at)
    .bind(booking.slot.ends_at)
    .bind(TestDriveStatus::Booked.as_str())
    .bind(&c.first_name)
    .bind(&c.last_name)
    .bind(&c.email)
    .bind(&c.phone)
    .bind(booking.language.code())
    .bind(booking.code.as_deref())
    .bind(account_id)
    .bind(channel.as_str())
    .bind(t)
    .execute(db.pool())
    .await;
    match inserted {
        Ok(_) => Ok(get(db, &id).await?.expect("just inserted")),
        Err(e) if is_overlap(&e) => Err(BookError::Taken),
        Err(e) => Err(StorageError::from(e).into()),
    }
}

pub async fn get(db: &Db, id: &str) -> Result<Option<TestDriveRow>, StorageError> {
    let row = sqlx::query_as::<_, TestDriveRow>(&format!(
        "SELECT {COLUMNS} FROM test_drives WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row)
}

/// The starts at which a car is held (not cancelled) in `[from, to)`.
pub async fn held_starts(
    db: &Db,
    car_id: &str,
    from: i64,
    to: i64,
) -> Result<Vec<i64>, StorageError> {
    let starts = sqlx::query_scalar(
        "SELECT starts_at FROM test_drives \
         WHERE car_id = $1 AND starts_at >= $2 AND starts_at < $3 AND status <> 'cancelled'",
    )
    .bind(car_id)
    .bind(from)
    .bind(to)
    .fetch_all(db.pool())
    .await?;
    Ok(starts)
}

/// A location's bookings in `[from, to)`, cancelled ones too, by start.
pub async fn for_location(
    db: &Db,
    location_id: &str,
    from: i64,
    to: i64,
) -> Result<Vec<TestDriveRow>, StorageError> {
    let rows = sqlx::query_as::<_, TestDriveRow>(&format!(
        "SELECT {COLUMNS} FROM test_drives \
         WHERE location_id = $1 AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at, id"
    ))
    .bind(location_id)
    .bind(from)
    .bind(to)
    .fetch_all(db.pool())
    .await?;
    Ok(rows)
}

/// How marking a drive went.
pub enum Marked {
    Done(TestDriveRow),
    /// No such drive at the partner's locations.
    NotFound,
    /// It is no longer booked: its current state.
    NotBooked(TestDriveRow),
}

/// Marks a booked drive of the partner's as `to` (done, no-show): one statement, so two staff
/// marking at once cannot both succeed.
pub async fn mark(
    db: &Db,
    id: &str,
    partner_id: &str,
    to: TestDriveStatus,
) -> Result<Marked, StorageError> {
    let changed = sqlx::query(
        "UPDATE test_drives SET status = $1, updated_at = $2 \
         WHERE id = $3 AND partner_id = $4 AND status = 'booked'",
    )
    .bind(to.as_str())
    .bind(now())
    .bind(id)
    .bind(partner_id)
    .execute(db.pool())
    .await?
    .rows_affected();
    let row = get(db, id).await?.filter(|r| r.partner_id == partner_id);
    Ok(match (changed, row) {
        (_, None) => Marked::NotFound,
        (0, Some(row)) => Marked::NotBooked(row),
        (_, Some(row)) => Marked::Done(row),
    })
}
