-- Making a snapshot also deletes long-expired ones: find them by index, not by a full scan.
CREATE INDEX handovers_expiry ON handovers(expires_at);
