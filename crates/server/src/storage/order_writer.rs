//! SQLite's order writer: one thread with a rusqlite connection of its own takes every order
//! waiting, writes them in one transaction (group commit) and answers each once it is durable.
//! The rows come from [`super::order_rows`], as PostgreSQL's do.

use super::order_rows::{insert, Marks, Pending, HISTORY_COLUMNS, ORDER_COLUMNS, OUTBOX_COLUMNS};
use super::{StorageError, WAL_RESTART_FRAMES};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, LazyLock};

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
            for (mut pending, reply) in batch.drain(..) {
                let mut attempts = 0;
                let answer = loop {
                    match write_all(connection, &[&pending]) {
                        Ok(new) => break Ok((pending, new[0])),
                        Err(e) if number_taken(&e) && attempts < 3 => {
                            attempts += 1;
                            pending.renumber();
                        }
                        Err(e) => break Err(e.into()),
                    }
                };
                let _ = reply.send(answer);
            }
        }
    }
}

/// Another order holds the number drawn for this one.
fn number_taken(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, Some(message))
        if f.code == rusqlite::ErrorCode::ConstraintViolation && message.contains("orders.number"))
}

/// Writes a batch in one transaction. The idempotency check is the insert itself: a key taken
/// before, or earlier in the same batch, inserts nothing (no row changed), and then neither its
/// status nor its events are written.
fn write_all(
    connection: &mut rusqlite::Connection,
    orders: &[&Pending],
) -> Result<Vec<bool>, rusqlite::Error> {
    static SQL: LazyLock<[String; 3]> = LazyLock::new(|| {
        [
            format!(
                "{} ON CONFLICT (user_id, idempotency_key) DO NOTHING",
                insert("orders", &ORDER_COLUMNS, Marks::Question)
            ),
            insert("order_status_history", &HISTORY_COLUMNS, Marks::Question),
            insert("outbox", &OUTBOX_COLUMNS, Marks::Question),
        ]
    });
    let [order_sql, history_sql, event_sql] = &*SQL;
    let tx = connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut new = Vec::with_capacity(orders.len());
    {
        let mut order = tx.prepare_cached(order_sql)?;
        let mut history = tx.prepare_cached(history_sql)?;
        let mut event = tx.prepare_cached(event_sql)?;
        for o in orders {
            let inserted = order.execute(rusqlite::params_from_iter(o.cells()))? == 1;
            if inserted {
                history.execute(rusqlite::params_from_iter(o.received().cells()))?;
                for e in o.events() {
                    event.execute(rusqlite::params_from_iter(e.cells()))?;
                }
            }
            new.push(inserted);
        }
    }
    tx.commit()?;
    Ok(new)
}
