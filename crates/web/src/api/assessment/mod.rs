//! Assessment (督查 · 考核): the indicators library and the standard measured for a hall or a
//! region (`conformance`). Figures come from the kept daily sums (store `assessment`), which
//! are brought up to now before each reading.

pub mod measure;
pub mod view;

use crate::AppState;
use crate::api::access_rule::{Access, access};
use crate::api::resolve_hall;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use servicehall_domain::access::Permission;
use servicehall_domain::assessment::INDICATORS;
use servicehall_store::Hall;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use view::{ConformanceView, IndicatorView};

/// The feature's routes, each with its access rule.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(access(Access::Staff, routes!(indicators)))
        .routes(access(
            Access::Perm(Permission::ViewStats),
            routes!(hall_conformance),
        ))
        .routes(access(Access::AboveHalls, routes!(region_conformance)))
}

#[derive(Deserialize, IntoParams)]
pub struct MonthQuery {
    /// YYYY-MM; default the current month.
    pub month: Option<String>,
}

/// The indicators library: definition, unit, direction, sources and drill-down of each.
#[utoipa::path(get, path = "/api/v1/indicators", tag = "assessment",
    responses((status = 200, body = Vec<IndicatorView>), (status = 401, body = crate::error::Problem)))]
pub async fn indicators(caller: Caller) -> ApiResult<Json<Vec<IndicatorView>>> {
    caller.require_person()?;
    Ok(Json(INDICATORS.iter().map(IndicatorView::from).collect()))
}

/// Every item of the standard for the hall's month: its indicator, value, target and status
/// (met, not_met, no_data), with a 12-month trend and a link to the source records.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/conformance", tag = "assessment",
    params(("hall" = String, Path, description = "hall code or id"), MonthQuery),
    responses((status = 200, body = ConformanceView), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn hall_conformance(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<MonthQuery>,
) -> ApiResult<Json<ConformanceView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let month = measure::month_or_now(&s, q.month.as_deref(), Some(&hall))?;
    let (scope, label) = (
        format!("hall:{}", hall.code),
        format!("{} {}", hall.code, hall.name),
    );
    let view = measure::conformance(&s, &[hall], month, scope, label, false).await?;
    Ok(Json(view))
}

/// The halls of a region the caller may see, or 403 when the region reaches beyond them.
pub async fn region_halls(
    s: &AppState,
    caller: &Caller,
    id: i64,
) -> ApiResult<(Vec<Hall>, String)> {
    let tree = s.store.region_tree().await?;
    let region = tree.get(id).ok_or_else(|| {
        ApiError::not_found(format!("没有编号为 {id} 的区域，请从区域列表中选择 · no region {id}; pick one from the region list"))
    })?;
    let ids = s.store.region_halls(id).await?;
    let visible = crate::scope::visible_halls(s, &caller.actor).await?;
    let halls: Vec<Hall> = visible
        .into_iter()
        .filter(|h| ids.contains(&h.id))
        .collect();
    if halls.len() < ids.len() {
        return Err(ApiError::forbidden(
            "该区域超出您的范围，请选择您的区域或其下级 · this region reaches beyond your scope; pick your own region or one below it",
        ));
    }
    Ok((halls, tree.path_zh(region.id)))
}

/// The standard measured over a region's halls: counts summed across them before dividing,
/// with each hall's tally of items met and not met.
#[utoipa::path(get, path = "/api/v1/regions/{id}/conformance", tag = "assessment",
    params(("id" = i64, Path, description = "region id"), MonthQuery),
    responses((status = 200, body = ConformanceView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn region_conformance(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(q): Query<MonthQuery>,
) -> ApiResult<Json<ConformanceView>> {
    caller.require_any(Permission::ViewStats)?;
    if caller.actor.hall_id.is_some() {
        return Err(ApiError::forbidden(
            "区域达标情况供营业厅以上的人员查看；请查看本厅 · regional conformance is for staff above halls; look at your own hall",
        ));
    }
    let (halls, label) = region_halls(&s, &caller, id).await?;
    let month = measure::month_or_now(&s, q.month.as_deref(), halls.first())?;
    let view = measure::conformance(&s, &halls, month, format!("region:{id}"), label, true).await?;
    Ok(Json(view))
}
