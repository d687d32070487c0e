//! An order's rows, named once for both databases: the columns of `orders`,
//! `order_status_history` and `outbox` with the values written to them. The PostgreSQL
//! statement (sqlx) and the SQLite writer thread (rusqlite) are both built from these lists, so
//! a new column is one entry here plus its migration.

use super::{time_ordered_id, StorageError};
use domain::order::{
    Accepted, OrderEvent, OrderRecord, OrderStatus, OrderView, StatusEntry, Topic,
};

/// One value of a row, bound the same way by both databases.
#[derive(Clone, Copy, Debug)]
pub enum Cell<'a> {
    Text(&'a str),
    Maybe(Option<&'a str>),
    Int(i64),
}

impl rusqlite::ToSql for Cell<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Cell::Text(text) => text.to_sql(),
            Cell::Maybe(text) => text.to_sql(),
            Cell::Int(number) => number.to_sql(),
        }
    }
}

pub type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// `query` with `cells` bound in order.
pub fn bind<'q>(
    mut query: AnyQuery<'q>,
    cells: impl IntoIterator<Item = Cell<'q>>,
) -> AnyQuery<'q> {
    for cell in cells {
        query = match cell {
            Cell::Text(text) => query.bind(text),
            Cell::Maybe(text) => query.bind(text),
            Cell::Int(number) => query.bind(number),
        };
    }
    query
}

/// How a statement numbers its parameters: `$1` (sqlx) or `?1` (rusqlite).
#[derive(Clone, Copy)]
pub enum Marks {
    Dollar,
    Question,
}

/// `n` parameters from number `first` on: "$3, $4, $5".
pub fn params(marks: Marks, first: usize, n: usize) -> String {
    let mark = match marks {
        Marks::Dollar => '$',
        Marks::Question => '?',
    };
    (first..first + n)
        .map(|i| format!("{mark}{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `INSERT INTO table (a, b) VALUES ($1, $2)`.
pub fn insert(table: &str, columns: &[&str], marks: Marks) -> String {
    format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        columns.join(", "),
        params(marks, 1, columns.len())
    )
}

/// The `orders` columns an order is written with; [`Pending::cells`] gives their values.
pub const ORDER_COLUMNS: [&str; 11] = [
    "id",
    "number",
    "user_id",
    "idempotency_key",
    "request_hash",
    "status",
    "location_id",
    "partner_id",
    "body",
    "created_at",
    "search",
];
/// The `orders` columns an order is read with ([`OrderRow`]).
pub const ORDER_READ: &str = "id, number, status, created_at, body, request_hash";
/// The `order_status_history` columns ([`History::cells`]).
pub const HISTORY_COLUMNS: [&str; 6] = ["order_id", "status", "at", "note", "reason", "seq"];
/// The `outbox` columns an event is written with ([`OutboxRow::cells`]).
pub const OUTBOX_COLUMNS: [&str; 6] = [
    "id",
    "topic",
    "order_id",
    "payload",
    "created_at",
    "request_id",
];

/// The note of every order's first status.
pub const RECEIVED_NOTE: &str = "Order received";

/// One status an order reached.
pub struct History<'a> {
    pub order_id: &'a str,
    pub status: OrderStatus,
    pub at: i64,
    pub note: &'a str,
    pub reason: Option<&'a str>,
    /// Its place in the order's history (statuses of one second stay in order).
    pub seq: i64,
}

impl<'a> History<'a> {
    pub fn cells(&self) -> [Cell<'a>; 6] {
        [
            Cell::Text(self.order_id),
            Cell::Text(self.status.as_str()),
            Cell::Int(self.at),
            Cell::Text(self.note),
            Cell::Maybe(self.reason),
            Cell::Int(self.seq),
        ]
    }
}

/// One outbox event as written.
pub struct OutboxRow<'a> {
    pub id: &'a str,
    pub topic: Topic,
    pub order_id: &'a str,
    pub payload: &'a str,
    pub created_at: i64,
    pub request_id: Option<&'a str>,
}

impl<'a> OutboxRow<'a> {
    pub fn cells(&self) -> [Cell<'a>; 6] {
        [
            Cell::Text(self.id),
            Cell::Text(self.topic.as_str()),
            Cell::Text(self.order_id),
            Cell::Text(self.payload),
            Cell::Int(self.created_at),
            Cell::Maybe(self.request_id),
        ]
    }
}

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

/// What the handler hands storage with an accepted order.
pub struct NewOrder<'a> {
    pub user_id: &'a str,
    pub idempotency_key: &'a str,
    pub request_hash: &'a str,
    pub order: &'a Accepted,
    /// The request that placed the order (carried into its events).
    pub request_id: Option<&'a str>,
}

/// An order on its way to the database: owned, so the SQLite writer thread can take it.
pub struct Pending {
    pub id: String,
    pub user_id: String,
    pub idempotency_key: String,
    pub request_hash: String,
    pub number: String,
    pub body: OrderRecord,
    body_json: String,
    search: String,
    request_id: Option<String>,
    /// What the order raises, and as written: (event id, topic, payload).
    raised: Vec<OrderEvent>,
    events: Vec<(String, Topic, String)>,
    pub at: i64,
}

/// "S1-7KQ9-M3XF": readable, no look-alike characters. 40 random bits: two orders can draw the
/// same number (likely among a million), so a taken number is drawn again ([`Pending::renumber`]).
pub fn order_number() -> String {
    let code = super::readable_code(8);
    format!("S1-{}-{}", &code[..4], &code[4..])
}

/// The outbox rows of `raised` for the order numbered `number`.
fn outbox_events(raised: &[OrderEvent], number: &str) -> Vec<(String, Topic, String)> {
    raised
        .iter()
        .map(|e| (time_ordered_id(), e.topic(), e.payload(number).to_string()))
        .collect()
}

impl Pending {
    pub fn new(o: NewOrder<'_>) -> Result<Pending, serde_json::Error> {
        let accepted = o.order;
        let number = order_number();
        Ok(Pending {
            id: time_ordered_id(),
            user_id: o.user_id.to_string(),
            idempotency_key: o.idempotency_key.to_string(),
            request_hash: o.request_hash.to_string(),
            events: outbox_events(&accepted.events, &number),
            raised: accepted.events.clone(),
            number,
            body_json: serde_json::to_string(&accepted.record)?,
            search: search_text(&accepted.record),
            body: accepted.record.clone(),
            request_id: o.request_id.map(str::to_string),
            at: accepted.at,
        })
    }

    /// Another number, after the drawn one turned out taken by another order.
    pub fn renumber(&mut self) {
        self.number = order_number();
        self.events = outbox_events(&self.raised, &self.number);
    }

    /// The values of [`ORDER_COLUMNS`], in order.
    pub fn cells(&self) -> [Cell<'_>; 11] {
        [
            Cell::Text(&self.id),
            Cell::Text(&self.number),
            Cell::Text(&self.user_id),
            Cell::Text(&self.idempotency_key),
            Cell::Text(&self.request_hash),
            Cell::Text(OrderStatus::Received.as_str()),
            Cell::Text(&self.body.agent.location_id),
            Cell::Text(&self.body.agent.partner_id),
            Cell::Text(&self.body_json),
            Cell::Int(self.at),
            Cell::Text(&self.search),
        ]
    }

    /// Its first status.
    pub fn received(&self) -> History<'_> {
        History {
            order_id: &self.id,
            status: OrderStatus::Received,
            at: self.at,
            note: RECEIVED_NOTE,
            reason: None,
            seq: 0,
        }
    }

    /// Its events, in the order they are delivered.
    pub fn events(&self) -> impl Iterator<Item = OutboxRow<'_>> {
        self.events.iter().map(|(id, topic, payload)| OutboxRow {
            id,
            topic: *topic,
            order_id: &self.id,
            payload,
            created_at: self.at,
            request_id: self.request_id.as_deref(),
        })
    }

    pub fn event_count(&self) -> usize {
        self.events.len()
    }

    /// The order as stored, without reading it back.
    pub fn stored(self) -> StoredOrder {
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

/// An `orders` row as read; its JSON body and status become a [`StoredOrder`] in [`Self::stored`].
#[derive(sqlx::FromRow)]
pub struct OrderRow {
    pub id: String,
    pub number: String,
    #[sqlx(try_from = "String")]
    pub status: StoredStatus,
    pub created_at: i64,
    pub body: String,
    pub request_hash: String,
}

impl OrderRow {
    /// A body or status that does not read is `Corrupt`, so lists can skip just that order.
    pub fn stored(self) -> Result<StoredOrder, StorageError> {
        let id = self.id;
        let corrupt = |what: String| StorageError::Corrupt(format!("order {id}: {what}"));
        let order = serde_json::from_str(&self.body).map_err(|e| corrupt(e.to_string()))?;
        let status = self.status.known().map_err(|e| corrupt(e.to_string()))?;
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
pub struct HistoryRow {
    #[sqlx(try_from = "String")]
    pub status: StoredStatus,
    pub at: i64,
    pub note: String,
    pub reason: Option<String>,
}

impl HistoryRow {
    pub fn entry(self) -> Result<StatusEntry, StorageError> {
        Ok(StatusEntry {
            status: self.status.known()?,
            at: self.at,
            note: self.note,
            reason: self.reason,
        })
    }
}

/// A history row of a list of orders: which order it belongs to.
#[derive(sqlx::FromRow)]
pub struct OrderHistoryRow {
    pub order_id: String,
    #[sqlx(flatten)]
    pub entry: HistoryRow,
}

/// A status as stored: one the domain knows, or the name it does not (that order is corrupt,
/// and a list skips it rather than failing whole).
pub struct StoredStatus(pub Result<OrderStatus, String>);

impl From<String> for StoredStatus {
    fn from(name: String) -> StoredStatus {
        StoredStatus(OrderStatus::parse(&name).ok_or(name))
    }
}

impl StoredStatus {
    pub fn known(self) -> Result<OrderStatus, StorageError> {
        self.0
            .map_err(|name| StorageError::Corrupt(format!("unknown status {name:?}")))
    }
}
