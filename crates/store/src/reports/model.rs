/// What a report covers: a hall or a region, by id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReportScope {
    /// `hall` or `region`.
    pub kind: String,
    pub id: i64,
}

impl ReportScope {
    pub fn hall(id: i64) -> Self {
        Self {
            kind: "hall".into(),
            id,
        }
    }
    pub fn region(id: i64) -> Self {
        Self {
            kind: "region".into(),
            id,
        }
    }
}

/// A report to keep.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub scope: ReportScope,
    pub scope_code: String,
    pub scope_name: String,
    /// YYYY-MM.
    pub month: String,
    pub generated_by: String,
    /// `chain:seq:hash` of the audit head shown on the report.
    pub audit_head: String,
    pub xlsx: Vec<u8>,
    pub html: String,
}

/// One row of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportMeta {
    pub id: i64,
    pub scope: ReportScope,
    pub scope_code: String,
    pub scope_name: String,
    pub month: String,
    pub generated_at: i64,
    pub generated_by: String,
    pub audit_head: String,
    /// Hex SHA-256 of the workbook's bytes.
    pub sha256: String,
    pub xlsx_bytes: i64,
}

/// A kept report with what was produced.
#[derive(Debug, Clone)]
pub struct KeptReport {
    pub meta: ReportMeta,
    pub xlsx: Vec<u8>,
    pub html: String,
}
