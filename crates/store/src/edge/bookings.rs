//! Bookings (预约) between an edge and central (docs/edge.md). Bookings are made and cancelled
//! centrally (the public page, the phone desk); the hall's bookings of today and the coming
//! days come down with every pull, keyed by their central id. What the edge does to one —
//! check-in, the ticket it issued, no-show — goes up through the outbox onto the same central
//! booking; the edge never creates a booking centrally.
//!
//! When both sides changed a booking: the edge's check-in wins (the customer is in the hall),
//! on the edge (a later pull does not overwrite a booking the edge moved on from `booked`)
//! and centrally (a booking cancelled centrally meanwhile is checked in, its seat taken
//! again). An edge's no-show does not undo a central cancellation: the customer cancelled.

use super::values::{Body, bind, upsert_sql};
use crate::Result;
use crate::sql::WriteTx;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// The bookings that come down: the hall's, whose slot starts at most a day ago.
pub(super) const FLOW_SQL: &str =
    "SELECT * FROM appointments WHERE hall_id = $1 AND slot_start >= $2 ORDER BY id";

/// The columns the edge changes on a booking; only these go up.
pub(super) const EDGE_COLUMNS: &[&str] = &["state", "checked_in_at", "ticket_id", "on_time"];

/// The earliest slot start of the bookings that come down: a day before `now`, so today's
/// bookings come whatever the hall's time zone.
pub(super) fn window_start(now: i64) -> i64 {
    now - 86_400_000
}

/// On the edge: the bookings of a pull applied. Ticket ids become the edge's own (a ticket
/// handed over at a mid-day switch) or none; references to rows the edge may not hold
/// (the booking it replaced, the staff member who booked it) are left out. Applying a pull
/// is not an edge change, so it is not shipped back up.
pub(super) async fn apply(w: &mut WriteTx, hall_id: i64, rows: &[Body]) -> Result<()> {
    let before: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM edge_outbox")
        .fetch_one(&mut *w.tx)
        .await?;
    let handed: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
        "SELECT central_id, local_id FROM edge_handovers WHERE hall_id = $1",
    )
    .bind(hall_id)
    .fetch_all(&mut *w.tx)
    .await?
    .into_iter()
    .collect();
    for row in rows {
        let mut body = row.clone();
        let ticket = body
            .get("ticket_id")
            .and_then(Value::as_i64)
            .and_then(|c| handed.get(&c).copied());
        body.insert("ticket_id".into(), ticket.map_or(Value::Null, Value::from));
        body.insert("replaced_by".into(), Value::Null);
        body.insert("booked_by".into(), Value::Null);
        // The edge's check-in (or no-show) stands: only a booking still booked here is
        // brought up to date.
        let sql = format!(
            "{} WHERE appointments.state = 'booked'",
            upsert_sql("appointments", &["id"], &body, &[])?
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for v in body.values() {
            q = bind(q, v);
        }
        q.execute(&mut *w.tx).await?;
    }
    sqlx::query("DELETE FROM edge_outbox WHERE tbl = 'appointments' AND seq > $1")
        .bind(before)
        .execute(&mut *w.tx)
        .await?;
    Ok(())
}

/// On central: whether an edge's change to booking `body` is applied. A booking that is not
/// one of the hall's central bookings is left out (the edge never creates one centrally);
/// an edge's no-show or undone check-in leaves a central cancellation as it is; a check-in
/// of a booking central cancelled meanwhile takes its seat again (once, `reseated`) and
/// cancels the booking that replaced it, if still booked: the customer came for this one.
pub(super) async fn admit(
    w: &mut WriteTx,
    hall_id: i64,
    body: &Body,
    reseated: &mut HashSet<i64>,
    now: i64,
) -> Result<bool> {
    let Some(id) = body.get("id").and_then(Value::as_i64) else {
        return Ok(false);
    };
    let central: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT state, replaced_by FROM appointments WHERE id = $1 AND hall_id = $2",
    )
    .bind(id)
    .bind(hall_id)
    .fetch_optional(&mut *w.tx)
    .await?;
    let Some((state, replaced_by)) = central else {
        tracing::warn!(
            hall_id,
            id,
            "现场节点改动的预约在中心不存在，已略过 · an edge's change to a booking central does not hold; left out"
        );
        return Ok(false);
    };
    let checked_in = body.get("state").and_then(Value::as_str) == Some("checked_in");
    if state != "cancelled" {
        return Ok(true);
    }
    if !checked_in {
        return Ok(false);
    }
    if reseated.insert(id) {
        seat(w, id, 1).await?;
        if let Some(r) = replaced_by {
            let n = sqlx::query(
                "UPDATE appointments SET state = 'cancelled', cancelled_at = $1 \
                 WHERE id = $2 AND state = 'booked'",
            )
            .bind(now)
            .bind(r)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            if n > 0 {
                seat(w, r, -1).await?;
            }
        }
    }
    Ok(true)
}

/// Takes (`by` 1) or frees (`by` -1) the seat of booking `id` in its slot.
async fn seat(w: &mut WriteTx, id: i64, by: i64) -> Result<()> {
    sqlx::query(
        "UPDATE appointment_slots SET booked = booked + $1 WHERE booked + $1 >= 0 AND \
         (hall_id, business_type_id, service_day, slot) IN \
         (SELECT hall_id, business_type_id, service_day, slot FROM appointments WHERE id = $2)",
    )
    .bind(by)
    .bind(id)
    .execute(&mut *w.tx)
    .await?;
    Ok(())
}

/// On central: the admitted changes written onto the central bookings (after the batch's
/// tickets, which they may name), in the edge's order. An update, never an insert.
pub(super) async fn update(w: &mut WriteTx, hall_id: i64, rows: &[Body]) -> Result<()> {
    for b in rows {
        sqlx::query(
            "UPDATE appointments SET state = $1, checked_in_at = $2, ticket_id = $3, \
             on_time = $4 WHERE id = $5 AND hall_id = $6",
        )
        .bind(b.get("state").and_then(Value::as_str).unwrap_or("booked"))
        .bind(b.get("checked_in_at").and_then(Value::as_i64))
        .bind(b.get("ticket_id").and_then(Value::as_i64))
        .bind(b.get("on_time").and_then(Value::as_i64).unwrap_or(0))
        .bind(b.get("id").and_then(Value::as_i64))
        .bind(hall_id)
        .execute(&mut *w.tx)
        .await?;
    }
    Ok(())
}
