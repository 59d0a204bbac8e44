//! Counting KRIs from what operations record, per hall-local day over the KRI's rolling
//! window: case clocks that reached their deadline (`case_warnings` at the supervisor level,
//! the breach), complaint cases, bad pad ratings, repeat trips, tickets first called after
//! the wait target, no-shows and anti-gaming flags; missed site checks day by day from the
//! schedule (`missed.rs`). Saving KRIs, their history, and the daily refresh that raises
//! reviews and notices.

use super::rows::{KRI_SELECT, day, kri_row, load_risk};
use super::write::{invalid, log_change};
use crate::risks::{Kri, KriInput, KriPoint, RiskNotice};
use crate::sql::SqlStore;
use crate::{Result, StoreError};
use chrono::{Days, NaiveDate, NaiveTime};
use servicehall_domain::risks::kri::{Measure, crossed};
use servicehall_domain::time::{at_local, parse_tz, service_day};
use sqlx::{AnyConnection, AssertSqlSafe, Row};

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

/// Saves a KRI on a hall risk (one per risk and measure).
pub(super) async fn save(s: &SqlStore, hall_id: i64, input: &KriInput) -> Result<Kri> {
    input.thresholds.validate().map_err(invalid)?;
    if !(1..=240).contains(&input.target_minutes) {
        return Err(StoreError::Invalid(
            "等候目标须为 1–240 分钟 · the wait target must be 1–240 minutes".into(),
        ));
    }
    let mut w = s.begin().await?;
    let risk = load_risk(&mut w.tx, input.risk_id).await?;
    if risk.hall_id != Some(hall_id) {
        return Err(StoreError::not_found("risk", input.risk_id));
    }
    let t = input.thresholds;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO kris (hall_id, risk_id, measure, amber, red, direction, window_days, target_minutes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (risk_id, measure) DO UPDATE SET \
         amber = excluded.amber, red = excluded.red, direction = excluded.direction, \
         window_days = excluded.window_days, target_minutes = excluded.target_minutes RETURNING id",
    )
    .bind(hall_id)
    .bind(input.risk_id)
    .bind(input.measure.as_str())
    .bind(t.amber)
    .bind(t.red)
    .bind(t.direction.as_str())
    .bind(i64::from(t.window_days))
    .bind(input.target_minutes)
    .fetch_one(&mut *w.tx)
    .await?;
    let row = sqlx::query(AssertSqlSafe(format!("{KRI_SELECT} WHERE k.id = $1")))
        .bind(id)
        .fetch_one(&mut *w.tx)
        .await?;
    let k = kri_row(&row)?;
    s.commit(w).await?;
    Ok(k)
}

/// A KRI's daily values over the last `days` days up to today.
pub(super) async fn history(
    s: &SqlStore,
    kri_id: i64,
    days: u32,
    now: i64,
) -> Result<Vec<KriPoint>> {
    let mut conn = s.pool.acquire().await?;
    let hall: i64 = sqlx::query_scalar("SELECT hall_id FROM kris WHERE id = $1")
        .bind(kri_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("KRI", kri_id))?;
    let today = hall_today(&mut conn, hall, now).await?;
    let from = today
        .checked_sub_days(Days::new(u64::from(days.saturating_sub(1))))
        .unwrap_or(today);
    let rows = sqlx::query(
        "SELECT day, value FROM kri_values WHERE kri_id = $1 AND day >= $2 AND day <= $3 ORDER BY day",
    )
    .bind(kri_id)
    .bind(from.to_string())
    .bind(today.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(KriPoint {
                day: day(&r.try_get::<String, _>("day")?)?,
                value: r.try_get("value")?,
            })
        })
        .collect()
}

/// Recounts every KRI (of one hall, or all) for today; a KRI crossing into amber or red
/// raises its risk's review and leaves a notice for the owner.
pub(super) async fn refresh(
    s: &SqlStore,
    hall_id: Option<i64>,
    now: i64,
) -> Result<Vec<RiskNotice>> {
    let mut w = s.begin().await?;
    let rows = sqlx::query(AssertSqlSafe(format!(
        "{KRI_SELECT} WHERE $1 < 0 OR k.hall_id = $1 ORDER BY k.id"
    )))
    .bind(hall_id.unwrap_or(-1))
    .fetch_all(&mut *w.tx)
    .await?;
    let kris = rows.iter().map(kri_row).collect::<Result<Vec<_>>>()?;
    let mut notices = Vec::new();
    for k in kris {
        let today = hall_today(&mut w.tx, k.hall_id, now).await?;
        let value = count(&mut w.tx, &k, today, now).await?;
        let state = k.thresholds.state(value);
        sqlx::query(
            "INSERT INTO kri_values (kri_id, day, value) VALUES ($1, $2, $3) \
             ON CONFLICT (kri_id, day) DO UPDATE SET value = excluded.value",
        )
        .bind(k.id)
        .bind(today.to_string())
        .bind(value)
        .execute(&mut *w.tx)
        .await?;
        // Only the latest day moves the KRI's state (a recount of a past day does not).
        if k.day.is_some_and(|d| d > today) {
            continue;
        }
        sqlx::query("UPDATE kris SET value = $1, state = $2, day = $3 WHERE id = $4")
            .bind(value)
            .bind(state.as_str())
            .bind(today.to_string())
            .bind(k.id)
            .execute(&mut *w.tx)
            .await?;
        if !crossed(k.state, state) {
            continue;
        }
        let risk = load_risk(&mut w.tx, k.risk_id).await?;
        let reason = format!(
            "{}{} {} · KRI {} {} at {}",
            k.measure.label_zh(),
            state.label_zh(),
            value,
            k.measure.label_en(),
            state.label_en(),
            value
        );
        sqlx::query("UPDATE risks SET next_review = $1, review_reason = $2 WHERE id = $3")
            .bind(today.min(risk.next_review).to_string())
            .bind(&reason)
            .bind(risk.id)
            .execute(&mut *w.tx)
            .await?;
        let residual = u32::from(risk.residual.likelihood) * u32::from(risk.residual.impact);
        log_change(
            &mut w.tx,
            risk.id,
            now,
            None,
            &format!("触发复核 review raised：{reason}"),
            residual,
        )
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO risk_notices (hall_id, risk_id, kri_id, owner_id, state, value, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(k.hall_id)
        .bind(risk.id)
        .bind(k.id)
        .bind(risk.owner_id)
        .bind(state.as_str())
        .bind(value)
        .bind(now)
        .fetch_one(&mut *w.tx)
        .await?;
        notices.push(RiskNotice {
            id,
            hall_id: k.hall_id,
            risk_id: risk.id,
            risk_code: risk.code.clone(),
            risk_title: risk.title.clone(),
            owner_id: risk.owner_id,
            kri_id: k.id,
            measure: k.measure,
            state,
            value,
            at: now,
            seen_at: None,
        });
    }
    s.commit(w).await?;
    Ok(notices)
}
