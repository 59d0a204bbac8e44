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

impl SqlStore {
    /// Recounts the halls from the day before each one's mark (a day's late events land on
    /// it), keeps the month sums in step and moves the marks, inside the caller's
    /// transaction. Halls with the same mark (as after a month-end step or a page of the
    /// region) are counted together: one set of statements, whatever the number of halls.
    pub(crate) async fn refresh_halls(
        &self,
        w: &mut WriteTx,
        hall_ids: &[i64],
        now: i64,
    ) -> Result<()> {
        let mut ids: Vec<i64> = hall_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let list = list.join(", ");
        if self.backend() == crate::Backend::Postgres {
            // One statement takes every hall's lock, in id order (no deadlock between steps).
            sqlx::query(AssertSqlSafe(format!(
                "SELECT COUNT(pg_advisory_xact_lock({REFRESH_LOCK} - h.id))
                 FROM (SELECT id FROM halls WHERE id IN ({list}) ORDER BY id) h"
            )))
            .execute(&mut *w.tx)
            .await?;
        }
        let marks: BTreeMap<i64, i64> = sqlx::query(AssertSqlSafe(format!(
            "SELECT hall_id, day FROM assessment_marks WHERE hall_id IN ({list})"
        )))
        .fetch_all(&mut *w.tx)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("hall_id")?, r.try_get("day")?)))
        .collect::<Result<_>>()?;
        let mut groups: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for &h in &ids {
            groups
                .entry(marks.get(&h).map_or(0, |d| d - 1))
                .or_default()
                .push(h);
        }
        for (from_day, halls) in groups {
            let span = Span {
                halls: Some(&halls),
                from_day,
                to_day: None,
                until: Some(now),
            };
            let rows = figures::count(&mut w.tx, &span).await?;
            let which = span.halls("hall_id");
            let old = read_days(&mut w.tx, &format!("{which} AND day >= {from_day}")).await?;
            sqlx::query(AssertSqlSafe(format!(
                "DELETE FROM assessment_days WHERE {which} AND day >= {from_day}"
            )))
            .execute(&mut *w.tx)
            .await?;
            insert(&mut w.tx, &rows).await?;
            super::months::apply(&mut w.tx, &which, &old, &rows).await?;
        }
        set_marks(&mut w.tx, &ids, day_of(now)).await
    }
}

/// Kept day rows matching `filter` (SQL this crate writes).
pub(crate) async fn read_days(conn: &mut AnyConnection, filter: &str) -> Result<Vec<DayFigure>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT hall_id, day, indicator, num, den FROM assessment_days WHERE {filter}"
    )))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DayFigure {
                hall_id: r.try_get("hall_id")?,
                day: r.try_get("day")?,
                indicator: r.try_get("indicator")?,
                num: r.try_get("num")?,
                den: r.try_get("den")?,
            })
        })
        .collect()
}

/// Marks the halls as kept up to `day`, in one statement per 500 halls.
pub(crate) async fn set_marks(conn: &mut AnyConnection, hall_ids: &[i64], day: i64) -> Result<()> {
    for chunk in hall_ids.chunks(500) {
        let values: Vec<String> = chunk.iter().map(|h| format!("({h}, {day})")).collect();
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO assessment_marks (hall_id, day) VALUES {}
             ON CONFLICT (hall_id) DO UPDATE SET day = excluded.day",
            values.join(", ")
        )))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
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
        self.refresh_halls(&mut w, hall_ids, now).await?;
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
        let mut conn = self.pool.acquire().await?;
        let rows = super::months::read(
            &mut conn,
            "assessment_months",
            hall_ids,
            from_month,
            to_month,
        )
        .await?;
        Ok(months(rows))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.assessment.assessment_months_from_days", fields(halls = hall_ids.len()))]
    async fn assessment_months_from_days(
        &self,
        hall_ids: &[i64],
        from_month: i64,
        to_month: i64,
    ) -> Result<Vec<MonthFigure>> {
        if hall_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.pool.acquire().await?;
        let rows =
            super::months::read(&mut conn, "assessment_days", hall_ids, from_month, to_month)
                .await?;
        Ok(months(rows))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.assessment.assessment_months_from_logs", fields(halls = hall_ids.len()))]
    async fn assessment_months_from_logs(
        &self,
        hall_ids: &[i64],
        from_day: i64,
        to_day: i64,
        now: i64,
    ) -> Result<Vec<MonthFigure>> {
        let mut conn = self.pool.acquire().await?;
        let span = Span {
            halls: Some(hall_ids),
            from_day,
            to_day: Some(to_day),
            until: Some(now),
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
        who: crate::Personal,
        from_day: i64,
        to_day: i64,
        limit: i64,
    ) -> Result<Vec<VisitTimes>> {
        let halls = [hall_id];
        let span = Span {
            halls: Some(&halls),
            from_day,
            to_day: Some(to_day),
            until: None,
        };
        // Called by the clerk or at the counter, as the personal figures count a call.
        let (mine, id) = match who {
            crate::Personal::Hall => ("", 0),
            crate::Personal::Staff(id) => (
                " AND EXISTS (SELECT 1 FROM ticket_events x WHERE x.ticket_id = t.id AND x.state = 'called' AND x.staff_id = $4)",
                id,
            ),
            crate::Personal::Counter(id) => (
                " AND EXISTS (SELECT 1 FROM ticket_events x WHERE x.ticket_id = t.id AND x.state = 'called' AND x.counter_id = $4)",
                id,
            ),
        };
        let sql = format!(
            "SELECT t.id, t.number, t.service_day, b.name_zh, t.state, t.transferred_from,
                    w.queued, w.called, w.began, w.done
             FROM tickets t JOIN ({}) w ON w.ticket_id = t.id
             LEFT JOIN business_types b ON b.id = t.business_type_id
             WHERE t.issued_at >= $1 AND t.issued_at < $2{mine}
             ORDER BY t.issued_at, t.id LIMIT $3",
            figures::ticket_times(&span)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql))
            .bind(from_day * 86_400_000 - 28_800_000)
            .bind(to_day * 86_400_000 - 28_800_000)
            .bind(limit);
        if !mine.is_empty() {
            q = q.bind(id);
        }
        let rows = q.fetch_all(&self.pool).await?;
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
        name = "store.assessment.resum_assessment_months"
    )]
    async fn resum_assessment_months(&self) -> Result<u64> {
        let mut w = self.begin().await?;
        let n = super::months::resum(&mut w.tx).await?;
        self.commit(w).await?;
        Ok(n)
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
