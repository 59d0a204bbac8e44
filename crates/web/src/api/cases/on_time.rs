//! The on-time rate (按时办结率) of a hall's cases over a period.

use crate::api::resolve_hall;
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use servicehall_domain::access::Permission;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
pub struct PeriodQuery {
    /// First day (YYYY-MM-DD, hall-local) or unix ms; default 30 days ago.
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD, inclusive) or unix ms (exclusive); default now.
    pub to: Option<String>,
}

fn instant(s: &str, tz: chrono_tz::Tz, end: bool, field: &str) -> ApiResult<i64> {
    if let Ok(ms) = s.parse::<i64>() {
        return Ok(ms);
    }
    let day = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        ApiError::unprocessable(format!(
            "{field} 须为 YYYY-MM-DD 日期或 Unix 毫秒数（收到 {s:?}）· {field} must be a date YYYY-MM-DD or unix milliseconds (got {s:?})"
        ))
    })?;
    let day = if end {
        day.succ_opt().unwrap_or(day)
    } else {
        day
    };
    Ok(servicehall_domain::time::at_local(
        day,
        chrono::NaiveTime::MIN,
        tz,
    ))
}

/// On-time rate (met ÷ stopped clocks) by business type, customer class and step.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/cases/on-time", tag = "cases",
    params(("hall" = String, Path, description = "hall code or id"), PeriodQuery),
    responses((status = 200, body = super::view::OnTimeReportView), (status = 422, body = crate::error::Problem)))]
pub async fn on_time(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<Json<super::view::OnTimeReportView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let tz = servicehall_domain::time::parse_tz(&hall.timezone).map_err(ApiError::unprocessable)?;
    let now = s.now();
    let to = match &q.to {
        Some(t) => instant(t, tz, true, "to")?,
        None => now,
    };
    let from = match &q.from {
        Some(f) => instant(f, tz, false, "from")?,
        None => to - 30 * 24 * 3_600_000,
    };
    Ok(Json(
        (&s.store.on_time_rate(hall.id, from, to).await?).into(),
    ))
}
