//! Feedback over JSON: the customer's phone rating (一事一评, no account — the slip's code
//! is the key), external-evaluation imports (外评, supervisors and administrators), the
//! service-recovery list (服务补救); the anti-gaming flags (`gaming`) and the settings
//! (`settings`) are sub-parts.

pub mod gaming;
pub mod settings;
pub mod view;

pub use settings::require_settings_admin;

use crate::api::{JsonBody, resolve_hall};
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
use servicehall_store::{ExternalSource, ImportReport, PhoneRatingInput};
use utoipa::{IntoParams, ToSchema};
use view::{ImportReportView, RecoveryItemView};

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
        survey_path: crate::api::insight::survey_links::for_ticket(s, &t).await?,
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

/// What the customer sees after rating: no staff names. A bad rating names the
/// service-recovery case it opened, with the access code (查询码) that lets its customer —
/// the holder of the slip — follow it at `/case`.
#[derive(Serialize, ToSchema)]
pub struct PhoneRated {
    pub level: i64,
    /// A bad rating with a phone number: the hall will call back.
    pub callback_promised: bool,
    pub callback_working_days: u32,
    /// The service-recovery case (服务补救) a bad rating opened.
    pub recovery_case_number: Option<String>,
    pub recovery_access_code: Option<String>,
}

/// 一事一评: rates a finished visit, overall and per touchpoint, once, within the hall's
/// window. A bad level (1–2) needs a reason and opens a service-recovery case.
#[utoipa::path(post, path = "/api/v1/public/tickets/{code}/rating", tag = "feedback",
    params(("code" = String, Path)), request_body = view::PhoneRatingBody,
    responses((status = 201, body = PhoneRated), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn rate_by_phone(
    State(s): State<AppState>,
    Path(code): Path<String>,
    JsonBody(body): JsonBody<PhoneRatingInput>,
) -> ApiResult<(StatusCode, Json<PhoneRated>)> {
    let r = s.store.rate_by_phone(&code, &body, s.now()).await?;
    let settings = s.store.feedback_settings(r.hall_id).await?;
    let case = match r.recovery_case_id {
        Some(id) => Some(s.store.case(id, s.now()).await?.case),
        None => None,
    };
    Ok((
        StatusCode::CREATED,
        Json(PhoneRated {
            level: r.level,
            callback_promised: r.recovery_case_id.is_some() && !r.contact_phone.is_empty(),
            callback_working_days: settings.callback_working_days,
            recovery_case_number: case.as_ref().map(|c| c.number.clone()),
            recovery_access_code: case.map(|c| c.access_code),
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
    responses((status = 201, body = ImportReportView), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn import(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<ImportQuery>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<ImportReportView>)> {
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
                "文件不是 UTF-8 文本；请将 CSV 另存为 UTF-8（Excel 中选“CSV UTF-8”）或上传 .xlsx · the file is not UTF-8 text; save the CSV as UTF-8 (CSV UTF-8 in Excel) or upload the .xlsx",
            )
        })?
    };
    let by = caller.staff.as_ref().map(|st| st.id).ok_or_else(|| {
        ApiError::forbidden("导入须由登录人员操作 · imports are made by a signed-in person")
    })?;
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
    Ok((StatusCode::CREATED, Json((&r).into())))
}

/// The latest import reports of the caller's halls, newest first.
#[utoipa::path(get, path = "/api/v1/feedback/imports", tag = "feedback",
    responses((status = 200, body = Vec<ImportReportView>), (status = 403, body = crate::error::Problem)))]
pub async fn imports(
    State(s): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<ImportReportView>>> {
    caller.require_any(Permission::ReviewFeedback)?;
    let reports = import_reports_for(&s, &caller, 50).await?;
    Ok(Json(reports.iter().map(ImportReportView::from).collect()))
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
            "天数 days 须为 1–366（收到 {days}）· days must be 1–366 (got {days})"
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
    responses((status = 200, body = Vec<RecoveryItemView>), (status = 403, body = crate::error::Problem)))]
pub async fn recovery(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<DaysQuery>,
) -> ApiResult<Json<Vec<RecoveryItemView>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    // A list of cases, not a figure: the hall's managers and supervisors, no device.
    caller.require(Permission::ViewStats, hall.id)?;
    crate::api::require_read_cases(&caller, hall.id)?;
    let now = s.now();
    let (from, to) = period_at(&q, now)?;
    let mut items = s.store.recovery_items(hall.id, from, to, now).await?;
    if !sees_phone(&caller) {
        for i in &mut items {
            i.customer_phone = mask::phone(&i.customer_phone);
        }
    }
    Ok(Json(items.iter().map(RecoveryItemView::from).collect()))
}
