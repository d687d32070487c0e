//! The database behind the API. SQLite (a file, WAL) by default; PostgreSQL when the URL says so.
//! Both go through sqlx's `Any` driver, so every query is written once, with placeholders both
//! read (`$1, $2, ...`: sqlx's SQLite driver binds `$N` by number, as PostgreSQL does); the few
//! differences (connection settings, the SQLite writer) stay in this module. The one exception is
//! SQLite's order writer, a thread with a rusqlite connection of its own (`order_writer::spawn_writer`).

pub mod accounts;
pub mod configurations;
pub mod handovers;
pub mod order_rows;
pub mod order_writer;
pub mod orders;
pub mod outbox;
pub mod screens;
pub mod test_drives;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    /// One connection of its own for the health check: a probe must tell whether the database
    /// answers, not queue behind a burst of requests for the main pool (a load balancer would
    /// take a busy instance out of rotation exactly when it is needed).
    health: AnyPool,
    kind: Kind,
    /// SQLite: the queue of the one thread that writes orders ([`order_writer::spawn_writer`]).
    /// PostgreSQL writes on the pool.
    writer: Option<tokio::sync::mpsc::Sender<order_writer::Work>>,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    /// The SQLite order writer's own connection (see [`order_writer::spawn_writer`]).
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot start the order writer: {0}")]
    Thread(std::io::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the folder for the database file: {0}")]
    Folder(std::io::Error),
    #[error("DATABASE_URL must start with sqlite:// or postgres://")]
    Scheme,
    /// A stored value that does not read as its type (or cannot be written as JSON).
    #[error("stored data cannot be read: {0}")]
    Corrupt(String),
    #[error("the database is closing")]
    Closed,
}

/// Seconds since the epoch: timestamps are plain integers in both databases.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// An identifier that sorts by creation time: 14 hex digits of microseconds since the epoch, then
/// 72 random bits (32 hex digits in all). Rows keyed by it are appended at the end of their
/// indexes instead of at random places, so a batch of orders dirties a few index pages, not one
/// page per order (each dirty page is written to the WAL at every commit).
pub fn time_ordered_id() -> String {
    use rand::Rng;
    let micros = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros());
    let random: u128 = rand::thread_rng().gen();
    format!(
        "{:014x}{:018x}",
        micros & ((1 << 56) - 1),
        random & ((1 << 72) - 1)
    )
}

/// Characters for codes people read aloud or type: digits and capitals without 0, 1, I and O,
/// so no two of them look alike. 32 characters: each one carries 5 bits.
pub const READABLE: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// `len` characters drawn uniformly from [`READABLE`] by the thread's generator (a CSPRNG
/// seeded and reseeded from the operating system, without a system call per code).
pub fn readable_code(len: usize) -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| READABLE[rng.gen_range(0..READABLE.len())] as char)
        .collect()
}

impl Db {
    /// Connects, creating the SQLite file and its folder when missing, and applies migrations.
    pub async fn connect(url: &str) -> Result<Db, StorageError> {
        sqlx::any::install_default_drivers();
        let (kind, url, file) = if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let file = path.split('?').next().unwrap_or(path);
            if let Some(parent) = std::path::Path::new(file)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
            {
                std::fs::create_dir_all(parent).map_err(StorageError::Folder)?;
            }
            (Kind::Sqlite, format!("sqlite://{file}?mode=rwc"), file)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            (Kind::Postgres, url.to_string(), "")
        } else {
            return Err(StorageError::Scheme);
        };
        let options = |max: u32| {
            let options = AnyPoolOptions::new().max_connections(max);
            if kind == Kind::Sqlite {
                options.after_connect(|conn, _| {
                    Box::pin(async move {
                        // WAL: readers never block the writer. FULL: an acknowledged commit
                        // survives a crash of the process or the machine. No automatic
                        // checkpoint: it would run inside a writer's commit, while every other
                        // writer waits; the checkpoint task below does it beside them.
                        conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA wal_autocheckpoint = 0;")
                            .await
                            .map(drop)
                    })
                })
            } else {
                options
            }
        };
        let pool = options(if kind == Kind::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .connect(&url)
            .await?;
        // One set of migrations: they use only SQL both databases read alike (TEXT, BIGINT,
        // no autoincrement: ids are made by the server).
        sqlx::migrate!("./migrations").run(&pool).await?;
        let health = options(1)
            .acquire_timeout(Duration::from_secs(5))
            .connect(&url)
            .await?;
        let writer = if kind == Kind::Sqlite {
            // Its own connection: order writes never queue for the pool (and readers, in WAL
            // mode, never wait for the writer).
            let wal_frames = std::sync::Arc::new(AtomicI64::new(0));
            let queue = order_writer::spawn_writer(file, wal_frames.clone())?;
            tokio::spawn(checkpoints(pool.clone(), wal_frames));
            Some(queue)
        } else {
            None
        };
        let db = Db {
            pool,
            health,
            kind,
            writer,
        };
        test_drives::ensure_no_overlap(&db).await?;
        Ok(db)
    }

    pub fn database(&self) -> domain::api::Database {
        match self.kind {
            Kind::Sqlite => domain::api::Database::Sqlite,
            Kind::Postgres => domain::api::Database::Postgres,
        }
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A read of the database on the health check's own connection (in WAL mode a read never
    /// waits for writers).
    pub async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query("SELECT COUNT(*) FROM schema_info")
            .execute(&self.health)
            .await?;
        Ok(())
    }

    pub fn is_closed(&self) -> bool {
        self.pool.is_closed()
    }

    /// The SQLite order writer's queue, if this database has one.
    fn writer(&self) -> Option<&tokio::sync::mpsc::Sender<order_writer::Work>> {
        self.writer.as_ref()
    }

    /// Closes every connection; the order writer first writes the orders queued before.
    pub async fn close(&self) {
        self.health.close().await;
        if let Some(queue) = &self.writer {
            let (done, closed) = tokio::sync::oneshot::channel();
            if queue.send(order_writer::Work::Close(done)).await.is_ok() {
                let _ = closed.await;
            }
        }
        self.pool.close().await
    }
}

/// SQLite: copies the WAL's pages into the database file every 50 ms, beside the writers (a
/// passive checkpoint takes no write lock), so the file stays current and a checkpoint of the
/// order writer has little left to copy. Tells the order writer how long the WAL is.
///
/// A WAL only starts over from its beginning when a writer finds it fully copied and no reader
/// in it. Copied beside a steady stream of writes, it never is: the WAL grew without end (3 GB
/// in 30 s at launch-day load) and every read and write slowed as it grew. So when it is longer
/// than [`WAL_RESTART_FRAMES`], the order writer, between two batches, copies the rest, and its
/// next batch starts the WAL over (`order_writer`). Should the WAL still grow far beyond that
/// (other writers, no orders), this task runs a RESTART checkpoint, which waits for the readers
/// of the moment and blocks writers meanwhile. Ends when the database closes.
async fn checkpoints(pool: AnyPool, wal_frames: std::sync::Arc<AtomicI64>) {
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if pool.is_closed() {
            return;
        }
        let checkpoint = |mode: &'static str| {
            sqlx::query_as::<_, (i64, i64, i64)>(match mode {
                "RESTART" => "PRAGMA wal_checkpoint(RESTART)",
                _ => "PRAGMA wal_checkpoint(PASSIVE)",
            })
            .fetch_one(&pool)
        };
        let done = match checkpoint("PASSIVE").await {
            Ok((_, frames, _)) if frames > 4 * WAL_RESTART_FRAMES => {
                tracing::info!(frames, "the WAL is long: restarting it");
                checkpoint("RESTART").await
            }
            other => other,
        };
        match done {
            Ok((_, frames, _)) => wal_frames.store(frames, Ordering::Relaxed),
            Err(_) if pool.is_closed() => return,
            Err(e) => tracing::warn!(error = %e, "WAL checkpoint failed"),
        }
    }
}

/// The WAL's length (pages) beyond which it is set back to its start: 256 MB of 4 KB pages, about
/// 8,000 orders, every second or so at launch-day load. Each time costs the order writer a
/// pause of about 15 ms; at a quarter of this length the pauses lifted p99 from 18 to 27 ms.
pub(crate) const WAL_RESTART_FRAMES: i64 = 65_536;

/// Whether `e` is a unique-constraint violation (a key, an e-mail or a code already taken).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
