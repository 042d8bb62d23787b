-- Issue 19.
-- 1. Idempotency rows keep the id of the dialog they answered and the kind of request, not a
--    copy of the response: a replay rebuilds the answer from the dialog. Rows expire after
--    24 h (src/idempotency.rs); created_at is indexed for the purge.
CREATE TABLE idempotency_v2 (
    seller_id    INTEGER NOT NULL REFERENCES sellers(id),
    key          TEXT NOT NULL,
    dialog_id    INTEGER NOT NULL REFERENCES dialogs(id),
    kind         TEXT NOT NULL CHECK (kind IN ('create', 'reply')),
    request_hash TEXT,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (seller_id, key)
);
-- A stored reply response was a whole dialog (it has "messages"); a creation's was not.
INSERT INTO idempotency_v2 (seller_id, key, dialog_id, kind, request_hash, created_at)
    SELECT seller_id, key, dialog_id,
           CASE WHEN instr(response, '"messages"') > 0 THEN 'reply' ELSE 'create' END,
           request_hash, created_at
    FROM idempotency;
DROP TABLE idempotency;
ALTER TABLE idempotency_v2 RENAME TO idempotency;
CREATE INDEX idempotency_created ON idempotency(created_at);

-- 2. Search indexes each message once, when it is written, instead of appending every reply to
--    one growing dialogs.search text that the FTS triggers then re-index whole. dialogs.search
--    keeps the number, category and theme of new dialogs (older rows keep their texts too,
--    which only repeats what message_search finds). messages.search is the lowercased text;
--    the server fills it (SQLite's lower() folds only ASCII), also for existing messages right
--    after this migration (src/db.rs).
ALTER TABLE messages ADD COLUMN search TEXT NOT NULL DEFAULT '';
CREATE VIRTUAL TABLE message_search USING fts5(
    search,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'trigram'
);
CREATE TRIGGER messages_search_ai AFTER INSERT ON messages BEGIN
    INSERT INTO message_search (rowid, search) VALUES (new.id, new.search);
END;
CREATE TRIGGER messages_search_ad AFTER DELETE ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, search) VALUES ('delete', old.id, old.search);
END;
-- Messages are never edited, so there is no update trigger; the backfill rebuilds the index.
