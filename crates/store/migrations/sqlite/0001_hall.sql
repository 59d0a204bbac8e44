-- The hall foundation: halls, business types, counters, staff, devices, sessions,
-- tickets with their timed logs, read-backs, ratings, the hall event feed.
CREATE TABLE halls (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    opens TEXT NOT NULL DEFAULT '08:30',
    closes TEXT NOT NULL DEFAULT '17:30',
    green_first INTEGER NOT NULL DEFAULT 1,
    overdue_to_all INTEGER NOT NULL DEFAULT 1,
    max_recalls INTEGER NOT NULL DEFAULT 3
);
CREATE TABLE business_types (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    prefix TEXT NOT NULL,
    target_wait_s INTEGER NOT NULL,
    target_handling_s INTEGER NOT NULL,
    is_payment INTEGER NOT NULL DEFAULT 0,
    sort_order INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    UNIQUE (hall_id, code)
);
CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER REFERENCES halls(id),
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    badge_no TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    photo TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE counters (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    number INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'closed',
    pause_reason TEXT NOT NULL DEFAULT '',
    staff_id INTEGER REFERENCES staff(id),
    status_since INTEGER NOT NULL DEFAULT 0,
    UNIQUE (hall_id, number)
);
CREATE TABLE counter_business_types (
    counter_id INTEGER NOT NULL REFERENCES counters(id),
    business_type_id INTEGER NOT NULL REFERENCES business_types(id),
    is_primary INTEGER NOT NULL,
    PRIMARY KEY (counter_id, business_type_id)
);
CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    counter_id INTEGER REFERENCES counters(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    csrf TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE TABLE ticket_sequences (
    hall_id INTEGER NOT NULL,
    service_day TEXT NOT NULL,
    prefix TEXT NOT NULL,
    last_no INTEGER NOT NULL,
    PRIMARY KEY (hall_id, service_day, prefix)
);
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    business_type_id INTEGER NOT NULL REFERENCES business_types(id),
    service_day TEXT NOT NULL,
    prefix TEXT NOT NULL,
    seq_no INTEGER NOT NULL,
    number TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    priority TEXT NOT NULL,
    green_reason TEXT NOT NULL DEFAULT '',
    proxy INTEGER NOT NULL DEFAULT 0,
    channel TEXT NOT NULL,
    state TEXT NOT NULL,
    queued_since INTEGER NOT NULL,
    issued_at INTEGER NOT NULL,
    counter_id INTEGER REFERENCES counters(id),
    staff_id INTEGER REFERENCES staff(id),
    target_counter_id INTEGER REFERENCES counters(id),
    recalls INTEGER NOT NULL DEFAULT 0,
    transferred_from INTEGER REFERENCES tickets(id),
    updated_at INTEGER NOT NULL
);
-- Numbers never repeat within a hall-local day; a transfer's linked record keeps the number.
CREATE UNIQUE INDEX tickets_number_per_day ON tickets (hall_id, service_day, prefix, seq_no)
    WHERE transferred_from IS NULL;
CREATE INDEX tickets_waiting ON tickets (hall_id, state);
CREATE INDEX tickets_day ON tickets (hall_id, service_day);
CREATE TABLE ticket_events (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    state TEXT NOT NULL,
    action TEXT NOT NULL,
    at INTEGER NOT NULL,
    counter_id INTEGER,
    staff_id INTEGER,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);
CREATE TABLE read_backs (
    ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),
    due INTEGER NOT NULL,
    received INTEGER NOT NULL,
    change_due INTEGER NOT NULL,
    at INTEGER NOT NULL
);
CREATE TABLE ratings (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL UNIQUE REFERENCES tickets(id),
    hall_id INTEGER NOT NULL,
    counter_id INTEGER NOT NULL,
    staff_id INTEGER,
    device_id INTEGER,
    level INTEGER NOT NULL,
    reasons TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL
);
CREATE INDEX ratings_hall_at ON ratings (hall_id, at);
CREATE TABLE hall_events (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX hall_events_hall ON hall_events (hall_id, id);
CREATE TABLE idempotency_keys (
    hall_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    ticket_id INTEGER,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (hall_id, key)
);
