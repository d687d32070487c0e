-- Test drives booked at agency locations, on a demo car for one hour (UTC seconds). A car is
-- never booked twice for one hour: slots start on the hour, so a second booking of the same car
-- and start is the only overlap, and the unique index below refuses it in both databases. On
-- PostgreSQL an exclusion constraint over the time range says the same for any range (added at
-- start: it needs the btree_gist extension, which SQLite has no word for).
CREATE TABLE test_drives (
    id TEXT PRIMARY KEY,
    location_id TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    car_id TEXT NOT NULL,
    line TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    -- booked, done, no_show, cancelled
    status TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    language TEXT NOT NULL,
    -- The configured car the customer came with (a configuration code), if any.
    config_code TEXT,
    account_id TEXT,
    channel TEXT NOT NULL,
    -- The calendar invite's SEQUENCE: raised on each change.
    sequence BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX test_drives_one_per_car_and_hour ON test_drives (car_id, starts_at)
    WHERE status <> 'cancelled';
CREATE INDEX test_drives_by_location ON test_drives (location_id, starts_at);
