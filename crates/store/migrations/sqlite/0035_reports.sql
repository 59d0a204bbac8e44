-- 月度报告 · monthly reports: each generated report kept with its history, so a printed or
-- mailed copy can be matched to what the system produced. The audit head (chain:seq:hash)
-- pins the tamper-evident record as it stood; sha256 is of the workbook's bytes.
CREATE TABLE monthly_reports (
    id INTEGER PRIMARY KEY,
    -- 'hall' or 'region', with that hall's or region's id, code and name at the time.
    scope TEXT NOT NULL,
    scope_id INTEGER NOT NULL,
    scope_code TEXT NOT NULL,
    scope_name TEXT NOT NULL,
    -- YYYY-MM.
    month TEXT NOT NULL,
    generated_at INTEGER NOT NULL,
    -- The person's username, or 'schedule' for the month-end step.
    generated_by TEXT NOT NULL,
    audit_head TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    xlsx BLOB NOT NULL,
    html TEXT NOT NULL
);
CREATE INDEX monthly_reports_scope ON monthly_reports (scope, scope_id, month);
