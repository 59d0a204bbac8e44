//! "How many are ahead of me" without counting the whole queue.
//!
//! A queue's depth is kept per class (green or not) by triggers (migration 0009), so the
//! people ahead of a ticket are the depth of the classes ranked with it, minus itself, minus
//! those of its own rank queued behind it. A fresh ticket — the slip, the hot path — has
//! almost no one behind it, so this reads a handful of index entries where a COUNT of the
//! queue read all of them. A ticket deep in a long queue has many behind it: past
//! [`BEHIND_CAP`] the count is taken from the front instead, which is then the shorter side.
//! The order is domain::policy::ahead_of's: (green first?, queued_since, id).

use super::SqlStore;
use crate::model::Ticket;
use crate::Result;
use servicehall_domain::Priority;
use sqlx::Row;

/// Most tickets read behind a ticket before counting from the front instead.
const BEHIND_CAP: i64 = 256;

impl SqlStore {
    pub(super) async fn waiting_ahead_fast(&self, t: &Ticket, green_first: bool) -> Result<i64> {
        let green = t.priority == Priority::Green;
        // The classes that rank with the ticket (depth), and the classes of those that can be
        // queued behind it (tail).
        let ((d1, d2), (p1, p2)) = match (green_first, green) {
            (true, true) => ((1, 1), ("green", "green")),
            (true, false) => ((0, 1), ("normal", "normal")),
            (false, _) => ((0, 1), ("normal", "green")),
        };
        // One statement, so depth and tail come from one snapshot on both databases.
        let row = sqlx::query(
            "SELECT (SELECT CAST(COALESCE(SUM(waiting), 0) AS BIGINT) FROM queue_depth
                      WHERE hall_id = $1 AND business_type_id = $2 AND service_day = $3
                        AND green IN ($4, $5)) AS depth,
                    (SELECT COUNT(*) FROM (SELECT 1 FROM tickets
                      WHERE hall_id = $1 AND business_type_id = $2 AND service_day = $3
                        AND state = 'waiting' AND priority IN ($6, $7)
                        AND (queued_since > $8 OR (queued_since = $8 AND id > $9))
                      LIMIT $10) tail) AS behind",
        )
        .bind(t.hall_id)
        .bind(t.business_type_id)
        .bind(&t.service_day)
        .bind(d1)
        .bind(d2)
        .bind(p1)
        .bind(p2)
        .bind(t.queued_since)
        .bind(t.id)
        .bind(BEHIND_CAP)
        .fetch_one(&self.pool)
        .await?;
        let depth: i64 = row.try_get("depth")?;
        let behind: i64 = row.try_get("behind")?;
        if behind >= BEHIND_CAP {
            return self.waiting_ahead_counted(t, green_first).await;
        }
        // Never below zero, even for a ticket called a moment ago.
        Ok((depth - 1 - behind).max(0))
    }

    /// The plain count from the front: exact, but it reads every ticket ahead.
    pub(super) async fn waiting_ahead_counted(&self, t: &Ticket, green_first: bool) -> Result<i64> {
        let t_green = (t.priority == Priority::Green) as i64;
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM tickets
             WHERE hall_id = $1 AND business_type_id = $2 AND service_day = $3 AND state = 'waiting' AND id <> $4
               AND (($5 = 1 AND $6 = 0 AND priority = 'green')
                    OR (($5 = 0 OR (priority = 'green') = ($6 = 1))
                        AND (queued_since < $7 OR (queued_since = $7 AND id < $4))))",
        )
        .bind(t.hall_id)
        .bind(t.business_type_id)
        .bind(&t.service_day)
        .bind(t.id)
        .bind(green_first as i64)
        .bind(t_green)
        .bind(t.queued_since)
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }
}
