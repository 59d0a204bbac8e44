//! Cases (工单) over JSON: open from the counter, work the steps and clocks, hand over,
//! record the callback, close; lists, on-time rates and the warning scan. The customer's
//! public status page is in `public_cases`.
//!
//! Personal data (name, phone, account number) is shown in full only to the case's owner
//! and to hall managers; everyone else sees it masked (张**, 138****1234, ****6789).

use super::{JsonBody, OptionalJson, resolve_hall};
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use servicehall_domain::Role;
use servicehall_domain::access::Permission;
use servicehall_domain::cases::{CaseKind, CustomerClass, mask};
use servicehall_store::{
    Callback, CaseDetail, CaseList, CaseWarning, DocumentInput, OnTimeReport, OpenCase, Staff,
    Store,
};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

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
    #[schema(value_type = Vec<Object>)]
    pub steps: Vec<servicehall_store::CaseStep>,
    /// Each clock with its definition and figures now (`view`: status, deadline, share …).
    #[schema(value_type = Vec<Object>)]
    pub clocks: Vec<servicehall_store::CaseClock>,
    /// Every change with time, actor and note.
    pub trail: Vec<TrailEntry>,
    #[schema(value_type = Vec<Object>)]
    pub documents: Vec<servicehall_store::CaseDocument>,
    #[schema(value_type = Vec<Object>)]
    pub warnings: Vec<CaseWarning>,
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
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// Staff by id, looked up once per response.
struct People<'a> {
    store: &'a dyn Store,
    seen: HashMap<i64, PersonRef>,
}

impl<'a> People<'a> {
    fn new(store: &'a dyn Store) -> Self {
        Self {
            store,
            seen: HashMap::new(),
        }
    }

    async fn get(&mut self, id: i64) -> ApiResult<PersonRef> {
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

    async fn opt(&mut self, id: Option<i64>) -> ApiResult<Option<PersonRef>> {
        match id {
            Some(id) => Ok(Some(self.get(id).await?)),
            None => Ok(None),
        }
    }
}

/// Whether the caller sees a case's personal data in full: its owner or a hall manager.
fn sees_full(caller: &Caller, owner_id: i64) -> bool {
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
        steps: d.steps.clone(),
        clocks: d.clocks.clone(),
        trail,
        documents: d.documents.clone(),
        warnings: d.warnings.clone(),
        calendar_warnings: d.calendar_warnings.clone(),
        thresholds: Thresholds::of(&d.policy),
    })
}

fn me(caller: &Caller) -> ApiResult<&Staff> {
    caller
        .staff
        .as_ref()
        .ok_or_else(|| ApiError::forbidden("cases are worked by signed-in staff, not devices"))
}

/// Refuses callers who may not read the hall's cases (`ReadCases`: the people who work or
/// supervise them; no device, integrations included).
pub(crate) fn require_read_cases(caller: &Caller, hall_id: i64) -> ApiResult<()> {
    if caller.actor.may(Permission::ReadCases, hall_id) {
        return Ok(());
    }
    Err(ApiError::forbidden(
        if caller.actor.allows(Permission::ReadCases) {
            "您无权查看该营业厅的工单 · You may not read this hall's cases"
        } else {
            "工单仅供办理和督办人员查看，设备与系统集成无权读取 · Cases are read by the people who work or supervise them; devices and integrations may not"
        },
    ))
}

/// Loads a case the caller may read (case handlers, supervisors of its hall).
pub(super) async fn visible(s: &AppState, caller: &Caller, id: i64) -> ApiResult<CaseDetail> {
    let d = s.store.case(id, s.now()).await?;
    require_read_cases(caller, d.case.hall_id)?;
    Ok(d)
}

/// Loads a case the caller may change: its owner, or a hall manager / administrator.
pub(super) async fn workable(
    s: &AppState,
    caller: &Caller,
    id: i64,
) -> ApiResult<(CaseDetail, i64)> {
    let d = s.store.case(id, s.now()).await?;
    caller.require(Permission::HandleCases, d.case.hall_id)?;
    let st = me(caller)?;
    if st.id != d.case.owner_id && !matches!(st.role, Role::HallManager | Role::Admin) {
        return Err(ApiError::forbidden(
            "only the case's owner (or a hall manager) works it; ask them to hand it over to you",
        ));
    }
    Ok((d, st.id))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenBody {
    /// application, complaint, opinion or inquiry_follow_up.
    pub kind: String,
    /// Business type code (required for applications), e.g. `new_connection`.
    pub business_type: Option<String>,
    /// resident, low_voltage, hv_single, hv_dual (required for applications).
    pub customer_class: Option<String>,
    pub customer_name: String,
    pub customer_phone: String,
    #[serde(default)]
    pub account_no: String,
    #[serde(default)]
    pub summary: String,
    /// The visit (ticket id) the case comes from.
    pub ticket_id: Option<i64>,
}

/// Registers a case; the caller becomes its first-inquiry owner (首问负责人).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/cases", tag = "cases",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = OpenBody,
    responses((status = 201, body = CaseView), (status = 422, body = crate::error::Problem)))]
pub async fn open(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<OpenBody>,
) -> ApiResult<(StatusCode, Json<CaseView>)> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::HandleCases, hall.id)?;
    let by = me(&caller)?.id;
    let kind: CaseKind = b.kind.parse().map_err(ApiError::unprocessable)?;
    let class: CustomerClass = match (&b.customer_class, kind) {
        (Some(c), _) => c.parse().map_err(ApiError::unprocessable)?,
        (None, CaseKind::Application) => {
            return Err(ApiError::unprocessable(
                "a business application needs customer_class: resident, low_voltage, hv_single or hv_dual",
            ));
        }
        (None, _) => CustomerClass::Resident,
    };
    let business_type_id = match &b.business_type {
        Some(code) => Some(
            s.store
                .business_types(hall.id)
                .await?
                .into_iter()
                .find(|t| &t.code == code)
                .ok_or_else(|| {
                    ApiError::unprocessable(format!(
                        "unknown business type {code:?} in hall {}",
                        hall.code
                    ))
                })?
                .id,
        ),
        None => None,
    };
    let req = OpenCase {
        hall_id: hall.id,
        kind,
        business_type_id,
        customer_class: class,
        customer_name: b.customer_name,
        customer_phone: b.customer_phone,
        account_no: b.account_no,
        summary: b.summary,
        ticket_id: b.ticket_id,
        by,
    };
    let d = s.store.open_case(&req, s.now()).await?;
    Ok((
        StatusCode::CREATED,
        Json(case_view(s.store.as_ref(), &caller, d).await?),
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// mine (default), open, due_soon or overdue.
    pub view: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CaseListItem {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub kind_zh: String,
    pub business_type_zh: Option<String>,
    pub customer_class_zh: String,
    pub customer_name: String,
    pub owner: PersonRef,
    /// The caller is asked to take this case over.
    pub handover_to_me: bool,
    pub current_step: Option<String>,
    pub current_step_zh: Option<String>,
    pub next_deadline: Option<i64>,
    pub max_share: f64,
    pub overdue: bool,
    pub created_at: i64,
}

/// Open cases of a hall: mine, all open, due soon (≥ 80 % of a limit) or overdue.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/cases", tag = "cases",
    params(("hall" = String, Path, description = "hall code or id"), ListQuery),
    responses((status = 200, body = Vec<CaseListItem>), (status = 422, body = crate::error::Problem)))]
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<CaseListItem>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    require_read_cases(&caller, hall.id)?;
    let my_id = caller.staff.as_ref().map(|st| st.id);
    let list = match q.view.as_deref().unwrap_or("mine") {
        "mine" => CaseList::Mine(my_id.ok_or_else(|| {
            ApiError::unprocessable("view=mine needs a signed-in person; use view=open")
        })?),
        "open" => CaseList::Open,
        "due_soon" => CaseList::DueSoon,
        "overdue" => CaseList::Overdue,
        other => {
            return Err(ApiError::unprocessable(format!(
                "unknown view {other:?}; use mine, open, due_soon or overdue"
            )));
        }
    };
    let mut people = People::new(s.store.as_ref());
    let types = s.store.business_types(hall.id).await?;
    let mut out = Vec::new();
    for c in s.store.cases(hall.id, list, s.now()).await? {
        let full = sees_full(&caller, c.case.owner_id);
        out.push(CaseListItem {
            id: c.case.id,
            number: c.case.number.clone(),
            kind: c.case.kind.as_str().into(),
            kind_zh: c.case.kind.label_zh().into(),
            business_type_zh: c
                .case
                .business_type_id
                .and_then(|id| types.iter().find(|b| b.id == id))
                .map(|b| b.name_zh.clone()),
            customer_class_zh: c.case.customer_class.label_zh().into(),
            customer_name: if full {
                c.case.customer_name.clone()
            } else {
                mask::name(&c.case.customer_name)
            },
            owner: people.get(c.case.owner_id).await?,
            handover_to_me: my_id.is_some() && c.case.handover_to == my_id,
            current_step: c.current_step,
            current_step_zh: c.current_step_zh,
            next_deadline: c.next_deadline,
            max_share: c.max_share,
            overdue: c.overdue,
            created_at: c.case.created_at,
        });
    }
    Ok(Json(out))
}

/// A case with its steps, clocks, trail, documents and warnings.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = i64, Path)),
    responses((status = 200, body = CaseView), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<CaseView>> {
    let d = visible(&s, &caller, id).await?;
    Ok(Json(case_view(s.store.as_ref(), &caller, d).await?))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    #[serde(default)]
    pub note: String,
}

/// Completes a step; steps complete in order, and the step's clocks stop.
#[utoipa::path(post, path = "/api/v1/cases/{id}/steps/{code}/complete", tag = "cases",
    params(("id" = i64, Path), ("code" = String, Path)), request_body = Option<NoteBody>,
    responses((status = 200, body = CaseView), (status = 409, body = crate::error::Problem)))]
pub async fn complete_step(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, code)): Path<(i64, String)>,
    OptionalJson(b): OptionalJson<NoteBody>,
) -> ApiResult<Json<CaseView>> {
    let (_, by) = workable(&s, &caller, id).await?;
    let note = b.unwrap_or_default().note;
    let d = s.store.complete_step(id, &code, by, &note, s.now()).await?;
    Ok(Json(case_view(s.store.as_ref(), &caller, d).await?))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct PauseBody {
    /// Why: 等待客户补充资料, 客户预约日期 …
    #[serde(default)]
    pub reason: String,
}

/// Pauses or resumes a clock (`pause` needs a reason).
#[utoipa::path(post, path = "/api/v1/cases/{id}/clocks/{clock}/{action}", tag = "cases",
    params(("id" = i64, Path), ("clock" = String, Path, description = "clock key `step.code`, or a code naming one running clock"),
           ("action" = String, Path, description = "pause | resume")),
    request_body = Option<PauseBody>,
    responses((status = 200, body = CaseView), (status = 409, body = crate::error::Problem)))]
pub async fn clock(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, clock, action)): Path<(i64, String, String)>,
    OptionalJson(b): OptionalJson<PauseBody>,
) -> ApiResult<Json<CaseView>> {
    let (_, by) = workable(&s, &caller, id).await?;
    let now = s.now();
    let d = match action.as_str() {
        "pause" => {
            let reason = b.unwrap_or_default().reason;
            s.store.pause_clock(id, &clock, &reason, by, now).await?
        }
        "resume" => s.store.resume_clock(id, &clock, by, now).await?,
        other => {
            return Err(ApiError::not_found(format!(
                "unknown clock action {other:?}; use pause or resume"
            )));
        }
    };
    Ok(Json(case_view(s.store.as_ref(), &caller, d).await?))
}

/// Records a document the customer handed in.
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents", tag = "cases",
    params(("id" = i64, Path)), request_body = Object,
    responses((status = 200, body = CaseView), (status = 422, body = crate::error::Problem)))]
pub async fn add_document(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(doc): JsonBody<DocumentInput>,
) -> ApiResult<Json<CaseView>> {
    let (_, by) = workable(&s, &caller, id).await?;
    let d = s.store.add_document(id, &doc, by, s.now()).await?;
    Ok(Json(case_view(s.store.as_ref(), &caller, d).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverBody {
    /// Badge number (工号) of the person to take the case over (in this hall).
    pub to_badge: Option<String>,
    /// Or their staff id (administrators above halls have no hall badge list).
    pub to_staff_id: Option<i64>,
    pub reason: String,
}

/// Asks someone to take the case over; the owner stays accountable until they accept.
#[utoipa::path(post, path = "/api/v1/cases/{id}/handover", tag = "cases",
    params(("id" = i64, Path)), request_body = HandoverBody,
    responses((status = 200, body = CaseView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn handover(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<HandoverBody>,
) -> ApiResult<Json<CaseView>> {
    let (d, by) = workable(&s, &caller, id).await?;
    let to = match (b.to_staff_id, &b.to_badge) {
        (Some(id), _) => id,
        (None, Some(badge)) => {
            s.store
                .staff_list(Some(d.case.hall_id))
                .await?
                .into_iter()
                .find(|st| &st.badge_no == badge)
                .ok_or_else(|| {
                    ApiError::unprocessable(format!(
                        "no staff with badge {badge} in this hall; a case is handed over within its hall"
                    ))
                })?
                .id
        }
        (None, None) => {
            return Err(ApiError::unprocessable(
                "give to_badge (工号) or to_staff_id",
            ));
        }
    };
    let d = s
        .store
        .request_handover(id, by, to, &b.reason, s.now())
        .await?;
    Ok(Json(case_view(s.store.as_ref(), &caller, d).await?))
}

/// Accepts a hand-over addressed to the caller; they become the owner.
#[utoipa::path(post, path = "/api/v1/cases/{id}/handover/accept", tag = "cases",
    params(("id" = i64, Path)),
    responses((status = 200, body = CaseView), (status = 409, body = crate::error::Problem)))]
pub async fn accept(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<CaseView>> {
    let d = visible(&s, &caller, id).await?;
    let st = me(&caller)?;
    if d.case.handover_to != Some(st.id) {
        return Err(ApiError::forbidden(
            "this case is not being handed over to you",
        ));
    }
    let d = s.store.accept_handover(id, st.id, s.now()).await?;
    Ok(Json(case_view(s.store.as_ref(), &caller, d).await?))
}

/// Records the callback (回访): reached the customer? satisfied?
#[utoipa::path(post, path = "/api/v1/cases/{id}/callback", tag = "cases",
    params(("id" = i64, Path)), request_body = Object,
    responses((status = 200, body = CaseView), (status = 409, body = crate::error::Problem)))]
pub async fn callback(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(cb): JsonBody<Callback>,
) -> ApiResult<Json<CaseView>> {
    let (_, by) = workable(&s, &caller, id).await?;
    let d = s.store.record_callback(id, &cb, by, s.now()).await?;
    Ok(Json(case_view(s.store.as_ref(), &caller, d).await?))
}

/// Closes the case: every step complete, and for complaints the callback on record.
#[utoipa::path(post, path = "/api/v1/cases/{id}/close", tag = "cases",
    params(("id" = i64, Path)), request_body = Option<NoteBody>,
    responses((status = 200, body = CaseView), (status = 409, body = crate::error::Problem)))]
pub async fn close(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    OptionalJson(b): OptionalJson<NoteBody>,
) -> ApiResult<Json<CaseView>> {
    let (_, by) = workable(&s, &caller, id).await?;
    let note = b.unwrap_or_default().note;
    let d = s.store.close_case(id, by, &note, s.now()).await?;
    Ok(Json(case_view(s.store.as_ref(), &caller, d).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct PeriodQuery {
    /// First day (YYYY-MM-DD, hall-local) or unix ms; default 30 days ago.
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD, inclusive) or unix ms (exclusive); default now.
    pub to: Option<String>,
}

fn instant(s: &str, tz: chrono_tz::Tz, end: bool, field: &str) -> ApiResult<i64> {
    if let Ok(ms) = s.parse::<i64>() {
        return Ok(ms);
    }
    let day = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        ApiError::unprocessable(format!(
            "{field} must be a date YYYY-MM-DD or unix milliseconds (got {s:?})"
        ))
    })?;
    let day = if end {
        day.succ_opt().unwrap_or(day)
    } else {
        day
    };
    Ok(servicehall_domain::time::at_local(
        day,
        chrono::NaiveTime::MIN,
        tz,
    ))
}

/// On-time rate (met ÷ stopped clocks) by business type, customer class and step.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/cases/on-time", tag = "cases",
    params(("hall" = String, Path, description = "hall code or id"), PeriodQuery),
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem)))]
pub async fn on_time(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<Json<OnTimeReport>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let tz = servicehall_domain::time::parse_tz(&hall.timezone).map_err(ApiError::unprocessable)?;
    let now = s.now();
    let to = match &q.to {
        Some(t) => instant(t, tz, true, "to")?,
        None => now,
    };
    let from = match &q.from {
        Some(f) => instant(f, tz, false, "from")?,
        None => to - 30 * 24 * 3_600_000,
    };
    Ok(Json(s.store.on_time_rate(hall.id, from, to).await?))
}

/// Evaluates the hall's open clocks and records warnings not yet recorded (administrators;
/// a periodic task can call the same).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/cases/scan", tag = "cases",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = Vec<Object>), (status = 403, body = crate::error::Problem)))]
pub async fn scan(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<Vec<CaseWarning>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Administer, hall.id)?;
    Ok(Json(s.store.scan_warnings(Some(hall.id), s.now()).await?))
}
