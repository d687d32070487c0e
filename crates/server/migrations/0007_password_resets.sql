-- Password resets by e-mail link ("Passwort vergessen?"). The link carries a random token
-- (32 bytes, base64url); only its SHA-256 (hex) is stored, so a leaked database holds no live
-- links. A token is valid until expires_at (30 minutes) and only once: used_at is set by the
-- one statement that accepts it.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX password_resets_user ON password_resets(user_id);
