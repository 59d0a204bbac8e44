-- 定置图 · layout map: a hall's floor plan, one row per version (never changed once written,
-- so a past walk still shows the plan it walked); a walk is an inspection, linked here to the
-- version it walked; its findings are kept beside the inspection's results.
CREATE TABLE layout_maps (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES staff(id)
);
CREATE UNIQUE INDEX layout_maps_version ON layout_maps(hall_id, version);
CREATE TABLE layout_walks (
    inspection_id INTEGER PRIMARY KEY REFERENCES inspections(id),
    layout_id INTEGER NOT NULL REFERENCES layout_maps(id)
);
CREATE TABLE layout_findings (
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    item_code TEXT NOT NULL,
    finding TEXT NOT NULL,
    counted INTEGER,
    note TEXT NOT NULL DEFAULT '',
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (inspection_id, item_code)
);
-- An item's reference photo, per hall and item code (kept across layout versions).
CREATE TABLE layout_photos (
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    item_code TEXT NOT NULL,
    mime TEXT NOT NULL,
    image BLOB NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (hall_id, item_code)
);
