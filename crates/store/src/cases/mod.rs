//! Cases (工单 · 首问负责 · 限时办结): the case trait and its SQL (sql.rs, on_time.rs), rows and
//! rebuilt clocks (rows.rs), the steps every write shares (writes.rs), documents
//! (documents.rs), time-limit settings (settings.rs), deadline warnings (scan.rs), the
//! customer's access code (access.rs), the live events (live.rs) and the register's paged
//! list (register.rs).

mod access;
mod callback_plan;
mod clock_moves;
pub(crate) mod documents;
pub(crate) mod live;
mod model;
mod on_time;
mod register;
pub(crate) mod rows;
mod scan;
pub(crate) mod settings;
mod sql;
pub(crate) mod writes;

pub use documents::CaseDocumentStore;
pub use model::*;
pub use settings::CaseSettingsStore;

use crate::Result;
use async_trait::async_trait;
use servicehall_domain::cases::CaseKind;

/// Cases (工单): steps, clocks rebuilt from each case's event log, hand-overs, callbacks,
/// warnings and on-time rates. Every write is one transaction with its log
/// entries; `now` is passed in so tests and figures are reproducible.
#[async_trait]
pub trait CaseStore: Send + Sync + 'static {
    async fn open_case(&self, req: &OpenCase, now: i64) -> Result<CaseDetail>;
    async fn complete_step(
        &self,
        case_id: i64,
        step: &str,
        by: i64,
        note: &str,
        now: i64,
    ) -> Result<CaseDetail>;
    /// Pauses clock `clock` (its key `step.code`, or its code when unique in the case).
    async fn pause_clock(
        &self,
        case_id: i64,
        clock: &str,
        reason: &str,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail>;
    async fn resume_clock(
        &self,
        case_id: i64,
        clock: &str,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail>;
    /// Asks `to` to take the case over; the owner stays accountable until they accept.
    async fn request_handover(
        &self,
        case_id: i64,
        by: i64,
        to: i64,
        reason: &str,
        now: i64,
    ) -> Result<CaseDetail>;
    async fn accept_handover(&self, case_id: i64, by: i64, now: i64) -> Result<CaseDetail>;
    async fn record_callback(
        &self,
        case_id: i64,
        callback: &Callback,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail>;
    /// Schedules a call-back at `at` (after now, within 30 days), logged as
    /// `callback_scheduled`.
    async fn schedule_callback(
        &self,
        case_id: i64,
        at: i64,
        by: i64,
        note: &str,
        now: i64,
    ) -> Result<CaseDetail>;
    async fn close_case(&self, case_id: i64, by: i64, note: &str, now: i64) -> Result<CaseDetail>;
    /// A case with steps, clocks evaluated at `now`, trail, documents and warnings.
    async fn case(&self, id: i64, now: i64) -> Result<CaseDetail>;
    /// The customer's lookup: case number plus the case's access code (查询码, as typed:
    /// case, spaces and dashes do not matter). Any mismatch is the same `NotFound`.
    async fn case_by_number_and_code(
        &self,
        number: &str,
        code: &str,
        now: i64,
    ) -> Result<CaseDetail>;
    async fn cases(&self, hall_id: i64, list: CaseList, now: i64) -> Result<Vec<CaseSummary>>;
    /// One page of the hall's case register (newest first) with its filters, and how many
    /// cases match.
    async fn case_page(
        &self,
        hall_id: i64,
        filter: &CaseFilter,
        window: crate::Window,
        now: i64,
    ) -> Result<crate::Paged<CaseLine>>;
    /// Clocks stopped in `[from, to)`: met ÷ stopped by business type, class and step.
    async fn on_time_rate(&self, hall_id: i64, from: i64, to: i64) -> Result<OnTimeReport>;
    /// Evaluates the clocks of open cases (of one hall, or all) and records warnings not yet
    /// recorded; returns the new ones.
    async fn scan_warnings(&self, hall_id: Option<i64>, now: i64) -> Result<Vec<CaseWarning>>;
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
