//! A month of counter plans (排班计划) in the demo hall: for each day from a week into the
//! history to a week ahead, the forecast from the days before it, Erlang C's recommendation
//! and the manager's habits on top (two counters whenever the hall is open, one fewer over
//! lunch, never more than the hall's six counters), so the staffing screen shows plan,
//! recommendation and actual side by side, and the plan is sometimes thin.

use super::hall::DemoHall;
use crate::{CliError, CliResult};
use chrono::{Days, NaiveDate, NaiveTime, Offset};
use servicehall_domain::calendar::Calendar;
use servicehall_domain::staffing::{self, Load, PastDay, SLOTS_PER_DAY, ServiceStats};
use servicehall_domain::time::{at_local, local, parse_tz};
use servicehall_store::Store;
use std::collections::HashMap;

fn err(e: impl std::fmt::Display, what: &str) -> CliError {
    CliError::failed(format!(
        "排班计划生成失败（{what}）：{e} · staffing plans {what}: {e}"
    ))
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Seeds the plans; returns how many days were planned.
pub async fn seed(
    store: &dyn Store,
    demo: &DemoHall,
    today: NaiveDate,
    days: u64,
    now: i64,
) -> CliResult<usize> {
    let hall = &demo.hall;
    let tz = parse_tz(&hall.timezone).map_err(CliError::failed)?;
    let first = today - Days::new(days);
    let start = at_local(first, NaiveTime::MIN, tz);
    let offset = local(start, tz).offset().fix().local_minus_utc() as i64 * 1000;
    let counts = store
        .arrival_history(hall.id, &day(first), &day(today), offset)
        .await
        .map_err(|e| err(e, "history"))?;
    let mut per_day: HashMap<String, Vec<f64>> = HashMap::new();
    for c in &counts {
        per_day
            .entry(c.service_day.clone())
            .or_insert_with(|| vec![0.0; SLOTS_PER_DAY])[c.slot as usize] += c.arrivals as f64;
    }
    let cal = Calendar::china();
    let past: Vec<PastDay> = first
        .iter_days()
        .take_while(|d| *d < today)
        .map(|d| PastDay {
            date: d,
            kind: cal.day(d).kind,
            arrivals: per_day
                .remove(&day(d))
                .unwrap_or_else(|| vec![0.0; SLOTS_PER_DAY]),
        })
        .collect();
    let samples = store
        .handling_samples(hall.id, &day(first), &day(today), 20_000)
        .await
        .map_err(|e| err(e, "handling times"))?;
    let secs: Vec<f64> = samples
        .iter()
        .map(|s| s.handling_ms as f64 / 1000.0)
        .collect();
    let mean_s = ServiceStats::from_samples(&secs).map_or(300.0, |s| s.mean_s);
    let target: f64 = {
        let t: Vec<f64> = demo.types.iter().map(|b| b.target_wait_s as f64).collect();
        t.iter().sum::<f64>() / t.len().max(1) as f64
    };
    let counters = demo.counters.len() as u32;
    let staff = store
        .staff_list(Some(hall.id))
        .await
        .map_err(|e| err(e, "staff"))?
        .into_iter()
        .find(|s| s.username == "manager")
        .map(|s| s.id);
    let mut planned = 0;
    for date in (first + Days::new(7))
        .iter_days()
        .take_while(|d| *d <= today + Days::new(7))
    {
        let f = staffing::forecast(date, cal.day(date).kind, &past, 4);
        if f.total() <= 0.0 {
            continue;
        }
        let mut slots = Vec::new();
        for (slot, a) in f.arrivals.iter().enumerate() {
            if *a <= 0.0 {
                continue;
            }
            let load = Load::new(a * 2.0, mean_s).map_err(|e| err(e, "load"))?;
            let rec = staffing::recommend(load, target, 0.8)
                .map_err(|e| err(e, "recommend"))?
                .counters;
            // 12:00–13:30: one clerk at lunch.
            let lunch = (24..27).contains(&slot);
            let n = rec.max(2).saturating_sub(lunch as u32).clamp(1, counters);
            slots.push((slot, n));
        }
        store
            .set_counter_plan(hall.id, &day(date), &slots, staff, now)
            .await
            .map_err(|e| err(e, "save"))?;
        planned += 1;
    }
    Ok(planned)
}
