//! The parts of a case as the API shows them: its process steps, the size of a time limit,
//! each clock with its figures at the time asked, the documents received and the warnings
//! recorded.

use crate::api::word;
use serde::Serialize;
use servicehall_domain::cases::{Amount, ClockView};
use servicehall_store::{CaseClock, CaseDocument, CaseStep, CaseWarning};
use utoipa::ToSchema;

/// A step of the case's process.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseStepView {
    pub position: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub completed_at: Option<i64>,
    /// Staff id.
    pub completed_by: Option<i64>,
}

impl From<&CaseStep> for CaseStepView {
    fn from(s: &CaseStep) -> Self {
        Self {
            position: s.position,
            code: s.code.clone(),
            name_zh: s.name_zh.clone(),
            name_en: s.name_en.clone(),
            completed_at: s.completed_at,
            completed_by: s.completed_by,
        }
    }
}

/// A time limit's size: `{"unit": "working_days", "n": 3}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AmountView {
    /// `working_days`, `working_hours`, `calendar_days` or `hours`.
    pub unit: String,
    pub n: u32,
}

impl From<&Amount> for AmountView {
    fn from(a: &Amount) -> Self {
        let (unit, n) = match *a {
            Amount::WorkingDays(n) => ("working_days", n),
            Amount::WorkingHours(n) => ("working_hours", n),
            Amount::CalendarDays(n) => ("calendar_days", n),
            Amount::Hours(n) => ("hours", n),
        };
        Self {
            unit: unit.into(),
            n,
        }
    }
}

/// A clock with its definition and its figures at the time asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseClockView {
    /// `step.code`, unique in the case: `scheme_reply.step`, `contact.contact`.
    pub key: String,
    pub step_code: String,
    pub code: String,
    /// `statutory` (规定时限), `promised` (承诺时限) or `appointment` (预约时限).
    pub kind: String,
    pub amount: AmountView,
    /// `case_opened` or `step_started`.
    pub starts: String,
    pub source: String,
    /// `not_started`, `running`, `paused` or `stopped`.
    pub state: String,
    pub pause_reason: String,
    pub view: ClockFiguresView,
    /// The deadline was counted on a provisional calendar year (暂按法定节假日推算).
    pub provisional: bool,
}

impl From<&CaseClock> for CaseClockView {
    fn from(c: &CaseClock) -> Self {
        Self {
            key: c.key.clone(),
            step_code: c.step_code.clone(),
            code: c.code.clone(),
            kind: word(&c.kind),
            amount: (&c.amount).into(),
            starts: word(&c.starts),
            source: c.source.clone(),
            state: word(&c.state),
            pause_reason: c.pause_reason.clone(),
            view: (&c.view).into(),
            provisional: c.provisional,
        }
    }
}

/// A clock evaluated at an instant. Times are ms in the clock's measure.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClockFiguresView {
    /// `pending`, `running`, `paused`, `met` or `breached`.
    pub status: String,
    pub started_at: Option<i64>,
    pub stopped_at: Option<i64>,
    pub limit_ms: i64,
    pub elapsed_ms: i64,
    /// Negative once overdue (by that much).
    pub remaining_ms: i64,
    /// Elapsed ÷ limit.
    pub share: f64,
    /// When the limit is (or was) reached; for a paused clock, if resumed now.
    pub deadline: Option<i64>,
    pub overdue: bool,
    /// Elapsed pause time that did not count (within the cap).
    pub excused_ms: i64,
    /// The highest warning level reached (`owner`, `hall_manager`, `supervisor`), if any.
    pub level: Option<String>,
    /// Every level reached, in order.
    pub levels: Vec<String>,
}

impl From<&ClockView> for ClockFiguresView {
    fn from(v: &ClockView) -> Self {
        Self {
            status: word(&v.status),
            started_at: v.started_at,
            stopped_at: v.stopped_at,
            limit_ms: v.limit_ms,
            elapsed_ms: v.elapsed_ms,
            remaining_ms: v.remaining_ms,
            share: v.share,
            deadline: v.deadline,
            overdue: v.overdue,
            excused_ms: v.excused_ms,
            level: v.level.as_ref().map(word),
            levels: v.levels.iter().map(word).collect(),
        }
    }
}

/// A document (资料) received for the case.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDocumentView {
    pub id: i64,
    pub name: String,
    pub received_at: i64,
    pub received_by: Option<i64>,
    pub note: String,
    /// `application/pdf`, `image/jpeg`, `image/png` for an uploaded file; empty when only
    /// the paper was recorded.
    pub content_type: String,
    pub size_bytes: i64,
    /// Replaced by a newer document (kept, never deleted).
    pub superseded_at: Option<i64>,
    pub superseded_by: Option<i64>,
    pub superseded_reason: String,
}

impl From<&CaseDocument> for CaseDocumentView {
    fn from(d: &CaseDocument) -> Self {
        Self {
            id: d.id,
            name: d.name.clone(),
            received_at: d.received_at,
            received_by: d.received_by,
            note: d.note.clone(),
            content_type: d.content_type.clone(),
            size_bytes: d.size_bytes,
            superseded_at: d.superseded_at,
            superseded_by: d.superseded_by,
            superseded_reason: d.superseded_reason.clone(),
        }
    }
}

/// A warning recorded once per case, clock and level.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseWarningView {
    pub case_id: i64,
    pub case_number: String,
    pub hall_id: i64,
    pub clock_key: String,
    /// `owner`, `hall_manager` or `supervisor`.
    pub level: String,
    /// Share of the limit used when recorded, in ‰.
    pub share_permille: i64,
    pub at: i64,
    /// Who is told: the owner (owner level), else the hall's managers or the region.
    pub owner_id: i64,
}

impl From<&CaseWarning> for CaseWarningView {
    fn from(w: &CaseWarning) -> Self {
        Self {
            case_id: w.case_id,
            case_number: w.case_number.clone(),
            hall_id: w.hall_id,
            clock_key: w.clock_key.clone(),
            level: word(&w.level),
            share_permille: w.share_permille,
            at: w.at,
            owner_id: w.owner_id,
        }
    }
}
