//! Test drives: a booking holds a location's demo car for one hour. That no car is booked twice
//! for one hour is the database's guarantee, not a check before writing: the unique index of
//! migration 0013 in both databases, and on PostgreSQL also an exclusion constraint over the time
//! range (`ensure_no_overlap`). Whatever arrives at once, the second insert fails.

use super::{now, time_ordered_id, Db, Kind, StorageError};
use domain::order::Topic;
use domain::test_drive::{Booking, Driver, TestDriveStatus};
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
    /// A blocked hour's block, and its reason.
    pub block_id: Option<String>,
    pub note: Option<String>,
}

impl TestDriveRow {
    /// Who drives, as the agent's agenda and webhooks show it.
    pub fn driver(&self) -> Driver {
        Driver {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
        }
    }
}

const COLUMNS: &str =
    "id, location_id, partner_id, car_id, line, starts_at, ends_at, status, first_name, \
     last_name, email, phone, language, config_code, channel, sequence, block_id, note";

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

/// When the reminder of a drive is due (a day before it), in the relay's milliseconds; none for
/// a drive that starts within a day of `now` (its confirmation is the reminder).
pub fn reminder_due_ms(starts_at: i64, now: i64) -> Option<i64> {
    let due = starts_at - REMINDER_BEFORE;
    (due > now).then_some(due * 1000)
}

/// The reminder goes this long before the drive.
pub const REMINDER_BEFORE: i64 = 24 * 3600;

/// One outbox event about a drive, in the transaction that made it (so a drive's change and its
/// events are stored together or not at all). `due_ms`: not before then (the reminder).
async fn enqueue(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    topic: Topic,
    drive_id: &str,
    payload: &serde_json::Value,
    due_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (id, topic, test_drive_id, payload, created_at, next_attempt_ms) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(time_ordered_id())
    .bind(topic.as_str())
    .bind(drive_id)
    .bind(payload.to_string())
    .bind(now())
    .bind(due_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The events of a drive that now holds `starts_at` at invite `sequence`: to the agent
/// (`agent_topic`), the mail with the invite, and the reminder a day before. A reminder names
/// the sequence it is for: after a move (even back to the same hour) the old one finds the drive
/// changed and is dropped.
async fn enqueue_held(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    agent_topic: Topic,
    drive_id: &str,
    (starts_at, sequence): (i64, i64),
    clock: i64,
) -> Result<(), sqlx::Error> {
    let payload = serde_json::json!({ "starts_at": starts_at, "sequence": sequence });
    enqueue(tx, agent_topic, drive_id, &payload, 0).await?;
    enqueue(tx, Topic::TestDriveConfirmation, drive_id, &payload, 0).await?;
    if let Some(due) = reminder_due_ms(starts_at, clock) {
        enqueue(tx, Topic::TestDriveReminder, drive_id, &payload, due).await?;
    }
    Ok(())
}

/// Stores a checked booking with its events; `Taken` when the car is booked for that hour
/// already. `clock`: the server's now (which the reminder's due time is reckoned from).
pub async fn book(
    db: &Db,
    booking: &Booking<'_>,
    channel: Channel,
    account_id: Option<&str>,
    clock: i64,
) -> Result<TestDriveRow, BookError> {
    let id = time_ordered_id();
    let t = now();
    let c = &booking.customer;
    let mut tx = db.pool().begin().await.map_err(StorageError::from)?;
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
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if is_overlap(&e) => return Err(BookError::Taken),
        Err(e) => return Err(StorageError::from(e).into()),
    }
    let starts = booking.slot.starts_at;
    enqueue_held(&mut tx, Topic::TestDriveBooked, &id, (starts, 0), clock)
        .await
        .map_err(StorageError::from)?;
    tx.commit().await.map_err(StorageError::from)?;
    Ok(get(db, &id).await?.expect("just inserted"))
}

/// Blocks a car for `slots` (staff: service, a fair): one `blocked` row per hour, all or none.
/// `Taken` when one of the hours is booked (or blocked) already.
pub async fn block(
    db: &Db,
    location: &domain::Location,
    car_id: &str,
    line: &str,
    slots: &[domain::test_drive::Slot],
    note: &str,
) -> Result<String, BookError> {
    let block_id = time_ordered_id();
    let t = now();
    let mut tx = db.pool().begin().await.map_err(StorageError::from)?;
    for slot in slots {
        let inserted = sqlx::query(
            "INSERT INTO test_drives (id, location_id, partner_id, car_id, line, starts_at, ends_at, \
             status, first_name, last_name, email, phone, language, channel, sequence, created_at, \
             updated_at, block_id, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'blocked', '', '', '', '', 'de', 'store', 0, $8, $8, $9, $10)",
        )
        .bind(time_ordered_id())
        .bind(&location.id)
        .bind(&location.partner)
        .bind(car_id)
        .bind(line)
        .bind(slot.starts_at)
        .bind(slot.ends_at)
        .bind(t)
        .bind(&block_id)
        .bind(note)
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            Err(e) if is_overlap(&e) => return Err(BookError::Taken),
            Err(e) => return Err(StorageError::from(e).into()),
        }
    }
    tx.commit().await.map_err(StorageError::from)?;
    Ok(block_id)
}

/// Lifts a block of the partner's: its hours still ahead of `clock` are free again. `false`
/// when the partner has no such block with an hour ahead.
pub async fn unblock(
    db: &Db,
    partner_id: &str,
    block_id: &str,
    clock: i64,
) -> Result<bool, StorageError> {
    let lifted = sqlx::query(
        "UPDATE test_drives SET status = 'cancelled', updated_at = $1 \
         WHERE block_id = $2 AND partner_id = $3 AND status = 'blocked' AND starts_at > $4",
    )
    .bind(now())
    .bind(block_id)
    .bind(partner_id)
    .bind(clock)
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(lifted > 0)
}

/// Who changed a drive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangedBy {
    /// The customer, through the manage link.
    Customer,
    Staff,
}

impl ChangedBy {
    fn as_str(self) -> &'static str {
        match self {
            ChangedBy::Customer => "customer",
            ChangedBy::Staff => "staff",
        }
    }
}

/// How a move or a cancel went.
#[derive(Debug)]
pub enum Changed {
    Done(TestDriveRow),
    /// The drive is not booked (anymore) or moved meanwhile: its current state.
    Stale(TestDriveRow),
    /// The car is booked for the new hour.
    Taken,
    NotFound,
}

async fn change_record(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    drive_id: &str,
    kind: &str,
    from: i64,
    to: Option<i64>,
    by: ChangedBy,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO test_drive_changes (id, drive_id, at, kind, from_starts_at, to_starts_at, by_whom) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(time_ordered_id())
    .bind(drive_id)
    .bind(now())
    .bind(kind)
    .bind(from)
    .bind(to)
    .bind(by.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The outcome once the drive's row was (or was not) changed.
async fn after_change(db: &Db, id: &str, changed: bool) -> Result<Changed, StorageError> {
    Ok(match (changed, get(db, id).await?) {
        (_, None) => Changed::NotFound,
        (false, Some(row)) => Changed::Stale(row),
        (true, Some(row)) => Changed::Done(row),
    })
}

/// Moves a booked drive that starts at `from` to `to` (same car, a checked slot): the invite's
/// sequence goes up, the move is kept, and the agent, the customer's mail and a new reminder
/// are queued with it.
pub async fn reschedule(
    db: &Db,
    current: &TestDriveRow,
    to: &domain::test_drive::Slot,
    by: ChangedBy,
    clock: i64,
) -> Result<Changed, StorageError> {
    let mut tx = db.pool().begin().await?;
    let moved = sqlx::query(
        "UPDATE test_drives SET starts_at = $1, ends_at = $2, sequence = sequence + 1, updated_at = $3 \
         WHERE id = $4 AND status = 'booked' AND starts_at = $5",
    )
    .bind(to.starts_at)
    .bind(to.ends_at)
    .bind(now())
    .bind(&current.id)
    .bind(current.starts_at)
    .execute(&mut *tx)
    .await;
    let moved = match moved {
        Ok(done) => done.rows_affected() == 1,
        Err(e) if is_overlap(&e) => return Ok(Changed::Taken),
        Err(e) => return Err(e.into()),
    };
    if moved {
        change_record(
            &mut tx,
            &current.id,
            "rescheduled",
            current.starts_at,
            Some(to.starts_at),
            by,
        )
        .await?;
        enqueue_held(
            &mut tx,
            Topic::TestDriveRescheduled,
            &current.id,
            (to.starts_at, current.sequence + 1),
            clock,
        )
        .await?;
    }
    tx.commit().await?;
    after_change(db, &current.id, moved).await
}

/// Cancels a booked drive: its hour is free at once; the agent and the customer (a cancelling
/// invite) are told.
pub async fn cancel(
    db: &Db,
    current: &TestDriveRow,
    by: ChangedBy,
) -> Result<Changed, StorageError> {
    let mut tx = db.pool().begin().await?;
    let cancelled = sqlx::query(
        "UPDATE test_drives SET status = 'cancelled', sequence = sequence + 1, updated_at = $1 \
         WHERE id = $2 AND status = 'booked'",
    )
    .bind(now())
    .bind(&current.id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if cancelled {
        change_record(
            &mut tx,
            &current.id,
            "cancelled",
            current.starts_at,
            None,
            by,
        )
        .await?;
        let payload = serde_json::json!({ "starts_at": current.starts_at });
        enqueue(&mut tx, Topic::TestDriveCancelled, &current.id, &payload, 0).await?;
        enqueue(
            &mut tx,
            Topic::TestDriveCancellation,
            &current.id,
            &payload,
            0,
        )
        .await?;
    }
    tx.commit().await?;
    after_change(db, &current.id, cancelled).await
}

/// A drive's moves and cancel, oldest first: (at, kind, from, to).
pub async fn changes(
    db: &Db,
    drive_id: &str,
) -> Result<Vec<(i64, String, i64, Option<i64>)>, StorageError> {
    Ok(sqlx::query_as(
        "SELECT at, kind, from_starts_at, to_starts_at FROM test_drive_changes \
         WHERE drive_id = $1 ORDER BY at, id",
    )
    .bind(drive_id)
    .fetch_all(db.pool())
    .await?)
}

/// A new manage link's token for a drive (each mail carries its own), valid until the drive
/// has ended (`expires_at` keeps the end it was made for); only its hash is stored.
pub async fn create_token(db: &Db, drive: &TestDriveRow) -> Result<String, StorageError> {
    let token = super::accounts::reset_token();
    sqlx::query(
        "INSERT INTO test_drive_tokens (token_hash, drive_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(super::accounts::token_key(&token))
    .bind(&drive.id)
    .bind(now())
    .bind(drive.ends_at)
    .execute(db.pool())
    .await?;
    Ok(token)
}

/// The drive a manage token stands for, while it has not ended at `clock`.
pub async fn by_token(
    db: &Db,
    token: &str,
    clock: i64,
) -> Result<Option<TestDriveRow>, StorageError> {
    // Until the drive's current end: a link mailed before a move to a later day still works.
    let drive: Option<String> = sqlx::query_scalar(
        "SELECT t.drive_id FROM test_drive_tokens t JOIN test_drives d ON d.id = t.drive_id \
         WHERE t.token_hash = $1 AND d.ends_at > $2",
    )
    .bind(super::accounts::token_key(token))
    .bind(clock)
    .fetch_optional(db.pool())
    .await?;
    match drive {
        Some(id) => get(db, &id).await,
        None => Ok(None),
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

/// The drives an account booked (signed in), the latest first: at most 100.
pub async fn for_account(db: &Db, account_id: &str) -> Result<Vec<TestDriveRow>, StorageError> {
    let rows = sqlx::query_as::<_, TestDriveRow>(&format!(
        "SELECT {COLUMNS} FROM test_drives WHERE account_id = $1 ORDER BY starts_at DESC, id LIMIT 100"
    ))
    .bind(account_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows)
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
