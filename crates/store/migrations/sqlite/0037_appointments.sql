-- 预约 and the notifier: each hall's booking policy, one row per bookable slot holding its
-- count (the conditional increment that keeps capacity), the bookings, the phone check's
-- hashed codes, and the notifier's delivery log (also its queue of pending deliveries).
CREATE TABLE appointment_settings (
    hall_id INTEGER PRIMARY KEY REFERENCES halls(id),
    enabled INTEGER NOT NULL,
    bookable_share_pct INTEGER NOT NULL,
    manual_capacity INTEGER,
    grace_min INTEGER NOT NULL,
    no_show_limit INTEGER NOT NULL,
    days_ahead INTEGER NOT NULL,
    updated_by INTEGER REFERENCES staff(id),
    updated_at INTEGER NOT NULL
);
CREATE TABLE appointment_slots (
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    business_type_id INTEGER NOT NULL REFERENCES business_types(id),
    service_day TEXT NOT NULL,
    slot INTEGER NOT NULL,
    capacity INTEGER NOT NULL,
    booked INTEGER NOT NULL,
    PRIMARY KEY (hall_id, business_type_id, service_day, slot)
);
CREATE TABLE appointments (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    business_type_id INTEGER NOT NULL REFERENCES business_types(id),
    service_day TEXT NOT NULL,
    slot INTEGER NOT NULL,
    slot_start INTEGER NOT NULL,
    code TEXT NOT NULL,
    phone TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    state TEXT NOT NULL,
    booked_at INTEGER NOT NULL,
    checked_in_at INTEGER,
    ticket_id INTEGER REFERENCES tickets(id),
    on_time INTEGER NOT NULL DEFAULT 0,
    cancelled_at INTEGER,
    replaced_by INTEGER REFERENCES appointments(id),
    reminded INTEGER NOT NULL DEFAULT 0,
    ahead_sent INTEGER NOT NULL DEFAULT 0,
    called_sent INTEGER NOT NULL DEFAULT 0,
    booked_by INTEGER REFERENCES staff(id)
);
CREATE UNIQUE INDEX appointments_code ON appointments(code);
CREATE INDEX appointments_day ON appointments(hall_id, service_day, slot);
CREATE INDEX appointments_phone ON appointments(phone, state);
CREATE INDEX appointments_ticket ON appointments(ticket_id);
CREATE TABLE phone_codes (
    id INTEGER PRIMARY KEY,
    phone TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    client TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    used_at INTEGER
);
CREATE INDEX phone_codes_phone ON phone_codes(phone, created_at);
CREATE INDEX phone_codes_client ON phone_codes(client, created_at);
CREATE TABLE notify_log (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER REFERENCES halls(id),
    event TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    recipient_masked TEXT NOT NULL,
    body TEXT NOT NULL,
    ref TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try INTEGER NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX notify_log_due ON notify_log(status, next_try);
CREATE INDEX notify_log_hall ON notify_log(hall_id, created_at);
