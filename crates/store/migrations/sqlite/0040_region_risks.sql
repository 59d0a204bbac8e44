-- 区域风险 · risks a region (a city or province company) holds itself, e.g. a regional power
-- cut crowding several halls at once or a province-wide marketing-system failure.
-- Why a table of their own: `risks.hall_id` is NOT NULL and risk_changes, kris and
-- risk_notices reference risks(id); SQLite cannot relax NOT NULL without rebuilding `risks`
-- and its three dependants. So region risks keep the same columns here with `region_id` in
-- place of `hall_id`, and draw their ids from the same space as hall risks (the store hands
-- out one past the highest id of both tables under SQLite's single writer; on PostgreSQL
-- the `risks` identity sequence), so /api/v1/risks/{id} names either. Their audited history
-- is `region_risk_changes`. KRIs count a hall's own operations and stay with hall risks.
CREATE TABLE region_risk_settings (
    region_id INTEGER PRIMARY KEY REFERENCES regions(id),
    matrix TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES staff(id)
);
CREATE TABLE region_risks (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions(id),
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
    controls TEXT NOT NULL,
    treatment TEXT NOT NULL,
    accepted_by INTEGER REFERENCES staff(id),
    accepted_until TEXT,
    last_reviewed TEXT NOT NULL,
    next_review TEXT NOT NULL,
    review_reason TEXT NOT NULL DEFAULT '',
    sample INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (region_id, code)
);
CREATE TABLE region_risk_changes (
    id INTEGER PRIMARY KEY,
    risk_id INTEGER NOT NULL REFERENCES region_risks(id),
    at INTEGER NOT NULL,
    by_id INTEGER REFERENCES staff(id),
    summary TEXT NOT NULL,
    residual_score INTEGER NOT NULL
);
CREATE INDEX region_risk_changes_risk ON region_risk_changes (risk_id, at);
