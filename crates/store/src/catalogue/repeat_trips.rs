//! The repeat-trips list (重复往返): return visits with the visit each repeats, filtered by
//! day, business and recorder and paged in SQL (the earlier visit joined in, not fetched
//! one by one).

use super::sql::{VISIT_SELECT, visit_row};
use crate::sql::SqlStore;
use crate::{Paged, RepeatTrip, RepeatTripFilter, Result, StoreError, Window};
use sqlx::Row;

impl SqlStore {
    pub(crate) async fn repeat_trips_paged(
        &self,
        hall_id: i64,
        f: &RepeatTripFilter,
        w: Window,
    ) -> Result<Paged<RepeatTrip>> {
        let filter = "WHERE v.hall_id = $1 AND v.repeat_of IS NOT NULL AND v.at >= $2 AND v.at < $3 \
             AND ($4 IS NULL OR v.business_type = $4) AND ($5 IS NULL OR v.staff_id = $5)";
        let bind = |sql: String| {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(hall_id)
                .bind(f.from)
                .bind(f.to)
                .bind(f.business_type.clone())
                .bind(f.staff_id)
        };
        let total: i64 = bind(format!(
            "SELECT COUNT(*) AS n FROM customer_visits v {filter}"
        ))
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        let rows = bind(format!(
            "{VISIT_SELECT} {filter} ORDER BY v.at DESC, v.id DESC LIMIT $6 OFFSET $7"
        ))
        .bind(w.limit)
        .bind(w.offset)
        .fetch_all(&self.pool)
        .await?;
        let visits = rows.iter().map(visit_row).collect::<Result<Vec<_>>>()?;
        // The earlier visits of this page, in one query.
        let ids: Vec<i64> = visits.iter().filter_map(|v| v.repeat_of).collect();
        let mut earlier = Vec::new();
        if !ids.is_empty() {
            let sql = format!(
                "{VISIT_SELECT} WHERE v.id IN ({})",
                crate::sql::placeholders(1, ids.len())
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in &ids {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&self.pool).await? {
                earlier.push(visit_row(&r)?);
            }
        }
        let items = visits
            .into_iter()
            .map(|visit| {
                let e = earlier
                    .iter()
                    .find(|e| Some(e.id) == visit.repeat_of)
                    .cloned()
                    .ok_or_else(|| StoreError::not_found("visit", visit.repeat_of.unwrap_or(0)))?;
                Ok(RepeatTrip { visit, earlier: e })
            })
            .collect::<Result<_>>()?;
        Ok(Paged { items, total })
    }
}
