-- Seller replies take an Idempotency-Key too, and each stored response remembers a fingerprint of
-- the request it answered (src/idempotency.rs), so the same key with a different request is
-- refused instead of replayed. Rows from before have none; they were all dialog creations.
-- dialog_id is the created dialog, or the dialog a reply went to.
ALTER TABLE idempotency ADD COLUMN request_hash TEXT;
