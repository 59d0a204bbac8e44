//! Halls with their counters and business types (read only; the administrator's screens
//! write them, see `pages/halls/`).

use super::resolve_hall;
use crate::error::ApiResult;
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use servicehall_domain::access::Permission;
use servicehall_store::{BusinessType, Counter, Hall};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct HallDetail {
    #[schema(value_type = Object)]
    pub hall: Hall,
    #[schema(value_type = Vec<Object>)]
    pub counters: Vec<Counter>,
    #[schema(value_type = Vec<Object>)]
    pub business_types: Vec<BusinessType>,
}

/// The halls the caller may see.
#[utoipa::path(get, path = "/api/v1/halls", tag = "halls", responses((status = 200, body = Vec<Object>)))]
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<serde_json::Value>>> {
    caller.require_any(Permission::ViewHall)?;
    let halls = s.store.halls().await?;
    Ok(Json(
        halls
            .into_iter()
            .filter(|h| caller.actor.in_hall(h.id))
            .map(|h| serde_json::to_value(h).unwrap_or_default())
            .collect(),
    ))
}

/// One hall with its counters and business types.
#[utoipa::path(get, path = "/api/v1/halls/{hall}", tag = "halls",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = HallDetail), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<HallDetail>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewHall, hall.id)?;
    Ok(Json(HallDetail {
        counters: s.store.counters(hall.id).await?,
        business_types: s.store.business_types(hall.id).await?,
        hall,
    }))
}
