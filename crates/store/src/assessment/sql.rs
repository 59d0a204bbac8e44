//! Keeping and reading the figures on SQL.

use super::figures::{self, Span, month_of};
use super::{AssessmentStore, DayFigure, MonthFigure, RebuildReport, VisitTimes};
use crate::Result;
use crate::sql::{SqlStore, WriteTx};
use async_trait::async_trait;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::BTreeMap;

/// The roll-up day (China Standard Time) of an instant.
pub(crate) fn day_of(at: i64) -> i64 {
    (at + 28_800_000).div_euclid(86_400_000)
}

/// Advisory-lock keys of the refresh, apart from the hall locks (positive hall ids) and
/// the migrations' key.
const REFRESH_LOCK: i64 = -0x4153_0000_0000;

/// Writes figures in batches of multi-row inserts.
pub(crate) async fn insert(conn: &mut AnyConnection, rows: &[DayFigure]) -> Result<()> {
    for chunk in rows.chunks(400) {
        let mut sql = String::from(
            "INSERT INTO assessment_days (hall_id, day, month, indicator, num, den) VALUES ",
        );
        let values: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, _)| {
                let b = i * 6;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                )
            })
            .collect();
        sql.push_str(&values.join(", "));
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for f in chunk {
            q = q
                .bind(f.hall_id)
                .bind(f.day)
                .bind(month_of(f.day))
                .bind(f.indicator.clone())
                .bind(f.num)
                .bind(f.den);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

pub(crate) async fn set_mark(conn: &mut AnyConnection, hall_id: i64, day: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO assessment_marks (hall_id, day) VALUES ($1, $2)
         ON CONFLICT (hall_id) DO UPDATE SET day = excluded.day",
    )
    .bind(hall_id)
    .bind(day)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl SqlStore {
    /// Recounts one hall from the day before its mark (a day's late events land on it) and
    /// moves the mark, inside the caller's transaction.
    pub(crate) async fn refresh_hall(&self, w: &mut WriteTx, hall_id: i64, now: i64) -> Result<()> {
        if self.backend() == crate::Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(REFRESH_LOCK - hall_id)
                .execute(&mut *w.tx)
                .await?;
        }
        let mark: Option<i64> =
            sqlx::query_scalar("SELECT day FROM assessment_marks WHERE hall_id = $1")
                .bind(hall_id)
                .fetch_optional(&mut *w.tx)
                .await?;
        let from_day = mark.map_or(0, |d| d - 1);
        let halls = [hall_id];
        let span = Span {
            halls: Some(&halls),
            from_day,
            to_day: None,
        };
        let rows = figures::count(&mut w.tx, &span).await?;
        sqlx::query("DELETE FROM assessment_days WHERE hall_id = $1 AND day >= $2")
            .bind(hall_id)
            .bind(from_day)
            .execute(&mut *w.tx)
            .await?;
        insert(&mut w.tx, &rows).await?;
        set_mark(&mut w.tx, hall_id, day_of(now)).await
    }
}

fn months(rows: impl IntoIterator<Item = (String, i64, i64, i64)>) -> Vec<MonthFigure> {
    let mut out: BTreeMap<(String, i64), (i64, i64)> = BTreeMap::new();
    for (indicator, month, num, den) in rows {
        let e = out.entry((indicator, month)).or_default();
        e.0 += num;
        e.1 += den;
    }
    // A month's wait_p90 from its bins (percentiles do not add; the bins do).
    let mut bins: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    out.retain(
        |(indicator, month), (num, _)| match indicator.strip_prefix("wait_bin:") {
            Some(b) => {
                bins.entry(*month)
                    .or_default()
                    .push((b.parse().unwrap_or(0), *num));
                false
            }
            None => true,
        },
    );
    for (month, b) in bins {
        if let Some(ms) = servicehall_domain::assessment::wait_p90_ms(&b) {
            out.insert(("wait_p90".into(), month), (ms, 1));
        }
    }
    out.into_iter()
        .map(|((indicator, month), (num, den))| MonthFigure {
            indicator,
            month,
            num,
            den,
        })
        .collect()
}

#[async_trait]
impl AssessmentStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.assessment.refresh_assessment", fields(halls = hall_ids.len()))]
    async fn refresh_assessment(&self, hall_ids: &[i64], now: i64) -> Result<()> {
        let mut w = self.begin().await?;
        for &h in hall_ids {
            self.refresh_hall(&mut w, h, now).await?;
        }
        self.commit(w).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.assessment.assessment_months", fields(halls = hall_ids.len()))]
    async fn assessment_months(
        &self,
        hall_ids: &[i64],
        from_month: i64,
        to_month: i64,
    ) -> Result<Vec<MonthFigure>> {
        if hall_ids.is_empty() {
            return Ok(Vec::new());
        }
        let n = hall_ids.len();
        let sql = format!(
            "SELECT indicator, month, CAST(SUM(num) AS BIGINT) AS num, CAST(SUM(den) AS BIGINT) AS den
             FROM assessment_days
             WHERE hall_id IN ({}) AND month >= ${} AND month <= ${}
             GROUP BY indicator, month",
            crate::sql::placeholders(1, n),
            n + 1,
            n + 2
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for h in hall_ids {
            q = q.bind(*h);
        }
        let rows = q
            .bind(from_month)
            .bind(to_month)
            .fetch_all(&self.pool)
            .await?;
        let rows = rows
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("indicator")?,
                    r.try_get("month")?,
                    r.try_get("num")?,
                    r.try_get("den")?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(months(rows))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.assessment.assessment_months_from_logs", fields(halls = hall_ids.len()))]
    async fn assessment_months_from_logs(
        &self,
        hall_ids: &[i64],
        from_day: i64,
        to_day: i64,
    ) -> Result<Vec<MonthFigure>> {
        let mut conn = self.pool.acquire().await?;
        let span = Span {
            halls: Some(hall_ids),
            from_day,
            to_day: Some(to_day),
        };
        let rows = figures::count(&mut conn, &span).await?;
        Ok(months(
            rows.into_iter()
                .map(|f| (f.indicator, month_of(f.day), f.num, f.den)),
        ))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.assessment.assessment_visits", fields(hall = hall_id))]
    async fn assessment_visits(
        &self,
        hall_id: i64,
        from_day: i64,
        to_day: i64,
        limit: i64,
    ) -> Result<Vec<VisitTimes>> {
        let halls = [hall_id];
        let span = Span {
            halls: Some(&halls),
            from_day,
            to_day: Some(to_day),
        };
        let sql = format!(
            "SELECT t.id, t.number, t.service_day, b.name_zh, t.state, t.transferred_from,
                    w.queued, w.called, w.began, w.done
             FROM tickets t JOIN ({}) w ON w.ticket_id = t.id
             LEFT JOIN business_types b ON b.id = t.business_type_id
             WHERE t.issued_at >= $1 AND t.issued_at < $2
             ORDER BY t.issued_at, t.id LIMIT $3",
            figures::ticket_times(&span)
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(from_day * 86_400_000 - 28_800_000)
            .bind(to_day * 86_400_000 - 28_800_000)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(VisitTimes {
                    ticket_id: r.try_get("id")?,
                    number: r.try_get("number")?,
                    service_day: r.try_get("service_day")?,
                    business_zh: r
                        .try_get::<Option<String>, _>("name_zh")?
                        .unwrap_or_default(),
                    state: r.try_get("state")?,
                    transferred_from: r.try_get("transferred_from")?,
                    queued: r.try_get("queued")?,
                    called: r.try_get("called")?,
                    began: r.try_get("began")?,
                    done: r.try_get("done")?,
                })
            })
            .collect()
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.assessment.rebuild_assessment",
        fields(check)
    )]
    async fn rebuild_assessment(&self, check: bool, now: i64) -> Result<RebuildReport> {
        self.rebuild(check, now).await
    }
}
