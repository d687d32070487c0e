-- A customer's orders are found by the unique (user_id, idempotency_key) index, whose first
-- column is the user (a customer has a handful of orders; they are sorted after). The second
-- index on (user_id, created_at) only cost a write at a random place of it for every order.
DROP INDEX IF EXISTS orders_user;
