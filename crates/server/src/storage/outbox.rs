//! The outbox as the relay sees it: events due for delivery are leased (so two instances never
//! deliver one at the same time), then marked delivered, due again later, or dead.
//!
//! Events of one order (or one test drive) leave in the order they were made: an event is not
//! due while an earlier webhook event of its order is undelivered (also when that one is dead, until it is
//! replayed). Mails (the confirmation, a cancellation) go their own way and wait for nothing.

use super::{now, Db, Kind, StorageError};
use domain::order::Topic;

/// One event taken for delivery.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Event {
    pub id: String,
    #[sqlx(try_from = "String")]
    pub topic: Topic,
    pub order_id: Option<String>,
    /// The test drive the event is about (instead of an order).
    pub test_drive_id: Option<String>,
    /// What the event adds to its order or drive (JSON).
    pub payload: String,
    /// The request that made the event.
    pub request_id: Option<String>,
    /// Attempts made before this one.
    pub attempts: i64,
    /// Webhook targets that already took the event (JSON array of URLs).
    pub done_targets: String,
    pub created_at: i64,
}

/// A dead event as staff see it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DeadEvent {
    pub id: String,
    #[sqlx(try_from = "String")]
    pub topic: Topic,
    pub number: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub dead_at: i64,
}

/// Milliseconds since the epoch (delivery times need finer steps than seconds).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Takes up to `limit` events of `topics` due at `t` (milliseconds; the relay's clock) for
/// `lease_ms`: no other relay takes them until then, unless they are marked first. PostgreSQL
/// skips rows another instance is taking right now; SQLite has one writer, so the statement is
/// atomic as it is.
pub async fn lease(
    db: &Db,
    topics: &[Topic],
    limit: i64,
    lease_ms: i64,
    t: i64,
) -> Result<Vec<Event>, StorageError> {
    if topics.is_empty() {
        return Ok(Vec::new());
    }
    // Topics are the domain's names, never input.
    let quoted = |topics: &[Topic]| {
        topics
            .iter()
            .map(|t| format!("'{t}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (topics, mails) = (quoted(topics), quoted(&Topic::MAILS));
    let skip_locked = match db.kind {
        Kind::Postgres => "FOR UPDATE OF o SKIP LOCKED",
        Kind::Sqlite => "",
    };
    let sql = format!(
        "UPDATE outbox SET lease_until_ms = $1 WHERE id IN ( \
           SELECT o.id FROM outbox o WHERE o.sent_at IS NULL AND o.dead_at IS NULL \
             AND o.next_attempt_ms <= $2 AND o.lease_until_ms <= $3 AND o.topic IN ({topics}) \
             AND NOT EXISTS (SELECT 1 FROM outbox e \
               WHERE (e.order_id = o.order_id OR e.test_drive_id = o.test_drive_id) AND e.id < o.id \
               AND e.sent_at IS NULL AND e.topic NOT IN ({mails}) AND o.topic NOT IN ({mails})) \
           ORDER BY o.id LIMIT $4 {skip_locked}) \
         AND lease_until_ms <= $5 \
         RETURNING id, topic, order_id, test_drive_id, payload, request_id, attempts, done_targets, created_at"
    );
    let mut events: Vec<Event> = sqlx::query_as(&sql)
        .bind(t + lease_ms)
        .bind(t)
        .bind(t)
        .bind(limit)
        .bind(t)
        .fetch_all(db.pool())
        .await?;
    events.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(events)
}

/// Keeps an event this instance is delivering for `lease_ms` more.
pub async fn renew(db: &Db, id: &str, lease_ms: i64) -> Result<(), StorageError> {
    sqlx::query("UPDATE outbox SET lease_until_ms = $1 WHERE id = $2 AND sent_at IS NULL")
        .bind(now_ms() + lease_ms)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// SQLite at start: leases held when the process stopped are void (one process uses the file).
pub async fn release_leases(db: &Db) -> Result<(), StorageError> {
    if db.kind == Kind::Sqlite {
        sqlx::query(
            "UPDATE outbox SET lease_until_ms = 0 WHERE sent_at IS NULL AND lease_until_ms > 0",
        )
        .execute(db.pool())
        .await?;
    }
    Ok(())
}

pub async fn delivered(db: &Db, id: &str, done_targets: &str) -> Result<(), StorageError> {
    sqlx::query("UPDATE outbox SET sent_at = $1, lease_until_ms = 0, done_targets = $2, attempts = attempts + 1, last_error = NULL WHERE id = $3")
        .bind(now())
        .bind(done_targets)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// A failed attempt: due again at `next_attempt_ms`, or dead (`None`).
pub async fn failed(
    db: &Db,
    id: &str,
    done_targets: &str,
    error: &str,
    next_attempt_ms: Option<i64>,
) -> Result<(), StorageError> {
    sqlx::query("UPDATE outbox SET attempts = attempts + 1, lease_until_ms = 0, done_targets = $1, last_error = $2, next_attempt_ms = $3, dead_at = $4 WHERE id = $5")
        .bind(done_targets)
        .bind(error)
        .bind(next_attempt_ms.unwrap_or(0))
        .bind(next_attempt_ms.is_none().then(now))
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Dead events of a partner's orders and test drives, oldest first. A drive's event names the
/// driver where an order's names its number.
pub async fn dead_for_partner(db: &Db, partner_id: &str) -> Result<Vec<DeadEvent>, StorageError> {
    Ok(sqlx::query_as(
        "SELECT e.id AS id, e.topic AS topic, \
           COALESCE(o.number, 'TD ' || d.first_name || ' ' || d.last_name) AS number, \
           e.attempts AS attempts, e.last_error AS last_error, e.dead_at AS dead_at \
         FROM outbox e LEFT JOIN orders o ON o.id = e.order_id \
           LEFT JOIN test_drives d ON d.id = e.test_drive_id \
         WHERE e.dead_at IS NOT NULL AND e.sent_at IS NULL \
           AND COALESCE(o.partner_id, d.partner_id) = $1 ORDER BY e.id LIMIT 500",
    )
    .bind(partner_id)
    .fetch_all(db.pool())
    .await?)
}

/// Makes a dead event of a partner's order or drive due again now, with a fresh count of
/// attempts. `false` when there is no such dead event.
pub async fn replay(db: &Db, partner_id: &str, id: &str) -> Result<bool, StorageError> {
    let changed = sqlx::query(
        "UPDATE outbox SET dead_at = NULL, attempts = 0, next_attempt_ms = 0, lease_until_ms = 0 \
         WHERE id = $1 AND dead_at IS NOT NULL AND sent_at IS NULL \
           AND (order_id IN (SELECT id FROM orders WHERE partner_id = $2) \
             OR test_drive_id IN (SELECT id FROM test_drives WHERE partner_id = $2))",
    )
    .bind(id)
    .bind(partner_id)
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(changed == 1)
}

/// Undelivered events: (pending, dead). On the health check's own connection, so the health
/// check and the metrics answer also while requests fill the pool.
pub async fn backlog(db: &Db) -> Result<(i64, i64), StorageError> {
    Ok(sqlx::query_as(
        "SELECT COUNT(CASE WHEN dead_at IS NULL THEN 1 END), COUNT(dead_at) FROM outbox WHERE sent_at IS NULL",
    )
    .fetch_one(&db.health)
    .await?)
}
