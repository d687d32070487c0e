-- Test drives after booking: the outbox carries their events (webhooks to the agent, mails with
-- the calendar invite, the reminder a day before), a drive's moves and its cancel are kept, and
-- the customer manages the drive through a link whose token only that drive's page accepts.
-- outbox.test_drive_id: the drive an event is about (order_id stays for orders' events).
ALTER TABLE outbox ADD COLUMN test_drive_id TEXT;
CREATE INDEX outbox_test_drive ON outbox(test_drive_id, id);

-- Each change of a drive: a move (from one start to another) or a cancel, and who made it.
CREATE TABLE test_drive_changes (
    id TEXT PRIMARY KEY,
    drive_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    -- rescheduled, cancelled
    kind TEXT NOT NULL,
    from_starts_at BIGINT NOT NULL,
    to_starts_at BIGINT,
    -- customer (through the manage link) or staff
    by_whom TEXT NOT NULL
);
CREATE INDEX test_drive_changes_by_drive ON test_drive_changes (drive_id, at);

-- Manage links: only the token's SHA-256 is stored; valid until the drive has ended.
CREATE TABLE test_drive_tokens (
    token_hash TEXT PRIMARY KEY,
    drive_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX test_drive_tokens_by_drive ON test_drive_tokens (drive_id);

-- Staff block a demo car for a period (service, a fair): one row per hour of it, status
-- 'blocked', grouped by block_id with the reason in note. As rows of this table they hold the
-- car's hours by the same unique index (and exclusion constraint) as bookings do.
ALTER TABLE test_drives ADD COLUMN block_id TEXT;
ALTER TABLE test_drives ADD COLUMN note TEXT;
CREATE INDEX test_drives_by_block ON test_drives (block_id);
