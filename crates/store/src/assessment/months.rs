//! The month sums (`assessment_months`): per hall, month and indicator the sum of the kept
//! days, kept by the same step that keeps the days (the change of the days recounted is
//! added to their months) and rebuilt from the days by the rebuild, whose check proves each
//! month equals its days' sum. A region's year then reads twelve rows per hall and
//! indicator instead of 365.

use super::DayFigure;
use super::figures::month_of;
use crate::Result;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::BTreeMap;

type Key = (i64, i64, String);

/// Sums day rows by (hall, month, indicator).
fn by_month(rows: &[DayFigure], sign: i64, into: &mut BTreeMap<Key, (i64, i64)>) {
    for f in rows {
        let e = into
            .entry((f.hall_id, month_of(f.day), f.indicator.clone()))
            .or_default();
        e.0 += sign * f.num;
        e.1 += sign * f.den;
    }
}

/// Applies the change from `old` (the day rows replaced) to `new` (their recount) to the
/// month sums of `halls`, then drops months left at nothing.
pub(super) async fn apply(
    conn: &mut AnyConnection,
    halls: &str,
    old: &[DayFigure],
    new: &[DayFigure],
) -> Result<()> {
    let mut delta = BTreeMap::new();
    by_month(old, -1, &mut delta);
    by_month(new, 1, &mut delta);
    let delta: Vec<(Key, (i64, i64))> = delta
        .into_iter()
        .filter(|(_, (n, d))| *n != 0 || *d != 0)
        .collect();
    if delta.is_empty() {
        return Ok(());
    }
    for chunk in delta.chunks(400) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 5;
                format!(
                    "(${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO assessment_months (hall_id, month, indicator, num, den) VALUES {}
             ON CONFLICT (hall_id, month, indicator) DO UPDATE
             SET num = assessment_months.num + excluded.num, den = assessment_months.den + excluded.den",
            values.join(", ")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for ((hall, month, indicator), (num, den)) in chunk {
            q = q
                .bind(*hall)
                .bind(*month)
                .bind(indicator.clone())
                .bind(*num)
                .bind(*den);
        }
        q.execute(&mut *conn).await?;
    }
    // Every kept day has num or den non-zero, so a month at (0, 0) has no days left.
    sqlx::query(AssertSqlSafe(format!(
        "DELETE FROM assessment_months WHERE {halls} AND num = 0 AND den = 0"
    )))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Replaces every month sum with the sum of the kept days.
pub(super) async fn resum(conn: &mut AnyConnection) -> Result<u64> {
    sqlx::query("DELETE FROM assessment_months")
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query(
        "INSERT INTO assessment_months (hall_id, month, indicator, num, den)
         SELECT hall_id, month, indicator, CAST(SUM(num) AS BIGINT), CAST(SUM(den) AS BIGINT)
         FROM assessment_days GROUP BY hall_id, month, indicator",
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// The month sums that differ from their days' sum (either side missing counts too).
pub(super) async fn differences(conn: &mut AnyConnection) -> Result<usize> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (
             SELECT hall_id, month, indicator, CAST(SUM(num) AS BIGINT) AS num, CAST(SUM(den) AS BIGINT) AS den
             FROM assessment_days GROUP BY hall_id, month, indicator) d
         FULL OUTER JOIN assessment_months m
           ON m.hall_id = d.hall_id AND m.month = d.month AND m.indicator = d.indicator
         WHERE d.hall_id IS NULL OR m.hall_id IS NULL OR d.num <> m.num OR d.den <> m.den",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(n as usize)
}

/// The halls' sums by indicator and month over `[from_month, to_month]`, from `table`
/// (`assessment_months`, or `assessment_days` for the naive sum of the days).
pub(super) async fn read(
    conn: &mut AnyConnection,
    table: &str,
    hall_ids: &[i64],
    from_month: i64,
    to_month: i64,
) -> Result<Vec<(String, i64, i64, i64)>> {
    let ids: Vec<String> = hall_ids.iter().map(i64::to_string).collect();
    let sql = format!(
        "SELECT indicator, month, CAST(SUM(num) AS BIGINT) AS num, CAST(SUM(den) AS BIGINT) AS den
         FROM {table}
         WHERE hall_id IN ({}) AND month >= $1 AND month <= $2
         GROUP BY indicator, month",
        ids.join(", ")
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(from_month)
        .bind(to_month)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("indicator")?,
                r.try_get("month")?,
                r.try_get("num")?,
                r.try_get("den")?,
            ))
        })
        .collect()
}
