-- Feedback (管理客户满意): per-hall settings, 一事一评 phone ratings with their per-touchpoint
-- levels, external evaluations (外评) and their import batches, and the links from bad
-- ratings to their service-recovery cases (服务补救). Read by the satisfaction indices:
--   level 1–5 (5 非常满意 … 1 非常不满意); reasons are comma-separated codes of
--   servicehall_domain::rating::BAD_REASONS; touchpoint ids are those of
--   servicehall_domain::touchpoint; instants are unix ms UTC.
CREATE TABLE feedback_settings (
    hall_id INTEGER PRIMARY KEY REFERENCES halls(id),
    settings TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
-- One phone rating per ticket (UNIQUE): a second submit is refused, never counted twice.
CREATE TABLE phone_ratings (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL UNIQUE REFERENCES tickets(id),
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    counter_id INTEGER REFERENCES counters(id),
    staff_id INTEGER REFERENCES staff(id),
    business_type_id INTEGER NOT NULL REFERENCES business_types(id),
    level INTEGER NOT NULL,
    reasons TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    finished_at INTEGER NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX phone_ratings_hall_at ON phone_ratings (hall_id, at);
CREATE TABLE phone_rating_touchpoints (
    rating_id INTEGER NOT NULL REFERENCES phone_ratings(id),
    touchpoint TEXT NOT NULL,
    level INTEGER NOT NULL,
    PRIMARY KEY (rating_id, touchpoint)
);
CREATE TABLE external_imports (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    file_name TEXT NOT NULL,
    imported_by INTEGER REFERENCES staff(id),
    at INTEGER NOT NULL,
    rows_total INTEGER NOT NULL,
    rows_imported INTEGER NOT NULL,
    rows_duplicate INTEGER NOT NULL,
    rows_bad INTEGER NOT NULL,
    report TEXT NOT NULL DEFAULT ''
);
-- (source, source_row_id) is unique: re-importing a file never counts a row twice.
CREATE TABLE external_evaluations (
    id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES external_imports(id),
    source TEXT NOT NULL,
    source_row_id TEXT NOT NULL,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    business_type_id INTEGER REFERENCES business_types(id),
    touchpoint TEXT NOT NULL DEFAULT '',
    level INTEGER NOT NULL,
    reasons TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    customer_phone TEXT NOT NULL DEFAULT '',
    ticket_id INTEGER REFERENCES tickets(id),
    evaluated_at INTEGER NOT NULL,
    UNIQUE (source, source_row_id)
);
CREATE INDEX external_evaluations_hall_at ON external_evaluations (hall_id, evaluated_at);
-- channel: pad (ratings.id), phone (phone_ratings.id), external (external_evaluations.id).
CREATE TABLE recovery_links (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id),
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    channel TEXT NOT NULL,
    rating_id INTEGER NOT NULL,
    level INTEGER NOT NULL,
    reasons TEXT NOT NULL DEFAULT '',
    real_name INTEGER NOT NULL,
    at INTEGER NOT NULL,
    UNIQUE (channel, rating_id)
);
CREATE INDEX recovery_links_hall ON recovery_links (hall_id, at);
