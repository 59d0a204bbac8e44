-- Issue 13: case warnings reach the webhook through an outbox. A row is written in the
-- transaction that records the warning; a background worker on any node claims due rows
-- (FOR UPDATE SKIP LOCKED on PostgreSQL, one atomic UPDATE on SQLite), posts them, and
-- records the outcome, retrying with exponential backoff. The unique key makes each
-- (case, clock, level) one delivery even when several nodes scan at once.
CREATE TABLE webhook_outbox (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    hall_id INTEGER NOT NULL,
    clock_key TEXT NOT NULL,
    level TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    -- pending, delivered, or failed (gave up after the last attempt)
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_by TEXT,
    claimed_until INTEGER,
    last_error TEXT NOT NULL DEFAULT '',
    delivered_at INTEGER,
    UNIQUE (case_id, clock_key, level)
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (status, next_attempt_at);
