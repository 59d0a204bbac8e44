//! Reading the daily roll-up (`rating_days`): a period is split into the whole days inside
//! it, counted from the roll-up, and the partial days at its ends, counted from the rating
//! rows — so a year over a province reads about one row per hall, day and kind of rating
//! instead of every rating, and the figures equal counting the rows exactly.

use crate::InsightScope;

pub(crate) const DAY_MS: i64 = 86_400_000;
/// Roll-up days are China Standard Time days (UTC+8): the bucket of an instant is
/// `(at + 8 h) div 24 h`. A hall in another zone still gets exact figures; only more of its
/// period is read from rows.
pub(crate) const DAY_OFFSET_MS: i64 = 8 * 3_600_000;

/// The start (UTC ms) of roll-up day `d`.
pub(crate) fn day_start(d: i64) -> i64 {
    d * DAY_MS - DAY_OFFSET_MS
}

/// How a period is counted: whole weeks from `rating_weeks` (hall-level counts only),
/// whole days from `rating_days`, the partial days at the ends from the rating rows.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Plan {
    /// Every whole day `[d0, d1)` of the period (for groupings the weeks do not keep).
    pub all_days: Option<(i64, i64)>,
    /// The whole weeks `[w0, w1)` inside `all_days` …
    pub weeks: Option<(i64, i64)>,
    /// … and the days of `all_days` outside them.
    pub days: Vec<(i64, i64)>,
    /// The parts of the period outside whole days, as scopes to count from rows.
    pub edges: Vec<InsightScope>,
}

/// Splits the scope's `[from, to)` into whole weeks, whole days and the partial ends.
pub(crate) fn split(scope: &InsightScope) -> Plan {
    let part = |from: i64, to: i64| InsightScope {
        hall_ids: scope.hall_ids.clone(),
        from,
        to,
    };
    if scope.from >= scope.to {
        return Plan::default();
    }
    // First day starting at or after `from`; first day not ending by `to`.
    let d0 = (scope.from + DAY_OFFSET_MS + DAY_MS - 1).div_euclid(DAY_MS);
    let d1 = (scope.to + DAY_OFFSET_MS).div_euclid(DAY_MS);
    if d0 >= d1 {
        return Plan {
            edges: vec![part(scope.from, scope.to)],
            ..Plan::default()
        };
    }
    let mut edges = Vec::new();
    if scope.from < day_start(d0) {
        edges.push(part(scope.from, day_start(d0)));
    }
    if day_start(d1) < scope.to {
        edges.push(part(day_start(d1), scope.to));
    }
    let (w0, w1) = ((d0 + 6).div_euclid(7), d1.div_euclid(7));
    let (weeks, days) = if w0 < w1 {
        let days = [(d0, w0 * 7), (w1 * 7, d1)]
            .into_iter()
            .filter(|(a, b)| a < b)
            .collect();
        (Some((w0, w1)), days)
    } else {
        (None, vec![(d0, d1)])
    };
    Plan {
        all_days: Some((d0, d1)),
        weeks,
        days,
        edges,
    }
}

impl crate::sql::SqlStore {
    /// Runs `sql` over roll-up rows `r` of the scope's halls whose `col` (day or week) is in
    /// `[a, b)`; `{where}` in `sql` becomes that condition.
    pub(crate) async fn rollup_rows(
        &self,
        sql: &str,
        col: &str,
        scope: &InsightScope,
        (a, b): (i64, i64),
    ) -> crate::Result<Vec<sqlx::any::AnyRow>> {
        let n = scope.hall_ids.len();
        let cond = format!(
            "r.hall_id IN ({}) AND r.{col} >= ${} AND r.{col} < ${}",
            crate::sql::placeholders(1, n),
            n + 1,
            n + 2
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.replace("{where}", &cond)));
        for h in &scope.hall_ids {
            q = q.bind(*h);
        }
        Ok(q.bind(a).bind(b).fetch_all(&self.pool).await?)
    }
}

impl crate::sql::SqlStore {
    /// Runs `sql` (with `{table}` and `{where}`) over the roll-up rows of the plan's whole
    /// days: from `rating_weeks` where it can (`hall_level`: the query needs no column
    /// finer than the hall), else from `rating_days`.
    pub(crate) async fn rolled(
        &self,
        sql: &str,
        scope: &InsightScope,
        plan: &Plan,
        hall_level: bool,
    ) -> crate::Result<Vec<sqlx::any::AnyRow>> {
        let days = |range| (sql.replace("{table}", "rating_days"), "day", range);
        let mut parts: Vec<(String, &str, (i64, i64))> = Vec::new();
        match (hall_level, plan.weeks) {
            (true, Some(weeks)) => {
                parts.push((sql.replace("{table}", "rating_weeks"), "week", weeks));
                parts.extend(plan.days.iter().map(|&d| days(d)));
            }
            _ => parts.extend(plan.all_days.map(days)),
        }
        let mut rows = Vec::new();
        for (sql, col, range) in parts {
            rows.extend(self.rollup_rows(&sql, col, scope, range).await?);
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(from: i64, to: i64) -> InsightScope {
        InsightScope {
            hall_ids: vec![1],
            from,
            to,
        }
    }

    #[test]
    fn a_period_splits_into_whole_days_and_its_ends() {
        // 2025-01-01 00:00 CST = 2024-12-31 16:00 UTC.
        let jan1 = 1_735_660_800_000;
        let d = (jan1 + DAY_OFFSET_MS) / DAY_MS;
        assert_eq!(day_start(d), jan1);
        // A year of local days: whole weeks, the days before and after them, no rows.
        let year = split(&scope(jan1, jan1 + 365 * DAY_MS));
        assert_eq!(year.all_days, Some((d, d + 365)));
        let (w0, w1) = year.weeks.expect("whole weeks");
        assert!(year.edges.is_empty());
        let from_weeks = (w1 - w0) * 7;
        let from_days: i64 = year.days.iter().map(|(a, b)| b - a).sum();
        assert_eq!(from_weeks + from_days, 365);
        assert!(year.days.iter().all(|(a, b)| b - a < 7));
        // From 10:00 on day 1 to 15:00 on day 4: days 2 and 3 rolled up, both ends from rows.
        let p = split(&scope(
            jan1 + 10 * 3_600_000,
            jan1 + 3 * DAY_MS + 15 * 3_600_000,
        ));
        assert_eq!((p.all_days, p.weeks), (Some((d + 1, d + 3)), None));
        assert_eq!(p.days, [(d + 1, d + 3)]);
        let ends: Vec<(i64, i64)> = p.edges.iter().map(|e| (e.from, e.to)).collect();
        assert_eq!(
            ends,
            [
                (jan1 + 10 * 3_600_000, jan1 + DAY_MS),
                (jan1 + 3 * DAY_MS, jan1 + 3 * DAY_MS + 15 * 3_600_000)
            ]
        );
        // Less than a whole day: rows only; an empty period: nothing.
        let p = split(&scope(jan1 + 1, jan1 + DAY_MS));
        assert_eq!((p.all_days, p.edges.len()), (None, 1));
        assert_eq!(split(&scope(jan1, jan1)), Plan::default());
    }
}
