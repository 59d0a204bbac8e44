-- Standards library (规章制度): documents (company-wide when hall_id is NULL, else one
-- hall's), their numbered versions (a draft until published with an effective date, then
-- locked), and each staff member's acknowledgement (我已阅读并遵守) of a version.
CREATE TABLE standard_documents (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER REFERENCES halls(id),
    category TEXT NOT NULL,
    -- A behaviour-code document names its code in servicehall_domain::behaviour by id.
    behaviour_code TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES staff(id)
);
CREATE INDEX standard_documents_hall ON standard_documents (hall_id);
CREATE TABLE standard_versions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES standard_documents(id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    title_en TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    -- Roles it applies to, e.g. 'hall_manager,clerk,guide'.
    audience TEXT NOT NULL,
    -- Where the text comes from (a public source and its date), if cited.
    source TEXT NOT NULL DEFAULT '',
    -- YYYY-MM-DD in the hall's time zone; NULL while a draft.
    effective_from TEXT,
    published_at INTEGER,
    published_by INTEGER REFERENCES staff(id),
    updated_at INTEGER NOT NULL,
    UNIQUE (document_id, number)
);
CREATE TABLE standard_acks (
    version_id INTEGER NOT NULL REFERENCES standard_versions(id),
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    at INTEGER NOT NULL,
    PRIMARY KEY (version_id, staff_id)
);
CREATE INDEX standard_acks_staff ON standard_acks (staff_id);
