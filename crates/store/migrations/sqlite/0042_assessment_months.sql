-- 督查 · 考核: the indicators' month sums per hall, kept beside the daily figures
-- (assessment_days) by the same step and rebuild, so a region's year reads twelve rows per
-- hall and indicator instead of 365. The rebuild's check proves each equals its days' sum.
CREATE TABLE assessment_months (
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    month INTEGER NOT NULL,
    indicator TEXT NOT NULL,
    num INTEGER NOT NULL,
    den INTEGER NOT NULL,
    PRIMARY KEY (hall_id, month, indicator)
);
CREATE INDEX assessment_months_month ON assessment_months (month, hall_id);
INSERT INTO assessment_months (hall_id, month, indicator, num, den)
    SELECT hall_id, month, indicator, SUM(num), SUM(den) FROM assessment_days
    GROUP BY hall_id, month, indicator;
-- The counters' status changes of a hall over some days (idle share, site checks, staffing,
-- the missed-checks KRI) without walking every event of the hall.
CREATE INDEX hall_events_kind_at ON hall_events (hall_id, kind, at);
