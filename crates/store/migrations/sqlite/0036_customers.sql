-- 客户与分群 · the hall's customer register: customers by account number (户号), their
-- segments with the care they need, consents to be contacted (append-only: a withdrawal
-- is a new row) and every change, including who looked at full personal data and why.
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    account_no TEXT NOT NULL,
    name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    customer_class TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (hall_id, account_no)
);
CREATE INDEX customers_phone ON customers (hall_id, phone);
CREATE TABLE customer_segments (
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    segment TEXT NOT NULL,
    -- Comma-separated care codes, in the domain's order.
    care TEXT NOT NULL,
    basis TEXT,
    review_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    since INTEGER NOT NULL,
    PRIMARY KEY (customer_id, segment)
);
CREATE INDEX customer_segments_review ON customer_segments (review_on);
CREATE TABLE customer_consents (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    purpose TEXT NOT NULL,
    channel TEXT,
    granted INTEGER NOT NULL,
    at INTEGER NOT NULL,
    by_id INTEGER REFERENCES staff(id),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customer_consents_customer ON customer_consents (customer_id, at);
-- kind: created, changed, consent, withdrawn, revealed. The summary never holds the full
-- account, phone or name.
CREATE TABLE customer_changes (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    kind TEXT NOT NULL,
    at INTEGER NOT NULL,
    by_id INTEGER REFERENCES staff(id),
    summary TEXT NOT NULL
);
CREATE INDEX customer_changes_customer ON customer_changes (customer_id, at);
