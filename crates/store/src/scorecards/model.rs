/// One version of a scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeRow {
    pub id: i64,
    pub region_id: i64,
    pub level: String,
    /// YYYYMM of the first month scored with it.
    pub effective_month: i64,
    /// JSON of the domain's `Scheme`.
    pub scheme: String,
    pub set_by: Option<i64>,
    pub set_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewScheme {
    pub region_id: i64,
    pub level: String,
    pub effective_month: i64,
    pub scheme: String,
    pub set_by: Option<i64>,
    /// One line for the audit record (what changed).
    pub summary: String,
}

/// Whose figures: a clerk (staff id) or a counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Personal {
    Hall,
    Staff(i64),
    Counter(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViolationRow {
    pub observation_id: i64,
    pub hall_id: i64,
    pub code: String,
    pub at: i64,
    pub note: String,
    pub staff_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalFigure {
    pub indicator: String,
    pub num: i64,
    pub den: i64,
}

/// A hall's score to keep at a freeze.
#[derive(Debug, Clone)]
pub struct FrozenInput {
    pub hall_id: i64,
    pub total_tenths: Option<i64>,
    /// JSON of the domain's `Scorecard`.
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct NewFreeze {
    pub region_id: i64,
    pub month: i64,
    pub frozen_by: Option<i64>,
    pub scores: Vec<FrozenInput>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreezeRow {
    pub region_id: i64,
    pub month: i64,
    pub frozen_by: Option<i64>,
    pub frozen_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrozenScore {
    pub hall_id: i64,
    pub month: i64,
    pub region_id: i64,
    pub total_tenths: Option<i64>,
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct NewAppeal {
    pub hall_id: i64,
    pub month: i64,
    pub reason: String,
    /// What backs it: an observation number, a case number, a document's name.
    pub evidence: String,
    pub filed_by: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct AppealDecision {
    pub id: i64,
    pub accept: bool,
    /// Tenths of a point the score moves by (accepted only; may be negative).
    pub points_tenths: i64,
    pub reason: String,
    pub decided_by: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppealRow {
    pub id: i64,
    pub hall_id: i64,
    pub month: i64,
    pub reason: String,
    pub evidence: String,
    /// `pending`, `accepted` or `rejected`.
    pub state: String,
    pub filed_by: Option<i64>,
    pub filed_at: i64,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub decision: String,
    pub points_tenths: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdjustmentRow {
    pub id: i64,
    pub hall_id: i64,
    pub month: i64,
    pub appeal_id: Option<i64>,
    pub points_tenths: i64,
    pub reason: String,
    pub made_by: Option<i64>,
    pub made_at: i64,
}

/// An evidence file to attach to an appeal, as uploaded.
#[derive(Debug, Clone)]
pub struct NewAppealFile {
    pub appeal_id: i64,
    /// The name the browser sent (cleaned and given the content's extension when kept).
    pub name: String,
    pub bytes: Vec<u8>,
    pub added_by: Option<i64>,
}

/// An appeal's evidence file, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppealFileRow {
    pub id: i64,
    pub appeal_id: i64,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the bytes as uploaded; pinned by the audit chain.
    pub sha256: String,
    pub added_by: Option<i64>,
    pub added_at: i64,
}

/// An evidence file with its bytes and the appeal's hall (for the access check).
#[derive(Debug, Clone)]
pub struct AppealFileData {
    pub file: AppealFileRow,
    pub hall_id: i64,
    pub bytes: Vec<u8>,
}
