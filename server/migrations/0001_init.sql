-- Initial schema. Times are unix milliseconds (UTC), like the API.

CREATE TABLE sellers (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token      TEXT PRIMARY KEY,
    seller_id  INTEGER NOT NULL REFERENCES sellers(id),
    created_at INTEGER NOT NULL
);

-- id is the 8-digit dialog number shown to the seller (random, unique).
CREATE TABLE dialogs (
    id              INTEGER PRIMARY KEY,
    seller_id       INTEGER NOT NULL REFERENCES sellers(id),
    category_id     TEXT NOT NULL,
    theme_id        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('waiting', 'answered', 'closed')),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    -- When the dialog last became 'answered'; the auto-close clock starts here.
    answered_at     INTEGER,
    closed_at       INTEGER,
    close_reason    TEXT CHECK (close_reason IN ('resolved', 'auto')),
    rating          INTEGER CHECK (rating BETWEEN 1 AND 5),
    resolve_comment TEXT,
    -- Comma-separated ResolveReason wire names.
    resolve_reasons TEXT NOT NULL DEFAULT '',
    -- Lowercased number, category and theme names and message texts: SQLite's lower() only
    -- folds ASCII, so the server folds Cyrillic itself and searches with instr().
    search          TEXT NOT NULL
);
CREATE INDEX dialogs_seller_created ON dialogs(seller_id, created_at, id);
CREATE INDEX dialogs_seller_status_created ON dialogs(seller_id, status, created_at, id);
CREATE INDEX dialogs_status_answered ON dialogs(status, answered_at);

CREATE TABLE messages (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    dialog_id  INTEGER NOT NULL REFERENCES dialogs(id),
    author     TEXT NOT NULL CHECK (author IN ('seller', 'support')),
    text       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX messages_dialog ON messages(dialog_id, id);

-- The bytes live in <data>/files/<id>; name is only shown, never used as a path.
CREATE TABLE attachments (
    id           TEXT PRIMARY KEY,
    message_id   INTEGER NOT NULL REFERENCES messages(id),
    name         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    content_type TEXT NOT NULL
);
CREATE INDEX attachments_message ON attachments(message_id);

-- The first response to (seller, Idempotency-Key), replayed verbatim.
CREATE TABLE idempotency (
    seller_id  INTEGER NOT NULL REFERENCES sellers(id),
    key        TEXT NOT NULL,
    dialog_id  INTEGER NOT NULL REFERENCES dialogs(id),
    response   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (seller_id, key)
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
