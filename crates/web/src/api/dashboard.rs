//! The hall manager's day (值班看板): today's figures, the hours of today beside the usual
//! day, and each counter's and clerk's day, derived from the ticket logs. The screen is
//! `pages/dashboard.rs`; it also follows the queue (`queue::queue`) and the events, and acts
//! through the counters' own routes (pause, close, open).

use crate::api::counters::view::CounterView;
use crate::api::queue::view::{TodayStats, today_stats};
use crate::api::resolve_hall;
use crate::error::ApiResult;
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use servicehall_domain::Role;
use servicehall_domain::access::Permission;
use servicehall_domain::incidents::by_hand::{at_counter, without_ticket};
use servicehall_domain::queue::stats::{LogEntry, TicketTimes, day_stats, ticket_times};
use servicehall_domain::time::{at_local, parse_tz, service_day};
use servicehall_store::{CounterStatus, HourFigures};
use utoipa::ToSchema;

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

/// One hall-local hour: arrivals and their mean wait.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct HourPoint {
    /// 0–23.
    pub hour: i64,
    /// Visits that arrived in the hour (for the comparison: the mean per compared day,
    /// one decimal).
    pub arrivals: f64,
    /// Mean wait of those already called, in seconds; none when nobody was called.
    pub mean_wait_s: Option<i64>,
}

/// Today's arrivals and waits by hour beside the same weekday of the four weeks before.
#[derive(Debug, Serialize, ToSchema)]
pub struct HourlySeries {
    pub service_day: String,
    /// The compared days (the same weekday, 1–4 weeks back), newest first.
    pub compared_days: Vec<String>,
    /// How many of them had any visit; the comparison averages over these, so a closed
    /// holiday does not halve the usual day.
    pub compared_open_days: i64,
    /// 24 points, hour 0 to 23.
    pub today: Vec<HourPoint>,
    /// 24 points: the usual day, from the compared days.
    pub usual: Vec<HourPoint>,
}

/// Pools hour figures of `days` days into 24 points.
fn hour_points(rows: &[HourFigures], days: i64) -> Vec<HourPoint> {
    let mut sums = [(0i64, 0i64, 0i64); 24];
    for r in rows {
        let s = &mut sums[r.hour.clamp(0, 23) as usize];
        s.0 += r.arrivals;
        s.1 += r.called;
        s.2 += r.wait_ms_sum;
    }
    let days = days.max(1);
    (0..24)
        .map(|h| {
            let (arrivals, called, wait) = sums[h];
            HourPoint {
                hour: h as i64,
                arrivals: (arrivals as f64 / days as f64 * 10.0).round() / 10.0,
                mean_wait_s: (called > 0).then(|| wait / called / 1000),
            }
        })
        .collect()
}

/// Arrivals and mean waits by hour today against the same weekday of the last four weeks,
/// counted by the store from the ticket log.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/stats/hourly", tag = "stats",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = HourlySeries)))]
pub async fn stats_hourly(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<HourlySeries>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let day = service_day(s.now(), tz);
    let figures = |d: chrono::NaiveDate| {
        let store = s.store.clone();
        async move {
            let start = at_local(d, chrono::NaiveTime::MIN, tz);
            store.hourly_arrivals(hall.id, &d.to_string(), start).await
        }
    };
    let today = figures(day).await?;
    let mut compared_days = Vec::new();
    let mut usual = Vec::new();
    let mut open_days = 0;
    for weeks in 1..=4 {
        let d = day - chrono::Days::new(7 * weeks);
        let rows = figures(d).await?;
        open_days += i64::from(!rows.is_empty());
        usual.extend(rows);
        compared_days.push(d.to_string());
    }
    Ok(Json(HourlySeries {
        service_day: day.to_string(),
        compared_days,
        compared_open_days: open_days,
        today: hour_points(&today, 1),
        usual: hour_points(&usual, open_days),
    }))
}

/// How one counter or one clerk has done today.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkFigures {
    /// Served today, including the visits recorded by hand (`manual`).
    pub served: i64,
    /// Of `served`, recorded by hand while the business system was down.
    pub manual: i64,
    pub avg_handling_s: Option<i64>,
    pub ratings: i64,
    /// Share of ratings at 基本满意 or better, in percent with one decimal.
    pub satisfaction_pct: Option<f64>,
}

/// A counter's row on the dashboard: its state now and its day.
#[derive(Debug, Serialize, ToSchema)]
pub struct CounterRow {
    pub counter: CounterView,
    pub today: WorkFigures,
}

/// A clerk's row: where they are now and their day.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClerkRow {
    pub staff_id: i64,
    pub name: String,
    pub badge_no: String,
    /// The counter they are on duty at (open or paused), if any.
    pub counter_id: Option<i64>,
    pub counter_number: Option<i64>,
    /// `open`, `paused` or `off` (not at a counter).
    pub state: String,
    pub today: WorkFigures,
}

/// The dashboard's counter and clerk rows.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeopleRows {
    pub counters: Vec<CounterRow>,
    pub clerks: Vec<ClerkRow>,
}

/// Per-counter and per-clerk figures for today (served, mean handling, satisfaction) with
/// each one's current state.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/stats/counters", tag = "stats",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = PeopleRows)))]
pub async fn stats_counters(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<PeopleRows>> {
    let store = s.store.as_ref();
    let hall = resolve_hall(store, &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let day = service_day(s.now(), tz);
    let start = at_local(day, chrono::NaiveTime::MIN, tz);
    let tickets = store.day_tickets(hall.id, &day.to_string()).await?;
    let ratings = store
        .ratings_between(hall.id, start, start + 86_400_000)
        .await?;
    let manual = store
        .manual_entries(hall.id, start, start + 86_400_000, false)
        .await?;
    let times: Vec<_> = tickets
        .iter()
        .map(|t| {
            let log: Vec<LogEntry> = t
                .log
                .iter()
                .map(|e| LogEntry {
                    state: e.state,
                    at_ms: e.at,
                })
                .collect();
            (&t.ticket, ticket_times(&log))
        })
        .collect();
    // A manual entry made while a ticket was at its counter is that ticket's visit.
    let spans: Vec<_> = tickets
        .iter()
        .filter_map(|t| {
            let log: Vec<LogEntry> = t
                .log
                .iter()
                .map(|e| LogEntry {
                    state: e.state,
                    at_ms: e.at,
                })
                .collect();
            at_counter(t.ticket.counter_id, &log)
        })
        .collect();
    let work = |counter: Option<i64>, staff: Option<i64>| {
        let mine: Vec<TicketTimes> = times
            .iter()
            .filter(|(t, _)| counter.is_none_or(|c| t.counter_id == Some(c)))
            .filter(|(t, _)| staff.is_none_or(|st| t.staff_id == Some(st)))
            .map(|(_, tt)| *tt)
            .collect();
        let levels: Vec<u8> = ratings
            .iter()
            .filter(|r| counter.is_none_or(|c| r.counter_id == c))
            .filter(|r| staff.is_none_or(|st| r.staff_id == Some(st)))
            .map(|r| r.level as u8)
            .collect();
        let d = day_stats(&mine, 0, &levels);
        let entries: Vec<(Option<i64>, i64)> = manual
            .iter()
            .filter(|m| counter.is_none_or(|c| m.counter_id == Some(c)))
            .filter(|m| staff.is_none_or(|st| m.recorded_by == st))
            .map(|m| (m.counter_id, m.recorded_at))
            .collect();
        WorkFigures {
            served: d.served + without_ticket(&entries, &spans),
            manual: entries.len() as i64,
            avg_handling_s: d.avg_handling_s,
            ratings: d.ratings,
            satisfaction_pct: d.satisfaction_pct,
        }
    };
    let counters = store.counters(hall.id).await?;
    let on_duty = |staff_id: i64| {
        counters.iter().find(|c| {
            c.status != CounterStatus::Closed
                && c.clerk.as_ref().is_some_and(|k| k.staff_id == staff_id)
        })
    };
    let clerks = store
        .staff_list(Some(hall.id))
        .await?
        .into_iter()
        .filter(|st| st.active && matches!(st.role, Role::Clerk | Role::HallManager))
        .filter(|st| {
            // A manager appears when they worked a counter today or are at one now.
            st.role == Role::Clerk
                || on_duty(st.id).is_some()
                || times.iter().any(|(t, _)| t.staff_id == Some(st.id))
        })
        .map(|st| {
            let at = on_duty(st.id);
            ClerkRow {
                staff_id: st.id,
                counter_id: at.map(|c| c.id),
                counter_number: at.map(|c| c.number),
                state: at.map_or("off", |c| c.status.as_str()).into(),
                today: work(None, Some(st.id)),
                name: st.name,
                badge_no: st.badge_no,
            }
        })
        .collect();
    Ok(Json(PeopleRows {
        counters: counters
            .iter()
            .map(|c| CounterRow {
                counter: CounterView::from(c),
                today: work(Some(c.id), None),
            })
            .collect(),
        clerks,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hour_points_pool_days_and_fold_a_long_day_into_its_last_hour() {
        let row = |hour, arrivals, called, wait_ms_sum| HourFigures {
            hour,
            arrivals,
            called,
            wait_ms_sum,
        };
        // Three open days: 2 arrivals at 9 (one called after 90 s); a 25-hour day's hour 24
        // was folded by the store into 23 and comes as a second row.
        let points = hour_points(
            &[
                row(9, 2, 1, 90_000),
                row(23, 1, 1, 60_000),
                row(23, 2, 1, 180_000),
            ],
            3,
        );
        assert_eq!(points.len(), 24);
        assert_eq!(
            points[9],
            HourPoint {
                hour: 9,
                arrivals: 0.7,
                mean_wait_s: Some(90),
            }
        );
        assert_eq!(points[23].arrivals, 1.0);
        assert_eq!(points[23].mean_wait_s, Some(120));
        assert_eq!(points[0].mean_wait_s, None);
    }
}
