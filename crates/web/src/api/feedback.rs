//! Feedback over JSON: the customer's phone rating (一事一评, no account — the slip's code
//! is the key), external-evaluation imports (外评, supervisors and administrators), the
//! service-recovery list (服务补救) and the anti-gaming flags with their evidence.

use super::{JsonBody, resolve_hall};
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use servicehall_domain::Role;
use servicehall_domain::TicketState;
use servicehall_domain::access::{ActorKind, Permission};
use servicehall_domain::cases::mask;
use servicehall_domain::feedback::gaming::{self, Finding, Flag, Subject};
use servicehall_store::{
    ExternalSource, FeedbackSettings, ImportReport, PhoneRatingInput, RecoveryItem, Store,
};
use utoipa::{IntoParams, ToSchema};

/// Whether the visit behind a slip code can be rated on the phone now.
#[derive(Serialize, ToSchema)]
pub struct RatingState {
    pub number: String,
    /// `open`, `rated`, `not_finished` or `closed` (window over).
    pub state: String,
    /// When the window closes (unix ms), once the visit is finished.
    pub window_closes_at: Option<i64>,
    pub window_hours: u32,
    /// Once finished: the path of the survey attached to the visit's business type.
    pub survey_path: Option<String>,
}

/// The state of the phone rating for a slip code.
pub async fn rating_state_of(s: &AppState, code: &str) -> ApiResult<RatingState> {
    let t = s.store.ticket_by_code(code).await?;
    let settings = s.store.feedback_settings(t.hall_id).await?;
    let finished = t.state == TicketState::Finished && t.counter_id.is_some();
    let closes = finished.then(|| t.updated_at + settings.phone_window_ms());
    let state = if s.store.visit_rated(t.id).await? {
        "rated"
    } else if !finished {
        "not_finished"
    } else if closes.is_some_and(|c| s.now() > c) {
        "closed"
    } else {
        "open"
    };
    Ok(RatingState {
        number: t.number.clone(),
        state: state.into(),
        window_closes_at: closes,
        window_hours: settings.phone_window_hours,
        survey_path: crate::survey_links::for_ticket(s, &t).await?,
    })
}

/// Can this visit be rated on the phone now? (No account; the slip code is the key.)
#[utoipa::path(get, path = "/api/v1/public/tickets/{code}/rating", tag = "feedback",
    params(("code" = String, Path)),
    responses((status = 200, body = RatingState), (status = 404, body = crate::error::Problem)))]
pub async fn rating_state(
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<RatingState>> {
    Ok(Json(rating_state_of(&s, &code).await?))
}

/// What the customer sees after rating: no case numbers, no staff names.
#[derive(Serialize, ToSchema)]
pub struct PhoneRated {
    pub level: i64,
    /// A bad rating with a phone number: the hall will call back.
    pub callback_promised: bool,
    pub callback_working_days: u32,
}

/// 一事一评: rates a finished visit, overall and per touchpoint, once, within the hall's
/// window. A bad level (1–2) needs a reason and opens a service-recovery case.
#[utoipa::path(post, path = "/api/v1/public/tickets/{code}/rating", tag = "feedback",
    params(("code" = String, Path)), request_body = Object,
    responses((status = 201, body = PhoneRated), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn rate_by_phone(
    State(s): State<AppState>,
    Path(code): Path<String>,
    JsonBody(body): JsonBody<PhoneRatingInput>,
) -> ApiResult<(StatusCode, Json<PhoneRated>)> {
    let r = s.store.rate_by_phone(&code, &body, s.now()).await?;
    let settings = s.store.feedback_settings(r.hall_id).await?;
    Ok((
        StatusCode::CREATED,
        Json(PhoneRated {
            level: r.level,
            callback_promised: r.recovery_case_id.is_some() && !r.contact_phone.is_empty(),
            callback_working_days: settings.callback_working_days,
        }),
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct ImportQuery {
    /// `survey` (第三方满意度调查) or `callback_95598` (95598回访).
    pub source: String,
    /// The file's name, for the report.
    #[serde(default)]
    pub file_name: String,
}

/// 外评: imports a CSV file (UTF-8, the body as is) or an XLSX workbook (its first sheet)
/// of outside survey results or 95598 call-backs. Columns: see docs/feedback.md. A file in the wrong shape → 422, nothing
/// imported; bad rows are reported with their line and skipped; rows already imported
/// (same source and source_row_id) are not counted again.
#[utoipa::path(post, path = "/api/v1/feedback/imports", tag = "feedback",
    params(ImportQuery), request_body(content = String, content_type = "text/csv", description = "CSV UTF-8, or an .xlsx workbook (Content-Type application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)"),
    responses((status = 201, body = Object), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn import(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<ImportQuery>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<ImportReport>)> {
    caller.require_any(Permission::ReviewFeedback)?;
    let source = ExternalSource::parse(&q.source).map_err(ApiError::unprocessable)?;
    // XLSX by content type or name (an .xlsx is a zip: it starts with "PK").
    let is_xlsx = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(crate::xlsx::CONTENT_TYPE))
        || q.file_name.to_lowercase().ends_with(".xlsx")
        || body.starts_with(b"PK\x03\x04");
    let converted;
    let text = if is_xlsx {
        converted = crate::xlsx::to_csv_off_thread(body.clone())
            .await
            .map_err(ApiError::unprocessable)?;
        converted.as_str()
    } else {
        std::str::from_utf8(&body).map_err(|_| {
            ApiError::unprocessable(
                "the file is not UTF-8 text; save the CSV as UTF-8 (CSV UTF-8 in Excel) or upload the .xlsx",
            )
        })?
    };
    let by = caller
        .staff
        .as_ref()
        .map(|st| st.id)
        .ok_or_else(|| ApiError::forbidden("imports are made by a signed-in person"))?;
    let name = if q.file_name.trim().is_empty() {
        "upload.csv"
    } else {
        q.file_name.trim()
    };
    crate::parsing::probe(text, servicehall_domain::feedback::csv::parse).await?;
    // A supervisor limited to a region imports rows of its halls only (the whole file is
    // refused otherwise, naming the rows).
    let reach = crate::scope::hall_reach(&caller.actor);
    let r = s
        .store
        .import_external(source, name, text, by, reach.as_deref(), s.now())
        .await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// The latest import reports of the caller's halls, newest first.
#[utoipa::path(get, path = "/api/v1/feedback/imports", tag = "feedback",
    responses((status = 200, body = Vec<Object>), (status = 403, body = crate::error::Problem)))]
pub async fn imports(
    State(s): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<ImportReport>>> {
    caller.require_any(Permission::ReviewFeedback)?;
    Ok(Json(import_reports_for(&s, &caller, 50).await?))
}

/// The latest `limit` import reports `caller` may see: those of their halls (and their own
/// imports that wrote no row).
pub async fn import_reports_for(
    s: &AppState,
    caller: &Caller,
    limit: i64,
) -> ApiResult<Vec<ImportReport>> {
    let reach = crate::scope::hall_reach(&caller.actor);
    let me = caller.actor.staff_id.unwrap_or(0);
    Ok(s.store.import_reports(limit, reach.as_deref(), me).await?)
}

#[derive(Deserialize, IntoParams, Default)]
pub struct DaysQuery {
    /// The period: the last N days (default 30, at most 366).
    pub days: Option<i64>,
}

/// `[now − days, now + 1 ms)`.
pub fn period_at(q: &DaysQuery, now: i64) -> ApiResult<(i64, i64)> {
    let days = q.days.unwrap_or(30);
    if !(1..=366).contains(&days) {
        return Err(ApiError::unprocessable(format!(
            "days must be 1–366 (got {days})"
        )));
    }
    Ok((now - days * 24 * 3_600_000, now + 1))
}

/// The person may see customers' phone numbers: the hall's manager (who calls back) and
/// administrators.
pub fn sees_phone(caller: &Caller) -> bool {
    matches!(
        caller.actor.kind,
        ActorKind::Person(Role::HallManager | Role::Admin)
    )
}

/// Bad ratings of the hall and their recovery cases; real-name ones without a call-back
/// are what the manager still owes.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/feedback/recovery", tag = "feedback",
    params(("hall" = String, Path, description = "hall code or id"), DaysQuery),
    responses((status = 200, body = Vec<Object>), (status = 403, body = crate::error::Problem)))]
pub async fn recovery(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<DaysQuery>,
) -> ApiResult<Json<Vec<RecoveryItem>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    // A list of cases, not a figure: the hall's managers and supervisors, no device.
    caller.require(Permission::ViewStats, hall.id)?;
    super::require_read_cases(&caller, hall.id)?;
    let now = s.now();
    let (from, to) = period_at(&q, now)?;
    let mut items = s.store.recovery_items(hall.id, from, to, now).await?;
    if !sees_phone(&caller) {
        for i in &mut items {
            i.customer_phone = mask::phone(&i.customer_phone);
        }
    }
    Ok(Json(items))
}

/// A stored flag with the names behind its subject and its finding.
#[derive(Serialize, ToSchema)]
pub struct FlagView {
    pub id: i64,
    #[schema(value_type = Object)]
    pub flag: Flag,
    pub kind_zh: String,
    pub kind_en: String,
    /// `柜员 张三 (DL003)` or `3号窗口`.
    pub subject_label: String,
    /// When the pattern was first and last detected (unix ms).
    pub first_seen_at: i64,
    pub last_seen_at: i64,
    /// `confirmed` or `dismissed` once a supervisor has judged it; absent while open.
    #[schema(value_type = Option<String>)]
    pub finding: Option<Finding>,
    pub finding_note: String,
    /// Who recorded the finding (name and badge).
    pub finding_by: String,
    pub finding_at: Option<i64>,
}

fn person(staff: &[servicehall_store::Staff], id: i64) -> String {
    staff
        .iter()
        .find(|st| st.id == id)
        .map(|st| format!("{} ({})", st.name, st.badge_no))
        .unwrap_or_else(|| format!("#{id}"))
}

/// Detects the hall's anti-gaming flags over the period and stores them, stamped `now`
/// (idempotent: an open flag is refreshed, a judged one comes back only with newer
/// evidence), then lists the stored ones — open first, then those judged or seen in the
/// period with findings.
pub async fn flags_at(
    store: &dyn Store,
    hall_id: i64,
    from: i64,
    to: i64,
    now: i64,
) -> ApiResult<(Vec<FlagView>, FeedbackSettings)> {
    let settings = store.feedback_settings(hall_id).await?;
    let visits = store.pad_visits(hall_id, from, to).await?;
    store
        .record_flags(hall_id, &gaming::detect(&visits, &settings), now)
        .await?;
    let counters = store.counters(hall_id).await?;
    let mut staff = store.staff_list(Some(hall_id)).await?;
    staff.extend(store.staff_list(None).await?);
    let views = store
        .stored_flags(hall_id, from)
        .await?
        .into_iter()
        .map(|sf| {
            let subject_label = match sf.flag.subject {
                Subject::Clerk(id) => format!("柜员 {}", person(&staff, id)),
                Subject::Counter(id) => counters
                    .iter()
                    .find(|c| c.id == id)
                    .map(|c| format!("{}号窗口 Counter {}", c.number, c.number))
                    .unwrap_or_else(|| format!("窗口 #{id}")),
            };
            FlagView {
                id: sf.id,
                kind_zh: sf.flag.kind.label_zh().into(),
                kind_en: sf.flag.kind.label_en().into(),
                subject_label,
                first_seen_at: sf.first_seen_at,
                last_seen_at: sf.last_seen_at,
                finding: sf.finding,
                finding_note: sf.finding_note,
                finding_by: sf
                    .finding_by
                    .map(|id| person(&staff, id))
                    .unwrap_or_default(),
                finding_at: sf.finding_at,
                flag: sf.flag,
            }
        })
        .collect();
    Ok((views, settings))
}

/// Anti-gaming flags (防刷评) for supervisors, with the evidence: detected over the period,
/// stored, listed open first; judged flags keep their finding.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/feedback/flags", tag = "feedback",
    params(("hall" = String, Path, description = "hall code or id"), DaysQuery),
    responses((status = 200, body = Vec<FlagView>), (status = 403, body = crate::error::Problem)))]
pub async fn flags(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<DaysQuery>,
) -> ApiResult<Json<Vec<FlagView>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ReviewFeedback, hall.id)?;
    let now = s.now();
    let (from, to) = period_at(&q, now)?;
    Ok(Json(
        flags_at(s.store.as_ref(), hall.id, from, to, now).await?.0,
    ))
}

/// A supervisor's finding on a flag.
#[derive(Deserialize, ToSchema)]
pub struct FindingBody {
    /// `confirmed` (it was gaming) or `dismissed` (checked and explained).
    pub finding: String,
    /// What was checked; required.
    pub note: String,
}

/// Records the finding on an open flag; checks the caller may review the flag's hall.
pub async fn acknowledge_flag(
    s: &AppState,
    caller: &Caller,
    id: i64,
    finding: &str,
    note: &str,
) -> ApiResult<servicehall_store::StoredFlag> {
    let flag = s.store.stored_flag(id).await?;
    caller.require(Permission::ReviewFeedback, flag.hall_id)?;
    let finding = Finding::parse(finding).ok_or_else(|| {
        ApiError::unprocessable(format!(
            "finding must be confirmed or dismissed (got {finding:?})"
        ))
    })?;
    let by = caller
        .staff
        .as_ref()
        .map(|st| st.id)
        .ok_or_else(|| ApiError::forbidden("findings are recorded by a signed-in person"))?;
    Ok(s.store
        .acknowledge_flag(id, finding, note, by, s.now())
        .await?)
}

/// Acknowledges a flag with a finding (核查结论): confirmed or dismissed, with a note.
/// A flag is judged once (409 after that).
#[utoipa::path(post, path = "/api/v1/feedback/flags/{id}/finding", tag = "feedback",
    params(("id" = i64, Path, description = "flag id")), request_body = FindingBody,
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn finding(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<FindingBody>,
) -> ApiResult<Json<servicehall_store::StoredFlag>> {
    Ok(Json(
        acknowledge_flag(&s, &caller, id, &body.finding, &body.note).await?,
    ))
}

/// The hall's feedback settings (window, recovery clocks, flag thresholds).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/feedback/settings", tag = "feedback",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = Object)))]
pub async fn settings(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<FeedbackSettings>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    Ok(Json(s.store.feedback_settings(hall.id).await?))
}

/// Replaces the hall's feedback settings (administrators); missing fields take defaults.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/feedback/settings", tag = "feedback",
    params(("hall" = String, Path, description = "hall code or id")), request_body = Object,
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem)))]
pub async fn set_settings(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(body): JsonBody<FeedbackSettings>,
) -> ApiResult<Json<FeedbackSettings>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    require_settings_admin(&caller, hall.id)?;
    // Audited: one row per changed field, with the person.
    s.store
        .change_feedback_settings(hall.id, &body, caller.actor.staff_id, s.now())
        .await?;
    Ok(Json(s.store.feedback_settings(hall.id).await?))
}

/// Who changed which of the hall's feedback settings, from what to what (newest first).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/feedback/settings/changes", tag = "feedback",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = Vec<Object>), (status = 403, body = crate::error::Problem)))]
pub async fn settings_changes(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<Vec<servicehall_store::SettingChange>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    Ok(Json(s.store.settings_audit(Some(hall.id), 200).await?))
}

/// Feedback settings — the recovery clocks and the thresholds that flag a hall's own clerks —
/// are set by administrators, not by the hall they judge; hall managers read them.
pub fn require_settings_admin(caller: &Caller, hall_id: i64) -> ApiResult<()> {
    caller.require(Permission::Administer, hall_id)?;
    if !matches!(caller.actor.kind, ActorKind::Person(Role::Admin)) {
        return Err(ApiError::forbidden(
            "feedback settings are set by an administrator; hall managers can read them",
        ));
    }
    Ok(())
}
