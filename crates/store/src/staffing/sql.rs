//! The staffing advisor on SQL: counts in the database, the arithmetic in the domain.

use crate::sql::SqlStore;
use crate::staffing::*;
use crate::{HallStore, Result, StaffingStore, StoreError};
use async_trait::async_trait;
use servicehall_domain::staffing::check_plan;
use sqlx::Row;

#[async_trait]
impl StaffingStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.staffing.arrival_history", fields(hall = hall_id))]
    async fn arrival_history(
        &self,
        hall_id: i64,
        from_day: &str,
        to_day: &str,
        utc_offset_ms: i64,
    ) -> Result<Vec<ArrivalCount>> {
        let rows = sqlx::query(
            "SELECT service_day, ((issued_at + $4) % 86400000) / 1800000 AS slot,
                    business_type_id, COUNT(*) AS arrivals
             FROM tickets
             WHERE hall_id = $1 AND service_day >= $2 AND service_day <= $3
               AND transferred_from IS NULL
             GROUP BY service_day, ((issued_at + $4) % 86400000) / 1800000, business_type_id
             ORDER BY 1, 2, 3",
        )
        .bind(hall_id)
        .bind(from_day)
        .bind(to_day)
        .bind(utc_offset_ms)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ArrivalCount {
                    service_day: r.try_get("service_day")?,
                    slot: r.try_get::<i64, _>("slot")?.clamp(0, 47),
                    business_type_id: r.try_get("business_type_id")?,
                    arrivals: r.try_get("arrivals")?,
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.staffing.handling_samples", fields(hall = hall_id))]
    async fn handling_samples(
        &self,
        hall_id: i64,
        from_day: &str,
        to_day: &str,
        limit: i64,
    ) -> Result<Vec<HandlingSample>> {
        let rows = sqlx::query(
            "SELECT t.business_type_id,
                    MAX(CASE WHEN e.state = 'finished' THEN e.at END)
                      - MIN(CASE WHEN e.state = 'called' THEN e.at END) AS handling_ms
             FROM tickets t JOIN ticket_events e ON e.ticket_id = t.id
             WHERE t.hall_id = $1 AND t.service_day >= $2 AND t.service_day <= $3
               AND t.state = 'finished'
             GROUP BY t.id, t.business_type_id
             ORDER BY t.id DESC
             LIMIT $4",
        )
        .bind(hall_id)
        .bind(from_day)
        .bind(to_day)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            if let Some(ms) = r.try_get::<Option<i64>, _>("handling_ms")?
                && ms > 0
            {
                out.push(HandlingSample {
                    business_type_id: r.try_get("business_type_id")?,
                    handling_ms: ms,
                });
            }
        }
        Ok(out)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.staffing.replay_tickets", fields(hall = hall_id))]
    async fn replay_tickets(&self, hall_id: i64, service_day: &str) -> Result<Vec<PastTicket>> {
        let rows = sqlx::query(
            "SELECT t.issued_at, t.business_type_id,
                    MIN(CASE WHEN e.state = 'called' THEN e.at END) AS called_at,
                    MAX(CASE WHEN e.state = 'finished' THEN e.at END) AS finished_at
             FROM tickets t LEFT JOIN ticket_events e ON e.ticket_id = t.id
             WHERE t.hall_id = $1 AND t.service_day = $2 AND t.transferred_from IS NULL
             GROUP BY t.id, t.issued_at, t.business_type_id
             ORDER BY t.issued_at, t.id",
        )
        .bind(hall_id)
        .bind(service_day)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PastTicket {
                    issued_at: r.try_get("issued_at")?,
                    business_type_id: r.try_get("business_type_id")?,
                    called_at: r.try_get("called_at")?,
                    finished_at: r.try_get("finished_at")?,
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.staffing.counter_plan", fields(hall = hall_id))]
    async fn counter_plan(&self, hall_id: i64, service_day: &str) -> Result<CounterPlan> {
        let rows = sqlx::query(
            "SELECT p.slot, p.counters, p.updated_at, s.name
             FROM counter_plans p LEFT JOIN staff s ON s.id = p.updated_by
             WHERE p.hall_id = $1 AND p.service_day = $2 ORDER BY p.slot",
        )
        .bind(hall_id)
        .bind(service_day)
        .fetch_all(&self.pool)
        .await?;
        let mut plan = CounterPlan {
            service_day: service_day.to_string(),
            ..CounterPlan::default()
        };
        for r in &rows {
            plan.slots.push(PlanSlot {
                slot: r.try_get("slot")?,
                counters: r.try_get("counters")?,
            });
            plan.updated_at = Some(r.try_get("updated_at")?);
            plan.updated_by_name = r.try_get("name")?;
        }
        Ok(plan)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.staffing.set_counter_plan", fields(hall = hall_id))]
    async fn set_counter_plan(
        &self,
        hall_id: i64,
        service_day: &str,
        slots: &[(usize, u32)],
        by: Option<i64>,
        now: i64,
    ) -> Result<CounterPlan> {
        check_plan(slots).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.hall(hall_id).await?;
        let mut w = self.begin().await?;
        sqlx::query("DELETE FROM counter_plans WHERE hall_id = $1 AND service_day = $2")
            .bind(hall_id)
            .bind(service_day)
            .execute(&mut *w.tx)
            .await?;
        // A slot typed twice keeps the last value.
        let slots: std::collections::BTreeMap<usize, u32> = slots.iter().copied().collect();
        for (slot, counters) in &slots {
            sqlx::query(
                "INSERT INTO counter_plans (hall_id, service_day, slot, counters, updated_by, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(hall_id)
            .bind(service_day)
            .bind(*slot as i64)
            .bind(i64::from(*counters))
            .bind(by)
            .bind(now)
            .execute(&mut *w.tx)
            .await?;
        }
        self.commit(w).await?;
        self.counter_plan(hall_id, service_day).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.staffing.planned_days", fields(hall = hall_id))]
    async fn planned_days(
        &self,
        hall_id: i64,
        from_day: &str,
        to_day: &str,
    ) -> Result<Vec<PlannedDay>> {
        let rows = sqlx::query(
            "SELECT service_day, CAST(SUM(counters) AS BIGINT) AS total, MAX(counters) AS peak
             FROM counter_plans
             WHERE hall_id = $1 AND service_day >= $2 AND service_day <= $3
             GROUP BY service_day ORDER BY service_day",
        )
        .bind(hall_id)
        .bind(from_day)
        .bind(to_day)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PlannedDay {
                    service_day: r.try_get("service_day")?,
                    counter_hours: r.try_get::<i64, _>("total")? as f64 / 2.0,
                    peak: r.try_get("peak")?,
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.staffing.counter_changes", fields(hall = hall_id))]
    async fn counter_changes(
        &self,
        hall_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<CounterChange>> {
        let rows = sqlx::query(
            "SELECT payload, at FROM hall_events
             WHERE hall_id = $1 AND kind = 'counter' AND at >= $2 AND at < $3 ORDER BY id",
        )
        .bind(hall_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let payload: String = r.try_get("payload")?;
            // The payload is written by CounterStore (counter_id, status …); a row that does
            // not parse is skipped rather than failing the whole day.
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&payload) else {
                continue;
            };
            if let (Some(id), Some(status)) = (v["counter_id"].as_i64(), v["status"].as_str()) {
                out.push(CounterChange {
                    counter_id: id,
                    status: status.to_string(),
                    at: r.try_get("at")?,
                });
            }
        }
        Ok(out)
    }
}
