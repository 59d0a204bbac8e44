//! The facts of the missed-site-checks KRI, read on the KRI pass's own transaction: the
//! hall's schedule, its active clerks, the checks submitted and the counters opened over the
//! window. The count per day is the domain's (`risks::missed`), so it matches the site-check
//! list.

use crate::Result;
use servicehall_domain::inspections::schedule::{Schedule, Slot};
use servicehall_domain::risks::missed::{CheckDay, DoneCheck, missed_checks};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// Missed checks of the days given by their hall-local `[midnight, next midnight)` spans,
/// oldest first, as of `now` (today's checks still due are not missed yet).
pub(super) async fn count(
    conn: &mut AnyConnection,
    hall_id: i64,
    days: &[(i64, i64)],
    now: i64,
) -> Result<i64> {
    let (Some(&(from, _)), Some(&(_, to))) = (days.first(), days.last()) else {
        return Ok(0);
    };
    // The same reading as the site-check list's, so both count against one schedule.
    let schedule: Schedule =
        crate::inspections::schedules_sql::schedule_on(&mut *conn, hall_id).await?;
    let staff = sqlx::query("SELECT id, badge_no, role, active FROM staff WHERE hall_id = $1")
        .bind(hall_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut clerks = Vec::new();
    let mut badges = HashMap::new();
    for r in &staff {
        let id: i64 = r.try_get("id")?;
        badges.insert(r.try_get::<String, _>("badge_no")?, id);
        if r.try_get::<String, _>("role")? == "clerk" && r.try_get::<i64, _>("active")? != 0 {
            clerks.push(id);
        }
    }
    let checks: Vec<DoneCheck> = sqlx::query(
        "SELECT t.code, i.subject_staff_id, i.submitted_at
         FROM inspections i JOIN inspection_templates t ON t.id = i.template_id
         WHERE i.hall_id = $1 AND i.submitted_at >= $2 AND i.submitted_at < $3",
    )
    .bind(hall_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .filter_map(|r| {
        let code: String = r.try_get("code").ok()?;
        Some(DoneCheck {
            slot: Slot::for_code(&code)?,
            subject: r.try_get("subject_staff_id").ok()?,
            at: r.try_get("submitted_at").ok()?,
        })
    })
    .collect();
    // Counter openings: the hall's `counter` events with status open name the clerk by badge.
    let mut openings = Vec::new();
    for r in sqlx::query(
        "SELECT payload, at FROM hall_events
         WHERE hall_id = $1 AND kind = 'counter' AND at >= $2 AND at < $3",
    )
    .bind(hall_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?
    {
        let payload: String = r.try_get("payload")?;
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&payload) else {
            continue;
        };
        if v["status"] != "open" {
            continue;
        }
        if let Some(&id) = v["badge_no"].as_str().and_then(|b| badges.get(b)) {
            openings.push((id, r.try_get::<i64, _>("at")?));
        }
    }
    let mut total = 0;
    for &(start, end) in days {
        let on_day: Vec<DoneCheck> = checks
            .iter()
            .filter(|c| c.at >= start && c.at < end)
            .copied()
            .collect();
        let opened: Vec<(i64, i64)> = openings
            .iter()
            .filter(|(_, at)| *at >= start && *at < end)
            .copied()
            .collect();
        let d = CheckDay {
            schedule: &schedule,
            midnight_ms: start,
            checks: &on_day,
            openings: &opened,
            clerks: &clerks,
        };
        total += missed_checks(&d, now);
    }
    Ok(total)
}
