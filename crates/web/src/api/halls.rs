//! Halls with their counters and business types; the queue; today's figures.

use super::resolve_hall;
use crate::error::ApiResult;
use crate::hallview::{QueueView, TodayStats, queue_view, today_stats};
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

/// Waiting tickets per business type, with estimates, and the counters.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/queue", tag = "queue",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = QueueView)))]
pub async fn queue(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<QueueView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewHall, hall.id)?;
    Ok(Json(queue_view(&s, &hall, s.now()).await?))
}

/// The hall manager's figures for today, derived from the ticket logs.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/stats/today", tag = "stats",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = TodayStats)))]
pub async fn stats_today(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<TodayStats>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    Ok(Json(
        today_stats(s.store.as_ref(), &hall, None, s.now()).await?,
    ))
}
