//! Counting KRIs from what operations record, per hall-local day over the KRI's rolling
//! window: case clocks that reached their deadline (`case_warnings` at the supervisor level,
//! the breach), complaint cases, bad pad ratings, repeat trips, tickets first called after
//! the wait target, no-shows and anti-gaming flags; missed site checks day by day from the
//! schedule (`missed.rs`).

use crate::risks::Kri;
use crate::{Result, StoreError};
use chrono::{Days, NaiveDate, NaiveTime};
use servicehall_domain::risks::kri::Measure;
use servicehall_domain::time::{at_local, parse_tz, service_day};
use sqlx::{AnyConnection, AssertSqlSafe};

/// The hall-local day of `now`.
pub(super) async fn hall_today(
    conn: &mut AnyConnection,
    hall_id: i64,
    now: i64,
) -> Result<NaiveDate> {
    let tz: String = sqlx::query_scalar("SELECT timezone FROM halls WHERE id = $1")
        .bind(hall_id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| StoreError::not_found("hall", hall_id))?;
    let tz = parse_tz(&tz).map_err(StoreError::Invalid)?;
    Ok(service_day(now, tz))
}

/// The query counting one measure in `[$2, $3)` for hall `$1` (waits: `$4`, the target in ms).
fn query(m: Measure) -> &'static str {
    match m {
        // The breach is the warning addressed to the supervisors (warn_at: 100%).
        Measure::DeadlineBreaches => {
            "SELECT COUNT(*) FROM case_warnings WHERE hall_id = $1 AND level = 'supervisor' AND at >= $2 AND at < $3"
        }
        Measure::Complaints => {
            "SELECT COUNT(*) FROM cases WHERE hall_id = $1 AND kind = 'complaint' AND created_at >= $2 AND created_at < $3"
        }
        Measure::BadRatings => {
            "SELECT COUNT(*) FROM ratings WHERE hall_id = $1 AND level <= 2 AND at >= $2 AND at < $3"
        }
        Measure::RepeatTrips => {
            "SELECT COUNT(*) FROM customer_visits WHERE hall_id = $1 AND repeat_of IS NOT NULL AND at >= $2 AND at < $3"
        }
        Measure::LongWaits => {
            "SELECT COUNT(*) FROM tickets t WHERE t.hall_id = $1 AND t.issued_at >= $2 AND t.issued_at < $3 \
             AND (SELECT MIN(e.at) FROM ticket_events e WHERE e.ticket_id = t.id AND e.action = 'call') - t.issued_at > $4"
        }
        Measure::NoShows => {
            "SELECT COUNT(*) FROM tickets WHERE hall_id = $1 AND state = 'no_show' AND updated_at >= $2 AND updated_at < $3"
        }
        Measure::GamingFlags => {
            "SELECT COUNT(*) FROM gaming_flags WHERE hall_id = $1 AND first_seen_at >= $2 AND first_seen_at < $3"
        }
        // Counted in Rust from the schedule's states (`missed.rs`), not by one query.
        Measure::MissedChecks => "SELECT 0",
    }
}

/// The KRI's value on `day` as of `now`: its measure counted over the window ending that day.
pub(super) async fn count(
    conn: &mut AnyConnection,
    k: &Kri,
    day: NaiveDate,
    now: i64,
) -> Result<i64> {
    let tz: String = sqlx::query_scalar("SELECT timezone FROM halls WHERE id = $1")
        .bind(k.hall_id)
        .fetch_one(&mut *conn)
        .await?;
    let tz = parse_tz(&tz).map_err(StoreError::Invalid)?;
    let first = day
        .checked_sub_days(Days::new(u64::from(k.thresholds.window_days.max(1)) - 1))
        .unwrap_or(day);
    let end = day.checked_add_days(Days::new(1)).unwrap_or(day);
    let from = at_local(first, NaiveTime::MIN, tz);
    let to = at_local(end, NaiveTime::MIN, tz);
    if k.measure == Measure::MissedChecks {
        let spans: Vec<(i64, i64)> = first
            .iter_days()
            .take_while(|d| *d <= day)
            .map(|d| {
                let next = d.checked_add_days(Days::new(1)).unwrap_or(d);
                (
                    at_local(d, NaiveTime::MIN, tz),
                    at_local(next, NaiveTime::MIN, tz),
                )
            })
            .collect();
        return super::missed::count(conn, k.hall_id, &spans, now).await;
    }
    let mut q = sqlx::query_scalar(AssertSqlSafe(query(k.measure)))
        .bind(k.hall_id)
        .bind(from)
        .bind(to);
    if k.measure == Measure::LongWaits {
        q = q.bind(k.target_minutes * 60_000);
    }
    let n: i64 = q.fetch_one(conn).await?;
    Ok(n)
}
