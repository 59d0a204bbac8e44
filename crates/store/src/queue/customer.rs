//! The customer's own steps from the phone page that follows a ticket: leaving the queue
//! (取消排队, `waiting → left` by the domain's state machine) and "I'm on my way" (我在路上,
//! recorded on the ticket so the clerk does not mark a no-show too soon). The web authorises
//! both by the slip's code; here they are plain writes, logged and fanned out like a clerk's.

use super::payload::ticket_payload;
use super::tickets::{counter_number, log_event, ticket_in};
use crate::sql::SqlStore;
use crate::{Operator, Result, StoreError, Ticket};
use servicehall_domain::TicketAction;
use servicehall_domain::queue::ticket::{may_mark_on_way, transition};

/// Nobody at a counter: the customer acts on their own ticket.
const CUSTOMER: Operator = Operator {
    staff_id: None,
    counter_id: None,
};

impl SqlStore {
    pub(crate) async fn leave_queue_sql(&self, ticket_id: i64, now: i64) -> Result<Ticket> {
        let mut w = self.begin().await?;
        let t = ticket_in(&mut w, ticket_id).await?;
        let step = transition(t.state, TicketAction::Leave, 0, 0).map_err(|_| {
            StoreError::Conflict(format!(
                "号票 {} {}，不能再取消排队 · ticket {} is {} and can no longer leave the queue",
                t.number,
                t.state.label_zh(),
                t.number,
                t.state.label_en().to_lowercase()
            ))
        })?;
        let n = sqlx::query(
            "UPDATE tickets SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4",
        )
        .bind(step.to.as_str())
        .bind(now)
        .bind(t.id)
        .bind(t.state.as_str())
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::Conflict(format!(
                "号票 {} 刚被叫号，请留意大厅显示屏 · ticket {} was just called; watch the lobby display",
                t.number, t.number
            )));
        }
        let left = ticket_in(&mut w, t.id).await?;
        log_event(
            &mut w,
            &left,
            step.to,
            TicketAction::Leave.as_str(),
            CUSTOMER,
            "",
            now,
        )
        .await?;
        w.push_event(t.hall_id, "left", ticket_payload(&left, None), now)
            .await?;
        self.commit(w).await?;
        Ok(left)
    }

    pub(crate) async fn mark_on_way_sql(&self, ticket_id: i64, now: i64) -> Result<Ticket> {
        let mut w = self.begin().await?;
        let t = ticket_in(&mut w, ticket_id).await?;
        if !may_mark_on_way(t.state) {
            return Err(StoreError::Conflict(format!(
                "号票 {} {}，无需再告知在路上 · ticket {} is {}; there is no call to be on the way to",
                t.number,
                t.state.label_zh(),
                t.number,
                t.state.label_en().to_lowercase()
            )));
        }
        // Said twice, the first time stands: the clerk sees how long they have been coming.
        if t.on_way_at.is_some() {
            return Ok(t);
        }
        sqlx::query("UPDATE tickets SET on_way_at = $1 WHERE id = $2 AND on_way_at IS NULL")
            .bind(now)
            .bind(t.id)
            .execute(&mut *w.tx)
            .await?;
        let marked = ticket_in(&mut w, t.id).await?;
        log_event(&mut w, &marked, marked.state, "on_way", CUSTOMER, "", now).await?;
        let number = counter_number(&mut w, marked.counter_id).await?;
        w.push_event(t.hall_id, "on_way", ticket_payload(&marked, number), now)
            .await?;
        self.commit(w).await?;
        Ok(marked)
    }
}
