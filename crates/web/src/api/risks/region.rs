//! 区域风险 · a region's own register (a city or province company's risks, e.g. a regional
//! power cut crowding several halls, a province-wide marketing-system failure, a public
//! opinion event) and its roll-up of the hall risks under it. Supervisors and administrators
//! whose scope covers the region keep it; managers of halls in the region read it
//! (`servicehall_domain::risks::region::region_access`).

use super::view::{RiskBody, RiskView};
use super::{actor, input};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::Serialize;
use servicehall_domain::access::{ActorKind, Permission};
use servicehall_domain::regions::Region;
use servicehall_domain::risks::Matrix;
use servicehall_domain::risks::region::{RegionCaller, RegionRiskAccess, region_access, roll_up};
use servicehall_domain::time::service_day;
use utoipa::ToSchema;

/// A region's day (regions carry no time zone; the company works on China time).
pub fn region_today(s: &AppState) -> NaiveDate {
    service_day(s.now(), chrono_tz::Asia::Shanghai)
}

/// A region by code or id, with what the caller may do there (never `None`: that is 403).
pub async fn region_scope(
    s: &AppState,
    caller: &Caller,
    region: &str,
) -> ApiResult<(Region, RegionRiskAccess)> {
    actor(caller)?;
    caller.require_any(Permission::ManageRisks)?;
    let tree = s.store.region_tree().await?;
    let found = tree
        .in_order()
        .into_iter()
        .map(|(_, r)| r)
        .find(|r| r.code == region || region.parse::<i64>().is_ok_and(|id| id == r.id))
        .cloned()
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "没有这个区域，请从区域列表中选择 · no region {region:?}; pick one from the region list"
            ))
        })?;
    let own_region = match (caller.actor.hall_id, &caller.staff) {
        (Some(h), _) => s.store.hall(h).await?.region_id,
        (None, Some(st)) => st.region_id,
        (None, None) => None,
    };
    let ActorKind::Person(role) = caller.actor.kind else {
        return Err(ApiError::forbidden(
            "风险登记须由本人操作 · the risk register is kept by a person",
        ));
    };
    let access = region_access(
        RegionCaller {
            role,
            hall: caller.actor.hall_id,
            region: own_region,
        },
        &tree,
        found.id,
    );
    if access == RegionRiskAccess::None {
        return Err(ApiError::forbidden(
            "该区域不在您的范围内 · this region is outside your scope",
        ));
    }
    Ok((found, access))
}

/// Like [`region_scope`], refusing a caller who may only read.
pub async fn region_to_edit(s: &AppState, caller: &Caller, region: &str) -> ApiResult<Region> {
    let (r, access) = region_scope(s, caller, region).await?;
    if access != RegionRiskAccess::Edit {
        return Err(ApiError::forbidden(
            "区域风险由本区域的督查或管理员维护，营业厅只可查看 · a region's risks are kept by its supervisors and administrators; halls read them",
        ));
    }
    Ok(r)
}

/// A region's own register, highest residual score first.
#[utoipa::path(get, path = "/api/v1/regions/{region}/risks", tag = "risks",
    params(("region" = String, Path, description = "region code or id")),
    responses((status = 200, body = Vec<RiskView>), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Path(region): Path<String>,
) -> ApiResult<Json<Vec<RiskView>>> {
    let (region, _) = region_scope(&s, &caller, &region).await?;
    let m = s.store.region_risk_matrix(region.id).await?;
    let today = region_today(&s);
    let list = s.store.region_risks(region.id).await?;
    Ok(Json(
        list.iter().map(|r| RiskView::new(r, &m, today)).collect(),
    ))
}

/// Registers a risk of the region itself; its id is shared with hall risks, so
/// `GET|PUT /api/v1/risks/{id}` serve it.
#[utoipa::path(post, path = "/api/v1/regions/{region}/risks", tag = "risks",
    params(("region" = String, Path, description = "region code or id")),
    request_body = RiskBody,
    responses((status = 201, body = RiskView), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Path(region): Path<String>,
    crate::api::JsonBody(b): crate::api::JsonBody<RiskBody>,
) -> ApiResult<(StatusCode, Json<RiskView>)> {
    let region = region_to_edit(&s, &caller, &region).await?;
    let by = actor(&caller)?;
    let r = s
        .store
        .create_region_risk(region.id, &input(&b)?, by, s.now())
        .await?;
    let m = s.store.region_risk_matrix(region.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(RiskView::new(&r, &m, region_today(&s))),
    ))
}

/// A region's roll-up: how many hall risks of its halls sit in each residual cell.
#[derive(Debug, Serialize, ToSchema)]
pub struct RollUpView {
    pub region: String,
    /// The region's matrix size (its own, else the default 5).
    pub size: u8,
    /// `counts[likelihood - 1][impact - 1]`: hall risks rated so (residual), counted.
    pub counts: Vec<Vec<u32>>,
    /// Hall risks rated outside this grid (on a hall's larger matrix).
    pub outside: u32,
    pub total: u32,
    /// The halls counted.
    pub halls: usize,
}

/// The region's matrix and its roll-up grid over the halls of its subtree.
pub async fn roll_up_of(s: &AppState, region: &Region) -> ApiResult<(Matrix, RollUpView)> {
    let m = s.store.region_risk_matrix(region.id).await?;
    let halls = s.store.region_halls(region.id).await?;
    let cells: Vec<(u8, u8, u32)> = s
        .store
        .hall_risk_cells(&halls)
        .await?
        .iter()
        .map(|c| (c.likelihood, c.impact, c.count))
        .collect();
    let r = roll_up(m.size, &cells);
    let v = RollUpView {
        region: region.code.clone(),
        size: m.size,
        counts: r.counts,
        outside: r.outside,
        total: r.total,
        halls: halls.len(),
    };
    Ok((m, v))
}

/// The roll-up heat map of the hall risks under a region (counts per cell, never averages).
#[utoipa::path(get, path = "/api/v1/regions/{region}/risk-rollup", tag = "risks",
    params(("region" = String, Path, description = "region code or id")),
    responses((status = 200, body = RollUpView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn rollup(
    State(s): State<AppState>,
    caller: Caller,
    Path(region): Path<String>,
) -> ApiResult<Json<RollUpView>> {
    let (region, _) = region_scope(&s, &caller, &region).await?;
    Ok(Json(roll_up_of(&s, &region).await?.1))
}
