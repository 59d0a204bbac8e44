//! A case as the API and the screens show it: people by name and badge, personal data
//! masked unless the caller owns the case or manages the hall, the trail, the thresholds.

use crate::api::word;
use crate::auth::Caller;
use crate::error::ApiResult;
use serde::Serialize;
use servicehall_domain::Role;
use servicehall_domain::access::Permission;
use servicehall_domain::cases::Process;
use servicehall_domain::cases::mask;
use servicehall_store::{CaseDetail, Store};
use std::collections::HashMap;
use utoipa::ToSchema;

/// A staff member as a case shows them.
#[derive(Serialize, ToSchema, Clone)]
pub struct PersonRef {
    pub id: i64,
    pub name: String,
    pub badge_no: String,
}

#[derive(Serialize, ToSchema)]
pub struct CaseView {
    pub id: i64,
    pub number: String,
    pub hall_id: i64,
    pub kind: String,
    pub kind_zh: String,
    /// The case closes only after a call-back is on record (complaints, service recovery):
    /// the case page draws the call-back form from this, not from its own list of kinds.
    pub needs_callback: bool,
    pub business_type: Option<String>,
    pub business_type_zh: Option<String>,
    pub customer_class: String,
    pub customer_class_zh: String,
    /// False when the caller sees the customer's data masked.
    pub personal_data_full: bool,
    pub customer_name: String,
    pub customer_phone: String,
    pub account_no: String,
    pub summary: String,
    pub ticket_id: Option<i64>,
    /// The customer's access code for `/case` (查询码, `K7QM-3XWD`), to hand over: only for
    /// those who work the case (its owner, a hall manager, an administrator).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_code: Option<String>,
    pub status: String,
    pub status_zh: String,
    pub owner: PersonRef,
    pub first_inquiry_owner: PersonRef,
    /// A hand-over waiting for this person's acceptance.
    pub handover_to: Option<PersonRef>,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub current_step: Option<String>,
    pub next_deadline: Option<i64>,
    /// Some running deadline was counted on a provisional calendar year (暂按法定节假日推算);
    /// it is recomputed, and the change logged, when the year's schedule is imported.
    pub provisional: bool,
    pub steps: Vec<CaseStepView>,
    /// Each clock with its definition and figures now (`view`: status, deadline, share …).
    pub clocks: Vec<CaseClockView>,
    /// Every change with time, actor and note.
    pub trail: Vec<TrailEntry>,
    pub documents: Vec<CaseDocumentView>,
    pub warnings: Vec<CaseWarningView>,
    /// A sentence per year a deadline reaches into without a holiday schedule.
    pub calendar_warnings: Vec<String>,
    /// The shares at which this case's clocks warn (as it was opened).
    pub thresholds: Thresholds,
}

/// Warning shares of a limit: owner reminder, hall-manager warning (amber), breach.
#[derive(Serialize, ToSchema, Clone, Copy)]
pub struct Thresholds {
    pub owner: f64,
    pub amber: f64,
    pub breach: f64,
}

impl Thresholds {
    pub fn of(p: &servicehall_domain::cases::ClockPolicy) -> Self {
        use servicehall_domain::cases::WarningLevel as L;
        let at = |level: L, default: f64| {
            p.thresholds
                .iter()
                .find(|t| t.1 == level)
                .map_or(default, |t| t.0)
        };
        Self {
            owner: at(L::Owner, 0.5),
            amber: at(L::HallManager, 0.8),
            breach: at(L::Supervisor, 1.0),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TrailEntry {
    pub kind: String,
    pub at: i64,
    pub actor: Option<PersonRef>,
    pub target: Option<PersonRef>,
    pub step: String,
    pub clock: String,
    pub note: String,
    /// The event's details by name (e.g. `document_id`, `level`, `reached`); which names
    /// appear depends on `kind`. Values are text, numbers, yes/no, or null.
    #[schema(value_type = HashMap<String, TrailDetail>)]
    pub data: serde_json::Value,
}

/// One detail of a trail entry, for the API description: every detail the store records is
/// a single value, never a list or an object.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum TrailDetail {
    Text(String),
    Number(f64),
    Flag(bool),
}

/// Staff by id, looked up once per response.
pub(super) struct People<'a> {
    store: &'a dyn Store,
    seen: HashMap<i64, PersonRef>,
}

impl<'a> People<'a> {
    pub(super) fn new(store: &'a dyn Store) -> Self {
        Self {
            store,
            seen: HashMap::new(),
        }
    }

    pub(super) async fn get(&mut self, id: i64) -> ApiResult<PersonRef> {
        if let Some(p) = self.seen.get(&id) {
            return Ok(p.clone());
        }
        let s = self.store.staff(id).await?;
        let p = PersonRef {
            id,
            name: s.name,
            badge_no: s.badge_no,
        };
        self.seen.insert(id, p.clone());
        Ok(p)
    }

    pub(super) async fn opt(&mut self, id: Option<i64>) -> ApiResult<Option<PersonRef>> {
        match id {
            Some(id) => Ok(Some(self.get(id).await?)),
            None => Ok(None),
        }
    }
}

/// Whether the caller sees a case's personal data in full: its owner or a hall manager.
pub(crate) fn sees_full(caller: &Caller, owner_id: i64) -> bool {
    caller
        .staff
        .as_ref()
        .is_some_and(|s| s.id == owner_id || s.role == Role::HallManager)
}

/// Whether the caller works this case: its owner, or a hall manager or administrator of
/// its hall (the people who may change it, see [`workable`]).
fn works(caller: &Caller, c: &servicehall_store::Case) -> bool {
    caller.actor.may(Permission::HandleCases, c.hall_id)
        && caller.staff.as_ref().is_some_and(|st| {
            st.id == c.owner_id || matches!(st.role, Role::HallManager | Role::Admin)
        })
}

pub async fn case_view(store: &dyn Store, caller: &Caller, d: CaseDetail) -> ApiResult<CaseView> {
    let mut people = People::new(store);
    let c = &d.case;
    let full = sees_full(caller, c.owner_id);
    let access_code = (works(caller, c) && !c.access_code.is_empty())
        .then(|| servicehall_domain::cases::access_code::display(&c.access_code));
    let bt = match c.business_type_id {
        Some(id) => Some(store.business_type(id).await?),
        None => None,
    };
    let mut trail = Vec::with_capacity(d.trail.len());
    for e in &d.trail {
        trail.push(TrailEntry {
            kind: e.kind.clone(),
            at: e.at,
            actor: people.opt(e.actor_id).await?,
            target: people.opt(e.target_id).await?,
            step: e.step_code.clone(),
            clock: e.clock_key.clone(),
            note: e.note.clone(),
            data: e.data.clone(),
        });
    }
    Ok(CaseView {
        id: c.id,
        number: c.number.clone(),
        hall_id: c.hall_id,
        kind: c.kind.as_str().into(),
        kind_zh: c.kind.label_zh().into(),
        needs_callback: c.kind.needs_callback(),
        business_type: bt.as_ref().map(|b| b.code.clone()),
        business_type_zh: bt.as_ref().map(|b| b.name_zh.clone()),
        customer_class: c.customer_class.as_str().into(),
        customer_class_zh: c.customer_class.label_zh().into(),
        personal_data_full: full,
        customer_name: if full {
            c.customer_name.clone()
        } else {
            mask::name(&c.customer_name)
        },
        customer_phone: if full {
            c.customer_phone.clone()
        } else {
            mask::phone(&c.customer_phone)
        },
        account_no: if full {
            c.account_no.clone()
        } else {
            mask::account(&c.account_no)
        },
        summary: c.summary.clone(),
        ticket_id: c.ticket_id,
        access_code,
        status: c.status.as_str().into(),
        status_zh: c.status.label_zh().into(),
        owner: people.get(c.owner_id).await?,
        first_inquiry_owner: people.get(c.first_inquiry_owner_id).await?,
        handover_to: people.opt(c.handover_to).await?,
        created_at: c.created_at,
        closed_at: c.closed_at,
        current_step: d.current_step().map(|s| s.code.clone()),
        next_deadline: d.next_deadline(),
        provisional: d.provisional(),
        steps: d.steps.iter().map(CaseStepView::from).collect(),
        clocks: d.clocks.iter().map(CaseClockView::from).collect(),
        trail,
        documents: d.documents.iter().map(CaseDocumentView::from).collect(),
        warnings: d.warnings.iter().map(CaseWarningView::from).collect(),
        calendar_warnings: d.calendar_warnings.clone(),
        thresholds: Thresholds::of(&d.policy),
    })
}

pub use super::parts_view::*;

/// 回访: did we reach the customer, are they satisfied.
#[derive(serde::Deserialize, ToSchema)]
pub struct CallbackBody {
    pub reached: bool,
    pub satisfied: bool,
    #[serde(default)]
    pub note: String,
}

impl From<CallbackBody> for servicehall_store::Callback {
    fn from(b: CallbackBody) -> Self {
        Self {
            reached: b.reached,
            satisfied: b.satisfied,
            note: b.note,
        }
    }
}

/// A document (资料) the customer handed in.
#[derive(serde::Deserialize, ToSchema)]
pub struct DocumentBody {
    pub name: String,
    /// When the customer handed it in (unix ms); defaults to now.
    pub received_at: Option<i64>,
    #[serde(default)]
    pub note: String,
}

impl From<DocumentBody> for servicehall_store::DocumentInput {
    fn from(b: DocumentBody) -> Self {
        Self {
            name: b.name,
            received_at: b.received_at,
            note: b.note,
        }
    }
}

/// On-time rate of one group: met ÷ stopped clocks.
#[derive(Debug, Serialize, ToSchema)]
pub struct OnTimeRowView {
    pub key: String,
    pub label_zh: String,
    pub stopped: i64,
    pub met: i64,
    /// Absent when no clock stopped.
    pub rate: Option<f64>,
}

impl From<&servicehall_store::OnTimeRow> for OnTimeRowView {
    fn from(r: &servicehall_store::OnTimeRow) -> Self {
        Self {
            key: r.key.clone(),
            label_zh: r.label_zh.clone(),
            stopped: r.stopped,
            met: r.met,
            rate: r.rate,
        }
    }
}

/// Clocks stopped in a period, grouped three ways.
#[derive(Debug, Serialize, ToSchema)]
pub struct OnTimeReportView {
    pub hall_id: i64,
    pub from: i64,
    pub to: i64,
    pub overall: OnTimeRowView,
    pub by_business_type: Vec<OnTimeRowView>,
    pub by_customer_class: Vec<OnTimeRowView>,
    pub by_step: Vec<OnTimeRowView>,
}

impl From<&servicehall_store::OnTimeReport> for OnTimeReportView {
    fn from(r: &servicehall_store::OnTimeReport) -> Self {
        let rows = |v: &[servicehall_store::OnTimeRow]| v.iter().map(OnTimeRowView::from).collect();
        Self {
            hall_id: r.hall_id,
            from: r.from,
            to: r.to,
            overall: (&r.overall).into(),
            by_business_type: rows(&r.by_business_type),
            by_customer_class: rows(&r.by_customer_class),
            by_step: rows(&r.by_step),
        }
    }
}

/// The warning shares and pause cap of a hall's clocks.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseSettingsView {
    /// Share of the limit (‰) at which the owner is reminded.
    pub owner_permille: u32,
    /// Share of the limit (‰) at which the hall manager is warned (the bar turns amber).
    pub manager_permille: u32,
    /// Paused time excused per clock, in hours; beyond it time counts again.
    pub pause_cap_hours: u32,
}

impl From<&servicehall_domain::cases::CaseSettings> for CaseSettingsView {
    fn from(c: &servicehall_domain::cases::CaseSettings) -> Self {
        Self {
            owner_permille: c.owner_permille,
            manager_permille: c.manager_permille,
            pause_cap_hours: c.pause_cap_hours,
        }
    }
}

/// The ordered steps of one business (kind × business type × customer class).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessDefView {
    pub steps: Vec<StepDefView>,
}

/// One step of a process with its clocks.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepDefView {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub clocks: Vec<ClockDefView>,
}

/// One clock of a step. It stops when its step completes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClockDefView {
    /// Unique within its step: `step`, `contact`, `resolve` …
    pub code: String,
    /// `statutory` (规定时限), `promised` (承诺时限) or `appointment` (预约时限).
    pub kind: String,
    pub amount: AmountView,
    /// `case_opened` or `step_started`.
    pub starts: String,
    /// Where the limit comes from.
    pub source: String,
}

impl From<&Process> for ProcessDefView {
    fn from(p: &Process) -> Self {
        Self {
            steps: p
                .steps
                .iter()
                .map(|s| StepDefView {
                    code: s.code.clone(),
                    name_zh: s.name_zh.clone(),
                    name_en: s.name_en.clone(),
                    clocks: s
                        .clocks
                        .iter()
                        .map(|c| ClockDefView {
                            code: c.code.clone(),
                            kind: word(&c.kind),
                            amount: (&c.amount).into(),
                            starts: word(&c.starts),
                            source: c.source.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use servicehall_domain::cases::{Amount, WarningLevel};
    use servicehall_store::CaseWarning;

    #[test]
    fn the_views_serialize_as_the_store_rows_do() {
        let w = CaseWarning {
            case_id: 1,
            case_number: "GD001".into(),
            hall_id: 2,
            clock_key: "contact.contact".into(),
            level: WarningLevel::HallManager,
            share_permille: 812,
            at: 3,
            owner_id: 4,
        };
        assert_eq!(
            serde_json::to_string(&CaseWarningView::from(&w)).unwrap(),
            serde_json::to_string(&w).unwrap()
        );
        // The process a body sends is the process a view shows.
        let p = servicehall_domain::cases::default_process(
            servicehall_domain::cases::CaseKind::Complaint,
            None,
            servicehall_domain::cases::CustomerClass::Resident,
        );
        let json = serde_json::to_string(&ProcessDefView::from(&p)).unwrap();
        assert_eq!(json, serde_json::to_string(&p).unwrap());
        assert_eq!(serde_json::from_str::<Process>(&json).unwrap(), p);
        for a in [Amount::WorkingDays(3), Amount::Hours(24)] {
            assert_eq!(
                serde_json::to_string(&AmountView::from(&a)).unwrap(),
                serde_json::to_string(&a).unwrap()
            );
        }
    }
}
