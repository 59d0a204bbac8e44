//! Checklists and inspections (定妆上岗 · 定置 · 现场检查): templates a hall uses, and
//! inspections run item by item and submitted for a score. Hall managers and supervisors
//! (`Observe`) run them; the guide does not, since the checks look at the guide's own post.

pub mod figures;
pub mod photos;
pub mod rectification;
pub mod site_checks;
pub mod view;

use crate::AppState;
use crate::api::access_rule::{Access, access};
use crate::api::{JsonBody, resolve_hall};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use servicehall_domain::access::Permission;
use servicehall_domain::inspections::Template;
use servicehall_store::{Inspection, InspectionStart, InspectionTemplate};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use view::{InspectionView, OutcomeView, TemplateBody, TemplateView};

/// The feature's routes, each with its access rule.
pub fn routes() -> OpenApiRouter<AppState> {
    use Access::StaffPerm;
    use Permission::Observe;
    OpenApiRouter::new()
        .routes(access(
            StaffPerm(Observe),
            routes!(list_templates, save_template),
        ))
        .routes(access(StaffPerm(Observe), routes!(show_template)))
        .routes(access(StaffPerm(Observe), routes!(start)))
        .routes(access(StaffPerm(Observe), routes!(record_item)))
        .routes(access(StaffPerm(Observe), routes!(submit)))
        .merge(site_checks::routes())
        .merge(figures::routes())
        .merge(photos::routes())
        .merge(rectification::routes())
}

fn inspector(caller: &Caller) -> ApiResult<i64> {
    caller.actor.staff_id.ok_or_else(|| {
        ApiError::forbidden("检查须由本人签名 · an inspection is signed by a person")
    })
}

/// A template the caller may see: its hall's, or a company-wide one for anyone who inspects.
async fn visible_template(s: &AppState, caller: &Caller, id: i64) -> ApiResult<InspectionTemplate> {
    let t = s.store.inspection_template(id).await?;
    match t.hall_id {
        Some(h) => caller.require(Permission::Observe, h)?,
        None => caller.require_any(Permission::Observe)?,
    }
    inspector(caller)?;
    Ok(t)
}

/// An inspection in a hall the caller inspects, with the template version it runs on.
async fn visible_inspection(
    s: &AppState,
    caller: &Caller,
    id: i64,
) -> ApiResult<(Inspection, InspectionTemplate)> {
    let i = s.store.inspection(id).await?;
    caller.require(Permission::Observe, i.hall_id)?;
    inspector(caller)?;
    let t = s.store.inspection_template(i.template_id).await?;
    Ok((i, t))
}

/// The templates the hall uses: per checklist, its latest version.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/inspection-templates", tag = "inspections",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = Vec<TemplateView>), (status = 403, body = crate::error::Problem)))]
pub async fn list_templates(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<Vec<TemplateView>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Observe, hall.id)?;
    inspector(&caller)?;
    let list = s.store.inspection_templates(hall.id).await?;
    Ok(Json(list.iter().map(TemplateView::from).collect()))
}

/// Writes the hall's next version of a checklist; past inspections keep their version.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/inspection-templates", tag = "inspections",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = TemplateBody,
    responses((status = 201, body = TemplateView), (status = 422, body = crate::error::Problem)))]
pub async fn save_template(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<TemplateBody>,
) -> ApiResult<(StatusCode, Json<TemplateView>)> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Observe, hall.id)?;
    let by = inspector(&caller)?;
    let t: Template = b.into();
    let saved = s
        .store
        .save_inspection_template(Some(hall.id), &t, Some(by), s.now())
        .await?;
    Ok((StatusCode::CREATED, Json((&saved).into())))
}

/// One template version.
#[utoipa::path(get, path = "/api/v1/inspection-templates/{id}", tag = "inspections",
    params(("id" = i64, Path)),
    responses((status = 200, body = TemplateView), (status = 404, body = crate::error::Problem)))]
pub async fn show_template(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<TemplateView>> {
    let t = visible_template(&s, &caller, id).await?;
    Ok(Json((&t).into()))
}

/// Who or what is inspected: `"hall"`, or `{"staff": 12}` for a per-person check.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectBody {
    Hall,
    Staff(i64),
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StartBody {
    /// A template version id the hall sees.
    pub template: i64,
    pub subject: SubjectBody,
}

/// Starts an inspection; the answer lists its items.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/inspections", tag = "inspections",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = StartBody,
    responses((status = 201, body = InspectionView), (status = 422, body = crate::error::Problem)))]
pub async fn start(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<StartBody>,
) -> ApiResult<(StatusCode, Json<InspectionView>)> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Observe, hall.id)?;
    let by = inspector(&caller)?;
    let input = InspectionStart {
        hall_id: hall.id,
        template_id: b.template,
        subject_staff_id: match b.subject {
            SubjectBody::Hall => None,
            SubjectBody::Staff(id) => Some(id),
        },
        inspector_id: by,
    };
    let i = s.store.start_inspection(&input, s.now()).await?;
    let t = s.store.inspection_template(i.template_id).await?;
    Ok((
        StatusCode::CREATED,
        Json(InspectionView::new(&i, &t.template)),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ItemBody {
    pub result: OutcomeView,
    /// Required when a failed item asks for evidence; checked at submission.
    #[serde(default)]
    pub note: String,
}

/// Records (or changes) one item's result.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/items/{item}", tag = "inspections",
    params(("id" = i64, Path), ("item" = String, Path, description = "the item's key")),
    request_body = ItemBody,
    responses((status = 200, body = InspectionView), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn record_item(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, item)): Path<(i64, String)>,
    JsonBody(b): JsonBody<ItemBody>,
) -> ApiResult<Json<InspectionView>> {
    let (_, t) = visible_inspection(&s, &caller, id).await?;
    let i = s
        .store
        .record_inspection_item(id, &item, b.result.into(), &b.note, s.now())
        .await?;
    Ok(Json(InspectionView::new(&i, &t.template)))
}

/// Submits: every item needs a result and every failed item its evidence (422 naming the
/// items); then the score is fixed (409 when already submitted) and every failed item
/// opens its rectification case (整改), listed in the answer.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/submit", tag = "inspections",
    params(("id" = i64, Path)),
    responses((status = 200, body = SubmittedView), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn submit(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<SubmittedView>> {
    let (_, t) = visible_inspection(&s, &caller, id).await?;
    let i = s.store.submit_inspection(id, s.now()).await?;
    let opened = s.store.inspection_rectifications(id, s.now()).await?;
    Ok(Json(SubmittedView {
        inspection: InspectionView::new(&i, &t.template),
        rectifications: opened.iter().map(Into::into).collect(),
    }))
}

/// A submitted inspection with the rectification cases its failed items opened (整改).
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct SubmittedView {
    #[serde(flatten)]
    pub inspection: InspectionView,
    pub rectifications: Vec<rectification::RectificationView>,
}
