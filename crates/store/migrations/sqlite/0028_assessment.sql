-- 督查 · 考核: the indicators' daily figures, one row per hall, China Standard Time day
-- (the ratings roll-up's days) and indicator, as the sums the indicator divides (numerator,
-- denominator), so months and regions add before dividing. `month` (YYYYMM) lets a year be
-- read as twelve sums per indicator. Kept by an incremental step from the logs (the mark is
-- the last day it covered) and rebuildable from them: `servicehall assessment rebuild`.
CREATE TABLE assessment_days (
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    day INTEGER NOT NULL,
    month INTEGER NOT NULL,
    indicator TEXT NOT NULL,
    num INTEGER NOT NULL,
    den INTEGER NOT NULL,
    PRIMARY KEY (hall_id, day, indicator)
);
CREATE INDEX assessment_days_month ON assessment_days (hall_id, month, indicator);
CREATE TABLE assessment_marks (
    hall_id INTEGER PRIMARY KEY REFERENCES halls(id),
    day INTEGER NOT NULL
);
