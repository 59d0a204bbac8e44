-- 考核 · 红黑榜: scorecard schemes (every version kept: a change takes effect from the next
-- month and past months keep theirs), frozen month-end scores, appeals and the adjustments
-- that are the only way a frozen score changes. Scores in tenths of a point.
CREATE TABLE scorecard_schemes (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions(id),
    level TEXT NOT NULL,
    -- YYYYMM of the first month scored with it.
    effective_month INTEGER NOT NULL,
    -- JSON of the domain's Scheme.
    scheme TEXT NOT NULL,
    set_by INTEGER REFERENCES staff(id),
    set_at INTEGER NOT NULL,
    UNIQUE (region_id, level, effective_month)
);
CREATE TABLE scorecard_freezes (
    region_id INTEGER NOT NULL REFERENCES regions(id),
    month INTEGER NOT NULL,
    frozen_by INTEGER REFERENCES staff(id),
    frozen_at INTEGER NOT NULL,
    PRIMARY KEY (region_id, month)
);
CREATE TABLE scorecard_scores (
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    month INTEGER NOT NULL,
    region_id INTEGER NOT NULL REFERENCES regions(id),
    -- NULL: no line had data.
    total_tenths INTEGER,
    -- JSON of the domain's Scorecard as frozen.
    detail TEXT NOT NULL,
    PRIMARY KEY (hall_id, month)
);
CREATE TABLE scorecard_appeals (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    month INTEGER NOT NULL,
    reason TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    filed_by INTEGER REFERENCES staff(id),
    filed_at INTEGER NOT NULL,
    decided_by INTEGER REFERENCES staff(id),
    decided_at INTEGER,
    decision TEXT NOT NULL DEFAULT '',
    points_tenths INTEGER
);
CREATE INDEX scorecard_appeals_hall ON scorecard_appeals (hall_id, month);
CREATE TABLE scorecard_adjustments (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    month INTEGER NOT NULL,
    appeal_id INTEGER REFERENCES scorecard_appeals(id),
    points_tenths INTEGER NOT NULL,
    reason TEXT NOT NULL,
    made_by INTEGER REFERENCES staff(id),
    made_at INTEGER NOT NULL
);
CREATE INDEX scorecard_adjustments_hall ON scorecard_adjustments (hall_id, month);
