//! What the store keeps and returns about feedback: phone ratings (一事一评), external
//! evaluations (外评) and their import reports, service-recovery cases (服务补救) and the
//! visits the anti-gaming flags are computed from, the flags as stored (防刷评) and the
//! audit of changed settings. Instants are unix ms (UTC).

use crate::CaseDetail;
use serde::Serialize;
use servicehall_domain::feedback::Channel;
use servicehall_domain::feedback::import::RowError;
use servicehall_domain::feedback::phone::TouchpointLevel;

pub use servicehall_domain::feedback::FeedbackSettings;
pub use servicehall_domain::feedback::gaming::PadVisit;
use servicehall_domain::feedback::gaming::{Finding, Flag};
pub use servicehall_domain::feedback::import::ExternalSource;
pub use servicehall_domain::feedback::phone::PhoneRatingInput;

/// A customer's phone rating of a finished visit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PhoneRating {
    pub id: i64,
    pub ticket_id: i64,
    pub hall_id: i64,
    pub counter_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub business_type_id: i64,
    pub level: i64,
    pub touchpoints: Vec<TouchpointLevel>,
    pub reasons: Vec<String>,
    pub comment: String,
    /// Present when the customer left a number to be called back on (real-name).
    pub contact_phone: String,
    pub finished_at: i64,
    pub at: i64,
    /// The service-recovery case a bad rating opened.
    pub recovery_case_id: Option<i64>,
}

/// What an import did: counts, and every skipped row with its line and reason.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ImportReport {
    pub id: i64,
    pub source: ExternalSource,
    pub file_name: String,
    pub at: i64,
    pub rows_total: i64,
    pub rows_imported: i64,
    /// Rows whose (source, source_row_id) was already imported: skipped, not counted twice.
    pub rows_duplicate: i64,
    pub rows_bad: i64,
    /// Service-recovery cases the imported bad rows opened.
    pub cases_opened: i64,
    pub errors: Vec<RowError>,
}

/// A bad rating and its recovery case, for the hall manager's call-back list.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RecoveryItem {
    pub case_id: i64,
    pub case_number: String,
    pub channel: Channel,
    pub level: i64,
    pub reasons: Vec<String>,
    /// The customer left a phone number: the call-back is owed.
    pub real_name: bool,
    pub at: i64,
    pub closed: bool,
    pub callback_recorded: bool,
    pub owner_id: i64,
    pub customer_phone: String,
    /// The earliest deadline of a running clock.
    pub next_deadline: Option<i64>,
    pub overdue: bool,
}

impl CaseDetail {
    /// The case's call-back requirement is met: a call-back that reached the customer is
    /// on record, or — for an anonymous service-recovery case — nobody can be called.
    pub fn callback_satisfied(&self) -> bool {
        servicehall_domain::feedback::recovery::callback_satisfied(
            self.case.kind,
            &self.case.customer_phone,
            self.callback_recorded(),
        )
    }
}

/// A flag as stored: its latest evidence, when it was first and last detected, and the
/// finding once a supervisor has acknowledged it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StoredFlag {
    pub id: i64,
    pub hall_id: i64,
    pub flag: Flag,
    pub first_seen_at: i64,
    pub last_seen_at: i64,
    /// `None` while open.
    pub finding: Option<Finding>,
    pub finding_note: String,
    pub finding_by: Option<i64>,
    pub finding_at: Option<i64>,
}

/// Where a flag stands on the flags list: still open, or judged with either finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagState {
    Open,
    Confirmed,
    Dismissed,
}

impl FlagState {
    pub const ALL: [Self; 3] = [Self::Open, Self::Confirmed, Self::Dismissed];

    /// The URL's word, and for a judged flag the stored finding.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Confirmed => "confirmed",
            Self::Dismissed => "dismissed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// The filters of the flags list: flags whose detections overlap `[from, to)` or judged in
/// it, of one kind and one state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlagFilter {
    pub from: i64,
    pub to: i64,
    pub kind: Option<servicehall_domain::feedback::gaming::FlagKind>,
    pub state: Option<FlagState>,
}

/// One changed setting: which, from what to what, by whom, when.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SettingChange {
    pub id: i64,
    /// `None` for the province-wide figure definitions.
    pub hall_id: Option<i64>,
    /// The setting's name as in the API (`phone_window_hours`, `weights.attitude` …).
    pub setting: String,
    pub old_value: String,
    pub new_value: String,
    pub by_staff: Option<i64>,
    pub at: i64,
}

/// The filters of the service-recovery list: ratings in `[from, to)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecoveryFilter {
    pub from: i64,
    pub to: i64,
    pub state: Option<crate::CaseState>,
    pub channel: Option<Channel>,
    /// 1 非常不满意 or 2 不满意.
    pub level: Option<i64>,
}

/// The filters of the ratings list: ratings given in `[from, to)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RatingFilter {
    pub from: i64,
    pub to: i64,
    /// Pad or phone (outside evaluations are listed by their import).
    pub channel: Option<Channel>,
    pub level: Option<i64>,
    pub staff_id: Option<i64>,
    pub business_type_id: Option<i64>,
    /// Rated at this counter (a counter's scorecard line narrows its records to it).
    pub counter_id: Option<i64>,
}

/// One rating of a visit, from the pad or the phone, as the ratings list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingLine {
    pub channel: Channel,
    pub id: i64,
    pub at: i64,
    pub level: i64,
    pub reasons: Vec<String>,
    pub ticket_number: String,
    pub business_type_id: i64,
    pub counter_number: Option<i64>,
    pub staff_id: Option<i64>,
    /// `name · badge` of the clerk who served.
    pub staff: Option<String>,
    /// What a phone rater left (empty on the pad): personal data, masked on screens.
    pub contact_name: String,
    pub contact_phone: String,
    pub comment: String,
}
