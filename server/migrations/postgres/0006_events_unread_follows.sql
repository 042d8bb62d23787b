-- Issue 17 on PostgreSQL (the SQLite file of the same number): the seller's event log, unread
-- answers, continuations.

-- Every change a seller's open tabs should hear about, written in the transaction of the change.
-- Ids grow; the writers of one seller's events take that seller's row lock before inserting
-- (src/store/pg.rs), so one seller's ids also become visible in order and a stream reading
-- "after id N" never skips a later-committed smaller id.
CREATE TABLE events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seller_id  BIGINT NOT NULL REFERENCES sellers(id),
    dialog_id  BIGINT NOT NULL REFERENCES dialogs(id),
    kind       TEXT NOT NULL CHECK (kind IN ('created', 'message', 'status', 'read')),
    payload    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX events_seller ON events(seller_id, id);
CREATE INDEX events_created ON events(created_at);
-- The highest pruned id per seller (a reconnect with an older id resyncs).
ALTER TABLE sellers ADD COLUMN events_floor BIGINT NOT NULL DEFAULT 0;

-- Support messages the seller has not marked read.
ALTER TABLE dialogs ADD COLUMN unread INTEGER NOT NULL DEFAULT 0;
CREATE INDEX dialogs_seller_unread ON dialogs(seller_id) WHERE unread > 0;
-- sort=activity_desc.
CREATE INDEX dialogs_seller_updated ON dialogs(seller_id, updated_at, id);

-- A dialog may continue an earlier one of the same seller.
ALTER TABLE dialogs ADD COLUMN follows BIGINT REFERENCES dialogs(id);
CREATE INDEX dialogs_follows ON dialogs(follows) WHERE follows IS NOT NULL;
