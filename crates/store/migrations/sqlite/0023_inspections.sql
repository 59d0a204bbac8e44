-- 定妆上岗 · 定置 · 现场检查: checklist templates (one row per version) and inspections.
-- A template row never changes once written: a new version is a new row, so an inspection
-- keeps the items and weights it was scored with. hall_id NULL: shipped, company-wide.
CREATE TABLE inspection_templates (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER REFERENCES halls(id),
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES staff(id)
);
CREATE UNIQUE INDEX inspection_templates_version ON inspection_templates(code, hall_id, version);
CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    template_id INTEGER NOT NULL REFERENCES inspection_templates(id),
    -- NULL: the hall itself is the subject.
    subject_staff_id INTEGER REFERENCES staff(id),
    inspector_id INTEGER NOT NULL REFERENCES staff(id),
    started_at INTEGER NOT NULL,
    submitted_at INTEGER,
    score_tenths INTEGER,
    passed INTEGER
);
CREATE INDEX inspections_hall_started ON inspections(hall_id, started_at);
CREATE TABLE inspection_results (
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    item_key TEXT NOT NULL,
    outcome TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (inspection_id, item_key)
);
