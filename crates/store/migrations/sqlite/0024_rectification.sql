-- 整改 and photo evidence. A photo is never deleted: a replacement points the old row at the
-- new one (superseded_by). stage 'finding': taken by the inspector on a failed item; 'fix':
-- taken as evidence of the rectification (case_id set).
CREATE TABLE inspection_photos (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    item_key TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id),
    stage TEXT NOT NULL,
    mime TEXT NOT NULL,
    image BLOB NOT NULL,
    thumb BLOB NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES staff(id),
    uploaded_at INTEGER NOT NULL,
    superseded_by INTEGER REFERENCES inspection_photos(id),
    superseded_at INTEGER
);
CREATE INDEX inspection_photos_item ON inspection_photos(inspection_id, item_key);
CREATE INDEX inspection_photos_case ON inspection_photos(case_id);
-- One rectification case per failed item of a submitted inspection. fixed_by/fixed_at are
-- cleared when the verifier reopens; round_at is when the current round began (opened or
-- last reopened): a fix needs evidence newer than it.
CREATE TABLE rectifications (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id),
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    item_key TEXT NOT NULL,
    critical INTEGER NOT NULL,
    fixed_by INTEGER REFERENCES staff(id),
    fixed_at INTEGER,
    fix_note TEXT NOT NULL DEFAULT '',
    reopened INTEGER NOT NULL DEFAULT 0,
    round_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX rectifications_item ON rectifications(inspection_id, item_key);
CREATE INDEX rectifications_hall ON rectifications(hall_id);
