//! The kept handling sums: per hall, service day and business type, the closed tickets'
//! handling time summed and counted, with the newest ticket event counted (`event_mark`).
//! A finish or transfer adds its ticket in the same transaction as its closing event, so
//! the rows are always current and the wait estimates' first read of a day reads a few
//! rows plus the tickets on hold, not every ticket of the day (19.4 s at 500k tickets).
//! `rebuild_handling_sums` sums a day again from the tickets (the same rule as
//! [`crate::QueueStore::day_handling`]) for data written around the store.

use super::handling::handling_sql;
use crate::sql::{SqlStore, WriteTx};
use crate::{Result, Ticket};
use serde::Serialize;
use sqlx::{AssertSqlSafe, Row};

/// One kept row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HandlingSum {
    pub business_type_id: i64,
    /// Closed tickets' handling time, summed.
    pub total_ms: i64,
    /// Closed tickets with a serving spell.
    pub visits: i64,
    /// The newest ticket event counted in the row.
    pub event_mark: i64,
}

/// What [`crate::QueueStore::kept_handling`] read: the day's kept sums and the tickets on
/// hold now (their spells so far count; they may be served again).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KeptHandling {
    pub sums: Vec<HandlingSum>,
    pub held: Vec<super::TicketHandling>,
}

const ADD: &str = "INSERT INTO handling_sums (hall_id, service_day, business_type_id, total_ms, visits, event_mark)
     VALUES ($1, $2, $3, $4, 1, $5)
     ON CONFLICT (hall_id, service_day, business_type_id) DO UPDATE SET
       total_ms = handling_sums.total_ms + excluded.total_ms,
       visits = handling_sums.visits + 1,
       event_mark = CASE WHEN excluded.event_mark > handling_sums.event_mark
                         THEN excluded.event_mark ELSE handling_sums.event_mark END";

/// Adds `t` (just finished or transferred, its closing event logged) to its day's row,
/// inside the closing write. A ticket never served has no handling time and adds nothing.
pub(crate) async fn keep(w: &mut WriteTx, t: &Ticket) -> Result<()> {
    let row = sqlx::query(AssertSqlSafe(handling_sql("tickets d", "d.id = $3")))
        .bind(t.hall_id)
        .bind(&t.service_day)
        .bind(t.id)
        .fetch_optional(&mut *w.tx)
        .await?;
    let Some(row) = row else {
        return Ok(());
    };
    // As `HandlingSample::add` counts it: a clock stepped back gives no negative time.
    let handling_ms = row.try_get::<i64, _>("handling_ms")?.max(0);
    let mark: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM ticket_events WHERE ticket_id = $1",
    )
    .bind(t.id)
    .fetch_one(&mut *w.tx)
    .await?;
    sqlx::query(ADD)
        .bind(t.hall_id)
        .bind(&t.service_day)
        .bind(t.business_type_id)
        .bind(handling_ms)
        .bind(mark)
        .execute(&mut *w.tx)
        .await?;
    Ok(())
}

impl SqlStore {
    pub(crate) async fn kept_handling_read(&self, hall_id: i64, day: &str) -> Result<KeptHandling> {
        // One read transaction: on SQLite a snapshot, so a ticket leaving hold for a finish
        // meanwhile is counted once.
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query(
            "SELECT business_type_id, total_ms, visits, event_mark FROM handling_sums
             WHERE hall_id = $1 AND service_day = $2 ORDER BY business_type_id",
        )
        .bind(hall_id)
        .bind(day)
        .fetch_all(&mut *tx)
        .await?;
        let sums = rows
            .iter()
            .map(|r| {
                Ok(HandlingSum {
                    business_type_id: r.try_get("business_type_id")?,
                    total_ms: r.try_get("total_ms")?,
                    visits: r.try_get("visits")?,
                    event_mark: r.try_get("event_mark")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let held_sql = handling_sql("tickets d", "d.state = 'held'");
        let held = super::handling::read(&mut tx, &held_sql, hall_id, day, None).await?;
        tx.commit().await?;
        Ok(KeptHandling { sums, held })
    }

    /// Sums the hall's `day` again from its tickets and replaces the kept rows, under the
    /// writer lock (no finish can fall between the read and the write).
    pub(crate) async fn rebuild_handling_sums_sql(&self, hall_id: i64, day: &str) -> Result<()> {
        let mut w = self.begin().await?;
        sqlx::query("DELETE FROM handling_sums WHERE hall_id = $1 AND service_day = $2")
            .bind(hall_id)
            .bind(day)
            .execute(&mut *w.tx)
            .await?;
        let per_ticket = handling_sql("tickets d", "d.state IN ('finished', 'transferred')");
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO handling_sums (hall_id, service_day, business_type_id, total_ms, visits, event_mark)
             SELECT $1, $2, h.business_type_id, CAST(SUM(CASE WHEN h.handling_ms > 0 THEN h.handling_ms ELSE 0 END) AS BIGINT), COUNT(*),
                    (SELECT CAST(COALESCE(MAX(m.id), 0) AS BIGINT) FROM ticket_events m)
             FROM ({per_ticket}) h GROUP BY h.business_type_id"
        )))
        .bind(hall_id)
        .bind(day)
        .execute(&mut *w.tx)
        .await?;
        self.commit(w).await
    }
}
