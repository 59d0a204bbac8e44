//! The last indicators of the library, counted in Rust from the logs because they are spans
//! of time and schedules rather than sums: `idle_share` from the counters' status changes and
//! the tickets' events (`servicehall_domain::assessment::idle`), and the site checks done and
//! missed from the hall's schedule, its clerks, the checks submitted and the counter openings
//! (`servicehall_domain::assessment::site_checks`). Used by the step, the rebuild and the
//! naive scan alike, through `figures::count`.

use super::DayFigure;
use super::span::Span;
use crate::Result;
use servicehall_domain::assessment::idle::{
    StatusChange, TicketStep, day_of, day_start, idle_by_day,
};
use servicehall_domain::assessment::site_checks::check_tally;
use servicehall_domain::inspections::schedule::{Schedule, Slot};
use servicehall_domain::risks::missed::{CheckDay, DoneCheck};
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::{BTreeMap, HashMap};

/// A counter event as the figures need it.
struct CounterEvent {
    hall_id: i64,
    counter_id: i64,
    status: String,
    badge_no: Option<String>,
    at: i64,
}

/// The span's counter events from the day before its first day (a day's spells may begin
/// the day before), oldest first.
async fn counter_events(conn: &mut AnyConnection, span: &Span<'_>) -> Result<Vec<CounterEvent>> {
    let before = Span {
        halls: span.halls,
        from_day: span.from_day - 1,
        to_day: span.to_day,
        until: span.until,
    };
    let sql = format!(
        "SELECT hall_id, payload, at FROM hall_events WHERE kind = 'counter' AND {} AND {} ORDER BY id",
        span.halls("hall_id"),
        before.at("at")
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let payload: String = r.try_get("payload")?;
        // Written by CounterStore; a row that does not parse is skipped, as the staffing
        // and the KRI do.
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&payload) else {
            continue;
        };
        if let (Some(id), Some(status)) = (v["counter_id"].as_i64(), v["status"].as_str()) {
            out.push(CounterEvent {
                hall_id: r.try_get("hall_id")?,
                counter_id: id,
                status: status.to_string(),
                badge_no: v["badge_no"].as_str().map(str::to_string),
                at: r.try_get("at")?,
            });
        }
    }
    Ok(out)
}

/// The instant the span stops: its last day's end or `until`, whichever first.
fn stop(span: &Span<'_>) -> i64 {
    let end = span.to_day.map_or(i64::MAX, day_start);
    end.min(span.until.unwrap_or(i64::MAX))
}

/// `idle_share` per hall and day.
async fn idle(
    conn: &mut AnyConnection,
    span: &Span<'_>,
    events: &[CounterEvent],
) -> Result<Vec<DayFigure>> {
    let before = Span {
        halls: span.halls,
        from_day: span.from_day - 1,
        to_day: span.to_day,
        until: span.until,
    };
    let sql = format!(
        "SELECT x.hall_id, e.ticket_id, e.state, e.counter_id, e.at
         FROM ticket_events e JOIN tickets x ON x.id = e.ticket_id
         WHERE {} ORDER BY e.ticket_id, e.id",
        before.service_days("x")
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    // Per hall: (ticket, state, counter, at) in the tickets' order.
    type Step = (i64, String, Option<i64>, i64);
    let mut steps: BTreeMap<i64, Vec<Step>> = BTreeMap::new();
    for r in &rows {
        steps.entry(r.try_get("hall_id")?).or_default().push((
            r.try_get("ticket_id")?,
            r.try_get("state")?,
            r.try_get("counter_id")?,
            r.try_get("at")?,
        ));
    }
    let mut changes: BTreeMap<i64, Vec<StatusChange>> = BTreeMap::new();
    for e in events {
        changes.entry(e.hall_id).or_default().push(StatusChange {
            counter_id: e.counter_id,
            open: e.status == "open",
            at: e.at,
        });
    }
    let until = stop(span);
    let mut out = Vec::new();
    for (hall_id, changes) in changes {
        let list = steps.remove(&hall_id).unwrap_or_default();
        let steps: Vec<TicketStep> = list
            .iter()
            .map(|(t, s, c, at)| TicketStep {
                ticket_id: *t,
                state: s,
                counter_id: *c,
                at: *at,
            })
            .collect();
        for (day, (idle, open)) in idle_by_day(&changes, &steps, span.from_day, until) {
            out.push(DayFigure {
                hall_id,
                day,
                indicator: "idle_share".into(),
                num: idle,
                den: open,
            });
        }
    }
    Ok(out)
}

/// `site_checks_done_rate` and `site_checks_missed` per hall and day.
async fn site_checks(
    conn: &mut AnyConnection,
    span: &Span<'_>,
    events: &[CounterEvent],
) -> Result<Vec<DayFigure>> {
    let mut schedules: HashMap<i64, Schedule> = HashMap::new();
    let sql = format!(
        "SELECT hall_id, body FROM inspection_schedules WHERE {}",
        span.halls("hall_id")
    );
    for r in sqlx::query(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?
    {
        let body: String = r.try_get("body")?;
        // A schedule that does not read is the default, as the site-check list shows it.
        let s = serde_json::from_str(&body).unwrap_or_default();
        schedules.insert(r.try_get("hall_id")?, s);
    }
    let sql = format!(
        "SELECT id, hall_id, badge_no, role, active FROM staff WHERE hall_id IS NOT NULL AND {}",
        span.halls("hall_id")
    );
    let mut clerks: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let mut badges: HashMap<(i64, String), i64> = HashMap::new();
    for r in sqlx::query(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?
    {
        let (id, hall): (i64, i64) = (r.try_get("id")?, r.try_get("hall_id")?);
        badges.insert((hall, r.try_get("badge_no")?), id);
        if r.try_get::<String, _>("role")? == "clerk" && r.try_get::<i64, _>("active")? != 0 {
            clerks.entry(hall).or_default().push(id);
        }
    }
    let sql = format!(
        "SELECT i.hall_id, t.code, i.subject_staff_id, i.submitted_at
         FROM inspections i JOIN inspection_templates t ON t.id = i.template_id
         WHERE i.submitted_at IS NOT NULL AND {} AND {}",
        span.halls("i.hall_id"),
        span.at("i.submitted_at")
    );
    // (hall, day) → the day's checks and openings.
    type Day = (Vec<DoneCheck>, Vec<(i64, i64)>);
    let mut days: BTreeMap<(i64, i64), Day> = BTreeMap::new();
    for r in sqlx::query(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?
    {
        let code: String = r.try_get("code")?;
        let Some(slot) = Slot::for_code(&code) else {
            continue;
        };
        let at: i64 = r.try_get("submitted_at")?;
        let hall: i64 = r.try_get("hall_id")?;
        days.entry((hall, day_of(at)))
            .or_default()
            .0
            .push(DoneCheck {
                slot,
                subject: r.try_get("subject_staff_id")?,
                at,
            });
    }
    let until = stop(span);
    for e in events {
        let day = day_of(e.at);
        if e.status != "open" || day < span.from_day || e.at >= until {
            continue;
        }
        // Openings name the clerk by badge, as the site-check list and the KRI read them.
        let who = e
            .badge_no
            .as_ref()
            .and_then(|b| badges.get(&(e.hall_id, b.clone())));
        if let Some(&id) = who {
            days.entry((e.hall_id, day)).or_default().1.push((id, e.at));
        }
    }
    let default = Schedule::default();
    let mut out = Vec::new();
    let none: Vec<i64> = Vec::new();
    for ((hall_id, day), (checks, openings)) in days {
        let d = CheckDay {
            schedule: schedules.get(&hall_id).unwrap_or(&default),
            midnight_ms: day_start(day),
            checks: &checks,
            openings: &openings,
            clerks: clerks.get(&hall_id).unwrap_or(&none),
        };
        let (done, missed) = check_tally(&d, until);
        let row = |indicator: &str, num: i64, den: i64| DayFigure {
            hall_id,
            day,
            indicator: indicator.into(),
            num,
            den,
        };
        if done + missed > 0 {
            out.push(row("site_checks_done_rate", done, done + missed));
            out.push(row("site_checks_missed", missed, 1));
        }
    }
    Ok(out)
}

/// The span's idle shares and site checks.
pub(super) async fn count(conn: &mut AnyConnection, span: &Span<'_>) -> Result<Vec<DayFigure>> {
    let events = counter_events(conn, span).await?;
    let mut out = idle(conn, span, &events).await?;
    out.extend(site_checks(conn, span, &events).await?);
    Ok(out)
}
