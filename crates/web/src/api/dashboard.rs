//! The hall manager's day (值班看板): today's figures, derived from the ticket logs. The
//! screen is `pages/dashboard.rs`; it also follows the queue (`queue::queue`) and the events.

use crate::api::queue::view::{TodayStats, today_stats};
use crate::api::resolve_hall;
use crate::error::ApiResult;
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, State};
use servicehall_domain::access::Permission;

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
