-- 防篡改记录 · the tamper-evident record: append-only, hash-chained. One chain per hall
-- (chain = the hall's id) and one deployment chain (chain = 0). UNIQUE (chain, seq) keeps a
-- chain from forking even if two writers raced; audit_heads is the row each append locks.
CREATE TABLE audit_records (
    id INTEGER PRIMARY KEY,
    chain INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    origin TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    digest TEXT NOT NULL,
    -- The source row the digest covers ('' when the record is its own source), and for a
    -- sealed batch of hall_events the last id and the kept id=digest list.
    source_table TEXT NOT NULL DEFAULT '',
    source_id INTEGER,
    source_to INTEGER,
    sealed TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX audit_records_chain_seq ON audit_records (chain, seq);
CREATE TABLE audit_heads (
    chain INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    -- The last hall_events id of this hall sealed into the chain.
    sealed_through INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE audit_verifications (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    by_whom TEXT NOT NULL,
    ok INTEGER NOT NULL,
    records INTEGER NOT NULL,
    finding TEXT NOT NULL DEFAULT ''
);
