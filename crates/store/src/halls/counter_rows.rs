//! Counter rows with the business types each serves: loading, checking and writing them.

use super::sql::invalid;
use crate::sql::{SqlStore, placeholders};
use crate::*;
use sqlx::{AssertSqlSafe, Row};

impl SqlStore {
    pub(crate) async fn counter_types(&self, counter_ids: &[i64]) -> Result<Vec<(i64, i64, bool)>> {
        if counter_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT counter_id, business_type_id, is_primary FROM counter_business_types WHERE counter_id IN ({}) ORDER BY business_type_id",
            placeholders(1, counter_ids.len())
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for id in counter_ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("counter_id")?,
                    r.try_get("business_type_id")?,
                    r.try_get::<i64, _>("is_primary")? != 0,
                ))
            })
            .collect()
    }

    pub(crate) async fn load_counters(&self, filter: &str, key: i64) -> Result<Vec<Counter>> {
        self.load_counters_where(&format!("{filter} = $1"), &[key])
            .await
    }

    /// Counters matching `cond` (a condition on `c`, the counters, with `$1…` taken from
    /// `keys`), in number order, with their clerks and business types.
    pub(crate) async fn load_counters_where(
        &self,
        cond: &str,
        keys: &[i64],
    ) -> Result<Vec<Counter>> {
        let sql = format!(
            "SELECT c.id, c.hall_id, c.number, c.status, c.pause_reason, c.status_since, c.staff_id,
                    s.name AS clerk_name, s.badge_no, s.photo
             FROM counters c LEFT JOIN staff s ON s.id = c.staff_id
             WHERE {cond} ORDER BY c.number"
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for k in keys {
            q = q.bind(*k);
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut counters = Vec::with_capacity(rows.len());
        for r in &rows {
            let staff_id: Option<i64> = r.try_get("staff_id")?;
            let status: String = r.try_get("status")?;
            let clerk = match staff_id {
                Some(staff_id) => Some(OnDuty {
                    staff_id,
                    name: r.try_get("clerk_name")?,
                    badge_no: r.try_get("badge_no")?,
                    photo: r.try_get("photo")?,
                }),
                None => None,
            };
            counters.push(Counter {
                id: r.try_get("id")?,
                hall_id: r.try_get("hall_id")?,
                number: r.try_get("number")?,
                status: CounterStatus::parse(&status),
                pause_reason: r.try_get("pause_reason")?,
                status_since: r.try_get("status_since")?,
                clerk,
                primary: Vec::new(),
                secondary: Vec::new(),
            });
        }
        let ids: Vec<i64> = counters.iter().map(|c| c.id).collect();
        for (counter_id, bt, primary) in self.counter_types(&ids).await? {
            if let Some(c) = counters.iter_mut().find(|c| c.id == counter_id) {
                if primary {
                    c.primary.push(bt)
                } else {
                    c.secondary.push(bt)
                }
            }
        }
        Ok(counters)
    }

    /// Checks a counter's business types belong to its hall and are listed once.
    pub(crate) async fn check_counter(&self, hall_id: i64, input: &CounterInput) -> Result<()> {
        if input.number <= 0 || input.number > 999 {
            return Err(invalid(
                "窗口号须为 1–999 · counter number must be 1 to 999",
            ));
        }
        if input.primary.is_empty() {
            return Err(invalid(
                "a counter needs at least one primary (主办) business type",
            ));
        }
        let all: Vec<i64> = input
            .primary
            .iter()
            .chain(&input.secondary)
            .copied()
            .collect();
        let mut dedup = all.clone();
        dedup.sort_unstable();
        dedup.dedup();
        if dedup.len() != all.len() {
            return Err(invalid(
                "a business type is either primary or secondary at a counter, and listed once",
            ));
        }
        let known: Vec<i64> = self
            .business_types(hall_id)
            .await?
            .iter()
            .map(|b| b.id)
            .collect();
        if let Some(bad) = all.iter().find(|id| !known.contains(id)) {
            return Err(invalid(format!(
                "business type {bad} does not belong to this hall"
            )));
        }
        Ok(())
    }

    pub(crate) async fn write_counter_types(
        &self,
        w: &mut crate::sql::WriteTx,
        counter_id: i64,
        input: &CounterInput,
    ) -> Result<()> {
        sqlx::query("DELETE FROM counter_business_types WHERE counter_id = $1")
            .bind(counter_id)
            .execute(&mut *w.tx)
            .await?;
        let pairs = input
            .primary
            .iter()
            .map(|b| (*b, 1))
            .chain(input.secondary.iter().map(|b| (*b, 0)));
        for (bt, primary) in pairs {
            sqlx::query("INSERT INTO counter_business_types (counter_id, business_type_id, is_primary) VALUES ($1, $2, $3)")
                .bind(counter_id)
                .bind(bt)
                .bind(primary as i64)
                .execute(&mut *w.tx)
                .await?;
        }
        Ok(())
    }
}
