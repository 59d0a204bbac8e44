-- The hall edge (docs/edge.md). On the edge's own SQLite, `edge_outbox` holds every change
-- to the rows it ships (tickets, their events, ratings, read-backs, hall events, counters),
-- captured by triggers the edge installs when it starts (crates/store/src/edge/capture.rs),
-- in commit order; AUTOINCREMENT so a sequence number is never reused after a shipped row
-- is removed. On the central database, `edge_halls` marks the halls an edge runs: the last
-- sequence number applied (a batch at or below it is skipped, so a re-sent batch never
-- doubles), and when the edge was last heard from (the central screens' 离线 · Offline).
CREATE TABLE edge_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE edge_halls (
    hall_id INTEGER PRIMARY KEY REFERENCES halls(id),
    edge_name TEXT NOT NULL DEFAULT '',
    last_seq INTEGER NOT NULL DEFAULT 0,
    rows_applied INTEGER NOT NULL DEFAULT 0,
    last_seen_at INTEGER NOT NULL,
    last_shipped_at INTEGER NOT NULL DEFAULT 0,
    since INTEGER NOT NULL
);
