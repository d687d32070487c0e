//! Orders with their status history and outbox events, written in one transaction; the
//! idempotency key is unique per account, so a retry (or a race of two) yields one order.

use super::order_rows::{
    bind, insert, params, History, HistoryRow, Marks, OrderHistoryRow, OrderRow, OutboxRow,
    Pending, HISTORY_COLUMNS, ORDER_COLUMNS, ORDER_READ, OUTBOX_COLUMNS,
};
use super::order_writer::Work;
use super::{time_ordered_id, Db, StorageError};
use domain::order::{OrderStatus, StatusMove, Topic};
use sqlx::any::AnyArguments;
use sqlx::Arguments;

pub use super::order_rows::{NewOrder, StoredOrder};

pub enum Placed {
    New(StoredOrder),
    /// The same key was used before: the order it made.
    Existing(StoredOrder),
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
    let row = sqlx::query_as::<_, OrderRow>(&format!(
        "SELECT {ORDER_READ} FROM orders WHERE user_id = $1 AND idempotency_key = $2"
    ))
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

/// PostgreSQL: writes the order, its first status and its outbox events in one statement (data-
/// modifying CTEs are atomic like a transaction, in one round trip instead of six). The
/// idempotency lookup is folded into the insert: `false` (nothing written) when the key is taken,
/// and the inserts of status and events see no row from `placed` then.
async fn insert_one(pool: &sqlx::AnyPool, o: &Pending) -> Result<bool, sqlx::Error> {
    let (orders, history) = (ORDER_COLUMNS.len(), HISTORY_COLUMNS.len());
    let outbox = OUTBOX_COLUMNS.join(", ");
    let mut sql = format!(
        "WITH placed AS ({} ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING id), \
         history AS (INSERT INTO order_status_history ({}) SELECT {} FROM placed)",
        insert("orders", &ORDER_COLUMNS, Marks::Dollar),
        HISTORY_COLUMNS.join(", "),
        params(Marks::Dollar, 1 + orders, history),
    );
    if o.event_count() > 0 {
        let rows: Vec<String> = (0..o.event_count())
            .map(|i| {
                let first = 1 + orders + history + i * OUTBOX_COLUMNS.len();
                format!("({})", params(Marks::Dollar, first, OUTBOX_COLUMNS.len()))
            })
            .collect();
        sql += &format!(
            ", events AS (INSERT INTO outbox ({outbox}) SELECT e.* FROM placed, (VALUES {}) AS e ({outbox}))",
            rows.join(", ")
        );
    }
    sql += " SELECT COUNT(*) FROM placed";
    let mut query = bind(sqlx::query(&sql), o.cells());
    query = bind(query, o.received().cells());
    for event in o.events() {
        query = bind(query, event.cells());
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
/// SQLite has one writer at a time: its orders go to the writer thread (`super::order_writer`), which commits
/// every order waiting at that moment in one transaction (group commit) and answers each only
/// once that transaction is durable. PostgreSQL has real concurrent writers (row locks, its own
/// group commit of the WAL flush), so each request writes in its own transaction on the pool.
pub async fn place(db: &Db, o: NewOrder<'_>) -> Result<Placed, StorageError> {
    let pending = Pending::new(o).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    place_pending(db, pending).await
}

/// [`place`] for an order ready to write. A number another order holds is drawn again.
pub(crate) async fn place_pending(db: &Db, mut pending: Pending) -> Result<Placed, StorageError> {
    if let Some(writer) = db.writer() {
        let (reply, answer) = tokio::sync::oneshot::channel();
        writer
            .send(Work::Order(Box::new((pending, reply))))
            .await
            .map_err(|_| StorageError::Closed)?;
        let (pending, new) = answer.await.map_err(|_| StorageError::Closed)??;
        return outcome(db, pending, new).await;
    }
    let mut attempts = 0;
    loop {
        match insert_one(db.pool(), &pending).await {
            Ok(new) => return outcome(db, pending, new).await,
            Err(sqlx::Error::Database(d))
                if d.constraint() == Some("orders_number_key") && attempts < 3 =>
            {
                attempts += 1;
                pending.renumber();
            }
            Err(e) => return Err(e.into()),
        }
    }
}

pub async fn list(db: &Db, user_id: &str) -> Result<Vec<StoredOrder>, StorageError> {
    let rows = sqlx::query_as::<_, OrderRow>(&format!(
        "SELECT {ORDER_READ} FROM orders WHERE user_id = $1 ORDER BY created_at DESC, number"
    ))
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
    let rows = sqlx::query_as::<_, OrderRow>(&format!("SELECT {ORDER_READ} FROM orders WHERE partner_id = $1 ORDER BY created_at DESC, number LIMIT 500"))
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
    let row = sqlx::query_as::<_, OrderRow>(&format!(
        "SELECT {ORDER_READ} FROM orders WHERE (id = $1 OR number = $2) AND user_id = $3"
    ))
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
    let row = sqlx::query_as::<_, OrderRow>(&format!(
        "SELECT {ORDER_READ} FROM orders WHERE (id = $1 OR number = $2) AND partner_id = $3"
    ))
    .bind(id)
    .bind(id)
    .bind(partner_id)
    .fetch_optional(db.pool())
    .await?;
    found(db, row).await
}

/// Stores a checked status move ([`domain::order::change_status`]) if the order still has
/// `from` (a compare-and-set, so two staff clicking at once change it once), with its history
/// entry and its events. `false` when the status was no longer `from`.
pub async fn change_status(
    db: &Db,
    order_id: &str,
    number: &str,
    change: &StatusMove,
    request_id: Option<&str>,
) -> Result<bool, StorageError> {
    let mut tx = db.pool().begin().await?;
    let changed = sqlx::query("UPDATE orders SET status = $1 WHERE id = $2 AND status = $3")
        .bind(change.to.as_str())
        .bind(order_id)
        .bind(change.from.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed != 1 {
        return Ok(false);
    }
    let seq: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM order_status_history WHERE order_id = $1")
            .bind(order_id)
            .fetch_one(&mut *tx)
            .await?;
    let entry = History {
        order_id,
        status: change.to,
        at: change.at,
        note: &change.note,
        reason: change.reason.as_deref(),
        seq,
    };
    let history_sql = insert("order_status_history", &HISTORY_COLUMNS, Marks::Dollar);
    bind(sqlx::query(&history_sql), entry.cells())
        .execute(&mut *tx)
        .await?;
    let event_sql = insert("outbox", &OUTBOX_COLUMNS, Marks::Dollar);
    for event in &change.events {
        let (id, payload) = (time_ordered_id(), event.payload(number).to_string());
        let row = OutboxRow {
            id: &id,
            topic: event.topic(),
            order_id,
            payload: &payload,
            created_at: change.at,
            request_id,
        };
        bind(sqlx::query(&event_sql), row.cells())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(true)
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
    let rows =
        sqlx::query_as_with::<_, OrderRow, _>(&format!("SELECT {ORDER_READ} {page}"), paged()?)
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

/// Outbox events of a topic, oldest first (for downstream delivery and the tests).
pub async fn outbox(db: &Db, topic: Topic) -> Result<Vec<serde_json::Value>, StorageError> {
    let payloads = sqlx::query_scalar::<_, String>(
        "SELECT payload FROM outbox WHERE topic = $1 ORDER BY created_at, id",
    )
    .bind(topic.as_str())
    .fetch_all(db.pool())
    .await?;
    Ok(payloads
        .iter()
        .map(|p| serde_json::from_str(p).unwrap_or_default())
        .collect())
}

/// Any order by its id (for the outbox relay).
pub async fn by_id(db: &Db, id: &str) -> Result<Option<StoredOrder>, StorageError> {
    let row =
        sqlx::query_as::<_, OrderRow>(&format!("SELECT {ORDER_READ} FROM orders WHERE id = $1"))
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
            status: super::super::order_rows::StoredStatus::from(status.to_string()),
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

    #[test]
    fn order_numbers_are_readable() {
        let n = super::super::order_rows::order_number();
        assert_eq!(n.len(), 12);
        assert!(n.starts_with("S1-"));
        assert!(
            n[3..].chars().all(|c| c == '-' || !"01OI".contains(c)),
            "{n}"
        );
    }

    /// A database for one test: SQLite in `dir`, or a new database on `TEST_DATABASE_URL`.
    async fn fresh_db(dir: &std::path::Path) -> Db {
        let url = match std::env::var("TEST_DATABASE_URL") {
            Ok(base) if base.starts_with("postgres") => {
                sqlx::any::install_default_drivers();
                let admin = sqlx::AnyPool::connect(&base).await.unwrap();
                let name = format!("t_{}", super::super::accounts::random_id());
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&admin)
                    .await
                    .unwrap();
                admin.close().await;
                format!("{}/{name}", base.rsplit_once('/').unwrap().0)
            }
            _ => format!("sqlite://{}", dir.join("orders.sqlite").display()),
        };
        Db::connect(&url).await.unwrap()
    }

    fn accepted() -> domain::order::Accepted {
        let cat = domain::Catalog::current();
        let selection = cat.select(&cat.empty_selection(), "PREMIUM").unwrap();
        let request: domain::order::OrderRequest = serde_json::from_value(serde_json::json!({
            "code": cat.encode(&selection),
            "price_list_version": cat.version(),
            "expected_total": cat.price(&cat.complete(&selection).unwrap()).gross,
            "customer": { "kind": "private", "first_name": "Erika", "last_name": "Mustermann",
                "email": "erika@example.de", "phone": "+49 40 123456", "street": "Jungfernstieg 1",
                "postcode": "20095", "city": "Hamburg" },
            "location_id": "hamburg-01",
            "payment": { "method": "cash" },
            "terms_version": domain::order::terms_version(),
            "withdrawal_notice_shown": true
        }))
        .unwrap();
        let network = domain::Network::embedded();
        domain::order::accept(
            &cat,
            &network,
            &request,
            Default::default(),
            super::super::now(),
        )
        .unwrap()
    }

    // 40 random bits: among a million orders two draw one number more likely than not (a bench
    // run met it as a 500). A taken number is drawn again, on both databases.
    #[tokio::test]
    async fn a_number_another_order_holds_is_drawn_again() {
        let dir = tempfile::tempdir().unwrap();
        let db = fresh_db(dir.path()).await;
        let user = super::super::accounts::account_for_store_order(&db, "erika@example.de")
            .await
            .unwrap();
        let order = accepted();
        let new = |key: &'static str| NewOrder {
            user_id: &user.id,
            idempotency_key: key,
            request_hash: "h",
            order: &order,
            request_id: None,
        };
        let Placed::New(first) = place(&db, new("first-key")).await.unwrap() else {
            panic!("a new key places a new order")
        };
        let mut second = Pending::new(new("second-key")).unwrap();
        second.number = first.number.clone();
        let Placed::New(placed) = place_pending(&db, second).await.unwrap() else {
            panic!("a new key places a new order")
        };
        assert_ne!(placed.number, first.number);
        let numbers: Vec<serde_json::Value> = outbox(&db, Topic::OrderPlaced)
            .await
            .unwrap()
            .into_iter()
            .map(|p| p["number"].clone())
            .collect();
        assert_eq!(numbers, [first.number.as_str(), placed.number.as_str()]);
        db.close().await;
    }
}
