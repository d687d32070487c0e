-- The outbox relay delivers events (webhooks, confirmation mail). An event names its order, and
-- its payload holds only what the event adds (the relay reads the order itself), so accepting
-- an order writes the order once, not three times. Per event: how often it was tried, when it
-- is due next, which webhook targets already took it, and whether it is dead (given up until
-- staff replay it). lease_until_ms: an instance that took the event for delivery holds it until
-- then; another instance skips it meanwhile (and takes it over if the first one died).
-- request_id: the request that made the event, carried into the webhook. Times in milliseconds.
ALTER TABLE outbox ADD COLUMN order_id TEXT;
ALTER TABLE outbox ADD COLUMN request_id TEXT;
ALTER TABLE outbox ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN lease_until_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN done_targets TEXT NOT NULL DEFAULT '[]';
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN dead_at BIGINT;
CREATE INDEX outbox_undelivered ON outbox(sent_at, next_attempt_ms);
CREATE INDEX outbox_order ON outbox(order_id, id);
