//! What the incidents' routes answer: playbooks with their steps, incidents with their
//! timed checklist, the announcement the screens show, and manual entries.

use serde::Serialize;
use servicehall_domain::incidents::timing::{self, StepStatus};
use servicehall_domain::incidents::{Contact, KioskMode, Playbook, Step};
use servicehall_store::{Incident, IncidentPlaybook, ManualEntry};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactView {
    pub who_zh: String,
    pub who_en: String,
    pub phone: String,
}

impl From<&Contact> for ContactView {
    fn from(c: &Contact) -> Self {
        Self {
            who_zh: c.who_zh.clone(),
            who_en: c.who_en.clone(),
            phone: c.phone.clone(),
        }
    }
}

/// One step of a playbook.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepView {
    pub key: String,
    /// `manager`, `clerk` or `guide`.
    pub role: String,
    pub role_label: String,
    pub text_zh: String,
    pub text_en: String,
    pub due_minutes: u32,
    /// What to read to customers.
    pub script_zh: Option<String>,
    pub script_en: Option<String>,
    pub call: Option<ContactView>,
}

impl From<&Step> for StepView {
    fn from(s: &Step) -> Self {
        Self {
            key: s.key.clone(),
            role: s.role.as_str().into(),
            role_label: s.role.label().into(),
            text_zh: s.text_zh.clone(),
            text_en: s.text_en.clone(),
            due_minutes: s.due_minutes,
            script_zh: s.script_zh.clone(),
            script_en: s.script_en.clone(),
            call: s.call.as_ref().map(ContactView::from),
        }
    }
}

fn kiosk(k: KioskMode) -> &'static str {
    match k {
        KioskMode::Normal => "normal",
        KioskMode::Notice => "notice",
        KioskMode::Reduced => "reduced",
    }
}

/// A playbook version: the incident kind's code (`outage` …) and its steps.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaybookView {
    pub id: i64,
    pub code: String,
    pub version: i64,
    /// False for the company-wide version every hall sees until it writes its own.
    pub hall_own: bool,
    pub name_zh: String,
    pub name_en: String,
    pub announcement_zh: String,
    pub announcement_en: String,
    /// What the kiosk does meanwhile: `normal`, `notice` (no tickets) or `reduced`.
    pub kiosk: String,
    pub kiosk_businesses: Vec<String>,
    /// Counters record visits by hand to back-enter later.
    pub manual_entries: bool,
    pub steps: Vec<StepView>,
}

impl From<&IncidentPlaybook> for PlaybookView {
    fn from(p: &IncidentPlaybook) -> Self {
        let b: &Playbook = &p.playbook;
        Self {
            id: p.id,
            code: b.code.clone(),
            version: p.version,
            hall_own: p.hall_id.is_some(),
            name_zh: b.name_zh.clone(),
            name_en: b.name_en.clone(),
            announcement_zh: b.announcement_zh.clone(),
            announcement_en: b.announcement_en.clone(),
            kiosk: kiosk(b.kiosk).into(),
            kiosk_businesses: b.kiosk_businesses.clone(),
            manual_entries: b.manual_entries,
            steps: b.steps.iter().map(StepView::from).collect(),
        }
    }
}

/// A step of a running or past incident, timed from the declaration.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistStepView {
    #[serde(flatten)]
    pub step: StepView,
    pub due_at: i64,
    /// `pending`, `overdue`, `done` or `done_late`.
    pub status: String,
    pub status_label: String,
    /// Seconds until due (negative: overdue); `null` once done.
    pub seconds_left: Option<i64>,
    pub done_at: Option<i64>,
    pub done_by: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActionView {
    pub case_id: i64,
    pub case_number: String,
    pub text: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub due_at: i64,
    pub closed: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewView {
    pub cause: String,
    /// The risk register's code the incident belongs to.
    pub risk_code: Option<String>,
    pub reviewed_by: String,
    pub reviewed_at: i64,
    pub actions: Vec<ActionView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentView {
    pub id: i64,
    pub hall_id: i64,
    pub kind: String,
    pub name_zh: String,
    pub name_en: String,
    pub playbook_version: i64,
    pub note: String,
    /// `active`, `closed` or `reviewed`.
    pub state: String,
    pub state_label: String,
    pub declared_by: String,
    pub declared_at: i64,
    pub closed_at: Option<i64>,
    pub closed_by: Option<String>,
    pub announcement: AnnouncementView,
    pub manual_entries: bool,
    pub steps: Vec<ChecklistStepView>,
    pub overdue: usize,
    pub review: Option<ReviewView>,
}

impl IncidentView {
    /// The incident as of `now` (its steps' statuses are worked out at that moment; a
    /// closed incident is timed at its close).
    pub fn new(i: &Incident, now: i64) -> Self {
        let at = i.closed_at.unwrap_or(now);
        let steps: Vec<ChecklistStepView> = i
            .playbook
            .steps
            .iter()
            .map(|s| {
                let done = i.done(&s.key);
                let st = timing::status(i.declared_at, s, done.map(|d| d.done_at), at);
                ChecklistStepView {
                    step: s.into(),
                    due_at: timing::due_at(i.declared_at, s),
                    status: match st {
                        StepStatus::Pending => "pending",
                        StepStatus::Overdue => "overdue",
                        StepStatus::Done => "done",
                        StepStatus::DoneLate => "done_late",
                    }
                    .into(),
                    status_label: st.label().into(),
                    seconds_left: done
                        .is_none()
                        .then(|| timing::seconds_left(i.declared_at, s, at)),
                    done_at: done.map(|d| d.done_at),
                    done_by: done.map(|d| d.done_by_name.clone()),
                }
            })
            .collect();
        let state = i.state();
        Self {
            id: i.id,
            hall_id: i.hall_id,
            kind: i.playbook.code.clone(),
            name_zh: i.playbook.name_zh.clone(),
            name_en: i.playbook.name_en.clone(),
            playbook_version: i.playbook_version,
            note: i.note.clone(),
            state: format!("{state:?}").to_lowercase(),
            state_label: state.label().into(),
            declared_by: i.declared_by_name.clone(),
            declared_at: i.declared_at,
            closed_at: i.closed_at,
            closed_by: i.closed_by_name.clone(),
            announcement: AnnouncementView::from(i),
            manual_entries: i.playbook.manual_entries,
            overdue: steps.iter().filter(|s| s.status == "overdue").count(),
            steps,
            review: i.review.as_ref().map(|r| ReviewView {
                cause: r.cause.clone(),
                risk_code: r.risk_code.clone(),
                reviewed_by: r.reviewed_by_name.clone(),
                reviewed_at: r.reviewed_at,
                actions: r
                    .actions
                    .iter()
                    .map(|a| ActionView {
                        case_id: a.case_id,
                        case_number: a.number.clone(),
                        text: a.text.clone(),
                        owner_id: a.owner_id,
                        owner_name: a.owner_name.clone(),
                        due_at: a.due_at,
                        closed: a.closed,
                    })
                    .collect(),
            }),
        }
    }
}

/// What the lobby display, the kiosk and the public page show while an incident is active.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnnouncementView {
    pub incident_id: i64,
    pub kind: String,
    pub name_zh: String,
    pub name_en: String,
    pub text_zh: String,
    pub text_en: String,
    /// `normal`, `notice` (the kiosk shows this instead of its tiles) or `reduced`.
    pub kiosk: String,
    /// In `reduced` mode: the business codes the kiosk still offers.
    pub kiosk_businesses: Vec<String>,
    pub since: i64,
}

impl From<&Incident> for AnnouncementView {
    fn from(i: &Incident) -> Self {
        let p = &i.playbook;
        Self {
            incident_id: i.id,
            kind: p.code.clone(),
            name_zh: p.name_zh.clone(),
            name_en: p.name_en.clone(),
            text_zh: p.announcement_zh.clone(),
            text_en: p.announcement_en.clone(),
            kiosk: kiosk(p.kiosk).into(),
            kiosk_businesses: p.kiosk_businesses.clone(),
            since: i.declared_at,
        }
    }
}

/// The hall's active announcements, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnnouncementsView {
    /// The active incidents' ids joined by commas: send it back as `known` to wait for a
    /// change.
    pub known: String,
    pub announcements: Vec<AnnouncementView>,
}

/// A visit recorded by hand.
#[derive(Debug, Serialize, ToSchema)]
pub struct ManualEntryView {
    pub id: i64,
    pub incident_id: Option<i64>,
    pub counter: Option<String>,
    pub business_type_id: i64,
    pub business: String,
    pub customer_name: String,
    pub account_no: String,
    pub phone: String,
    pub amount_fen: Option<i64>,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: i64,
    pub back_entered_at: Option<i64>,
    pub back_entered_by: Option<String>,
    /// The business system's own number for the back-entered transaction.
    pub back_ref: Option<String>,
}

impl From<&ManualEntry> for ManualEntryView {
    fn from(e: &ManualEntry) -> Self {
        Self {
            id: e.id,
            incident_id: e.incident_id,
            counter: e.counter_name.clone(),
            business_type_id: e.business_type_id,
            business: e.business_name.clone(),
            customer_name: e.customer_name.clone(),
            account_no: e.account_no.clone(),
            phone: e.phone.clone(),
            amount_fen: e.amount_fen,
            note: e.note.clone(),
            recorded_by: e.recorded_by_name.clone(),
            recorded_at: e.recorded_at,
            back_entered_at: e.back_entered_at,
            back_entered_by: e.back_entered_by_name.clone(),
            back_ref: e.back_ref.clone(),
        }
    }
}
