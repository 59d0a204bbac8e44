//! A ticket as the live feed carries it (`hall_events.payload`): written by every queue
//! write, the sqlx path and both issuers alike, so it is kept below all of them.

use crate::Ticket;
use serde_json::json;

/// The payload of a ticket's event (`counter_number`: the counter it went to, if any).
pub(crate) fn ticket_payload(t: &Ticket, counter_number: Option<i64>) -> serde_json::Value {
    json!({
        "ticket_id": t.id, "number": t.number, "business_type_id": t.business_type_id,
        "counter_id": t.counter_id, "counter_number": counter_number, "state": t.state,
        "priority": t.priority, "recalls": t.recalls,
    })
}
