//! Case configuration, document files and the warning index (issue 3 remainder): a hall's
//! clock settings and processes as an administrator edits them, uploaded documents kept in
//! the database (so both backends and their backups carry them), and the derived warning
//! instants the scan reads instead of rebuilding every open case.

use crate::{CaseDetail, Result};
use async_trait::async_trait;
use serde::Serialize;
use servicehall_domain::cases::{CaseKind, CaseSettings, CustomerClass, DocType, Process};

/// A hall's clock settings as stored, with when and by whom they were last changed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StoredCaseSettings {
    pub settings: CaseSettings,
    /// `None` while the hall runs on the defaults.
    pub updated_at: Option<i64>,
    pub updated_by: Option<i64>,
}

/// One process a hall has configured (or seeded on first use).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ConfiguredProcess {
    pub kind: CaseKind,
    /// `None` for kinds without a business type.
    pub business_type_id: Option<i64>,
    /// `None` for kinds whose process does not depend on the class.
    pub customer_class: Option<CustomerClass>,
    pub process: Process,
    /// 0 when seeded from the defaults and never edited.
    pub updated_at: i64,
}

/// An uploaded file for a case.
#[derive(Debug, Clone)]
pub struct DocumentUpload {
    pub name: String,
    pub bytes: Vec<u8>,
    pub note: String,
}

/// A stored document file with what the download needs.
#[derive(Debug, Clone)]
pub struct DocumentFile {
    pub case_id: i64,
    pub hall_id: i64,
    pub name: String,
    pub doc_type: DocType,
    pub bytes: Vec<u8>,
}

/// A clock's indexed warning instants as stored (for checks against the domain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockWarnIndex {
    pub case_id: i64,
    pub clock_key: String,
    pub state: String,
    pub deadline_at: Option<i64>,
    pub warn_owner_at: Option<i64>,
    pub warn_manager_at: Option<i64>,
    pub warn_breach_at: Option<i64>,
    pub next_warn_at: Option<i64>,
}

#[async_trait]
pub trait CaseExtraStore: Send + Sync + 'static {
    /// The hall's clock settings (the defaults until an administrator saves some).
    async fn case_settings(&self, hall_id: i64) -> Result<StoredCaseSettings>;
    /// Saves the hall's clock settings; cases opened afterwards keep them, open ones keep theirs.
    async fn set_case_settings(
        &self,
        hall_id: i64,
        settings: &CaseSettings,
        by: i64,
        now: i64,
    ) -> Result<StoredCaseSettings>;
    /// The processes the hall has stored (edited or seeded), in a stable order.
    async fn configured_processes(&self, hall_id: i64) -> Result<Vec<ConfiguredProcess>>;
    /// Stores an uploaded file (PDF/JPEG/PNG checked by content, size-capped) with its case
    /// log entry, in one transaction.
    async fn upload_document(
        &self,
        case_id: i64,
        upload: &DocumentUpload,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail>;
    /// A document's file; not found when the document has no file (metadata only).
    async fn document_file(&self, case_id: i64, document_id: i64) -> Result<DocumentFile>;
    /// Marks a document superseded (kept, shown struck through), with the reason in the log.
    async fn supersede_document(
        &self,
        case_id: i64,
        document_id: i64,
        reason: &str,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail>;
    /// The stored warning index of a case's clocks.
    async fn clock_warn_index(&self, case_id: i64) -> Result<Vec<ClockWarnIndex>>;
}

/// The kinds whose process an administrator edits (service recovery follows the feedback
/// settings instead).
pub const CONFIGURABLE_KINDS: [CaseKind; 4] = [
    CaseKind::Application,
    CaseKind::Complaint,
    CaseKind::Opinion,
    CaseKind::InquiryFollowUp,
];

/// The kind of hall event that carries a case change (see the live feed).
pub const CASE_EVENT: &str = "case";
