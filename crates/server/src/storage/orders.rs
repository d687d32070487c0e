//! Orders with their status history and outbox events, written in one transaction; the
//! idempotency key is unique per account, so a retry (or a race of two) yields one order.

use super::{now, time_ordered_id, Db, StorageError, WAL_RESTART_FRAMES};
use domain::order::{OrderRecord, OrderStatus, OrderView, StatusEntry};
use sqlx::any::AnyArguments;
use sqlx::Arguments;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct StoredOrder {
    pub id: String,
    pub number: String,
    pub status: OrderStatus,
    pub created_at: i64,
    /// The complete order as it was accepted.
    pub order: OrderRecord,
    pub history: Vec<StatusEntry>,
    pub request_hash: String,
}

impl StoredOrder {
    /// The order as its customer sees it: each status with when it was reached, without the
    /// staff's notes (they are for staff and name the staff member).
    pub fn customer_view(self) -> OrderView {
        let mut view = self.view();
        for entry in &mut view.history {
            entry.note.clear();
        }
        view
    }

    /// The order as staff see it: with every note.
    pub fn view(self) -> OrderView {
        OrderView {
            id: self.id,
            number: self.number,
            status: self.status,
            created_at: self.created_at,
            order: self.order,
            history: self.history,
        }
    }
}

pub struct NewOrder<'a> {
    pub user_id: &'a str,
    pub idempotency_key: &'a str,
    pub request_hash: &'a str,
    pub location_id: &'a str,
    /// The partner running the location: the order is credited to it.
    pub partner_id: &'a str,
    pub number: &'a str,
    pub body: &'a OrderRecord,
    /// The request that placed the order (carried into its events).
    pub request_id: Option<&'a str>,
    /// (topic, payload) events for downstream systems; the payload holds what the event adds
    /// to the order (the relay reads the order itself).
    pub outbox: Vec<(&'static str, serde_json::Value)>,
}

pub enum Placed {
    New(StoredOrder),
    /// The same key was used before: the order it made.
    Existing(StoredOrder),
}

/// An `orders` row as read; its JSON body and status become a [`StoredOrder`] in [`Self::stored`].
#[derive(sqlx::FromRow)]
struct OrderRow {
    id: String,
    number: String,
    status: String,
    created_at: i64,
    body: String,
    request_hash: String,
}

impl OrderRow {
    /// A body or status that does not read is `Corrupt`, so lists can skip just that order.
    fn stored(self) -> Result<StoredOrder, StorageError> {
        let id = self.id;
        let corrupt = |what: String| StorageError::Corrupt(format!("order {id}: {what}"));
        let order = serde_json::from_str(&self.body).map_err(|e| corrupt(e.to_string()))?;
        let status = status(self.status).map_err(|e| corrupt(e.to_string()))?;
        Ok(StoredOrder {
            number: self.number,
            status,
            created_at: self.created_at,
            order,
            history: Vec::new(),
            request_hash: self.request_hash,
            id,
        })
    }
}

/// An `order_status_history` row (`StatusEntry` is a domain type, without sqlx).
#[derive(sqlx::FromRow)]
struct HistoryRow {
    status: String,
    at: i64,
    note: String,
    reason: Option<String>,
}

impl HistoryRow {
    fn entry(self) -> Result<StatusEntry, StorageError> {
        Ok(StatusEntry {
            status: status(self.status)?,
            at: self.at,
            note: self.note,
            reason: self.reason,
        })
    }
}

/// A history row of a list of orders: which order it belongs to.
#[derive(sqlx::FromRow)]
struct OrderHistoryRow {
    order_id: String,
    #[sqlx(flatten)]
    entry: HistoryRow,
}

fn status(name: String) -> Result<OrderStatus, StorageError> {
    OrderStatus::parse(&name)
        .ok_or_else(|| StorageError::Corrupt(format!("unknown status {name:?}")))
}

async fn with_history(db: &Db, mut order: StoredOrder) -> Result<StoredOrder, StorageError> {
    let rows = sqlx::query_as::<_, HistoryRow>(
        "SELECT status, at, note, reason FROM order_status_history WHERE order_id = $1 ORDER BY at, seq",
    )
    .bind(&order.id)
    .fetch_all(db.pool())
    .await?;
    order.history = rows
        .into_iter()
        .map(HistoryRow::entry)
        .collect::<Result<_, _>>()?;
    Ok(order)
}

pub async fn by_key(
    db: &Db,
    user_id: &str,
    key: &str,
) -> Result<Option<StoredOrder>, StorageError> {
    let row = sqlx::query_as::<_, OrderRow>("SELECT id, number, status, created_at, body, request_hash FROM orders WHERE user_id = $1 AND idempotency_key = $2")
    .bind(user_id)
    .bind(key)
    .fetch_optional(db.pool())
    .await?;
    found(db, row).await
}

/// The order in `row`, if any, with its history.
async fn found(db: &Db, row: Option<OrderRow>) -> Result<Option<StoredOrder>, StorageError> {
    match row {
        Some(r) => Ok(Some(with_history(db, r.stored()?).await?)),
        None => Ok(None),
    }
}

/// An order on its way to the database: owned, so the SQLite writer task can take it.
pub struct Pending {
    id: String,
    user_id: String,
    idempotency_key: String,
    request_hash: String,
    location_id: String,
    partner_id: String,
    number: String,
    body: OrderRecord,
    body_json: String,
    search: String,
    request_id: Option<String>,
    outbox: Vec<(&'static str, String)>,
    at: i64,
}

impl Pending {
    fn new(o: NewOrder<'_>) -> Result<Pending, StorageError> {
        Ok(Pending {
            id: time_ordered_id(),
            user_id: o.user_id.to_string(),
            idempotency_key: o.idempotency_key.to_string(),
            request_hash: o.request_hash.to_string(),
            location_id: o.location_id.to_string(),
            partner_id: o.partner_id.to_string(),
            number: o.number.to_string(),
            body_json: serde_json::to_string(o.body)
                .map_err(|e| StorageError::Corrupt(e.to_string()))?,
            search: search_text(o.body),
            body: o.body.clone(),
            request_id: o.request_id.map(str::to_string),
            outbox: o
                .outbox
                .into_iter()
                .map(|(topic, payload)| (topic, payload.to_string()))
                .collect(),
            at: now(),
        })
    }

    /// The order as stored, without reading it back.
    fn stored(self) -> StoredOrder {
        StoredOrder {
            id: self.id,
            number: self.number,
            status: OrderStatus::Received,
            created_at: self.at,
            order: self.body,
            history: vec![StatusEntry {
                status: OrderStatus::Received,
                at: self.at,
                note: RECEIVED_NOTE.to_string(),
                reason: None,
            }],
            request_hash: self.request_hash,
        }
    }
}

const RECEIVED_NOTE: &str = "Order received";

/// PostgreSQL: writes the order, its first status and its outbox events in one statement (data-
/// modifying CTEs are atomic like a transaction, in one round trip instead of six). The
/// idempotency lookup is folded into the insert: `false` (nothing written) when the key is taken,
/// and the inserts of status and events see no row from `placed` then.
async fn insert(pool: &sqlx::AnyPool, o: &Pending) -> Result<bool, sqlx::Error> {
    let events: Vec<String> = (0..o.outbox.len())
        .map(|i| format!("(${}, ${}, ${})", 13 + 3 * i, 14 + 3 * i, 15 + 3 * i))
        .collect();
    let sql = format!(
        "WITH placed AS (INSERT INTO orders (id, number, user_id, idempotency_key, request_hash, status, location_id, partner_id, body, created_at, search) \
           VALUES ($1, $2, $3, $4, $5, 'received', $6, $7, $8, $9, $12) ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING id, created_at), \
         history AS (INSERT INTO order_status_history (order_id, status, at, note) SELECT id, 'received', created_at, $10 FROM placed), \
         events AS (INSERT INTO outbox (id, topic, order_id, payload, created_at, request_id) \
           SELECT e.id, e.topic, placed.id, e.payload, placed.created_at, $11 FROM placed, (VALUES {}) AS e (id, topic, payload)) \
         SELECT COUNT(*) FROM placed",
        events.join(", ")
    );
    let mut query = sqlx::query(&sql)
        .bind(&o.id)
        .bind(&o.number)
        .bind(&o.user_id)
        .bind(&o.idempotency_key)
        .bind(&o.request_hash)
        .bind(&o.location_id)
        .bind(&o.partner_id)
        .bind(&o.body_json)
        .bind(o.at)
        .bind(RECEIVED_NOTE)
        .bind(o.request_id.as_deref())
        .bind(&o.search);
    for (topic, payload) in &o.outbox {
        query = query.bind(time_ordered_id()).bind(*topic).bind(payload);
    }
    use sqlx::Row;
    let placed: i64 = query.fetch_one(pool).await?.try_get(0)?;
    Ok(placed == 1)
}

/// What became of one order after its transaction committed: the existing order of a taken key
/// is read afterwards (from the readers' pool).
async fn outcome(db: &Db, o: Pending, new: bool) -> Result<Placed, StorageError> {
    if new {
        return Ok(Placed::New(o.stored()));
    }
    by_key(db, &o.user_id, &o.idempotency_key)
        .await?
        .map(Placed::Existing)
        .ok_or_else(|| {
            StorageError::Corrupt(format!(
                "order key {} taken but not found",
                o.idempotency_key
            ))
        })
}

/// Stores the order, its first status and its outbox events atomically; a key already used
/// (also by a concurrent request that won the race) returns that order instead.
///
/// SQLite has one writer at a time: its orders go to the writer task ([`Writer`]), which commits
/// every order waiting at that moment in one transaction (group commit) and answers each only
/// once that transaction is durable. PostgreSQL has real concurrent writers (row locks, its own
/// group commit of the WAL flush), so each request writes in its own transaction on the pool.
pub async fn place(db: &Db, o: NewOrder<'_>) -> Result<Placed, StorageError> {
    let pending = Pending::new(o)?;
    if let Some(writer) = db.writer() {
        let (reply, answer) = tokio::sync::oneshot::channel();
        writer
            .send(Work::Order(Box::new((pending, reply))))
            .await
            .map_err(|_| StorageError::Closed)?;
        let (pending, new) = answer.await.map_err(|_| StorageError::Closed)??;
        return outcome(db, pending, new).await;
    }
    let new = insert(db.pool(), &pending).await?;
    outcome(db, pending, new).await
}

/// One order for the writer and where its answer goes: the order back with whether it is new,
/// once its transaction committed.
pub type Job = (
    Pending,
    tokio::sync::oneshot::Sender<Result<(Pending, bool), StorageError>>,
);

/// What the SQLite writer thread is asked to do, in the order asked.
pub enum Work {
    /// Boxed: an order is about a kilobyte, the queue's slots need not be.
    Order(Box<Job>),
    /// Write what came before, close the connection, then say so.
    Close(tokio::sync::oneshot::Sender<()>),
}

/// The most orders one transaction takes: bounds the time the write lock is held and the wait of
/// the first order of a batch.
const BATCH: usize = 256;

/// Opens the SQLite order writer: a connection of its own on an OS thread of its own, which
/// waits for an order, takes every other one waiting, writes them all in one transaction and
/// answers them after the commit (synchronous=FULL: the commit is on disk before anyone hears of
/// it). If the batch fails, each of its orders is tried alone, so one bad order fails only itself
/// (the failed batch left nothing behind).
///
/// Why a thread and rusqlite rather than a task on sqlx: sqlx runs each SQLite connection on a
/// worker thread of its own and hands it every statement through a channel, so a batch cost six
/// thread switches there and back (begin, three inserts, a select, commit), on the one path
/// every order waits for. Here the batch runs start to end on one thread, with its statements
/// prepared once and kept, and one switch brings the orders in.
///
/// `wal_frames`: the WAL's length as the checkpoint task last saw it (see `super::checkpoints`).
pub fn spawn_writer(
    file: &str,
    wal_frames: Arc<AtomicI64>,
) -> Result<tokio::sync::mpsc::Sender<Work>, StorageError> {
    let connection = rusqlite::Connection::open(file)?;
    // As the pool's connections (see `Db::connect`): no automatic checkpoint inside a commit.
    connection.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
         PRAGMA busy_timeout = 5000; PRAGMA wal_autocheckpoint = 0;",
    )?;
    let (queue, jobs) = tokio::sync::mpsc::channel(4096);
    std::thread::Builder::new()
        .name("order-writer".into())
        .spawn(move || writer(connection, jobs, &wal_frames))
        .map_err(StorageError::Thread)?;
    Ok(queue)
}

fn writer(
    mut connection: rusqlite::Connection,
    mut work: tokio::sync::mpsc::Receiver<Work>,
    wal_frames: &AtomicI64,
) {
    let mut batch: Vec<Job> = Vec::with_capacity(BATCH);
    let mut closing = None;
    while let Some(first) = work.blocking_recv() {
        let mut next = Some(first);
        while let Some(item) = next.take() {
            match item {
                Work::Order(job) => batch.push(*job),
                Work::Close(done) => {
                    closing = Some(done);
                    break;
                }
            }
            if batch.len() < BATCH {
                next = work.try_recv().ok();
            }
        }
        write_batch(&mut connection, &mut batch);
        if let Some(done) = closing {
            drop(connection);
            let _ = done.send(());
            return;
        }
        // Between two batches (their requests are answered), a long WAL is copied to its end
        // (the checkpoint task copied most of it already), so that the next batch starts it
        // over; should a reader still be in the WAL then, it tries again after the next batch.
        // No RESTART checkpoint: it sleeps in steps of milliseconds while readers finish, and
        // every order waits meanwhile.
        if wal_frames.load(Ordering::Relaxed) > WAL_RESTART_FRAMES {
            match connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| row.get(1)) {
                Ok(frames) => wal_frames.store(frames, Ordering::Relaxed),
                Err(e) => tracing::warn!(error = %e, "WAL checkpoint failed"),
            }
        }
    }
}

/// Writes `batch` in one transaction (or, should that fail, each order alone) and answers each.
fn write_batch(connection: &mut rusqlite::Connection, batch: &mut Vec<Job>) {
    if batch.is_empty() {
        return;
    }
    let orders: Vec<&Pending> = batch.iter().map(|(o, _)| o).collect();
    match write_all(connection, &orders) {
        Ok(new) => {
            for ((pending, reply), new) in batch.drain(..).zip(new) {
                let _ = reply.send(Ok((pending, new)));
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, orders = batch.len(), "a batch of orders failed; writing them one by one");
            for (pending, reply) in batch.drain(..) {
                let answer = match write_all(connection, &[&pending]) {
                    Ok(new) => Ok((pending, new[0])),
                    Err(e) => Err(e.into()),
                };
                let _ = reply.send(answer);
            }
        }
    }
}

/// Writes a batch in one transaction. The idempotency check is the insert itself: a key taken
/// before, or earlier in the same batch, inserts nothing (no row changed), and then neither its
/// status nor its events are written.
fn write_all(
    connection: &mut rusqlite::Connection,
    orders: &[&Pending],
) -> Result<Vec<bool>, rusqlite::Error> {
    let tx = connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut new = Vec::with_capacity(orders.len());
    {
        let mut order = tx.prepare_cached(
            "INSERT INTO orders (id, number, user_id, idempotency_key, request_hash, status, location_id, partner_id, body, created_at, search) \
             VALUES (?1, ?2, ?3, ?4, ?5, 'received', ?6, ?7, ?8, ?9, ?10) ON CONFLICT (user_id, idempotency_key) DO NOTHING",
        )?;
        let mut history = tx.prepare_cached(
            "INSERT INTO order_status_history (order_id, status, at, note) VALUES (?1, 'received', ?2, ?3)",
        )?;
        let mut event = tx.prepare_cached(
            "INSERT INTO outbox (id, topic, order_id, payload, created_at, request_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for o in orders {
            let inserted = order.execute(rusqlite::params![
                o.id,
                o.number,
                o.user_id,
                o.idempotency_key,
                o.request_hash,
                o.location_id,
                o.partner_id,
                o.body_json,
                o.at,
                o.search
            ])? == 1;
            if inserted {
                history.execute(rusqlite::params![o.id, o.at, RECEIVED_NOTE])?;
                for (topic, payload) in &o.outbox {
                    event.execute(rusqlite::params![
                        time_ordered_id(),
                        topic,
                        o.id,
                        payload,
                        o.at,
                        o.request_id
                    ])?;
                }
            }
            new.push(inserted);
        }
    }
    tx.commit()?;
    Ok(new)
}

pub async fn list(db: &Db, user_id: &str) -> Result<Vec<StoredOrder>, StorageError> {
    let rows = sqlx::query_as::<_, OrderRow>("SELECT id, number, status, created_at, body, request_hash FROM orders WHERE user_id = $1 ORDER BY created_at DESC, number")
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    // Every order's history in one query, not one per order.
    let history = sqlx::query_as::<_, OrderHistoryRow>("SELECT h.order_id AS order_id, h.status AS status, h.at AS at, h.note AS note, h.reason AS reason \
         FROM order_status_history h JOIN orders o ON o.id = h.order_id WHERE o.user_id = $1 ORDER BY h.at, h.seq")
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    with_histories(rows, history)
}

/// The orders credited to a partner, newest first, with their histories.
pub async fn for_partner(db: &Db, partner_id: &str) -> Result<Vec<StoredOrder>, StorageError> {
    let rows = sqlx::query_as::<_, OrderRow>("SELECT id, number, status, created_at, body, request_hash FROM orders WHERE partner_id = $1 ORDER BY created_at DESC, number LIMIT 500")
    .bind(partner_id)
    .fetch_all(db.pool())
    .await?;
    let history = sqlx::query_as::<_, OrderHistoryRow>("SELECT h.order_id AS order_id, h.status AS status, h.at AS at, h.note AS note, h.reason AS reason \
         FROM order_status_history h JOIN orders o ON o.id = h.order_id WHERE o.partner_id = $1 ORDER BY h.at, h.seq")
    .bind(partner_id)
    .fetch_all(db.pool())
    .await?;
    with_histories(rows, history)
}

/// The orders of `rows` with their histories. An order that cannot be read is logged as an
/// error and left out, so one damaged row does not hide all the others.
fn with_histories(
    rows: Vec<OrderRow>,
    history: Vec<OrderHistoryRow>,
) -> Result<Vec<StoredOrder>, StorageError> {
    let mut orders = Vec::with_capacity(rows.len());
    for r in rows {
        match r.stored() {
            Ok(o) => orders.push(o),
            Err(StorageError::Corrupt(why)) => {
                tracing::error!(%why, "a stored order cannot be read")
            }
            Err(e) => return Err(e),
        }
    }
    let position: std::collections::HashMap<String, usize> = orders
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.clone(), i))
        .collect();
    for r in history {
        if let Some(o) = position.get(&r.order_id).map(|&i| &mut orders[i]) {
            o.history.push(r.entry.entry()?);
        }
    }
    Ok(orders)
}

/// Only the owner's; an order number or id works.
pub async fn get(db: &Db, user_id: &str, id: &str) -> Result<Option<StoredOrder>, StorageError> {
    let row = sqlx::query_as::<_, OrderRow>("SELECT id, number, status, created_at, body, request_hash FROM orders WHERE (id = $1 OR number = $2) AND user_id = $3")
    .bind(id)
    .bind(id)
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?;
    found(db, row).await
}

/// One order of a partner's (by id or number); another partner's is not found.
pub async fn get_for_partner(
    db: &Db,
    partner_id: &str,
    id: &str,
) -> Result<Option<StoredOrder>, StorageError> {
    let row = sqlx::query_as::<_, OrderRow>("SELECT id, number, status, created_at, body, request_hash FROM orders WHERE (id = $1 OR number = $2) AND partner_id = $3")
    .bind(id)
    .bind(id)
    .bind(partner_id)
    .fetch_optional(db.pool())
    .await?;
    found(db, row).await
}

/// One status change as staff asked for it.
pub struct StatusMove<'a> {
    pub from: OrderStatus,
    pub to: OrderStatus,
    /// For staff: who and why.
    pub note: &'a str,
    /// For the customer: why it was cancelled (mailed to them).
    pub reason: Option<&'a str>,
}

/// Moves an order from status `from` to `to` if it still has `from` (a compare-and-set, so two
/// staff clicking at once change it once), with its history entry and an outbox event.
/// `false` when the status was no longer `from`.
pub async fn change_status(
    db: &Db,
    order_id: &str,
    change: StatusMove<'_>,
    event: serde_json::Value,
    request_id: Option<&str>,
) -> Result<bool, StorageError> {
    let StatusMove {
        from,
        to,
        note,
        reason,
    } = change;
    let t = now();
    let mut tx = db.pool().begin().await?;
    let changed = sqlx::query("UPDATE orders SET status = $1 WHERE id = $2 AND status = $3")
        .bind(to.as_str())
        .bind(order_id)
        .bind(from.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO order_status_history (order_id, status, at, note, reason, seq) \
         VALUES ($1, $2, $3, $4, $5, (SELECT COUNT(*) FROM order_status_history WHERE order_id = $6))",
    )
    .bind(order_id)
    .bind(to.as_str())
    .bind(t)
    .bind(note)
    .bind(reason)
    .bind(order_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO outbox (id, topic, order_id, payload, created_at, request_id) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(time_ordered_id())
    .bind("order.status_changed")
    .bind(order_id)
    .bind(event.to_string())
    .bind(t)
    .bind(request_id)
    .execute(&mut *tx)
    .await?;
    // A cancellation is the customer's news: mailed with its reason.
    if let Some(reason) = reason {
        sqlx::query(
            "INSERT INTO outbox (id, topic, order_id, payload, created_at, request_id) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(time_ordered_id())
        .bind(super::outbox::CANCELLATION_MAIL)
        .bind(order_id)
        .bind(serde_json::json!({ "reason": reason }).to_string())
        .bind(t)
        .bind(request_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// What staff search an order by besides its number: name and company, lower-cased.
fn search_text(order: &OrderRecord) -> String {
    let c = &order.customer;
    let mut text = format!("{} {}", c.first_name, c.last_name);
    if let Some(company) = c.company.as_deref().filter(|c| !c.is_empty()) {
        text.push(' ');
        text.push_str(company);
    }
    text.to_lowercase()
}

/// Orders stored before they kept their search text get it from their body.
pub async fn fill_search(db: &Db) -> Result<(), StorageError> {
    loop {
        let rows: Vec<OrderRow> = sqlx::query_as(
            "SELECT id, number, status, created_at, body, request_hash FROM orders WHERE search IS NULL LIMIT 500",
        )
        .fetch_all(db.pool())
        .await?;
        if rows.is_empty() {
            return Ok(());
        }
        for row in rows {
            let id = row.id.clone();
            // An unreadable order gets an empty text (and is found by its number).
            let text = row
                .stored()
                .map(|o| search_text(&o.order))
                .unwrap_or_default();
            sqlx::query("UPDATE orders SET search = $1 WHERE id = $2")
                .bind(text)
                .bind(id)
                .execute(db.pool())
                .await?;
        }
    }
}

/// One page of a partner's orders, newest first, with their histories, and how many match in
/// all. `query` finds a part of the number or of the customer's name or company; `status`
/// keeps one status.
pub async fn page_for_partner(
    db: &Db,
    partner_id: &str,
    query: &str,
    status: Option<OrderStatus>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<StoredOrder>, i64), StorageError> {
    let number = like_pattern(&query.trim().to_uppercase());
    let name = like_pattern(&query.trim().to_lowercase());
    let status = status.map_or("", |s| s.as_str());
    let matching = "FROM orders WHERE partner_id = $1 AND (number LIKE $2 ESCAPE '\\' OR search LIKE $3 ESCAPE '\\') AND ($4 = '' OR status = $5)";
    // The same five values select the orders for the count, the page and the page's history.
    let filter = || -> Result<AnyArguments<'_>, StorageError> {
        let mut args = AnyArguments::default();
        let added = args
            .add(partner_id)
            .and_then(|()| args.add(number.as_str()))
            .and_then(|()| args.add(name.as_str()))
            .and_then(|()| args.add(status))
            .and_then(|()| args.add(status));
        added.map_err(|e| StorageError::Sqlx(sqlx::Error::Encode(e)))?;
        Ok(args)
    };
    let paged = || -> Result<AnyArguments<'_>, StorageError> {
        let mut args = filter()?;
        args.add(limit)
            .and_then(|()| args.add(offset))
            .map_err(|e| StorageError::Sqlx(sqlx::Error::Encode(e)))?;
        Ok(args)
    };
    let total: i64 = sqlx::query_scalar_with(&format!("SELECT COUNT(*) {matching}"), filter()?)
        .fetch_one(db.pool())
        .await?;
    let page = format!("{matching} ORDER BY created_at DESC, number LIMIT $6 OFFSET $7");
    let rows = sqlx::query_as_with::<_, OrderRow, _>(
        &format!("SELECT id, number, status, created_at, body, request_hash {page}"),
        paged()?,
    )
    .fetch_all(db.pool())
    .await?;
    let history = sqlx::query_as_with::<_, OrderHistoryRow, _>(
        &format!(
            "SELECT h.order_id AS order_id, h.status AS status, h.at AS at, h.note AS note, h.reason AS reason \
             FROM order_status_history h JOIN (SELECT id {page}) p ON p.id = h.order_id ORDER BY h.at, h.seq"
        ),
        paged()?,
    )
    .fetch_all(db.pool())
    .await?;
    Ok((with_histories(rows, history)?, total))
}

/// `%text%` for LIKE, with LIKE's own characters taken literally.
pub fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Orders stored before orders carried their partner get it from their location.
pub async fn fill_partners(
    db: &Db,
    partner_of: impl Fn(&str) -> Option<String>,
) -> Result<(), StorageError> {
    let locations = sqlx::query_scalar::<_, String>(
        "SELECT DISTINCT location_id FROM orders WHERE partner_id IS NULL",
    )
    .fetch_all(db.pool())
    .await?;
    for location in locations {
        if let Some(partner) = partner_of(&location) {
            sqlx::query(
                "UPDATE orders SET partner_id = $1 WHERE location_id = $2 AND partner_id IS NULL",
            )
            .bind(partner)
            .bind(&location)
            .execute(db.pool())
            .await?;
        }
    }
    Ok(())
}

/// Outbox events of a topic, oldest first (for downstream delivery and the tests).
pub async fn outbox(db: &Db, topic: &str) -> Result<Vec<serde_json::Value>, StorageError> {
    let payloads = sqlx::query_scalar::<_, String>(
        "SELECT payload FROM outbox WHERE topic = $1 ORDER BY created_at, id",
    )
    .bind(topic)
    .fetch_all(db.pool())
    .await?;
    Ok(payloads
        .iter()
        .map(|p| serde_json::from_str(p).unwrap_or_default())
        .collect())
}

/// Any order by its id (for the outbox relay).
pub async fn by_id(db: &Db, id: &str) -> Result<Option<StoredOrder>, StorageError> {
    let row = sqlx::query_as::<_, OrderRow>(
        "SELECT id, number, status, created_at, body, request_hash FROM orders WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    found(db, row).await
}

/// The account (id, address) that placed order `id`: confirmations go to its address, never to
/// an address typed into the order form (anyone could type a stranger's; a showroom order
/// without sign-in goes to the account of the address given, see `accounts`).
pub async fn account_of(db: &Db, id: &str) -> Result<Option<(String, String)>, StorageError> {
    Ok(sqlx::query_as::<_, (String, String)>(
        "SELECT u.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(body: &str, status: &str) -> OrderRow {
        OrderRow {
            id: "o1".into(),
            number: "N1".into(),
            status: status.into(),
            created_at: 1,
            body: body.into(),
            request_hash: "h".into(),
        }
    }

    // A body that does not decode must stay `Corrupt`: lists skip exactly those orders.
    #[test]
    fn unreadable_orders_are_corrupt_and_skipped() {
        assert!(matches!(
            row("not json", "received").stored(),
            Err(StorageError::Corrupt(why)) if why.starts_with("order o1:")
        ));
        let listed = with_histories(vec![row("not json", "received")], Vec::new()).unwrap();
        assert!(listed.is_empty());
    }
}
