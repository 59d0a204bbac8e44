//! Cases (工单) over JSON: open from the counter, work the steps and clocks, hand over,
//! record the callback, close; lists and the warning scan. Sub-parts: the case as shown
//! (`view`), documents (`documents`), time-limit settings (`settings`), the customer's
//! lookup by access code (`public`, braked by `lookup_guard`), the on-time report
//! (`on_time`), and the escalation of clock warnings (`escalation`, `recipients`).
//!
//! Personal data (name, phone, account number) is shown in full only to the case's owner
//! and to hall managers; everyone else sees it masked (张**, 138****1234, ****6789).

pub mod documents;
pub mod escalation;
pub mod lookup_guard;
pub mod notices;
pub mod on_time;
pub mod outbox;
mod parts_view;
pub mod public;
mod recipients;
pub mod settings;
pub mod view;

pub use view::{CaseView, Thresholds, case_view};
use view::{People, PersonRef, sees_full};

use crate::api::{JsonBody, OptionalJson, resolve_hall};
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use servicehall_domain::Role;
use servicehall_domain::access::Permission;
use servicehall_domain::cases::{CaseKind, CustomerClass, mask};
use servicehall_store::{Callback, CaseDetail, CaseList, OpenCase, Staff};
use utoipa::{IntoParams, ToSchema};

fn me(caller: &Caller) -> ApiResult<&Staff> {
    caller
        .staff
        .as_ref()
        .ok_or_else(|| ApiError::forbidden("工单须由登录的员工办理，设备不能办理 · cases are worked by signed-in staff, not devices"))
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
            "只有工单负责人（或值班长）可以办理；请其将工单移交给您 · only the case's owner (or a hall manager) works it; ask them to hand it over to you",
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
                "业务申请须注明客户类别 customer_class：resident、low_voltage、hv_single 或 hv_dual · a business application needs customer_class: resident, low_voltage, hv_single or hv_dual",
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
                        "营业厅 {} 没有业务类型 {code:?} · unknown business type {code:?} in this hall",
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
    /// A running deadline was counted on a provisional calendar year (暂按法定节假日推算):
    /// it may move when that year's official schedule is imported.
    pub provisional: bool,
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
            ApiError::unprocessable("“我的工单”须登录后查看；请用 view=open · view=mine needs a signed-in person; use view=open")
        })?),
        "open" => CaseList::Open,
        "due_soon" => CaseList::DueSoon,
        "overdue" => CaseList::Overdue,
        other => {
            return Err(ApiError::unprocessable(format!(
                "没有视图 {other:?}；请用 mine、open、due_soon 或 overdue · unknown view {other:?}; use mine, open, due_soon or overdue"
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
            provisional: c.provisional,
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
    notices::step_done(&s, &d, &code).await;
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
                "没有计时操作 {other:?}；请用 pause 或 resume · unknown clock action {other:?}; use pause or resume"
            )));
        }
    };
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
                        "本厅没有工号为 {badge} 的员工；工单只能在本厅内移交 · no staff with badge {badge} in this hall; a case is handed over within its hall"
                    ))
                })?
                .id
        }
        (None, None) => {
            return Err(ApiError::unprocessable(
                "请填写移交对象的工号 to_badge 或 to_staff_id · give to_badge or to_staff_id",
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
            "此工单不是移交给您的 · this case is not being handed over to you",
        ));
    }
    let d = s.store.accept_handover(id, st.id, s.now()).await?;
    Ok(Json(case_view(s.store.as_ref(), &caller, d).await?))
}

/// Records the callback (回访): reached the customer? satisfied?
#[utoipa::path(post, path = "/api/v1/cases/{id}/callback", tag = "cases",
    params(("id" = i64, Path)), request_body = view::CallbackBody,
    responses((status = 200, body = CaseView), (status = 409, body = crate::error::Problem)))]
pub async fn callback(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(cb): JsonBody<view::CallbackBody>,
) -> ApiResult<Json<CaseView>> {
    let (_, by) = workable(&s, &caller, id).await?;
    let cb = Callback::from(cb);
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

/// Evaluates the hall's open clocks and records warnings not yet recorded (administrators;
/// a periodic task can call the same).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/cases/scan", tag = "cases",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = Vec<view::CaseWarningView>), (status = 403, body = crate::error::Problem)))]
pub async fn scan(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<Vec<view::CaseWarningView>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Administer, hall.id)?;
    let warnings = s.store.scan_warnings(Some(hall.id), s.now()).await?;
    Ok(Json(
        warnings.iter().map(view::CaseWarningView::from).collect(),
    ))
}
