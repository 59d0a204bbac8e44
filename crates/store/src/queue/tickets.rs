//! Shared steps of the queue's writes: reading a ticket inside a transaction, its log
//! rows (the live payload is payload.rs), and closing yesterday's waiting tickets once a day.

use crate::sql::rows::{self, TICKET_COLS};
use crate::sql::{SqlStore, WriteTx};
use crate::*;
use servicehall_domain::TicketState;
use sqlx::AssertSqlSafe;

pub(crate) async fn ticket_in(w: &mut WriteTx, id: i64) -> Result<Ticket> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {TICKET_COLS} FROM tickets WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *w.tx)
    .await?
    .ok_or_else(|| StoreError::not_found("ticket", id))?;
    rows::ticket(&row)
}

pub(crate) async fn log_event(
    w: &mut WriteTx,
    t: &Ticket,
    state: TicketState,
    action: &str,
    by: Operator,
    note: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(crate::queue::issue::statements::LOG_EVENT)
        .bind(t.id)
        .bind(state.as_str())
        .bind(action)
        .bind(now)
        .bind(by.counter_id.or(t.counter_id))
        .bind(by.staff_id.or(t.staff_id))
        .bind(note)
        .execute(&mut *w.tx)
        .await?;
    Ok(())
}

/// Tickets still waiting from an earlier hall-local day are closed as no-shows (营业结束未叫)
/// before the new day's queue is touched: numbers restart daily, so yesterday's A001 must
/// not wait beside today's. Each expiry is logged like any other transition.
async fn expire_stale(w: &mut WriteTx, hall_id: i64, day: &str, now: i64) -> Result<()> {
    for sql in [
        crate::queue::issue::statements::EXPIRE_LOG,
        crate::queue::issue::statements::EXPIRE,
    ] {
        sqlx::query(sql)
            .bind(hall_id)
            .bind(day)
            .bind(now)
            .execute(&mut *w.tx)
            .await?;
    }
    sqlx::query(crate::queue::issue::statements::PRUNE_DEPTH)
        .bind(hall_id)
        .bind(day)
        .execute(&mut *w.tx)
        .await?;
    Ok(())
}

/// The counter a ticket is at, as the feed names it.
pub(crate) async fn counter_number(
    w: &mut WriteTx,
    counter_id: Option<i64>,
) -> Result<Option<i64>> {
    match counter_id {
        Some(id) => Ok(
            sqlx::query_scalar("SELECT number FROM counters WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *w.tx)
                .await?,
        ),
        None => Ok(None),
    }
}

impl SqlStore {
    /// Runs [`expire_stale`] the first time this process touches a hall's queue on a new
    /// day (it is idempotent, so several nodes each doing it once is fine).
    pub(crate) async fn expire_once(
        &self,
        w: &mut WriteTx,
        hall_id: i64,
        day: &str,
        now: i64,
    ) -> Result<()> {
        let done = self
            .expired_through
            .lock()
            .map(|m| m.get(&hall_id).is_some_and(|d| d.as_str() >= day))
            .unwrap_or(false);
        if !done {
            expire_stale(w, hall_id, day, now).await?;
            // Remembered only once the transaction commits (see `commit`).
            w.expired = Some((hall_id, day.to_string()));
        }
        Ok(())
    }
}
