//! "N ahead" with the on-time bookings in it. The queue store counts in plain order (green
//! first, then FIFO) from its depth index; a booking checked in on time is called before
//! the walk-ins of its tier (`domain::queue::policy::rank_for_counter`), so the number a
//! slip, the ticket's page and the "few ahead" notice show is corrected here with the day's
//! few booked tickets. Without any waiting booking of the type it costs one indexed read.

use crate::AppState;
use crate::error::ApiResult;
use servicehall_domain::Priority;
use servicehall_domain::queue::policy::{WaitingTicket, ahead_of, walk_in_ahead};
use servicehall_store::{Hall, Ticket};

fn waiting(t: &Ticket, booked: bool) -> WaitingTicket {
    WaitingTicket {
        id: t.id,
        business_type_id: t.business_type_id,
        green: t.priority == Priority::Green,
        queued_since_ms: t.queued_since,
        target_counter_id: t.target_counter_id,
        booked,
    }
}

/// The people ahead of waiting ticket `t`, from the store's plain count `fifo_ahead`.
pub(crate) async fn ahead_with_bookings(
    s: &AppState,
    hall: &Hall,
    t: &Ticket,
    fifo_ahead: i64,
) -> ApiResult<i64> {
    let booked = s
        .store
        .booked_waiting(hall.id, t.business_type_id, &t.service_day)
        .await?;
    if booked.is_empty() {
        return Ok(fifo_ahead);
    }
    let policy = &hall.policy;
    if booked.iter().any(|b| b.id == t.id) {
        // A booked ticket passes the walk-ins of its tier: count it exactly (bookings are
        // few, so this longer read is rare).
        let all: Vec<WaitingTicket> = s
            .store
            .waiting(hall.id)
            .await?
            .iter()
            .filter(|w| w.business_type_id == t.business_type_id)
            .map(|w| waiting(w, booked.iter().any(|b| b.id == w.id)))
            .collect();
        return Ok(ahead_of(policy, &waiting(t, true), &all) as i64);
    }
    let fifo = usize::try_from(fifo_ahead).unwrap_or(0);
    Ok(walk_in_ahead(policy, &waiting(t, false), fifo, &booked) as i64)
}
