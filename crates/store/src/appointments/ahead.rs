//! The on-time bookings still waiting in a queue: the few tickets a walk-in's "N ahead"
//! must add, since they are called before it though they came later.

use crate::Result;
use crate::sql::SqlStore;
use servicehall_domain::queue::policy::WaitingTicket;

impl SqlStore {
    pub(crate) async fn booked_waiting_sql(
        &self,
        hall_id: i64,
        business_type_id: i64,
        service_day: &str,
    ) -> Result<Vec<WaitingTicket>> {
        // From the day's bookings (indexed by hall and day), then their tickets by id: a
        // handful of rows, never the whole queue.
        let rows: Vec<(i64, i64, String, Option<i64>)> = sqlx::query_as(
            "SELECT t.id, t.queued_since, t.priority, t.target_counter_id
             FROM appointments a JOIN tickets t ON t.id = a.ticket_id
             WHERE a.hall_id = $1 AND a.service_day = $2 AND a.business_type_id = $3
               AND a.on_time = 1 AND t.state = 'waiting'
             ORDER BY t.queued_since, t.id",
        )
        .bind(hall_id)
        .bind(service_day)
        .bind(business_type_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, since, priority, target)| WaitingTicket {
                id,
                business_type_id,
                green: priority == "green",
                queued_since_ms: since,
                target_counter_id: target,
                booked: true,
            })
            .collect())
    }
}
