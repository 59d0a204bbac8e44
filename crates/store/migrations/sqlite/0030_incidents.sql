-- 突发情况 · 应急预案: playbook versions, incidents with their checklist, the post-incident
-- review's actions (each a case) and the counters' manual entries while the business system
-- is down. A playbook row never changes once written: a new version is a new row.
CREATE TABLE incident_playbooks (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER REFERENCES halls(id),
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES staff(id)
);
CREATE UNIQUE INDEX incident_playbooks_version ON incident_playbooks(code, hall_id, version);
CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    playbook_id INTEGER NOT NULL REFERENCES incident_playbooks(id),
    -- The playbook's code, kept here so that one kind is active at most once per hall.
    kind TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    declared_by INTEGER NOT NULL REFERENCES staff(id),
    declared_at INTEGER NOT NULL,
    closed_by INTEGER REFERENCES staff(id),
    closed_at INTEGER,
    review_cause TEXT,
    -- The risk register's code; its foreign key comes with the risks feature.
    review_risk_code TEXT,
    reviewed_by INTEGER REFERENCES staff(id),
    reviewed_at INTEGER
);
CREATE INDEX incidents_hall_declared ON incidents(hall_id, declared_at);
CREATE UNIQUE INDEX incidents_one_active ON incidents(hall_id, kind) WHERE closed_at IS NULL;
CREATE TABLE incident_steps (
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    step_key TEXT NOT NULL,
    done_by INTEGER NOT NULL REFERENCES staff(id),
    done_at INTEGER NOT NULL,
    PRIMARY KEY (incident_id, step_key)
);
CREATE TABLE incident_actions (
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    text TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    PRIMARY KEY (incident_id, case_id)
);
CREATE TABLE manual_entries (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    incident_id INTEGER REFERENCES incidents(id),
    counter_id INTEGER REFERENCES counters(id),
    business_type_id INTEGER NOT NULL REFERENCES business_types(id),
    customer_name TEXT NOT NULL,
    account_no TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    amount_fen INTEGER,
    note TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER NOT NULL REFERENCES staff(id),
    recorded_at INTEGER NOT NULL,
    back_entered_by INTEGER REFERENCES staff(id),
    back_entered_at INTEGER,
    -- The business system's own number for the back-entered transaction.
    back_ref TEXT
);
CREATE INDEX manual_entries_hall_recorded ON manual_entries(hall_id, recorded_at);
