//! The layout map (定置图): a hall's floor plan (read by those who inspect, written by the
//! hall's administrators), map walks (inspections that walk the plan item by item, run by
//! hall managers and supervisors: `Observe`), the findings by zone and item, and each item's
//! reference photo. A walk is submitted as an inspection (`/api/v1/inspections/{id}/submit`).

pub mod view;

use crate::AppState;
use crate::api::access_rule::{Access, access};
use crate::api::{JsonBody, resolve_hall, with_body_limit};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use servicehall_domain::access::Permission;
use servicehall_domain::layout_map::Layout;
use servicehall_domain::layout_map::walk::tally;
use servicehall_store::{FindingInput, Hall, LayoutWalk};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use view::{FindingView, FindingsView, LayoutBody, LayoutView, WalkView};

/// The feature's routes, each with its access rule.
pub fn routes() -> OpenApiRouter<AppState> {
    use Access::StaffPerm;
    use Permission::{Administer, Observe};
    OpenApiRouter::new()
        .routes(access(StaffPerm(Observe), routes!(show)))
        .routes(access(StaffPerm(Administer), routes!(save)))
        .routes(access(StaffPerm(Observe), routes!(show_version)))
        .routes(access(StaffPerm(Observe), routes!(findings)))
        .routes(access(StaffPerm(Observe), routes!(start_walk)))
        .routes(access(StaffPerm(Observe), routes!(show_walk)))
        .routes(access(StaffPerm(Observe), routes!(record_finding)))
        .routes(access(StaffPerm(Observe), routes!(photo)))
        // A reference photo (about 150 kB as a data URL).
        .routes(access(
            StaffPerm(Administer),
            with_body_limit(routes!(set_photo), 320 * 1024),
        ))
}

fn person(caller: &Caller) -> ApiResult<i64> {
    caller
        .actor
        .staff_id
        .ok_or_else(|| ApiError::forbidden("须由本人签名操作 · this is signed by a person"))
}

async fn hall_as(s: &AppState, caller: &Caller, hall: &str, perm: Permission) -> ApiResult<Hall> {
    let hall = resolve_hall(s.store.as_ref(), hall).await?;
    caller.require(perm, hall.id)?;
    person(caller)?;
    Ok(hall)
}

fn no_layout(hall: &Hall) -> ApiError {
    ApiError::not_found(format!(
        "{} 尚未绘制定置图 · hall {} has no layout map yet",
        hall.name, hall.code
    ))
}

/// The hall's latest layout.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/layout", tag = "layout_map",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = LayoutView), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<LayoutView>> {
    let hall = hall_as(&s, &caller, &hall, Permission::Observe).await?;
    let m = s
        .store
        .layout_map(hall.id)
        .await?
        .ok_or_else(|| no_layout(&hall))?;
    Ok(Json(LayoutView::new(&m, &hall.code)))
}

/// Writes the hall's next layout version (past walks keep theirs). 422 names the zone or
/// item to fix; 409 when `base_version` is no longer the latest.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/layout", tag = "layout_map",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = LayoutBody,
    responses((status = 200, body = LayoutView), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn save(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<LayoutBody>,
) -> ApiResult<Json<LayoutView>> {
    let hall = hall_as(&s, &caller, &hall, Permission::Administer).await?;
    let by = person(&caller)?;
    if let Some(base) = b.base_version {
        let latest = s.store.layout_map(hall.id).await?.map_or(0, |m| m.version);
        if latest != base {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!(
                    "定置图已被他人更新为第 {latest} 版，请刷新后再改 · the layout is now version {latest}; reload and edit again"
                ),
            ));
        }
    }
    let layout: Layout = b.into();
    let m = s
        .store
        .save_layout_map(hall.id, &layout, Some(by), s.now())
        .await?;
    Ok(Json(LayoutView::new(&m, &hall.code)))
}

/// One layout version (a past walk's plan).
#[utoipa::path(get, path = "/api/v1/layouts/{id}", tag = "layout_map",
    params(("id" = i64, Path)),
    responses((status = 200, body = LayoutView), (status = 404, body = crate::error::Problem)))]
pub async fn show_version(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<LayoutView>> {
    let m = s.store.layout_map_version(id).await?;
    caller.require(Permission::Observe, m.hall_id)?;
    person(&caller)?;
    let hall = s.store.hall(m.hall_id).await?;
    Ok(Json(LayoutView::new(&m, &hall.code)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct FindingsQuery {
    /// The period in days back from today (1–366, default 30).
    pub days: Option<i64>,
}

/// Scores by zone and findings by item over the submitted walks of the period.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/layout/findings", tag = "layout_map",
    params(("hall" = String, Path, description = "hall code or id"), FindingsQuery),
    responses((status = 200, body = FindingsView), (status = 404, body = crate::error::Problem)))]
pub async fn findings(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<FindingsQuery>,
) -> ApiResult<Json<FindingsView>> {
    let hall = hall_as(&s, &caller, &hall, Permission::Observe).await?;
    let days = q.days.unwrap_or(30);
    if !(1..=366).contains(&days) {
        return Err(ApiError::unprocessable(
            "天数须在 1–366 之间 · days must be 1–366",
        ));
    }
    Ok(Json(findings_view(&s, &hall, days).await?))
}

/// The findings view the API and the page share.
pub async fn findings_view(s: &AppState, hall: &Hall, days: i64) -> ApiResult<FindingsView> {
    let latest = s
        .store
        .layout_map(hall.id)
        .await?
        .ok_or_else(|| no_layout(hall))?;
    let walks: Vec<LayoutWalk> = s
        .store
        .layout_walks(hall.id, s.now() - days * 86_400_000, 500)
        .await?
        .into_iter()
        .filter(|w| w.inspection.submitted_at.is_some())
        .collect();
    let pairs: Vec<_> = walks
        .iter()
        .map(|w| (&w.layout.layout, w.findings.as_slice()))
        .collect();
    let t = tally(&latest.layout, &pairs);
    Ok(FindingsView::new(days, walks.len(), &latest.layout, &t))
}

async fn walk_view(s: &AppState, w: &LayoutWalk) -> ApiResult<WalkView> {
    let t = s
        .store
        .inspection_template(w.inspection.template_id)
        .await?;
    let hall = s.store.hall(w.inspection.hall_id).await?;
    Ok(WalkView::new(w, &t.template, &hall.code))
}

async fn visible_walk(s: &AppState, caller: &Caller, id: i64) -> ApiResult<LayoutWalk> {
    let w = s.store.layout_walk(id).await?;
    caller.require(Permission::Observe, w.inspection.hall_id)?;
    person(caller)?;
    Ok(w)
}

/// Starts a walk of the hall's latest layout: one inspection, whose items are the plan's.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/layout-walks", tag = "layout_map",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 201, body = WalkView), (status = 422, body = crate::error::Problem)))]
pub async fn start_walk(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<(StatusCode, Json<WalkView>)> {
    let hall = hall_as(&s, &caller, &hall, Permission::Observe).await?;
    let by = person(&caller)?;
    let w = s.store.start_layout_walk(hall.id, by, s.now()).await?;
    Ok((StatusCode::CREATED, Json(walk_view(&s, &w).await?)))
}

/// A walk with the plan it walked and its findings.
#[utoipa::path(get, path = "/api/v1/layout-walks/{id}", tag = "layout_map",
    params(("id" = i64, Path, description = "the walk's inspection id")),
    responses((status = 200, body = WalkView), (status = 404, body = crate::error::Problem)))]
pub async fn show_walk(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<WalkView>> {
    let w = visible_walk(&s, &caller, id).await?;
    Ok(Json(walk_view(&s, &w).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct FindingBody {
    pub finding: FindingView,
    /// How many were counted; required for `short` (below the expected quantity).
    #[serde(default)]
    pub counted: Option<i64>,
    #[serde(default)]
    pub note: String,
}

/// Records (or changes) one item's finding; 409 once the walk is submitted.
#[utoipa::path(put, path = "/api/v1/layout-walks/{id}/findings/{item}", tag = "layout_map",
    params(("id" = i64, Path), ("item" = String, Path, description = "the item's code")),
    request_body = FindingBody,
    responses((status = 200, body = WalkView), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn record_finding(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, item)): Path<(i64, String)>,
    JsonBody(b): JsonBody<FindingBody>,
) -> ApiResult<Json<WalkView>> {
    visible_walk(&s, &caller, id).await?;
    if b.note.chars().count() > 500 {
        return Err(ApiError::unprocessable(
            "说明最多 500 字 · the note may be up to 500 characters",
        ));
    }
    let input = FindingInput {
        item,
        finding: b.finding.into(),
        counted: b.counted,
        note: b.note,
    };
    let w = s.store.record_layout_finding(id, &input, s.now()).await?;
    Ok(Json(walk_view(&s, &w).await?))
}

/// A layout item's reference photo.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/layout/items/{item}/photo", tag = "layout_map",
    params(("hall" = String, Path, description = "hall code or id"), ("item" = String, Path)),
    responses((status = 200, description = "the image"), (status = 404, body = crate::error::Problem)))]
pub async fn photo(
    State(s): State<AppState>,
    caller: Caller,
    Path((hall, item)): Path<(String, String)>,
) -> ApiResult<Response> {
    let hall = hall_as(&s, &caller, &hall, Permission::Observe).await?;
    let file = s.store.layout_photo(hall.id, &item).await?.ok_or_else(|| {
        ApiError::not_found(format!(
            "此物品没有参考照片 · item {item:?} has no reference photo"
        ))
    })?;
    Ok(crate::photo::serve_bytes(
        file.bytes,
        &format!("layout-{item}"),
    ))
}

/// A new reference photo for an item.
#[derive(Deserialize, ToSchema)]
pub struct LayoutPhotoBody {
    /// The image as a `data:image/…;base64,` URL (JPEG or PNG, at most 150 kB).
    pub photo: String,
}

/// Sets an item's reference photo (decoded, shrunk and re-encoded); the answer is the plan
/// with the photo's URL.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/layout/items/{item}/photo", tag = "layout_map",
    params(("hall" = String, Path, description = "hall code or id"), ("item" = String, Path)),
    request_body = LayoutPhotoBody,
    responses((status = 200, body = LayoutView), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem, description = "not a JPEG or PNG, too big, or unreadable")))]
pub async fn set_photo(
    State(s): State<AppState>,
    caller: Caller,
    Path((hall, item)): Path<(String, String)>,
    JsonBody(b): JsonBody<LayoutPhotoBody>,
) -> ApiResult<Json<LayoutView>> {
    let hall = hall_as(&s, &caller, &hall, Permission::Administer).await?;
    let p = crate::photo::portrait_from_data_url(b.photo)
        .await
        .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    s.store
        .set_layout_photo(hall.id, &item, p.kind.mime(), &p.image, s.now())
        .await?;
    let m = s
        .store
        .layout_map(hall.id)
        .await?
        .ok_or_else(|| no_layout(&hall))?;
    Ok(Json(LayoutView::new(&m, &hall.code)))
}
