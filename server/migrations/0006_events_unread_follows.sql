-- Issue 17: the seller's event log, unread answers, continuations.
--
-- 1. Every change a seller's open tabs should hear about is a row here, written in the same
--    transaction as the change itself, so `Last-Event-ID` replays exactly what a reconnecting
--    tab missed. Nothing here is SQLite-specific: a PostgreSQL backend keeps the table (BIGSERIAL
--    id) and only swaps the in-process wake-up for LISTEN/NOTIFY (src/events.rs).
--    payload is the JSON `data` of the event (domain::events::DialogChange).
CREATE TABLE events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    seller_id  INTEGER NOT NULL REFERENCES sellers(id),
    dialog_id  INTEGER NOT NULL REFERENCES dialogs(id),
    kind       TEXT NOT NULL CHECK (kind IN ('created', 'message', 'status', 'read')),
    payload    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX events_seller ON events(seller_id, id);
CREATE INDEX events_created ON events(created_at);
-- Old events are pruned (by age and by count per seller); the highest pruned id of each seller
-- tells a reconnect with an older id that it cannot be replayed exactly (resync).
ALTER TABLE sellers ADD COLUMN events_floor INTEGER NOT NULL DEFAULT 0;

-- 2. Support messages the seller has not marked read. Answers that arrived before this
--    migration count as read: nobody can tell, and a mark on every old answer would be noise.
ALTER TABLE dialogs ADD COLUMN unread INTEGER NOT NULL DEFAULT 0;
CREATE INDEX dialogs_seller_unread ON dialogs(seller_id) WHERE unread > 0;
-- sort=activity_desc: updated_at is the last message or status change.
CREATE INDEX dialogs_seller_updated ON dialogs(seller_id, updated_at, id);

-- 3. A dialog may continue an earlier one of the same seller.
ALTER TABLE dialogs ADD COLUMN follows INTEGER REFERENCES dialogs(id);
CREATE INDEX dialogs_follows ON dialogs(follows) WHERE follows IS NOT NULL;
