-- The service catalogue (业务公开): versions of each business type's entry, the hall's public
-- information, customer visits with their outcome (for repeat trips, 重复往返) and the
-- one-time notices given (一次性告知单).
CREATE TABLE catalogue_versions (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    business_type TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    entry TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (hall_id, business_type, effective_from)
);
CREATE TABLE hall_public_info (
    hall_id INTEGER PRIMARY KEY REFERENCES halls(id),
    repeat_window_days INTEGER NOT NULL DEFAULT 15,
    map_url TEXT NOT NULL DEFAULT '',
    complaint_channels TEXT NOT NULL DEFAULT '[]',
    commitments TEXT NOT NULL DEFAULT '[]',
    updated_at INTEGER NOT NULL
);
CREATE TABLE customer_visits (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    ticket_id INTEGER REFERENCES tickets(id),
    business_type TEXT NOT NULL,
    customer_class TEXT NOT NULL,
    contact TEXT NOT NULL,
    outcome TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff(id),
    repeat_of INTEGER REFERENCES customer_visits(id),
    at INTEGER NOT NULL
);
CREATE INDEX customer_visits_contact ON customer_visits (hall_id, contact, at);
CREATE INDEX customer_visits_ticket ON customer_visits (ticket_id);
CREATE INDEX customer_visits_repeat ON customer_visits (hall_id, repeat_of, at);
CREATE TABLE notices (
    code TEXT PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    visit_id INTEGER NOT NULL REFERENCES customer_visits(id),
    business_type TEXT NOT NULL,
    customer_class TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff(id),
    given_at INTEGER NOT NULL
);
