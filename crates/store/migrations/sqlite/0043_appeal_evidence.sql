-- Files backing a scorecard appeal (申诉证据), kept in the database like case documents so
-- both backends and their backups carry them. The SHA-256 is pinned by the audit chain
-- with the appeal; a file is never replaced, only added while the appeal is pending.
CREATE TABLE scorecard_appeal_files (
    id INTEGER PRIMARY KEY,
    appeal_id INTEGER NOT NULL REFERENCES scorecard_appeals(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    added_by INTEGER REFERENCES staff(id),
    added_at INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX scorecard_appeal_files_appeal ON scorecard_appeal_files (appeal_id);
