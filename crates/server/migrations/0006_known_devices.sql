-- Browsers an account signed in from (the "device cookie" of OWASP's authentication guidance):
-- a sign-in from one of them passes an account lock that failures from elsewhere set off.
-- The id is the SHA-256 of the cookie's token.
CREATE TABLE known_devices (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_used BIGINT NOT NULL
);
CREATE INDEX known_devices_user ON known_devices(user_id);
