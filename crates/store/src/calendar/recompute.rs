//! When a year's official schedule is imported (or removed), open cases whose running
//! deadlines reach that year are counted again with the calendar now in use, in the same
//! transaction: each deadline that moves is written to the case's trail
//! (`deadline_recomputed`, naming the old and the new deadline) and to its clock cache, so
//! warnings follow the new deadline.

use crate::Result;
use crate::cases::live::push_case_event_with;
use crate::cases::rows::{detail, hall_clock};
use crate::cases::writes::{log, refresh_clocks};
use crate::sql::WriteTx;
use chrono::{DateTime, Datelike};
use serde_json::json;
use servicehall_domain::cases::ClockState;
use std::collections::HashMap;

/// Running deadlines of the open cases an import may move: case id → clock key → deadline.
pub(crate) struct Before(Vec<(i64, HashMap<String, i64>)>);

fn year_start_ms(year: i32) -> i64 {
    // A day early, so a hall east of UTC (and 元旦 ranges starting on 12-31) are included.
    chrono::NaiveDate::from_ymd_opt(year - 1, 12, 30)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(0, |t| t.and_utc().timestamp_millis())
}

/// Reads the running deadlines that may reach `years`, with the calendar still in use.
pub(crate) async fn before(w: &mut WriteTx, years: &[i32], now: i64) -> Result<Before> {
    let Some(first) = years.iter().min() else {
        return Ok(Before(Vec::new()));
    };
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT k.case_id FROM case_clocks k JOIN cases c ON c.id = k.case_id \
         WHERE c.status = 'open' AND k.state IN ('running', 'paused') \
         AND (k.deadline_at IS NULL OR k.deadline_at >= $1) ORDER BY k.case_id",
    )
    .bind(year_start_ms(*first))
    .fetch_all(&mut *w.tx)
    .await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let d = detail(&mut w.tx, id, now).await?;
        let running = d
            .clocks
            .iter()
            .filter(|c| matches!(c.state, ClockState::Running | ClockState::Paused))
            .filter_map(|c| Some((c.key.clone(), c.view.deadline?)))
            .collect();
        out.push((id, running));
    }
    Ok(Before(out))
}

/// After the calendar changed in `w`: logs and caches every deadline in `years` that moved.
/// Returns how many clocks moved.
pub(crate) async fn after(
    w: &mut WriteTx,
    before: Before,
    years: &[i32],
    by: Option<i64>,
    now: i64,
) -> Result<usize> {
    let mut moved = 0;
    for (id, old) in before.0 {
        let d = detail(&mut w.tx, id, now).await?;
        let tz = hall_clock(&mut w.tx, d.case.hall_id).await?.tz();
        let local = |ms: i64| DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&tz));
        let year_of = |ms: i64| local(ms).map_or(0, |t| t.year());
        let show = |ms: i64| {
            local(ms).map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M").to_string())
        };
        let mut changed = false;
        for c in &d.clocks {
            let (Some(&was), Some(now_due)) = (old.get(&c.key), c.view.deadline) else {
                continue;
            };
            let year = [was, now_due]
                .into_iter()
                .map(year_of)
                .find(|y| years.contains(y));
            let Some(year) = year.filter(|_| was != now_due) else {
                continue;
            };
            let note = format!(
                "{year} 年节假日安排已更新，时限由 {} 改为 {} · the {year} holiday schedule changed; deadline moved from {} to {}",
                show(was),
                show(now_due),
                show(was),
                show(now_due)
            );
            let data = json!({"old_deadline": was, "new_deadline": now_due, "year": year});
            log(
                w,
                id,
                "deadline_recomputed",
                now,
                by,
                &c.step_code,
                &c.key,
                None,
                &note,
                data,
            )
            .await?;
            changed = true;
            moved += 1;
        }
        if changed {
            refresh_clocks(w, id, now).await?;
            push_case_event_with(w, id, "deadline_recomputed", serde_json::Value::Null, now)
                .await?;
        }
    }
    Ok(moved)
}
