//! Today's handling times behind every wait estimate, read so that the cost does not grow
//! with the day. A ticket's handling time is fixed once it is finished or transferred (those
//! states are final), so the web keeps the closed tickets' sum and asks only for the tickets
//! closed since its last read — by ticket-event id, which no clock step can reorder — plus
//! the few tickets on hold now. Before, every refresh loaded the whole day's tickets and
//! logs: 3 s and 1.6 GB at 245k tickets.

use crate::Result;
use crate::sql::SqlStore;
use serde::Serialize;
use sqlx::{AssertSqlSafe, Row};

/// One served ticket's handling time: from each `serving` entry of its log to the entry
/// after it, summed — the rule of `servicehall_domain::queue::stats::ticket_times`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TicketHandling {
    pub ticket_id: i64,
    pub business_type_id: i64,
    pub handling_ms: i64,
}

/// What [`crate::QueueStore::day_handling`] read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DayHandling {
    /// Finished or transferred tickets with a serving spell: all of the day's, or those
    /// closed by a ticket event after the `after_event` asked for (some may have been
    /// returned before; the caller counts each ticket once).
    pub closed: Vec<TicketHandling>,
    /// Tickets on hold now (their spells so far count; they may be served again).
    pub held: Vec<TicketHandling>,
    /// The newest ticket-event id when the read began: the next `after_event`.
    pub event_watermark: i64,
}

/// Per ticket of `from` (rows `d`) meeting `filter`, the sum over its serving entries of
/// the time to the entry after it, found by one seek each on `ticket_events_ticket`.
pub(super) fn handling_sql(from: &str, filter: &str) -> String {
    format!(
        "SELECT d.id AS ticket_id, d.business_type_id AS business_type_id,
           CAST(SUM(COALESCE((SELECT n.at FROM ticket_events n
                               WHERE n.ticket_id = e.ticket_id AND n.id > e.id
                               ORDER BY n.id LIMIT 1), e.at) - e.at) AS BIGINT) AS handling_ms
         FROM {from}
         JOIN ticket_events e ON e.ticket_id = d.id AND e.state = 'serving'
         WHERE d.hall_id = $1 AND d.service_day = $2 AND {filter}
         GROUP BY d.id, d.business_type_id"
    )
}

impl SqlStore {
    pub(crate) async fn day_handling_read(
        &self,
        hall_id: i64,
        day: &str,
        after_event: Option<i64>,
    ) -> Result<DayHandling> {
        let mut tx = self.pool.begin().await?;
        let event_watermark: i64 =
            sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM ticket_events")
                .fetch_one(&mut *tx)
                .await?;
        let closed_sql = match after_event {
            None => handling_sql("tickets d", "d.state IN ('finished', 'transferred')"),
            // Starts from the events since the mark (the primary key's range), not the day:
            // a ticket has one closing event, and CROSS JOIN keeps SQLite's order so.
            Some(_) => handling_sql(
                "ticket_events f CROSS JOIN tickets d",
                "d.id = f.ticket_id AND f.id > $3 AND f.state IN ('finished', 'transferred')
                 AND d.state IN ('finished', 'transferred')",
            ),
        };
        let closed = read(&mut tx, &closed_sql, hall_id, day, after_event).await?;
        let held_sql = handling_sql("tickets d", "d.state = 'held'");
        let held = read(&mut tx, &held_sql, hall_id, day, None).await?;
        tx.commit().await?;
        Ok(DayHandling {
            closed,
            held,
            event_watermark,
        })
    }
}

pub(super) async fn read(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    sql: &str,
    hall_id: i64,
    day: &str,
    after_event: Option<i64>,
) -> Result<Vec<TicketHandling>> {
    let mut q = sqlx::query(AssertSqlSafe(sql.to_string()))
        .bind(hall_id)
        .bind(day);
    if let Some(after) = after_event {
        q = q.bind(after);
    }
    let rows = q.fetch_all(&mut **tx).await?;
    rows.iter()
        .map(|r| {
            Ok(TicketHandling {
                ticket_id: r.try_get("ticket_id")?,
                business_type_id: r.try_get("business_type_id")?,
                handling_ms: r.try_get("handling_ms")?,
            })
        })
        .collect()
}
