//! How good the wait estimates were (预计等候准确度): the estimate kept with each ticket at
//! issue against its actual wait, per business type (`domain::queue::accuracy`). The
//! manager dashboard shows today's and the last 7 days' figures.

use crate::api::resolve_hall;
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, Query, State};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use servicehall_domain::access::Permission;
use servicehall_domain::queue::accuracy::{
    EstimateOutcome, TypeAccuracy, accuracy_by_type, overall,
};
use servicehall_domain::time::{parse_tz, service_day};
use servicehall_store::{Hall, Store};
use utoipa::{IntoParams, ToSchema};

/// The longest range one request may cover.
pub const MAX_DAYS: i64 = 366;

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct AccuracyQuery {
    /// First service day, `YYYY-MM-DD` (hall-local); default today.
    pub from: Option<String>,
    /// Last service day, inclusive; default today.
    pub to: Option<String>,
}

/// One business type's estimates over the range (all types together: `business_type_id` 0).
#[derive(Debug, Serialize, ToSchema)]
pub struct TypeAccuracyView {
    pub business_type_id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Estimates compared: tickets issued with an estimate and then called.
    pub n: i64,
    /// Tickets issued with an estimate but never called (left out of the figures).
    pub never_called: i64,
    /// Mean absolute error |estimate − actual wait|, seconds (whole).
    pub mae_s: Option<i64>,
    /// The same in minutes, one decimal.
    pub mae_min: Option<f64>,
    /// Share of estimates within ±5 minutes of the actual wait, percent with one decimal.
    pub within_5min_pct: Option<f64>,
}

/// The estimate's accuracy in a hall over a range of service days.
#[derive(Debug, Serialize, ToSchema)]
pub struct EstimateAccuracyView {
    pub hall_id: i64,
    pub from: String,
    pub to: String,
    /// Per business type with estimates in the range, in the hall's order.
    pub types: Vec<TypeAccuracyView>,
    /// All types together, weighted by their `n`.
    pub overall: TypeAccuracyView,
}

fn view(a: &TypeAccuracy, code: &str, zh: &str, en: &str) -> TypeAccuracyView {
    let some = a.n > 0;
    TypeAccuracyView {
        business_type_id: a.business_type_id,
        code: code.into(),
        name_zh: zh.into(),
        name_en: en.into(),
        n: a.n,
        never_called: a.never_called,
        mae_s: some.then(|| a.mae_s.round() as i64),
        mae_min: some.then(|| a.mae_min()),
        within_5min_pct: some.then(|| a.within_pct()),
    }
}

/// Parses one end of the range; a bad date is refused naming the parameter.
fn day(s: Option<&str>, what: &str, today: NaiveDate) -> ApiResult<NaiveDate> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            ApiError::unprocessable(format!(
                "{what} 须为日期 YYYY-MM-DD（收到 {s:?}）· {what} must be a date YYYY-MM-DD (got {s:?})"
            ))
        }),
    }
}

/// The range of `q` in the hall's time zone: `from` not after `to`, at most [`MAX_DAYS`].
pub fn range(hall: &Hall, q: &AccuracyQuery, now: i64) -> ApiResult<(NaiveDate, NaiveDate)> {
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let today = service_day(now, tz);
    let from = day(q.from.as_deref(), "from", today)?;
    let to = day(q.to.as_deref(), "to", today)?;
    if from > to {
        return Err(ApiError::unprocessable(format!(
            "起始日期晚于结束日期（{from} > {to}）· from must not be after to ({from} > {to})"
        )));
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(ApiError::unprocessable(format!(
            "一次最多查询 {MAX_DAYS} 天 · at most {MAX_DAYS} days at a time"
        )));
    }
    Ok((from, to))
}

/// The accuracy of the estimates given in `hall` on the service days `from` to `to`.
pub async fn estimate_accuracy(
    store: &dyn Store,
    hall: &Hall,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<EstimateAccuracyView> {
    let kept = store
        .ticket_estimates(hall.id, &from.to_string(), &to.to_string())
        .await?;
    let outcomes: Vec<EstimateOutcome> = kept
        .iter()
        .map(|e| EstimateOutcome {
            business_type_id: e.business_type_id,
            estimated_s: e.estimated_wait_s,
            // Whole seconds, as the estimate: a call 59.9 s after issue waited 59 s.
            actual_s: e.called_at.map(|c| (c - e.issued_at).max(0) / 1000),
        })
        .collect();
    let by_type = accuracy_by_type(&outcomes);
    let types = store.business_types(hall.id).await?;
    let rows = types
        .iter()
        .filter_map(|b| {
            let a = by_type.iter().find(|a| a.business_type_id == b.id)?;
            Some(view(a, &b.code, &b.name_zh, &b.name_en))
        })
        .collect();
    Ok(EstimateAccuracyView {
        hall_id: hall.id,
        from: from.to_string(),
        to: to.to_string(),
        types: rows,
        overall: view(&overall(&by_type), "", "全部业务", "All business types"),
    })
}

/// How close the wait estimates given at issue came to the actual waits, per business type.
/// Tickets never called (left, no-show before their call) and tickets issued without an
/// estimate are left out.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/estimate-accuracy", tag = "stats",
    params(("hall" = String, Path, description = "hall code or id"), AccuracyQuery),
    responses((status = 200, body = EstimateAccuracyView),
        (status = 422, body = crate::error::Problem, description = "a bad date or range")))]
pub async fn estimate_accuracy_route(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<AccuracyQuery>,
) -> ApiResult<Json<EstimateAccuracyView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let (from, to) = range(&hall, &q, s.now())?;
    Ok(Json(
        estimate_accuracy(s.store.as_ref(), &hall, from, to).await?,
    ))
}

/// One business type's cells on the manager dashboard: today and the last 7 days.
#[derive(Debug)]
pub struct AccuracyRow {
    pub name_zh: String,
    pub name_en: String,
    pub today: AccuracyCells,
    pub week: AccuracyCells,
}

/// n, MAE in minutes and within ±5 min as the dashboard prints them ("—" without data).
#[derive(Debug)]
pub struct AccuracyCells {
    pub n: i64,
    pub mae_min: String,
    pub within_pct: String,
}

impl From<Option<&TypeAccuracyView>> for AccuracyCells {
    fn from(v: Option<&TypeAccuracyView>) -> Self {
        let dash = || "—".to_string();
        Self {
            n: v.map_or(0, |v| v.n),
            mae_min: v
                .and_then(|v| v.mae_min)
                .map_or_else(dash, |m| format!("{m:.1}")),
            within_pct: v
                .and_then(|v| v.within_5min_pct)
                .map_or_else(dash, |p| format!("{p:.1}%")),
        }
    }
}

/// The dashboard's accuracy section: a row per business type with estimates in the last 7
/// days (today included), then all types together.
pub async fn dashboard_rows(
    store: &dyn Store,
    hall: &Hall,
    now: i64,
) -> ApiResult<Vec<AccuracyRow>> {
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let today = service_day(now, tz);
    let day = estimate_accuracy(store, hall, today, today).await?;
    let week = estimate_accuracy(store, hall, today - chrono::Duration::days(6), today).await?;
    let mut rows: Vec<AccuracyRow> = week
        .types
        .iter()
        .map(|w| AccuracyRow {
            name_zh: w.name_zh.clone(),
            name_en: w.name_en.clone(),
            today: day
                .types
                .iter()
                .find(|d| d.business_type_id == w.business_type_id)
                .into(),
            week: Some(w).into(),
        })
        .collect();
    if !rows.is_empty() {
        rows.push(AccuracyRow {
            name_zh: week.overall.name_zh.clone(),
            name_en: week.overall.name_en.clone(),
            today: Some(&day.overall).into(),
            week: Some(&week.overall).into(),
        });
    }
    Ok(rows)
}
