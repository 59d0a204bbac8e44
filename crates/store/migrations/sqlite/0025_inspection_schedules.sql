-- 检查计划 · a hall's inspection schedule (pre-shift block|warn, the daily windows), stored
-- whole as JSON like the feedback settings; every change is audited in settings_audit.
CREATE TABLE inspection_schedules (
    hall_id INTEGER PRIMARY KEY REFERENCES halls(id),
    body TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
-- The schedule states and the period views read submitted checks by hall and time.
CREATE INDEX inspections_hall_submitted ON inspections(hall_id, submitted_at);
