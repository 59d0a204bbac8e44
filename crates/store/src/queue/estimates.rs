//! The wait estimate given with each new ticket, kept for its accuracy (issue 14).
//!
//! Both issuing paths (the SQLite issuer and sqlx) work the estimate out from the placement
//! they read inside the issuing transaction, with the handling times the caller passed
//! (`IssueTicket::handling_ms`), by `Placement::estimate_s` (`domain::queue::estimate`) —
//! the figure the slip then shows — and insert it into `ticket_estimates` in that same
//! transaction (`INSERT_ESTIMATE` in issue/statements.rs). This file reads them back.

use crate::sql::SqlStore;
use crate::{Result, TicketEstimate};
use sqlx::Row;

/// The estimates of a hall's service days with each ticket's first call (`call`; a recall is
/// not a first call). Binds: hall, first day, last day.
const ESTIMATES: &str = "SELECT t.id, t.business_type_id, t.service_day, t.issued_at, e.estimated_wait_s,
        (SELECT MIN(l.at) FROM ticket_events l WHERE l.ticket_id = t.id AND l.action = 'call') AS called_at
     FROM tickets t JOIN ticket_estimates e ON e.ticket_id = t.id
     WHERE t.hall_id = $1 AND t.service_day >= $2 AND t.service_day <= $3
     ORDER BY t.id";

impl SqlStore {
    pub(crate) async fn estimates_between(
        &self,
        hall_id: i64,
        from_day: &str,
        to_day: &str,
    ) -> Result<Vec<TicketEstimate>> {
        let rows = sqlx::query(ESTIMATES)
            .bind(hall_id)
            .bind(from_day)
            .bind(to_day)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(TicketEstimate {
                    ticket_id: r.try_get(0)?,
                    business_type_id: r.try_get(1)?,
                    service_day: r.try_get(2)?,
                    issued_at: r.try_get(3)?,
                    estimated_wait_s: r.try_get(4)?,
                    called_at: r.try_get(5)?,
                })
            })
            .collect()
    }
}
