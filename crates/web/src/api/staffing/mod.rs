//! The staffing advisor (排班建议): a day's forecast, the counters Erlang C recommends, the
//! manager's plan, the counters actually open and the simulated waits; the plan's writer;
//! the replay of a past day under another plan or calling policy. The arithmetic is in
//! `servicehall_domain::staffing`; this file gathers its inputs from the store.

pub mod view;

use crate::AppState;
use crate::api::resolve_hall;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Offset};
use serde::Deserialize;
use servicehall_domain::access::Permission;
use servicehall_domain::staffing::{
    self, DayInputs, PastDay, Policy, SLOTS_PER_DAY, Scenario, ServiceDist, ServiceStats, Skills,
    actual, plan, replay, sim,
};
use servicehall_domain::time::{at_local, parse_hhmm, parse_tz};
use servicehall_store::{BusinessType, Hall, Store};
use std::collections::HashMap;
use utoipa::IntoParams;
use view::*;

/// Weeks of history the forecast and the handling times look back over.
const WEEKS: i64 = 8;
/// Simulated days averaged per prediction.
const RUNS: usize = 20;
const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    /// `YYYY-MM-DD`, hall time (default: today).
    pub date: Option<String>,
    /// Service level aimed at: 0.8 or 80 (default 0.8).
    pub level: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReplayQuery {
    /// A past day, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Counters added to (or, negative, taken from) every staffed half-hour: −5..=5 (default 1).
    pub extra: Option<String>,
    /// `fifo` (先接先办) or `primary_first` (主办 first); default fifo.
    pub policy: Option<String>,
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> ApiResult<T> {
    q.map(|Query(v)| v)
        .map_err(|e| ApiError::bad_request(format!("查询参数有误 · bad query: {}", e.body_text())))
}

pub fn parse_date(s: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::bad_request(format!(
            "日期须为 YYYY-MM-DD，如 2026-03-02，而不是「{s}」 · the date must be YYYY-MM-DD, e.g. 2026-03-02, not {s:?}"
        ))
    })
}

pub fn parse_level(s: Option<&str>) -> ApiResult<f64> {
    let Some(s) = s else { return Ok(0.8) };
    let x: f64 = s.trim().trim_end_matches('%').parse().unwrap_or(f64::NAN);
    let x = if x > 1.0 { x / 100.0 } else { x };
    if x > 0.0 && x < 1.0 {
        Ok(x)
    } else {
        Err(ApiError::bad_request(format!(
            "服务水平须在 0 与 1 之间（如 0.8），而不是「{s}」 · the service level must be between 0 and 1 (e.g. 0.8), not {s:?}"
        )))
    }
}

/// The hall's time zone, the day's first instant and its offset from UTC.
fn day_frame(hall: &Hall, date: NaiveDate) -> ApiResult<(chrono_tz::Tz, i64, i64)> {
    let tz = parse_tz(&hall.timezone).map_err(ApiError::unprocessable)?;
    let start = at_local(date, NaiveTime::MIN, tz);
    let offset = servicehall_domain::time::local(start, tz)
        .offset()
        .fix()
        .local_minus_utc() as i64
        * 1000;
    Ok((tz, start, offset))
}

/// Today in the hall.
pub fn hall_today(hall: &Hall, now: i64) -> NaiveDate {
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    servicehall_domain::time::service_day(now, tz)
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Handling times of the last weeks, or the business types' own targets when none is on record.
async fn service(
    store: &dyn Store,
    hall: &Hall,
    date: NaiveDate,
    types: &[BusinessType],
) -> ApiResult<(ServiceStats, ServiceDist)> {
    let from = day(date - Duration::weeks(WEEKS));
    let samples = store
        .handling_samples(hall.id, &from, &day(date), 20_000)
        .await?;
    let secs: Vec<f64> = samples
        .iter()
        .map(|h| h.handling_ms as f64 / 1000.0)
        .collect();
    if let Some(stats) = ServiceStats::from_samples(&secs) {
        return Ok((stats, plan::service_dist(&stats)));
    }
    let active: Vec<f64> = types
        .iter()
        .filter(|b| b.active)
        .map(|b| b.target_handling_s as f64)
        .collect();
    let mean = if active.is_empty() {
        300.0
    } else {
        active.iter().sum::<f64>() / active.len() as f64
    };
    let stats = ServiceStats {
        count: 0,
        mean_s: mean.max(1.0),
        cv: 1.0,
        p50_s: mean,
        p90_s: mean,
    };
    Ok((
        stats,
        ServiceDist::Exponential {
            mean_s: stats.mean_s,
        },
    ))
}

/// The day's advice, as the API answers and the screen draws it.
pub async fn staffing_day(
    s: &AppState,
    hall: &Hall,
    date: NaiveDate,
    level: f64,
) -> ApiResult<StaffingDayView> {
    let store = s.store.as_ref();
    let (tz, start, offset) = day_frame(hall, date)?;
    let cal = store.calendar().await?;
    let info = cal.day(date);
    let first = date - Duration::weeks(WEEKS);
    let counts = store
        .arrival_history(hall.id, &day(first), &day(date - Duration::days(1)), offset)
        .await?;
    // Days from the first with tickets on: a day without any is a day the hall saw nobody.
    let mut per_day: HashMap<String, Vec<f64>> = HashMap::new();
    let mut per_type: HashMap<i64, f64> = HashMap::new();
    for c in &counts {
        per_day
            .entry(c.service_day.clone())
            .or_insert_with(|| vec![0.0; SLOTS_PER_DAY])[c.slot as usize] += c.arrivals as f64;
        *per_type.entry(c.business_type_id).or_default() += c.arrivals as f64;
    }
    let earliest = counts
        .iter()
        .filter_map(|c| NaiveDate::parse_from_str(&c.service_day, "%Y-%m-%d").ok())
        .min();
    let past: Vec<PastDay> = earliest
        .map(|e| {
            e.iter_days()
                .take_while(|d| *d < date)
                .map(|d| PastDay {
                    date: d,
                    kind: cal.day(d).kind,
                    arrivals: per_day
                        .remove(&day(d))
                        .unwrap_or_else(|| vec![0.0; SLOTS_PER_DAY]),
                })
                .collect()
        })
        .unwrap_or_default();
    let forecast = staffing::forecast(date, info.kind, &past, WEEKS as usize);
    let types = store.business_types(hall.id).await?;
    let total: f64 = per_type.values().sum();
    let target_wait_s = if total > 0.0 {
        types
            .iter()
            .map(|b| b.target_wait_s as f64 * per_type.get(&b.id).copied().unwrap_or(0.0))
            .sum::<f64>()
            / total
    } else {
        let t: Vec<f64> = types
            .iter()
            .filter(|b| b.active)
            .map(|b| b.target_wait_s as f64)
            .collect();
        if t.is_empty() {
            600.0
        } else {
            t.iter().sum::<f64>() / t.len() as f64
        }
    };
    let (stats, dist) = service(store, hall, date, &types).await?;
    let stored = store.counter_plan(hall.id, &day(date)).await?;
    let mut planned = vec![None; SLOTS_PER_DAY];
    for p in &stored.slots {
        if let Some(x) = planned.get_mut(p.slot as usize) {
            *x = Some(p.counters as u32);
        }
    }
    let now = s.now();
    let actual = if start <= now {
        let until = now.min(start + DAY_MS);
        let changes = store
            .counter_changes(hall.id, start - DAY_MS / 2, until)
            .await?;
        let changes: Vec<actual::Change> = changes
            .iter()
            .map(|c| actual::Change {
                counter_id: c.counter_id,
                open: c.status == "open",
                at_ms: c.at,
            })
            .collect();
        actual::open_per_slot(&changes, start, until)
    } else {
        vec![None; SLOTS_PER_DAY]
    };
    let advice = staffing::advise(&DayInputs {
        forecast: forecast.arrivals.clone(),
        service: dist,
        target_wait_s,
        level,
        planned,
        mean_patience_s: None,
        seed: (hall.id as u64) << 32 ^ date.num_days_from_ce() as u64,
        runs: RUNS,
    })
    .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    let (opens, closes) = hours(hall);
    let _ = tz;
    Ok(StaffingDayView {
        hall_code: hall.code.clone(),
        date: day(date),
        day_kind: serde_json::to_value(info.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        day_name: info.name.clone(),
        basis: forecast.basis.code().into(),
        basis_label: forecast.basis.label().into(),
        days_used: forecast.days_used,
        forecast_total: round1(forecast.total()),
        target_wait_s: round1(target_wait_s),
        service_level: level,
        mean_service_s: round1(stats.mean_s),
        service_cv: (stats.cv * 100.0).round() / 100.0,
        service_samples: stats.count,
        plan_updated_by: stored.updated_by_name.clone(),
        plan_updated_at: stored.updated_at,
        slots: advice
            .iter()
            .map(|a| SlotView {
                slot: a.slot,
                time: staffing::slot_label(a.slot),
                in_hours: (opens..closes).contains(&a.slot),
                forecast_arrivals: round1(a.forecast),
                recommended_counters: a.recommended,
                planned_counters: a.planned,
                actual_counters: actual.get(a.slot).copied().flatten().map(round1),
                predicted_wait_s: round1(a.predicted_wait_s),
                predicted_service_level: (a.predicted_service_level * 1000.0).round() / 1000.0,
            })
            .collect(),
    })
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The half-hours of the hall's opening hours: 08:30–17:30 → 17..35.
pub fn hours(hall: &Hall) -> (usize, usize) {
    let slot = |t: &str, up: bool| {
        parse_hhmm(t).ok().map(|t| {
            use chrono::Timelike;
            let m = t.hour() * 60 + t.minute();
            (if up { m.div_ceil(30) } else { m / 30 }) as usize
        })
    };
    (
        slot(&hall.opens, false).unwrap_or(17),
        slot(&hall.closes, true).unwrap_or(35).min(SLOTS_PER_DAY),
    )
}

/// A day's forecast, recommended and planned counters, actual staffing and predicted waits,
/// per half-hour.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/staffing", tag = "staffing",
    params(("hall" = String, Path, description = "hall code or id"), DayQuery),
    responses((status = 200, body = StaffingDayView), (status = 400, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem)))]
pub async fn day_advice(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    q: Result<Query<DayQuery>, QueryRejection>,
) -> ApiResult<Json<StaffingDayView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let q = query(q)?;
    let date = match q.date.as_deref() {
        Some(d) => parse_date(d)?,
        None => hall_today(&hall, s.now()),
    };
    let level = parse_level(q.level.as_deref())?;
    Ok(Json(staffing_day(&s, &hall, date, level).await?))
}

/// Sets a day's counter plan: the half-hours given, the rest cleared.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/staffing/plan", tag = "staffing",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = PlanBody,
    responses((status = 200, body = CounterPlanView), (status = 400, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn set_plan(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<CounterPlanView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Administer, hall.id)?;
    // The body is read after the role check, so a caller without the right gets 403 first.
    let b: PlanBody = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!(
            "请求内容不是有效的排班计划 · the body is not a valid plan: {e}"
        ))
    })?;
    let by = caller
        .actor
        .staff_id
        .ok_or_else(|| ApiError::forbidden("排班计划须由本人设置 · a plan is set by a person"))?;
    let date = parse_date(&b.date)?;
    let slots: Vec<(usize, u32)> = b.slots.iter().map(|p| (p.slot, p.counters)).collect();
    let plan = s
        .store
        .set_counter_plan(hall.id, &day(date), &slots, Some(by), s.now())
        .await?;
    Ok(Json((&plan).into()))
}

/// A past day's customers again, under the counters it kept and under another plan or policy.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/staffing/replay", tag = "staffing",
    params(("hall" = String, Path, description = "hall code or id"), ReplayQuery),
    responses((status = 200, body = ReplayView), (status = 400, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn replay_day(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    q: Result<Query<ReplayQuery>, QueryRejection>,
) -> ApiResult<Json<ReplayView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let q = query(q)?;
    let Some(date) = q.date.as_deref() else {
        return Err(ApiError::bad_request(
            "请给出要重放的日期 date=YYYY-MM-DD · give the day to replay as date=YYYY-MM-DD",
        ));
    };
    let date = parse_date(date)?;
    let extra = match q.extra.as_deref() {
        None => 1,
        Some(e) => e.trim().parse::<i32>().ok().filter(|x| (-5..=5).contains(x)).ok_or_else(|| {
            ApiError::bad_request(format!("加减窗口数须为 -5 至 5 的整数，而不是「{e}」 · extra must be a whole number from -5 to 5, not {e:?}"))
        })?,
    };
    let policy = match q.policy.as_deref().unwrap_or("fifo") {
        "fifo" => Policy::Fifo,
        "primary_first" => Policy::PrimaryFirst,
        p => {
            return Err(ApiError::bad_request(format!(
                "叫号方式须为 fifo（先接先办）或 primary_first（主办优先），而不是「{p}」 · the policy must be fifo or primary_first, not {p:?}"
            )));
        }
    };
    Ok(Json(replay_of(&s, &hall, date, extra, policy).await?))
}

/// The replay the API answers and the screen shows.
pub async fn replay_of(
    s: &AppState,
    hall: &Hall,
    date: NaiveDate,
    extra: i32,
    policy: Policy,
) -> ApiResult<ReplayView> {
    if date >= hall_today(hall, s.now()) {
        return Err(ApiError::unprocessable(
            "只能重放已结束的日子 · only a day that has ended can be replayed",
        ));
    }
    let store = s.store.as_ref();
    let (_, start, _) = day_frame(hall, date)?;
    let tickets = store.replay_tickets(hall.id, &day(date)).await?;
    let types = store.business_types(hall.id).await?;
    let kind_of: HashMap<i64, usize> = types.iter().enumerate().map(|(i, b)| (b.id, i)).collect();
    // Only the called: one who left before being called used no counter time.
    let mut waits = Vec::new();
    let customers: Vec<sim::Customer> = tickets
        .iter()
        .filter_map(|t| {
            let called = t.called_at?;
            waits.push((called - t.issued_at) as f64 / 1000.0);
            Some(sim::Customer {
                arrival_s: (t.issued_at - start) as f64 / 1000.0,
                kind: kind_of.get(&t.business_type_id).copied().unwrap_or(0),
                // A no-show held the counter for about a minute of calling.
                service_s: t.finished_at.map_or(60.0, |f| (f - called) as f64 / 1000.0),
                patience_s: None,
            })
        })
        .collect();
    if customers.is_empty() {
        return Err(ApiError::unprocessable(format!(
            "{} 没有叫号记录，无法重放 · no ticket was called on {}, nothing to replay",
            day(date),
            day(date)
        )));
    }
    let changes = store
        .counter_changes(hall.id, start - DAY_MS / 2, start + DAY_MS)
        .await?;
    let changes: Vec<actual::Change> = changes
        .iter()
        .map(|c| actual::Change {
            counter_id: c.counter_id,
            open: c.status == "open",
            at_ms: c.at,
        })
        .collect();
    let kept: Vec<u32> = actual::open_per_slot(&changes, start, start + DAY_MS)
        .iter()
        .map(|x| x.unwrap_or(0.0).round() as u32)
        .collect();
    let alternative: Vec<u32> = kept
        .iter()
        .map(|&c| {
            if c == 0 {
                0
            } else {
                (c as i32 + extra).max(1) as u32
            }
        })
        .collect();
    let mut counters = store.counters(hall.id).await?;
    counters.sort_by_key(|c| c.number);
    let kinds = |ids: &[i64]| {
        ids.iter()
            .filter_map(|i| kind_of.get(i).copied())
            .collect::<Vec<_>>()
    };
    let skills: Vec<Skills> = counters
        .iter()
        .map(|c| Skills {
            primary: kinds(&c.primary),
            secondary: kinds(&c.secondary),
        })
        .collect();
    let targets: Vec<f64> = types.iter().map(|b| b.target_wait_s as f64).collect();
    let scenario = |plan: Vec<u32>, policy| Scenario {
        slot_s: 1800.0,
        plan,
        skills: skills.clone(),
        policy,
        target_wait_s: targets.clone(),
    };
    let cmp = replay::replay(
        &customers,
        &scenario(kept.clone(), Policy::Fifo),
        &scenario(alternative.clone(), policy),
    );
    let run = |plan: Vec<u32>, o: &sim::Outcome| ReplayRunView {
        counter_hours: replay::counter_hours(&plan),
        plan,
        mean_wait_s: round1(o.mean_wait_s),
        max_wait_s: round1(o.max_wait_s),
        service_level: (o.service_level * 1000.0).round() / 1000.0,
        slot_waits_s: o.slots.iter().map(|x| round1(x.mean_wait_s)).collect(),
    };
    Ok(ReplayView {
        date: day(date),
        customers: customers.len(),
        recorded_mean_wait_s: round1(waits.iter().sum::<f64>() / waits.len() as f64),
        policy: match policy {
            Policy::Fifo => "fifo",
            Policy::PrimaryFirst => "primary_first",
        }
        .into(),
        extra,
        mean_wait_saved_s: round1(cmp.mean_wait_saved_s()),
        kept: run(kept, &cmp.kept),
        alternative: run(alternative, &cmp.alternative),
    })
}
