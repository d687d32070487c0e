-- Orders (agency model): the full order as JSON, its status history, and the outbox that
-- carries events to downstream systems. One transaction writes all three.
CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users(id),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    location_id TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (user_id, idempotency_key)
);
CREATE INDEX orders_user ON orders(user_id, created_at);

CREATE TABLE order_status_history (
    order_id TEXT NOT NULL REFERENCES orders(id),
    status TEXT NOT NULL,
    at BIGINT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX order_status_history_order ON order_status_history(order_id);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    topic TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
