-- Issue 19: session tokens are stored as their SHA-256 (a copy of the database no longer logs
-- anyone in), and a session also ends after a time without use (last_seen_at), besides its
-- absolute lifetime. Existing rows are hashed by the server right after this migration
-- (src/db.rs), so nobody is logged out by the upgrade.
CREATE TABLE sessions_v2 (
    token_hash   TEXT PRIMARY KEY,
    seller_id    INTEGER NOT NULL REFERENCES sellers(id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_created ON sessions_v2(created_at);
CREATE INDEX sessions_last_seen ON sessions_v2(last_seen_at);
