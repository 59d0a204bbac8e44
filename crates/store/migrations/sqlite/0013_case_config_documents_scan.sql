-- Issue 3 remainder: per-hall clock settings (warning shares, pause cap) kept with each case
-- as opened; document files stored in the database; warning instants indexed for the scan.

-- The clock policy a case was opened with (JSON); '' = the built-in default (50 %/80 %, 30 days).
ALTER TABLE cases ADD COLUMN clock_policy TEXT NOT NULL DEFAULT '';

-- A hall's clock settings; absent = the defaults. Applies to cases opened after a change.
CREATE TABLE case_settings (
    hall_id INTEGER PRIMARY KEY REFERENCES halls(id),
    owner_permille INTEGER NOT NULL,
    manager_permille INTEGER NOT NULL,
    pause_cap_hours INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES staff(id)
);

-- Uploaded files: type checked by magic bytes; superseded, never deleted.
ALTER TABLE case_documents ADD COLUMN content_type TEXT NOT NULL DEFAULT '';
ALTER TABLE case_documents ADD COLUMN size_bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_documents ADD COLUMN superseded_at INTEGER;
ALTER TABLE case_documents ADD COLUMN superseded_by INTEGER REFERENCES staff(id);
ALTER TABLE case_documents ADD COLUMN superseded_reason TEXT NOT NULL DEFAULT '';
CREATE TABLE case_document_files (
    document_id INTEGER PRIMARY KEY REFERENCES case_documents(id),
    data BLOB NOT NULL
);

-- Derived from the case log by the domain in the same transaction as every clock change:
-- the instant each warning level is reached if nothing changes, and the next one not yet
-- recorded. warn_indexed = 0 marks clocks written before these columns (filled by the scan).
ALTER TABLE case_clocks ADD COLUMN warn_owner_at INTEGER;
ALTER TABLE case_clocks ADD COLUMN warn_manager_at INTEGER;
ALTER TABLE case_clocks ADD COLUMN warn_breach_at INTEGER;
ALTER TABLE case_clocks ADD COLUMN next_warn_at INTEGER;
ALTER TABLE case_clocks ADD COLUMN warn_indexed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX case_clocks_next_warn ON case_clocks (next_warn_at) WHERE next_warn_at IS NOT NULL;
CREATE INDEX case_clocks_unindexed ON case_clocks (case_id) WHERE warn_indexed = 0;
