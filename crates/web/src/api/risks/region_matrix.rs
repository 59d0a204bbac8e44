//! 区域风险矩阵 · a region's own matrix, on which its region risks score: the hall matrix's
//! body, view and checks (`super::matrix`), kept by the supervisors and administrators whose
//! scope covers the region and read by whoever reads the region's register. The store refuses
//! a size that would leave a rated region risk outside the grid and audits each changed band
//! on the deployment's chain (`region<id>.risk_matrix.…`).

use super::actor;
use super::matrix::{MatrixBody, MatrixView, checked};
use super::region::{region_scope, region_to_edit};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiResult;
use axum::Json;
use axum::extract::{Path, State};
use servicehall_domain::risks::region::RegionRiskAccess;

/// The region's matrix and its bands (the default 5×5 until one is set).
#[utoipa::path(get, path = "/api/v1/regions/{region}/risk-matrix", tag = "risks",
    params(("region" = String, Path, description = "region code or id")),
    responses((status = 200, body = MatrixView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn show_region_matrix(
    State(s): State<AppState>,
    caller: Caller,
    Path(region): Path<String>,
) -> ApiResult<Json<MatrixView>> {
    let (region, access) = region_scope(&s, &caller, &region).await?;
    let m = s.store.region_risk_matrix(region.id).await?;
    Ok(Json(MatrixView::new(&m, access == RegionRiskAccess::Edit)))
}

/// Changes the region's matrix (a supervisor or administrator whose scope covers it); each
/// changed band is audited and the region's risks re-band at once.
#[utoipa::path(put, path = "/api/v1/regions/{region}/risk-matrix", tag = "risks",
    params(("region" = String, Path, description = "region code or id")),
    request_body = MatrixBody,
    responses((status = 200, body = MatrixView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem, description = "the band or colour to fix, named")))]
pub async fn set_region_matrix(
    State(s): State<AppState>,
    caller: Caller,
    Path(region): Path<String>,
    crate::api::JsonBody(body): crate::api::JsonBody<MatrixBody>,
) -> ApiResult<Json<MatrixView>> {
    let region = region_to_edit(&s, &caller, &region).await?;
    let by = actor(&caller)?.staff_id;
    let old = s.store.region_risk_matrix(region.id).await?;
    let m = checked(body, &old)?;
    s.store
        .set_region_risk_matrix(region.id, &m, by, s.now())
        .await?;
    Ok(Json(MatrixView::new(&m, true)))
}
