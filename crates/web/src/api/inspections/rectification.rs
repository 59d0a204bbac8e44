//! 整改 (rectification): the cases failed inspection items open. The owner records the fix
//! with new evidence (a photo of the result or a note); a different person verifies it —
//! accept closes the case, reopen sends it back. The person who recorded the fix gets 409
//! when they try to verify it.

use super::photos::{PhotoView, person, read_upload};
use crate::AppState;
use crate::api::access_rule::{Access, access};
use crate::api::{JsonBody, resolve_hall};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use servicehall_domain::access::Permission;
use servicehall_domain::inspections::rectification::{Stage, Verdict};
use servicehall_store::{
    PhotoStage, Rectification, RectificationFilter, RectificationState, Window,
};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    use Access::StaffPerm;
    use Permission::Observe;
    let limit = crate::photo::MAX_EVIDENCE_BYTES + 64 * 1024;
    OpenApiRouter::new()
        .routes(access(StaffPerm(Observe), routes!(list)))
        .routes(access(StaffPerm(Observe), routes!(show)))
        .routes(access(
            StaffPerm(Observe),
            crate::api::with_body_limit(routes!(add_photo), limit),
        ))
        .routes(access(StaffPerm(Observe), routes!(fix)))
        .routes(access(StaffPerm(Observe), routes!(verify)))
}

/// A rectification as lists show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RectificationView {
    /// The case's id (the `{case}` of the rectification routes).
    pub case_id: i64,
    pub case_number: String,
    pub hall_id: i64,
    pub inspection_id: i64,
    pub checklist_zh: String,
    pub checklist_en: String,
    /// The person inspected; none when the hall was.
    pub subject_name: Option<String>,
    pub inspector_name: String,
    pub item: String,
    pub item_zh: String,
    pub item_en: String,
    pub critical: bool,
    /// What the inspector wrote on the failed item.
    pub finding: String,
    pub owner_id: i64,
    pub owner_name: String,
    /// `open` (to fix), `fixed` (to verify) or `verified` (closed).
    pub stage: String,
    /// The stage in Chinese and English.
    pub stage_label: String,
    pub fixed_by: Option<i64>,
    pub fixed_by_name: Option<String>,
    pub fixed_at: Option<i64>,
    pub fix_note: String,
    /// How many times the verifier sent it back.
    pub reopened: i64,
    /// Milliseconds since the epoch.
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    /// The deadline of the running clock; none once verified.
    pub deadline_at: Option<i64>,
    pub overdue: bool,
}

impl From<&Rectification> for RectificationView {
    fn from(r: &Rectification) -> Self {
        Self {
            case_id: r.case_id,
            case_number: r.case_number.clone(),
            hall_id: r.hall_id,
            inspection_id: r.inspection_id,
            checklist_zh: r.template_name_zh.clone(),
            checklist_en: r.template_name_en.clone(),
            subject_name: r.subject_name.clone(),
            inspector_name: r.inspector_name.clone(),
            item: r.item_key.clone(),
            item_zh: r.item_zh.clone(),
            item_en: r.item_en.clone(),
            critical: r.critical,
            finding: r.finding.clone(),
            owner_id: r.owner_id,
            owner_name: r.owner_name.clone(),
            stage: r.stage.as_str().into(),
            stage_label: r.stage.label().into(),
            fixed_by: r.fixed_by,
            fixed_by_name: r.fixed_by_name.clone(),
            fixed_at: r.fixed_at,
            fix_note: r.fix_note.clone(),
            reopened: r.reopened,
            opened_at: r.opened_at,
            closed_at: r.closed_at,
            deadline_at: r.deadline_at,
            overdue: r.overdue,
        }
    }
}

/// One rectification with its evidence: the inspector's photos of the item (before) and the
/// photos of the fix (after), superseded ones included and marked.
#[derive(Debug, Serialize, ToSchema)]
pub struct RectificationDetailView {
    pub rectification: RectificationView,
    pub before: Vec<PhotoView>,
    pub after: Vec<PhotoView>,
    /// Whether the caller may verify now: the fix is recorded and not by them.
    pub may_verify: bool,
}

/// One page of a hall's rectifications.
#[derive(Debug, Serialize, ToSchema)]
pub struct RectificationPage {
    pub items: Vec<RectificationView>,
    /// How many match the filters in all.
    pub total: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// `open`, `to_verify`, `overdue` or `closed`; all when absent.
    pub state: Option<String>,
    /// Opened at or after (ms since the epoch); default: 90 days back.
    pub from: Option<i64>,
    /// Opened before (ms); default: now.
    pub to: Option<i64>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

pub(crate) fn parse_state(s: Option<&str>) -> ApiResult<Option<RectificationState>> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => RectificationState::parse(s).map(Some).ok_or_else(|| {
            ApiError::unprocessable(format!(
                "状态须为 open、to_verify、overdue 或 closed · state must be open, to_verify, overdue or closed, not {s:?}"
            ))
        }),
    }
}

/// A hall's rectifications, newest first, filtered by state.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/rectifications", tag = "rectification",
    params(("hall" = String, Path, description = "hall code or id"), ListQuery),
    responses((status = 200, body = RectificationPage), (status = 422, body = crate::error::Problem)))]
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<RectificationPage>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Observe, hall.id)?;
    person(&caller)?;
    let now = s.now();
    let filter = RectificationFilter {
        from: q.from.unwrap_or(now - 90 * 86_400_000),
        to: q.to.unwrap_or(now + 1),
        state: parse_state(q.state.as_deref())?,
    };
    let window = Window {
        limit: q.limit.unwrap_or(50).clamp(1, 200),
        offset: q.offset.unwrap_or(0).max(0),
    };
    let page = s
        .store
        .rectifications(hall.id, &filter, window, now)
        .await?;
    Ok(Json(RectificationPage {
        items: page.items.iter().map(RectificationView::from).collect(),
        total: page.total,
    }))
}

/// The rectification, checked against the caller's halls.
async fn visible(s: &AppState, caller: &Caller, id: i64) -> ApiResult<(Rectification, i64)> {
    let r = s.store.rectification(id, s.now()).await?;
    caller.require(Permission::Observe, r.hall_id)?;
    let by = person(caller)?;
    Ok((r, by))
}

pub(crate) async fn detail(
    s: &AppState,
    r: &Rectification,
    by: i64,
) -> ApiResult<RectificationDetailView> {
    let photos = s.store.inspection_photos(r.inspection_id).await?;
    let of_item = |stage: PhotoStage| {
        photos
            .iter()
            .filter(|p| p.item_key == r.item_key && p.stage == stage)
            .filter(|p| stage == PhotoStage::Finding || p.case_id == Some(r.case_id))
            .map(PhotoView::from)
            .collect()
    };
    Ok(RectificationDetailView {
        rectification: r.into(),
        before: of_item(PhotoStage::Finding),
        after: of_item(PhotoStage::Fix),
        may_verify: r.stage == Stage::Fixed && r.fixed_by != Some(by),
    })
}

/// One rectification with its before and after photos.
#[utoipa::path(get, path = "/api/v1/rectifications/{case}", tag = "rectification",
    params(("case" = i64, Path, description = "the rectification case's id")),
    responses((status = 200, body = RectificationDetailView), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(case): Path<i64>,
) -> ApiResult<Json<RectificationDetailView>> {
    let (r, by) = visible(&s, &caller, case).await?;
    Ok(Json(detail(&s, &r, by).await?))
}

/// Adds a photo of the fix (整改后); 409 once the fix is recorded.
#[utoipa::path(post, path = "/api/v1/rectifications/{case}/photos", tag = "rectification",
    params(("case" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "`photo`: JPEG or PNG up to 4 MB; `supersedes`: optional id of the fix photo it replaces"),
    responses((status = 201, body = PhotoView), (status = 409, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn add_photo(
    State(s): State<AppState>,
    caller: Caller,
    Path(case): Path<i64>,
    form: Multipart,
) -> ApiResult<(StatusCode, Json<PhotoView>)> {
    let (_, by) = visible(&s, &caller, case).await?;
    let upload = read_upload(form, by).await?;
    let p = s
        .store
        .add_rectification_photo(case, &upload, s.now())
        .await?;
    Ok((StatusCode::CREATED, Json((&p).into())))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct FixBody {
    /// What was done; may be empty when a photo of the fix was added in this round.
    #[serde(default)]
    pub note: String,
}

/// Records the fix: needs a note or a photo of the fix taken since the case opened (or was
/// last reopened). The one who records it cannot verify it.
#[utoipa::path(post, path = "/api/v1/rectifications/{case}/fix", tag = "rectification",
    params(("case" = i64, Path)),
    request_body = FixBody,
    responses((status = 200, body = RectificationDetailView), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn fix(
    State(s): State<AppState>,
    caller: Caller,
    Path(case): Path<i64>,
    JsonBody(b): JsonBody<FixBody>,
) -> ApiResult<Json<RectificationDetailView>> {
    let (_, by) = visible(&s, &caller, case).await?;
    let r = s
        .store
        .fix_rectification(case, by, &b.note, s.now())
        .await?;
    Ok(Json(detail(&s, &r, by).await?))
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerdictBody {
    Accept,
    Reopen,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VerifyBody {
    pub verdict: VerdictBody,
    /// Required to reopen: what is still wrong.
    #[serde(default)]
    pub note: String,
}

/// Accepts the fix (the case closes) or reopens it. 409 when the caller recorded the fix,
/// or when there is nothing to verify.
#[utoipa::path(post, path = "/api/v1/rectifications/{case}/verify", tag = "rectification",
    params(("case" = i64, Path)),
    request_body = VerifyBody,
    responses((status = 200, body = RectificationDetailView), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn verify(
    State(s): State<AppState>,
    caller: Caller,
    Path(case): Path<i64>,
    JsonBody(b): JsonBody<VerifyBody>,
) -> ApiResult<Json<RectificationDetailView>> {
    let (_, by) = visible(&s, &caller, case).await?;
    let verdict = match b.verdict {
        VerdictBody::Accept => Verdict::Accept,
        VerdictBody::Reopen => Verdict::Reopen,
    };
    let r = s
        .store
        .verify_rectification(case, by, verdict, &b.note, s.now())
        .await?;
    Ok(Json(detail(&s, &r, by).await?))
}
