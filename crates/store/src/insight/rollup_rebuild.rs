//! Rebuilding the roll-up of ratings (`rating_days`, `rating_weeks`; migration 0012) from the rating
//! tables. The triggers keep it current row by row; this is for history loaded with the
//! triggers bypassed, or to prove the roll-up against the ratings.

use crate::Result;
use crate::sql::SqlStore;

/// The same bucketing as the triggers: China Standard Time days, reasons only on bad levels.
const FILL: [&str; 3] = [
    "INSERT INTO rating_days
     SELECT r.hall_id, (r.at + 28800000) / 86400000, 'pad', COALESCE(t.business_type_id, 0),
            r.counter_id, COALESCE(r.staff_id, 0), '', r.level,
            CASE WHEN r.level <= 2 THEN r.reasons ELSE '' END, COUNT(*)
     FROM ratings r LEFT JOIN tickets t ON t.id = r.ticket_id
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9",
    "INSERT INTO rating_days
     SELECT hall_id, (at + 28800000) / 86400000, 'phone', business_type_id,
            COALESCE(counter_id, 0), COALESCE(staff_id, 0), '', level,
            CASE WHEN level <= 2 THEN reasons ELSE '' END, COUNT(*)
     FROM phone_ratings GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9",
    "INSERT INTO rating_days
     SELECT hall_id, (evaluated_at + 28800000) / 86400000, 'external', COALESCE(business_type_id, 0),
            0, 0, touchpoint, level, CASE WHEN level <= 2 THEN reasons ELSE '' END, COUNT(*)
     FROM external_evaluations GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9",
];

const WEEKS: &str = "INSERT INTO rating_weeks
     SELECT hall_id, day / 7, channel, touchpoint, level, reasons, CAST(SUM(n) AS BIGINT)
     FROM rating_days GROUP BY 1, 2, 3, 4, 5, 6";

impl SqlStore {
    pub(crate) async fn rebuild_rating_days_sql(&self) -> Result<i64> {
        let mut w = self.begin().await?;
        for sql in ["DELETE FROM rating_days", "DELETE FROM rating_weeks"]
            .into_iter()
            .chain(FILL)
            .chain([WEEKS])
        {
            sqlx::query(sql).execute(&mut *w.tx).await?;
        }
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rating_days")
            .fetch_one(&mut *w.tx)
            .await?;
        self.commit(w).await?;
        Ok(n)
    }
}
