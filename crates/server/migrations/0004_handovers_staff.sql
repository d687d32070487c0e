-- Showroom and hand-over: staff accounts of partners, hand-over snapshots, and the channel
-- ("web" or "store") of saved configurations.
CREATE TABLE staff (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    partner_id TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- A snapshot of a car, its step and its agency location, found by a short code for 7 days.
CREATE TABLE handovers (
    code TEXT PRIMARY KEY,
    config_code TEXT NOT NULL,
    step TEXT NOT NULL,
    price_list_version TEXT NOT NULL,
    location_id TEXT,
    partner_id TEXT,
    channel TEXT NOT NULL,
    created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    opened INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX handovers_partner ON handovers(partner_id, created_at);

ALTER TABLE configurations ADD COLUMN channel TEXT NOT NULL DEFAULT 'web';
-- The partner an order is credited to (set when placed; older rows are filled at start).
ALTER TABLE orders ADD COLUMN partner_id TEXT;
CREATE INDEX orders_partner ON orders(partner_id, created_at);

-- Status changes can come within one second: their position keeps the history in order.
ALTER TABLE order_status_history ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
