-- 服务风险 · the risk register and its key risk indicators (KRIs).
-- The matrix a hall scores on (JSON of the domain's Matrix); no row: the default 5×5.
CREATE TABLE risk_settings (
    hall_id INTEGER PRIMARY KEY REFERENCES halls(id),
    matrix TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES staff(id)
);
CREATE TABLE risks (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    cause TEXT NOT NULL,
    event TEXT NOT NULL,
    consequence TEXT NOT NULL,
    owner_id INTEGER NOT NULL REFERENCES staff(id),
    inherent_likelihood INTEGER NOT NULL,
    inherent_impact INTEGER NOT NULL,
    residual_likelihood INTEGER NOT NULL,
    residual_impact INTEGER NOT NULL,
    -- JSON list of {text, owner, last_tested, test_every_days}.
    controls TEXT NOT NULL,
    treatment TEXT NOT NULL,
    accepted_by INTEGER REFERENCES staff(id),
    accepted_until TEXT,
    last_reviewed TEXT NOT NULL,
    next_review TEXT NOT NULL,
    -- Why the review was brought forward (a KRI crossing); empty when on cadence.
    review_reason TEXT NOT NULL DEFAULT '',
    sample INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (hall_id, code)
);
-- Who changed a risk, when and what; the residual score after each change draws its trend.
CREATE TABLE risk_changes (
    id INTEGER PRIMARY KEY,
    risk_id INTEGER NOT NULL REFERENCES risks(id),
    at INTEGER NOT NULL,
    by_id INTEGER REFERENCES staff(id),
    summary TEXT NOT NULL,
    residual_score INTEGER NOT NULL
);
CREATE INDEX risk_changes_risk ON risk_changes (risk_id, at);
CREATE TABLE kris (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    risk_id INTEGER NOT NULL REFERENCES risks(id),
    measure TEXT NOT NULL,
    amber INTEGER NOT NULL,
    red INTEGER NOT NULL,
    direction TEXT NOT NULL,
    window_days INTEGER NOT NULL,
    -- For waits over target: the target in minutes.
    target_minutes INTEGER NOT NULL DEFAULT 20,
    value INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'green',
    day TEXT,
    UNIQUE (risk_id, measure)
);
CREATE INDEX kris_hall ON kris (hall_id);
-- One row per KRI and hall-local day: the rolling value that day.
CREATE TABLE kri_values (
    kri_id INTEGER NOT NULL REFERENCES kris(id),
    day TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (kri_id, day)
);
-- A KRI crossing told to the risk's owner (home page and dashboard) until they mark it seen.
CREATE TABLE risk_notices (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    risk_id INTEGER NOT NULL REFERENCES risks(id),
    kri_id INTEGER NOT NULL REFERENCES kris(id),
    owner_id INTEGER NOT NULL REFERENCES staff(id),
    state TEXT NOT NULL,
    value INTEGER NOT NULL,
    at INTEGER NOT NULL,
    seen_at INTEGER
);
CREATE INDEX risk_notices_owner ON risk_notices (owner_id, seen_at);
