//! What the store keeps and returns about cases (工单). Instants are unix ms (UTC).
//! Clock figures are never stored as truth: they are rebuilt from the case's events.

use serde::{Deserialize, Serialize};
use servicehall_domain::cases::{
    Amount, CaseKind, CaseSettings, CaseStatus, ClockStart, ClockState, ClockView, CustomerClass,
    DocType, LimitKind, Process, WarningLevel,
};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Case {
    pub id: i64,
    pub hall_id: i64,
    /// `GD-YYYYMMDD-NNNN`, unique per hall (the date is the hall-local registration day).
    pub number: String,
    pub kind: CaseKind,
    pub business_type_id: Option<i64>,
    pub customer_class: CustomerClass,
    pub customer_name: String,
    pub customer_phone: String,
    pub account_no: String,
    pub summary: String,
    /// The visit the case came from.
    pub ticket_id: Option<i64>,
    /// Accountable now; changes only when a hand-over is accepted.
    pub owner_id: i64,
    /// Who registered the matter (首问负责人).
    pub first_inquiry_owner_id: i64,
    /// A hand-over waiting for this person's acceptance.
    pub handover_to: Option<i64>,
    pub status: CaseStatus,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    /// The customer's access code for the public status page (查询码, see
    /// `domain::cases::access_code`): a secret, never serialized with the case.
    #[serde(skip_serializing, default)]
    pub access_code: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CaseStep {
    pub position: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub completed_at: Option<i64>,
    pub completed_by: Option<i64>,
}

/// A clock with its definition and its figures at the time asked.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CaseClock {
    /// `step.code`, unique in the case: `scheme_reply.step`, `contact.contact`.
    pub key: String,
    pub step_code: String,
    pub code: String,
    pub kind: LimitKind,
    pub amount: Amount,
    pub starts: ClockStart,
    pub source: String,
    pub state: ClockState,
    pub pause_reason: String,
    pub view: ClockView,
    /// The running deadline was counted on a provisional calendar year (暂按法定节假日推算).
    pub provisional: bool,
}

/// One entry of a case's trail: every change, with time, actor and note.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CaseEvent {
    pub id: i64,
    /// created, clock_started, step_completed, clock_paused, clock_resumed, clock_stopped,
    /// handover_requested, handover_accepted, document_added, callback_scheduled, callback_recorded, closed.
    pub kind: String,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub step_code: String,
    pub clock_key: String,
    /// The person a hand-over is addressed to.
    pub target_id: Option<i64>,
    pub note: String,
    pub data: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CaseDocument {
    pub id: i64,
    pub name: String,
    pub received_at: i64,
    pub received_by: Option<i64>,
    pub note: String,
    /// `application/pdf`, `image/jpeg`, `image/png` for an uploaded file; empty when only
    /// the paper was recorded.
    #[serde(default)]
    pub content_type: String,
    #[serde(default)]
    pub size_bytes: i64,
    /// Replaced by a newer document (kept, never deleted).
    #[serde(default)]
    pub superseded_at: Option<i64>,
    #[serde(default)]
    pub superseded_by: Option<i64>,
    #[serde(default)]
    pub superseded_reason: String,
}

/// A warning recorded once per case, clock and level.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CaseWarning {
    pub case_id: i64,
    pub case_number: String,
    pub hall_id: i64,
    pub clock_key: String,
    pub level: WarningLevel,
    /// Share of the limit used when recorded, in ‰.
    pub share_permille: i64,
    pub at: i64,
    /// Who is told: the owner (owner level), else the hall's managers or the region.
    pub owner_id: i64,
}

/// A case with everything its page shows.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CaseDetail {
    pub case: Case,
    pub steps: Vec<CaseStep>,
    pub clocks: Vec<CaseClock>,
    pub trail: Vec<CaseEvent>,
    pub documents: Vec<CaseDocument>,
    pub warnings: Vec<CaseWarning>,
    /// A sentence for each year a deadline reaches into that has no holiday schedule
    /// (counted provisionally by the statutory holidays until an administrator imports it).
    pub calendar_warnings: Vec<String>,
    /// The warning shares and pause cap the case was opened with.
    pub policy: servicehall_domain::cases::ClockPolicy,
}

impl CaseDetail {
    /// Each step as the domain's order and close rules read it: code, Chinese name, done.
    pub(crate) fn step_states(&self) -> Vec<(&str, &str, bool)> {
        self.steps
            .iter()
            .map(|s| {
                (
                    s.code.as_str(),
                    s.name_zh.as_str(),
                    s.completed_at.is_some(),
                )
            })
            .collect()
    }

    /// The first step not yet complete.
    pub fn current_step(&self) -> Option<&CaseStep> {
        self.steps.iter().find(|s| s.completed_at.is_none())
    }

    /// Some running or paused clock's deadline was counted on a provisional year.
    pub fn provisional(&self) -> bool {
        self.clocks.iter().any(|c| c.provisional)
    }

    /// The earliest deadline among running or paused clocks.
    pub fn next_deadline(&self) -> Option<i64> {
        self.clocks
            .iter()
            .filter(|c| matches!(c.state, ClockState::Running | ClockState::Paused))
            .filter_map(|c| c.view.deadline)
            .min()
    }

    /// A callback that reached the customer is on record.
    pub fn callback_recorded(&self) -> bool {
        self.trail
            .iter()
            .any(|e| e.kind == "callback_recorded" && e.data["reached"].as_bool().unwrap_or(false))
    }
}

/// A request to register a case.
#[derive(Debug, Clone)]
pub struct OpenCase {
    pub hall_id: i64,
    pub kind: CaseKind,
    pub business_type_id: Option<i64>,
    pub customer_class: CustomerClass,
    pub customer_name: String,
    pub customer_phone: String,
    pub account_no: String,
    pub summary: String,
    pub ticket_id: Option<i64>,
    /// The staff member registering it: the first-inquiry owner.
    pub by: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocumentInput {
    pub name: String,
    /// When the customer handed it in; defaults to now.
    pub received_at: Option<i64>,
    #[serde(default)]
    pub note: String,
}

/// 回访: did we reach the customer, are they satisfied.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Callback {
    pub reached: bool,
    pub satisfied: bool,
    #[serde(default)]
    pub note: String,
}

/// Which cases a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseList {
    /// Open cases the person owns or is asked to take over.
    Mine(i64),
    Open,
    /// Open, not overdue, some clock at ≥ 80 % of its limit.
    DueSoon,
    /// Open, some clock past its limit.
    Overdue,
}

/// A line of a case list.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CaseSummary {
    pub case: Case,
    pub current_step: Option<String>,
    pub current_step_zh: Option<String>,
    pub next_deadline: Option<i64>,
    /// The largest share of a limit used among running or paused clocks.
    pub max_share: f64,
    pub overdue: bool,
    /// Some running deadline was counted on a provisional calendar year.
    pub provisional: bool,
}

/// On-time rate of one group: met ÷ stopped clocks.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OnTimeRow {
    pub key: String,
    pub label_zh: String,
    pub stopped: i64,
    pub met: i64,
    /// `None` when no clock stopped.
    pub rate: Option<f64>,
}

/// Clocks stopped in a period, grouped three ways.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OnTimeReport {
    pub hall_id: i64,
    pub from: i64,
    pub to: i64,
    pub overall: OnTimeRow,
    pub by_business_type: Vec<OnTimeRow>,
    pub by_customer_class: Vec<OnTimeRow>,
    pub by_step: Vec<OnTimeRow>,
}

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

/// The filters of the case register: cases registered in `[from, to)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseFilter {
    pub from: i64,
    pub to: i64,
    pub state: Option<crate::CaseState>,
    pub kind: Option<CaseKind>,
    pub business_type_id: Option<i64>,
    /// The accountable owner now.
    pub owner_id: Option<i64>,
}

/// A case as the register lists it: the case and its earliest running deadline.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseLine {
    pub case: Case,
    pub next_deadline: Option<i64>,
    pub overdue: bool,
}
