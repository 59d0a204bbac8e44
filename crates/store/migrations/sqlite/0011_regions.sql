-- The region tree (省公司 → 市公司 → 县/区公司 → 营业厅). Halls hang on a region; staff above
-- halls (administrators, supervisors) may be limited to one region's subtree.
CREATE TABLE regions (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    parent_id INTEGER REFERENCES regions(id)
);
CREATE INDEX regions_parent ON regions(parent_id);
ALTER TABLE halls ADD COLUMN region_id INTEGER REFERENCES regions(id);
ALTER TABLE staff ADD COLUMN region_id INTEGER REFERENCES regions(id);
