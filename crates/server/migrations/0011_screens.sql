-- Showroom screens in store mode. A staff member of the location's agent signs in on the screen;
-- the server then gives the screen a random token (an HttpOnly cookie; only its SHA-256 is kept
-- here). With it, and only with it, what the screen saves or orders is recorded as the store
-- channel, and an order names the staff member who set up the screen as the serving advisor.
-- A token ends at expires_at, or when staff end the screen's store mode (revoked_at).
CREATE TABLE screens (
    token_hash TEXT PRIMARY KEY,
    location_id TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    staff_user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    advisor TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX screens_expiry ON screens(expires_at);
