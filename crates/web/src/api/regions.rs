//! The region tree (省 → 市 → 县/区 → 营业厅): read by staff above halls, changed by
//! administrators not limited to a region. Halls hang on a region; staff above halls may be
//! limited to one.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use servicehall_domain::access::Permission;
use servicehall_store::RegionInput;
use utoipa::ToSchema;

/// One region with its place in the tree.
#[derive(Serialize, ToSchema)]
pub struct RegionLine {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub parent_id: Option<i64>,
    /// 0 for a top-level region.
    pub depth: usize,
    /// "辽宁省 / 大连市 / 西岗区"
    pub path_zh: String,
    /// Halls hung on this region itself (codes).
    pub halls: Vec<String>,
}

/// Staff above halls read the tree; hall staff have no use for it.
fn require_reader(caller: &Caller) -> ApiResult<()> {
    caller.require_any(Permission::ViewStats)?;
    if caller.actor.hall_id.is_some() {
        return Err(ApiError::forbidden(
            "区域树供营业厅以上的人员使用；您的范围是本营业厅 · the region tree is for staff above halls; your hall is your scope",
        ));
    }
    Ok(())
}

/// Only administrators not limited to a region reshape the tree.
pub fn require_region_admin(caller: &Caller) -> ApiResult<()> {
    caller.require_any(Permission::Administer)?;
    if !caller.actor.deployment_wide() {
        return Err(ApiError::forbidden(
            "只有不限区域的上级管理员可以修改区域树 · only an administrator above halls, not limited to a region, may change the region tree",
        ));
    }
    Ok(())
}

/// The tree in display order with each region's own halls.
pub async fn region_lines(s: &AppState) -> ApiResult<Vec<RegionLine>> {
    let tree = s.store.region_tree().await?;
    let halls = s.store.halls().await?;
    Ok(tree
        .in_order()
        .into_iter()
        .map(|(depth, r)| RegionLine {
            id: r.id,
            code: r.code.clone(),
            name_zh: r.name_zh.clone(),
            name_en: r.name_en.clone(),
            parent_id: r.parent_id,
            depth,
            path_zh: tree.path_zh(r.id),
            halls: halls
                .iter()
                .filter(|h| h.region_id == Some(r.id))
                .map(|h| h.code.clone())
                .collect(),
        })
        .collect())
}

/// The region tree, parents before children.
#[utoipa::path(get, path = "/api/v1/regions", tag = "regions",
    responses((status = 200, body = [RegionLine]), (status = 403, body = crate::error::Problem)))]
pub async fn list(State(s): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<RegionLine>>> {
    require_reader(&caller)?;
    Ok(Json(region_lines(&s).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionBody {
    /// Letters, digits, '-' or '_', unique (e.g. `LN-DL`).
    pub code: String,
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    /// The parent region; omit for a top-level region.
    #[serde(default)]
    pub parent_id: Option<i64>,
}

impl RegionBody {
    fn input(self) -> RegionInput {
        RegionInput {
            code: self.code,
            name_zh: self.name_zh,
            name_en: self.name_en,
            parent_id: self.parent_id,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RegionSaved {
    pub id: i64,
    pub code: String,
    pub parent_id: Option<i64>,
}

/// Creates a region.
#[utoipa::path(post, path = "/api/v1/regions", tag = "regions", request_body = RegionBody,
    responses((status = 201, body = RegionSaved), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(s): State<AppState>,
    caller: Caller,
    super::JsonBody(body): super::JsonBody<RegionBody>,
) -> ApiResult<(StatusCode, Json<RegionSaved>)> {
    require_region_admin(&caller)?;
    let r = s.store.save_region(None, &body.input()).await?;
    Ok((
        StatusCode::CREATED,
        Json(RegionSaved {
            id: r.id,
            code: r.code,
            parent_id: r.parent_id,
        }),
    ))
}

/// Renames or moves a region (never under its own sub-regions).
#[utoipa::path(put, path = "/api/v1/regions/{id}", tag = "regions", request_body = RegionBody,
    params(("id" = i64, Path)),
    responses((status = 200, body = RegionSaved), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    super::JsonBody(body): super::JsonBody<RegionBody>,
) -> ApiResult<Json<RegionSaved>> {
    require_region_admin(&caller)?;
    let r = s.store.save_region(Some(id), &body.input()).await?;
    Ok(Json(RegionSaved {
        id: r.id,
        code: r.code,
        parent_id: r.parent_id,
    }))
}

/// Removes an empty region.
#[utoipa::path(delete, path = "/api/v1/regions/{id}", tag = "regions",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn remove(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    require_region_admin(&caller)?;
    s.store.remove_region(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    /// The region; `null` to hang the hall (or free the person) from any region.
    pub region_id: Option<i64>,
}

/// Hangs a hall on a region.
#[utoipa::path(put, path = "/api/v1/halls/{id}/region", tag = "regions", request_body = AssignBody,
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn set_hall(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    super::JsonBody(body): super::JsonBody<AssignBody>,
) -> ApiResult<StatusCode> {
    require_region_admin(&caller)?;
    s.store.set_hall_region(id, body.region_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Limits an administrator or supervisor above halls to a region.
#[utoipa::path(put, path = "/api/v1/staff/{id}/region", tag = "regions", request_body = AssignBody,
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn set_staff(
    State(s): State<AppState>,
    addr: crate::security::ClientAddr,
    caller: Caller,
    Path(id): Path<i64>,
    super::JsonBody(body): super::JsonBody<AssignBody>,
) -> ApiResult<StatusCode> {
    require_region_admin(&caller)?;
    if caller.actor.staff_id == Some(id) {
        return Err(ApiError::unprocessable(
            "不能限制自己的账号，请找另一位管理员 · you cannot limit your own account; ask another administrator",
        ));
    }
    s.store.set_staff_region(id, body.region_id).await?;
    let detail = format!("region {:?}", body.region_id);
    crate::security::admin_change("staff_region_set", &caller, addr, id, &detail);
    Ok(StatusCode::NO_CONTENT)
}
