//! The visits behind the anti-gaming flags: each visit finished at a counter in a period,
//! how long it took from the call, whether it came by transfer, and its pad rating.

use crate::PadVisit;
use crate::Result;
use crate::sql::SqlStore;
use sqlx::Row;

/// A hall's finished visits in `[from, to)`, read on the partial index `tickets_finished`
/// (migration 0015) in the order the flags are judged.
const VISITS: &str = "SELECT t.id, t.number, t.service_day, t.counter_id, t.staff_id, t.transferred_from, t.updated_at,
            (SELECT MAX(e.at) FROM ticket_events e WHERE e.ticket_id = t.id AND e.action = 'finish') AS finished,
            (SELECT MIN(e.at) FROM ticket_events e WHERE e.ticket_id = t.id AND e.action IN ('call', 'transfer_in', 'start')) AS began,
            r.at AS rated_at, r.level
     FROM tickets t LEFT JOIN ratings r ON r.ticket_id = t.id
     WHERE t.hall_id = $1 AND t.state = 'finished' AND t.counter_id IS NOT NULL
       AND t.updated_at >= $2 AND t.updated_at < $3
     ORDER BY t.updated_at, t.id";

impl SqlStore {
    pub(crate) async fn visits(&self, hall_id: i64, from: i64, to: i64) -> Result<Vec<PadVisit>> {
        let rows = sqlx::query(VISITS)
            .bind(hall_id)
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let updated: i64 = r.try_get("updated_at")?;
                let finished: Option<i64> = r.try_get("finished")?;
                let finished_at = finished.unwrap_or(updated);
                let began: Option<i64> = r.try_get("began")?;
                let rated_at: Option<i64> = r.try_get("rated_at")?;
                let level: Option<i64> = r.try_get("level")?;
                let transferred: Option<i64> = r.try_get("transferred_from")?;
                let number: String = r.try_get("number")?;
                let day: String = r.try_get("service_day")?;
                Ok(PadVisit {
                    ticket_id: r.try_get("id")?,
                    // Numbers restart daily: evidence names the day too (`11-20 A004`).
                    number: format!("{} {number}", day.get(5..).unwrap_or(&day)),
                    counter_id: r.try_get("counter_id")?,
                    staff_id: r.try_get("staff_id")?,
                    finished_at,
                    served_s: (finished_at - began.unwrap_or(finished_at)).max(0) / 1000,
                    transferred: transferred.is_some(),
                    rating: rated_at.zip(level).map(|(at, l)| (at, l.clamp(1, 5) as u8)),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::VISITS;
    use crate::queue::issue::sqlite_issuer::tests::{hall_db, query_plan};

    /// The review reads by finish time on the partial index, not every ticket of the hall,
    /// and needs no sort of its own.
    #[test]
    fn visits_are_read_on_the_finished_index() {
        let plan = query_plan(&hall_db(), VISITS);
        assert!(
            plan.iter().any(|p| p.contains(
                "USING INDEX tickets_finished (hall_id=? AND updated_at>? AND updated_at<?)"
            )),
            "{plan:?}"
        );
        assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "{plan:?}");
    }
}
