-- Cases (工单): processes per hall, cases with their steps and clocks, the event log the
-- clocks are rebuilt from, documents and recorded warnings.
-- A hall's process for (kind, business type, customer class) is seeded from the built-in
-- defaults the first time a case needs it; business_type_id 0 means "no business type".
CREATE TABLE case_processes (
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    kind TEXT NOT NULL,
    business_type_id INTEGER NOT NULL,
    customer_class TEXT NOT NULL,
    definition TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (hall_id, kind, business_type_id, customer_class)
);
CREATE TABLE case_sequences (
    hall_id INTEGER NOT NULL,
    service_day TEXT NOT NULL,
    last_no INTEGER NOT NULL,
    PRIMARY KEY (hall_id, service_day)
);
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    business_type_id INTEGER REFERENCES business_types(id),
    customer_class TEXT NOT NULL,
    customer_name TEXT NOT NULL,
    customer_phone TEXT NOT NULL,
    account_no TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    ticket_id INTEGER REFERENCES tickets(id),
    owner_id INTEGER NOT NULL REFERENCES staff(id),
    first_inquiry_owner_id INTEGER NOT NULL REFERENCES staff(id),
    handover_to INTEGER REFERENCES staff(id),
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    closed_at INTEGER,
    UNIQUE (hall_id, number)
);
CREATE INDEX cases_hall_status ON cases (hall_id, status);
CREATE INDEX cases_owner ON cases (owner_id, status);
CREATE INDEX cases_number ON cases (number);
CREATE TABLE case_steps (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    completed_at INTEGER,
    completed_by INTEGER REFERENCES staff(id),
    PRIMARY KEY (case_id, position)
);
-- A clock's definition, and a cache of its state for lists; the truth is case_events.
CREATE TABLE case_clocks (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    clock_key TEXT NOT NULL,
    step_code TEXT NOT NULL,
    code TEXT NOT NULL,
    limit_kind TEXT NOT NULL,
    unit TEXT NOT NULL,
    amount INTEGER NOT NULL,
    starts TEXT NOT NULL,
    source TEXT NOT NULL,
    state TEXT NOT NULL,
    deadline_at INTEGER,
    PRIMARY KEY (case_id, clock_key)
);
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    at INTEGER NOT NULL,
    actor_id INTEGER REFERENCES staff(id),
    step_code TEXT NOT NULL DEFAULT '',
    clock_key TEXT NOT NULL DEFAULT '',
    target_id INTEGER REFERENCES staff(id),
    note TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events (case_id, id);
CREATE TABLE case_documents (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    name TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    received_by INTEGER REFERENCES staff(id),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_documents_case ON case_documents (case_id, id);
CREATE TABLE case_warnings (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    hall_id INTEGER NOT NULL,
    clock_key TEXT NOT NULL,
    level TEXT NOT NULL,
    share_permille INTEGER NOT NULL,
    at INTEGER NOT NULL,
    UNIQUE (case_id, clock_key, level)
);
CREATE INDEX case_warnings_hall ON case_warnings (hall_id, at);
