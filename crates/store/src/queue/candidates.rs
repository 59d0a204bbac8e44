//! The few waiting tickets call-next has to rank, read by index instead of the whole queue.
//!
//! `rank_for_counter` orders by (tier, booked first, queued since, id), and within one
//! business type, one priority and no named counter the tier can only rise with age (a
//! ticket becomes overdue by waiting longer; green and primary/secondary are the same for
//! all of them). So among the walk-ins of each such group the oldest ranks at least as high
//! as the rest, and the best ticket of the whole queue is among: the oldest of each (type,
//! priority) the counter serves, the tickets transferred to this counter by name, and
//! today's bookings checked in on time (few; they go ahead of walk-ins in their tier). With
//! `per_group` = k the first k of the ranking are among these with k per group.
//!
//! Each group is one seek on `tickets_queue` (hall, day, state, type, priority, queued since,
//! id); the named ones come from the partial index `tickets_targeted`. A call costs the
//! same at 50 or 500,000 waiting.

use crate::Result;
use crate::sql::WriteTx;
use servicehall_domain::{CounterCapability, Priority, WaitingTicket};
use sqlx::{AssertSqlSafe, Row};

const PRIORITIES: [Priority; 2] = [Priority::Normal, Priority::Green];

/// The SQL reading the candidates for the business types `types`, `per_group` per group.
/// Binds: $1 hall id, $2 service day, $3 counter id. Type ids and the limit are integers
/// written into the text (a list cannot be bound portably on both databases).
fn candidates_sql(types: &[i64], per_group: u32) -> String {
    let mut parts: Vec<String> = types
        .iter()
        .flat_map(|bt| PRIORITIES.iter().map(move |p| (*bt, p.as_str())))
        .enumerate()
        .map(|(i, (bt, p))| {
            format!(
                "SELECT id FROM (SELECT id FROM tickets
                   WHERE hall_id = $1 AND service_day = $2 AND state = 'waiting'
                     AND business_type_id = {bt} AND priority = '{p}' AND target_counter_id IS NULL
                   ORDER BY queued_since, id LIMIT {per_group}) g{i}"
            )
        })
        .collect();
    parts.push(
        "SELECT id FROM tickets WHERE target_counter_id = $3 AND state = 'waiting'
           AND hall_id = $1 AND service_day = $2"
            .into(),
    );
    // Bookings checked in on time go ahead of walk-ins in their tier, whatever their age:
    // all of today's that still wait (a day's bookings are few; `appointments_day`).
    parts.push(
        "SELECT t.id FROM appointments a JOIN tickets t ON t.id = a.ticket_id
         WHERE a.hall_id = $1 AND a.service_day = $2 AND a.on_time = 1 AND t.state = 'waiting'"
            .into(),
    );
    format!(
        "SELECT id, business_type_id, priority, queued_since, target_counter_id,
                (SELECT COUNT(*) FROM appointments a
                  WHERE a.ticket_id = tickets.id AND a.on_time = 1) AS booked
         FROM tickets WHERE id IN ({})",
        parts.join(" UNION ALL ")
    )
}

/// The waiting tickets that can rank first (or among the first `per_group`) for `counter`.
pub(crate) async fn waiting_candidates(
    w: &mut WriteTx,
    hall_id: i64,
    day: &str,
    counter: &CounterCapability,
    per_group: u32,
) -> Result<Vec<WaitingTicket>> {
    let mut types: Vec<i64> = counter
        .primary
        .iter()
        .chain(&counter.secondary)
        .copied()
        .collect();
    types.sort_unstable();
    types.dedup();
    let sql = candidates_sql(&types, per_group.max(1));
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(hall_id)
        .bind(day)
        .bind(counter.counter_id)
        .fetch_all(&mut *w.tx)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(WaitingTicket {
                id: r.try_get("id")?,
                business_type_id: r.try_get("business_type_id")?,
                green: r.try_get::<String, _>("priority")? == Priority::Green.as_str(),
                queued_since_ms: r.try_get("queued_since")?,
                target_counter_id: r.try_get("target_counter_id")?,
                booked: r.try_get::<i64, _>("booked")? > 0,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_group_per_type_and_priority_plus_the_named_tickets() {
        let sql = candidates_sql(&[3, 7], 2);
        assert_eq!(sql.matches("LIMIT 2").count(), 4);
        assert!(sql.contains("business_type_id = 3 AND priority = 'green'"));
        assert!(sql.contains("business_type_id = 7 AND priority = 'normal'"));
        assert!(sql.contains("target_counter_id = $3"));
        assert!(sql.contains("a.on_time = 1"), "bookings checked in on time");
    }

    #[test]
    fn a_counter_serving_nothing_still_sees_what_was_sent_to_it() {
        let sql = candidates_sql(&[], 1);
        assert!(!sql.contains("LIMIT"));
        assert!(sql.contains("target_counter_id = $3"));
    }
}
