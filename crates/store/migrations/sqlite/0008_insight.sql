-- Satisfaction insight (管理客户满意 · 内查 · 关键时刻): the figures' settings, surveys with
-- their invitations and answers, observations (内查) item by item, and an index that lets the
-- satisfaction view count ratings by hall, counter and clerk without reading the table rows.
CREATE TABLE insight_settings (
    id INTEGER PRIMARY KEY,
    config TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    trigger_kind TEXT NOT NULL,
    window_hours INTEGER NOT NULL,
    definition TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES staff(id),
    created_at INTEGER NOT NULL
);
CREATE TABLE survey_business_types (
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    business_type_id INTEGER NOT NULL REFERENCES business_types(id),
    PRIMARY KEY (survey_id, business_type_id)
);
-- One link per visit or case: the customer answers once, without an account, until expires_at.
CREATE TABLE survey_invitations (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    token_hash TEXT NOT NULL UNIQUE,
    ticket_id INTEGER REFERENCES tickets(id),
    case_id INTEGER REFERENCES cases(id),
    business_type_id INTEGER,
    counter_id INTEGER,
    staff_id INTEGER,
    sent_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    answered_at INTEGER
);
CREATE UNIQUE INDEX survey_invitations_ticket ON survey_invitations (survey_id, ticket_id)
    WHERE ticket_id IS NOT NULL;
CREATE UNIQUE INDEX survey_invitations_case ON survey_invitations (survey_id, case_id)
    WHERE case_id IS NOT NULL;
-- The invitation's attribution is copied so the figures group answers without joins.
CREATE TABLE survey_answers (
    id INTEGER PRIMARY KEY,
    invitation_id INTEGER NOT NULL UNIQUE REFERENCES survey_invitations(id),
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    hall_id INTEGER NOT NULL,
    business_type_id INTEGER,
    counter_id INTEGER,
    staff_id INTEGER,
    recommend INTEGER,
    comment TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL
);
CREATE INDEX survey_answers_hall_at ON survey_answers (hall_id, at);
CREATE TABLE survey_answer_items (
    answer_id INTEGER NOT NULL REFERENCES survey_answers(id),
    item_key TEXT NOT NULL,
    level INTEGER NOT NULL,
    touchpoint TEXT NOT NULL DEFAULT '',
    dimension TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (answer_id, item_key)
);
CREATE TABLE observations (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    counter_id INTEGER REFERENCES counters(id),
    staff_id INTEGER REFERENCES staff(id),
    observer_id INTEGER NOT NULL REFERENCES staff(id),
    observer_kind TEXT NOT NULL,
    observed_at INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    photo_ref TEXT NOT NULL DEFAULT '',
    score_pct REAL,
    created_at INTEGER NOT NULL
);
CREATE INDEX observations_hall_at ON observations (hall_id, observed_at);
CREATE TABLE observation_items (
    observation_id INTEGER NOT NULL REFERENCES observations(id),
    code TEXT NOT NULL,
    verdict TEXT NOT NULL,
    points INTEGER,
    note TEXT NOT NULL DEFAULT '',
    touchpoints TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (observation_id, code)
);
-- An uploaded photo as evidence (data URL, small), kept apart so lists stay light.
CREATE TABLE observation_photos (
    observation_id INTEGER PRIMARY KEY REFERENCES observations(id),
    data_url TEXT NOT NULL
);
CREATE INDEX ratings_view ON ratings (hall_id, at, level, counter_id, staff_id);
