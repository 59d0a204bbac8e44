//! Counting the indicators from the logs, per hall and China Standard Time day. One set of
//! statements serves the incremental step, the rebuild and the naive scan; every sum is cast
//! to BIGINT because PostgreSQL sums BIGINT into NUMERIC.

use super::DayFigure;
pub(crate) use super::span::{DAY, Span, ticket_times};
use crate::Result;
use servicehall_domain::assessment::day_date;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::BTreeMap;

/// A wait within this many ms meets `wait_within` (15 minutes, as its definition says).
const WAIT_TARGET_MS: i64 = 15 * 60_000;

/// Each statement yields `hall_id, day` and pairs of columns `n_<indicator>, d_<indicator>`.
fn statements(span: &Span) -> Vec<(String, &'static [&'static str])> {
    let times = ticket_times(span);
    let mut all = super::figures_more::statements(span);
    let base: Vec<(String, &'static [&'static str])> = vec![
        (
            format!(
                "SELECT t.hall_id, (w.called + {DAY} AS day,
                    CAST(SUM(w.called - w.queued) AS BIGINT) AS n_wait_mean, COUNT(*) AS d_wait_mean,
                    CAST(SUM(CASE WHEN w.called - w.queued <= {WAIT_TARGET_MS} THEN 1 ELSE 0 END) AS BIGINT) AS n_wait_within,
                    COUNT(*) AS d_wait_within,
                    CAST(SUM(CASE WHEN t.state = 'no_show' THEN 1 ELSE 0 END) AS BIGINT) AS n_no_show_rate,
                    COUNT(*) AS d_no_show_rate
                 FROM ({times}) w JOIN tickets t ON t.id = w.ticket_id
                 WHERE w.called IS NOT NULL AND w.queued IS NOT NULL AND t.transferred_from IS NULL AND {}
                 GROUP BY t.hall_id, (w.called + {DAY}",
                span.at("w.called")
            ),
            &["wait_mean", "wait_within", "no_show_rate"],
        ),
        (
            format!(
                "SELECT t.hall_id, (w.done + {DAY} AS day,
                    COUNT(*) AS n_served, COUNT(*) AS d_served,
                    CAST(SUM(CASE WHEN w.began IS NULL THEN 0 ELSE w.done - w.began END) AS BIGINT) AS n_handling_mean,
                    COUNT(w.began) AS d_handling_mean
                 FROM ({times}) w JOIN tickets t ON t.id = w.ticket_id
                 WHERE w.done IS NOT NULL AND {}
                 GROUP BY t.hall_id, (w.done + {DAY}",
                span.at("w.done")
            ),
            &["served", "handling_mean"],
        ),
        (
            format!(
                "SELECT hall_id, (at + {DAY} AS day,
                    CAST(SUM(CASE WHEN level >= 4 THEN 1 ELSE 0 END) AS BIGINT) AS n_satisfaction,
                    COUNT(*) AS d_satisfaction,
                    CAST(SUM(CASE WHEN level <= 2 THEN 1 ELSE 0 END) AS BIGINT) AS n_bad_rating_rate,
                    COUNT(*) AS d_bad_rating_rate
                 FROM ratings WHERE {} AND {}
                 GROUP BY hall_id, (at + {DAY}",
                span.halls("hall_id"),
                span.at("at")
            ),
            &["satisfaction", "bad_rating_rate"],
        ),
        (
            format!(
                "SELECT c.hall_id, (e.at + {DAY} AS day,
                    CAST(SUM(CASE WHEN k.deadline_at IS NULL OR e.at <= k.deadline_at THEN 1 ELSE 0 END) AS BIGINT) AS n_on_time_rate,
                    COUNT(*) AS d_on_time_rate
                 FROM case_events e
                 JOIN case_clocks k ON k.case_id = e.case_id AND k.clock_key = e.clock_key
                 JOIN cases c ON c.id = e.case_id
                 WHERE e.kind = 'clock_stopped' AND {} AND {}
                 GROUP BY c.hall_id, (e.at + {DAY}",
                span.halls("c.hall_id"),
                span.at("e.at")
            ),
            &["on_time_rate"],
        ),
        (
            format!(
                "SELECT hall_id, day, CAST(SUM(c) AS BIGINT) AS n_complaints_per_10k,
                        CAST(SUM(v) AS BIGINT) AS d_complaints_per_10k
                 FROM (SELECT t.hall_id, (t.issued_at + {DAY} AS day, 0 AS c, 1 AS v FROM tickets t
                       WHERE {} AND t.transferred_from IS NULL AND {}
                       UNION ALL
                       SELECT hall_id, (created_at + {DAY} AS day, 1 AS c, 0 AS v FROM cases
                       WHERE kind = 'complaint' AND {} AND {}) u
                 GROUP BY hall_id, day",
                span.service_days("t"),
                span.at("t.issued_at"),
                span.halls("hall_id"),
                span.at("created_at")
            ),
            &["complaints_per_10k"],
        ),
        (
            format!(
                "SELECT hall_id, (created_at + {DAY} AS day,
                    CAST(SUM(ROUND(score_pct * 10)) AS BIGINT) AS n_observation_score,
                    COUNT(*) AS d_observation_score
                 FROM observations WHERE score_pct IS NOT NULL AND {} AND {}
                 GROUP BY hall_id, (created_at + {DAY}",
                span.halls("hall_id"),
                span.at("created_at")
            ),
            &["observation_score"],
        ),
        (
            format!(
                "SELECT hall_id, (submitted_at + {DAY} AS day,
                    CAST(SUM(score_tenths) AS BIGINT) AS n_inspection_score, COUNT(*) AS d_inspection_score,
                    CAST(SUM(CASE WHEN passed = 1 THEN 1 ELSE 0 END) AS BIGINT) AS n_inspection_pass,
                    COUNT(*) AS d_inspection_pass
                 FROM inspections WHERE submitted_at IS NOT NULL AND score_tenths IS NOT NULL AND {} AND {}
                 GROUP BY hall_id, (submitted_at + {DAY}",
                span.halls("hall_id"),
                span.at("submitted_at")
            ),
            &["inspection_score", "inspection_pass"],
        ),
        super::by_hand::statement(span, DAY),
    ];
    all.extend(base);
    all
}

/// Counts the span's figures from the logs, sorted by hall, day and indicator.
pub(crate) async fn count(conn: &mut AnyConnection, span: &Span<'_>) -> Result<Vec<DayFigure>> {
    let mut out: BTreeMap<(i64, i64, &'static str), (i64, i64)> = BTreeMap::new();
    let mut bins: BTreeMap<(i64, i64, String), (i64, i64)> = BTreeMap::new();
    for (sql, indicators) in statements(span) {
        let rows = sqlx::query(AssertSqlSafe(sql))
            .fetch_all(&mut *conn)
            .await?;
        for r in rows {
            let (hall, day): (i64, i64) = (r.try_get("hall_id")?, r.try_get("day")?);
            // A statement may yield rows of keys it names itself (the wait bins).
            if indicators.is_empty() {
                let (bin, n): (i64, i64) = (r.try_get("bin")?, r.try_get("n")?);
                let ind = servicehall_domain::assessment::wait_bin_code(bin);
                bins.insert((hall, day, ind), (n, n));
                continue;
            }
            for ind in indicators {
                let num: i64 = r.try_get(format!("n_{ind}").as_str())?;
                let den: i64 = r.try_get(format!("d_{ind}").as_str())?;
                // Added, not replaced: manual entries add to `served`.
                let sum = out.entry((hall, day, ind)).or_default();
                (sum.0, sum.1) = (sum.0 + num, sum.1 + den);
            }
        }
    }
    let mut rows: Vec<DayFigure> = super::figures_last::count(conn, span).await?;
    rows.extend(
        out.into_iter()
            .filter(|(_, (num, den))| *num != 0 || *den != 0)
            .map(|((hall_id, day, indicator), (num, den))| DayFigure {
                hall_id,
                day,
                indicator: indicator.into(),
                num,
                den,
            })
            .chain(
                bins.into_iter()
                    .map(|((hall_id, day, indicator), (num, den))| DayFigure {
                        hall_id,
                        day,
                        indicator,
                        num,
                        den,
                    }),
            ),
    );
    rows.sort();
    Ok(rows)
}

/// The YYYYMM of a roll-up day.
pub(crate) fn month_of(day: i64) -> i64 {
    use chrono::Datelike;
    let d = day_date(day);
    i64::from(d.year()) * 100 + i64::from(d.month())
}
