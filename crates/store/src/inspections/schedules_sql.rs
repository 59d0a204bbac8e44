//! The schedule and its facts on SQL. The schedule is one JSON row per hall, audited field
//! by field in `settings_audit`; counter openings come from the hall's `counter` events.

use super::schedules::{CheckItemResult, CounterOpening, InspectionScheduleStore, SubmittedCheck};
use crate::sql::SqlStore;
use crate::{HallStore, Result, SettingChange, StoreError};
use async_trait::async_trait;
use servicehall_domain::inspections::Outcome;
use servicehall_domain::inspections::schedule::{Schedule, Slot};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("inspection_schedules.body: {e}").into(),
    ))
}

pub(crate) async fn schedule_on(conn: &mut AnyConnection, hall_id: i64) -> Result<Schedule> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT body FROM inspection_schedules WHERE hall_id = $1")
            .bind(hall_id)
            .fetch_optional(&mut *conn)
            .await?;
    match stored {
        Some(json) => serde_json::from_str(&json).map_err(corrupt),
        None => Ok(Schedule::default()),
    }
}

/// The schedule field by field as the audit names them (`pre_shift_mode`, `midday` …).
fn fields(s: &Schedule) -> Vec<(String, String)> {
    let mut out = vec![(
        "pre_shift_mode".to_string(),
        s.pre_shift_mode.as_str().to_string(),
    )];
    for slot in Slot::ALL {
        out.push((slot.as_str().to_string(), s.window(slot).label()));
    }
    out.push(("grace_min".to_string(), s.grace_min.to_string()));
    out.push((
        "rect_critical_days".to_string(),
        s.rect_critical_days.to_string(),
    ));
    out.push(("rect_other_days".to_string(), s.rect_other_days.to_string()));
    out
}

#[async_trait]
impl InspectionScheduleStore for SqlStore {
    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.inspections.inspection_schedule"
    )]
    async fn inspection_schedule(&self, hall_id: i64) -> Result<Schedule> {
        let mut conn = self.pool.acquire().await?;
        schedule_on(&mut conn, hall_id).await
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.inspections.change_inspection_schedule"
    )]
    async fn change_inspection_schedule(
        &self,
        hall_id: i64,
        schedule: &Schedule,
        by: Option<i64>,
        now: i64,
    ) -> Result<Vec<SettingChange>> {
        schedule.validate().map_err(StoreError::Invalid)?;
        self.hall(hall_id).await?;
        let json = serde_json::to_string(schedule).map_err(corrupt)?;
        let mut w = self.begin().await?;
        let old = fields(&schedule_on(&mut w.tx, hall_id).await?);
        sqlx::query(
            "INSERT INTO inspection_schedules (hall_id, body, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (hall_id) DO UPDATE SET body = $2, updated_at = $3",
        )
        .bind(hall_id)
        .bind(json)
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
        let changes = fields(schedule)
            .into_iter()
            .zip(old)
            .filter(|((_, new), (_, before))| new != before)
            .map(|((k, new), (_, before))| (k, before, new))
            .collect();
        let out = self
            .audit(&mut w.tx, Some(hall_id), changes, by, now)
            .await?;
        self.commit(w).await?;
        Ok(out)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.inspections.submitted_checks")]
    async fn submitted_checks(
        &self,
        hall_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<SubmittedCheck>> {
        let rows = sqlx::query(
            "SELECT i.id, i.hall_id, i.template_id, t.code, i.subject_staff_id, i.submitted_at,
                    i.score_tenths, i.passed
             FROM inspections i JOIN inspection_templates t ON t.id = i.template_id
             WHERE i.hall_id = $1 AND i.submitted_at >= $2 AND i.submitted_at < $3
             ORDER BY i.submitted_at, i.id",
        )
        .bind(hall_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SubmittedCheck {
                    id: r.try_get("id")?,
                    hall_id: r.try_get("hall_id")?,
                    template_id: r.try_get("template_id")?,
                    template_code: r.try_get("code")?,
                    subject_staff_id: r.try_get("subject_staff_id")?,
                    submitted_at: r.try_get("submitted_at")?,
                    score_tenths: r.try_get::<Option<i64>, _>("score_tenths")?.unwrap_or(0),
                    passed: r.try_get::<Option<i64>, _>("passed")?.unwrap_or(0) != 0,
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.inspections.counter_openings")]
    async fn counter_openings(
        &self,
        hall_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<CounterOpening>> {
        // The event names the clerk by badge, which is unique within the hall.
        let badges: HashMap<String, i64> =
            sqlx::query("SELECT id, badge_no FROM staff WHERE hall_id = $1")
                .bind(hall_id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| Ok((r.try_get("badge_no")?, r.try_get("id")?)))
                .collect::<Result<_>>()?;
        let rows = sqlx::query(
            "SELECT payload, at FROM hall_events
             WHERE hall_id = $1 AND kind = 'counter' AND at >= $2 AND at < $3 ORDER BY id",
        )
        .bind(hall_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let payload: String = r.try_get("payload")?;
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&payload) else {
                continue;
            };
            if v["status"] != "open" {
                continue;
            }
            if let Some(&staff_id) = v["badge_no"].as_str().and_then(|b| badges.get(b)) {
                out.push(CounterOpening {
                    staff_id,
                    at: r.try_get("at")?,
                });
            }
        }
        Ok(out)
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.inspections.check_item_results"
    )]
    async fn check_item_results(
        &self,
        hall_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<CheckItemResult>> {
        let rows = sqlx::query(
            "SELECT r.inspection_id, i.template_id, r.item_key, r.outcome, i.submitted_at
             FROM inspection_results r JOIN inspections i ON i.id = r.inspection_id
             WHERE i.hall_id = $1 AND i.submitted_at >= $2 AND i.submitted_at < $3
             ORDER BY i.submitted_at, r.inspection_id, r.item_key",
        )
        .bind(hall_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let outcome: String = r.try_get("outcome")?;
                Ok(CheckItemResult {
                    inspection_id: r.try_get("inspection_id")?,
                    template_id: r.try_get("template_id")?,
                    item_key: r.try_get("item_key")?,
                    outcome: Outcome::parse(&outcome)
                        .ok_or_else(|| corrupt(format!("outcome {outcome:?}")))?,
                    submitted_at: r.try_get("submitted_at")?,
                })
            })
            .collect()
    }
}
