-- The schema of version 5 (the SQLite files 0001–0005 up to their end state), for PostgreSQL.
-- Times are unix milliseconds (UTC), like the API. Search texts are lowercased by the server
-- (as with SQLite), so both backends compare the same strings.

-- Trigram indexes answer LIKE '%…%' (the substring search of the list) from an index. pg_trgm
-- is a trusted extension: the database owner may create it without being a superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE sellers (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

-- Only the SHA-256 of each session token.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    seller_id    BIGINT NOT NULL REFERENCES sellers(id),
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_created ON sessions(created_at);
CREATE INDEX sessions_last_seen ON sessions(last_seen_at);

-- id is the 8-digit dialog number shown to the seller (random, unique).
CREATE TABLE dialogs (
    id              BIGINT PRIMARY KEY,
    seller_id       BIGINT NOT NULL REFERENCES sellers(id),
    category_id     TEXT NOT NULL,
    theme_id        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('waiting', 'answered', 'closed')),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    -- When the dialog last became 'answered'; the auto-close clock starts here.
    answered_at     BIGINT,
    closed_at       BIGINT,
    close_reason    TEXT CHECK (close_reason IN ('resolved', 'auto')),
    rating          SMALLINT CHECK (rating BETWEEN 1 AND 5),
    resolve_comment TEXT,
    -- Comma-separated ResolveReason wire names.
    resolve_reasons TEXT NOT NULL DEFAULT '',
    -- Lowercased number, category and theme names.
    search          TEXT NOT NULL
);
CREATE INDEX dialogs_seller_created ON dialogs(seller_id, created_at, id);
CREATE INDEX dialogs_seller_status_created ON dialogs(seller_id, status, created_at, id);
CREATE INDEX dialogs_status_answered ON dialogs(status, answered_at);
CREATE INDEX dialogs_search ON dialogs USING gin (search gin_trgm_ops);

CREATE TABLE messages (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dialog_id  BIGINT NOT NULL REFERENCES dialogs(id),
    author     TEXT NOT NULL CHECK (author IN ('seller', 'support')),
    text       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    -- The lowercased text.
    search     TEXT NOT NULL
);
CREATE INDEX messages_dialog ON messages(dialog_id, id);
CREATE INDEX messages_search ON messages USING gin (search gin_trgm_ops);

-- n keeps the order the files were attached in (SQLite's rowid).
CREATE TABLE attachments (
    id           TEXT PRIMARY KEY,
    message_id   BIGINT NOT NULL REFERENCES messages(id),
    n            BIGINT GENERATED ALWAYS AS IDENTITY,
    name         TEXT NOT NULL,
    size         BIGINT NOT NULL,
    content_type TEXT NOT NULL
);
CREATE INDEX attachments_message ON attachments(message_id, n);

-- The bytes, in 256 KiB pieces written in the transaction that stores the message. Any
-- instance serves any file; a backup of the database is a backup of the files.
CREATE TABLE attachment_chunks (
    attachment_id TEXT NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    data          BYTEA NOT NULL,
    PRIMARY KEY (attachment_id, seq)
);
-- Mostly PDF, PNG and JPEG: already compressed, so do not spend CPU trying again (TOAST stays).
ALTER TABLE attachment_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- Which dialog (seller, Idempotency-Key) answered with; the primary key is what makes the same
-- key sent to two instances at once create one dialog.
CREATE TABLE idempotency (
    seller_id    BIGINT NOT NULL REFERENCES sellers(id),
    key          TEXT NOT NULL,
    dialog_id    BIGINT NOT NULL REFERENCES dialogs(id),
    kind         TEXT NOT NULL CHECK (kind IN ('create', 'reply')),
    request_hash TEXT,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (seller_id, key)
);
CREATE INDEX idempotency_created ON idempotency(created_at);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
