//! The day's tickets with logs, ratings, and the hall event feed.

use crate::sql::rows::{self, TICKET_COLS};
use crate::sql::{SqlStore, placeholders};
use crate::*;
use crate::{EventStore, Result};
use async_trait::async_trait;
use sqlx::{AssertSqlSafe, Row};
use std::collections::HashMap;
use tokio::sync::broadcast;

#[async_trait]
impl EventStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.events.day_tickets", fields(hall = hall_id))]
    async fn day_tickets(&self, hall_id: i64, service_day: &str) -> Result<Vec<TicketWithLog>> {
        let tickets = sqlx::query(AssertSqlSafe(format!(
            "SELECT {TICKET_COLS} FROM tickets WHERE hall_id = $1 AND service_day = $2 ORDER BY id"
        )))
        .bind(hall_id)
        .bind(service_day)
        .fetch_all(&self.pool)
        .await?;
        let events = sqlx::query(AssertSqlSafe(format!(
            "SELECT e.ticket_id, {} FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
             WHERE t.hall_id = $1 AND t.service_day = $2 ORDER BY e.id",
            rows::EVENT_COLS
                .split(", ")
                .map(|c| format!("e.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        )))
        .bind(hall_id)
        .bind(service_day)
        .fetch_all(&self.pool)
        .await?;
        let mut logs: HashMap<i64, Vec<TicketEvent>> = HashMap::new();
        for r in &events {
            logs.entry(r.try_get("ticket_id")?)
                .or_default()
                .push(rows::ticket_event(r)?);
        }
        tickets
            .iter()
            .map(|r| {
                let ticket = rows::ticket(r)?;
                let log = logs.remove(&ticket.id).unwrap_or_default();
                Ok(TicketWithLog { ticket, log })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.events.hourly_arrivals", fields(hall = hall_id))]
    async fn hourly_arrivals(
        &self,
        hall_id: i64,
        service_day: &str,
        day_start: i64,
    ) -> Result<Vec<HourFigures>> {
        // PostgreSQL sums BIGINT into NUMERIC, hence the casts back.
        let rows = sqlx::query(
            "SELECT (t.issued_at - $3) / 3600000 AS hour, COUNT(*) AS arrivals,
                    COUNT(w.wait_ms) AS called, CAST(COALESCE(SUM(w.wait_ms), 0) AS BIGINT) AS wait_ms
             FROM tickets t
             LEFT JOIN (
                 SELECT e.ticket_id,
                        MIN(CASE WHEN e.state = 'called' THEN e.at END)
                          - MIN(CASE WHEN e.state = 'waiting' THEN e.at END) AS wait_ms
                 FROM ticket_events e JOIN tickets x ON x.id = e.ticket_id
                 WHERE x.hall_id = $1 AND x.service_day = $2
                 GROUP BY e.ticket_id
             ) w ON w.ticket_id = t.id
             WHERE t.hall_id = $1 AND t.service_day = $2 AND t.transferred_from IS NULL
             GROUP BY (t.issued_at - $3) / 3600000
             ORDER BY 1",
        )
        .bind(hall_id)
        .bind(service_day)
        .bind(day_start)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(HourFigures {
                    // A 25-hour day (summer time ending) folds its last hour into 23.
                    hour: r.try_get::<i64, _>("hour")?.clamp(0, 23),
                    arrivals: r.try_get("arrivals")?,
                    called: r.try_get("called")?,
                    wait_ms_sum: r.try_get("wait_ms")?,
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.events.ratings_between", fields(hall = hall_id))]
    async fn ratings_between(&self, hall_id: i64, from: i64, to: i64) -> Result<Vec<Rating>> {
        let rows = sqlx::query(
            "SELECT ticket_id, counter_id, staff_id, level, reasons, at FROM ratings WHERE hall_id = $1 AND at >= $2 AND at < $3 ORDER BY at",
        )
        .bind(hall_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::rating).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.events.events_since", fields(hall = hall_id))]
    async fn events_since(
        &self,
        hall_id: i64,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<HallEvent>> {
        let rows = sqlx::query("SELECT id, hall_id, kind, payload, at FROM hall_events WHERE hall_id = $1 AND id > $2 ORDER BY id LIMIT $3")
            .bind(hall_id)
            .bind(after_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(rows::hall_event).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.events.last_event_id", fields(hall = hall_id))]
    async fn last_event_id(&self, hall_id: i64) -> Result<i64> {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT MAX(id) FROM hall_events WHERE hall_id = $1")
                .bind(hall_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(id.unwrap_or(0))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.events.recent_events", fields(hall = hall_id))]
    async fn recent_events(
        &self,
        hall_id: i64,
        kinds: &[&str],
        limit: i64,
    ) -> Result<Vec<HallEvent>> {
        if kinds.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, hall_id, kind, payload, at FROM hall_events WHERE hall_id = $1 AND kind IN ({}) ORDER BY id DESC LIMIT ${}",
            placeholders(2, kinds.len()),
            kinds.len() + 2
        );
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(hall_id);
        for k in kinds {
            q = q.bind(*k);
        }
        let rows = q.bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(rows::hall_event).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.events.subscribe")]
    fn subscribe(&self) -> broadcast::Receiver<HallEvent> {
        self.listen();
        self.fanout.subscribe_all()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.events.subscribe_hall", fields(hall = hall_id))]
    fn subscribe_hall(&self, hall_id: i64) -> broadcast::Receiver<HallEvent> {
        self.listen();
        self.fanout.subscribe_hall(hall_id)
    }
}
