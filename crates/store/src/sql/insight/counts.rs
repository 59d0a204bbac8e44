//! The counts behind the satisfaction figures and the emotion curve, aggregated in SQL
//! (GROUP BY over the `ratings_view` covering index), never row by row in Rust. A scope is a
//! list of hall ids, so a region is just a longer list.

use super::SqlStore;
use crate::Result;
use crate::insight_model::*;
use crate::sql::placeholders;
use servicehall_domain::insight::Dimension;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

/// `hall_id IN (…) AND at >= … AND at < …` for `alias`, with the binds' count.
fn scope_sql(alias: &str, scope: &InsightScope) -> String {
    let n = scope.hall_ids.len();
    format!(
        "{alias}.hall_id IN ({}) AND {alias}.at >= ${} AND {alias}.at < ${}",
        placeholders(1, n),
        n + 1,
        n + 2
    )
}

fn group_key(alias: &str, by: GroupBy) -> String {
    match by {
        GroupBy::Hall => format!("{alias}.hall_id"),
        GroupBy::Counter => format!("COALESCE({alias}.counter_id, 0)"),
        GroupBy::Staff => format!("COALESCE({alias}.staff_id, 0)"),
        GroupBy::BusinessType => match alias {
            // Ratings name the ticket; its business type is on the ticket.
            "r" => "t.business_type_id".into(),
            _ => format!("COALESCE({alias}.business_type_id, 0)"),
        },
    }
}

impl SqlStore {
    async fn scoped(&self, sql: String, scope: &InsightScope) -> Result<Vec<AnyRow>> {
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for h in &scope.hall_ids {
            q = q.bind(*h);
        }
        Ok(q.bind(scope.from)
            .bind(scope.to)
            .fetch_all(&self.pool)
            .await?)
    }

    /// (key, level, count) of pad ratings.
    async fn rating_levels(&self, scope: &InsightScope, by: GroupBy) -> Result<Vec<AnyRow>> {
        let join = if by == GroupBy::BusinessType {
            "JOIN tickets t ON t.id = r.ticket_id"
        } else {
            ""
        };
        let key = group_key("r", by);
        self.scoped(
            format!(
                "SELECT {key} AS k, r.level AS level, COUNT(*) AS n FROM ratings r {join} WHERE {} GROUP BY {key}, r.level",
                scope_sql("r", scope)
            ),
            scope,
        )
        .await
    }

    async fn bad_reasons(&self, scope: &InsightScope) -> Result<Vec<(String, i64)>> {
        let rows = self
            .scoped(
                format!(
                    "SELECT r.reasons AS reasons, COUNT(*) AS n FROM ratings r WHERE {} AND r.level <= 2 GROUP BY r.reasons",
                    scope_sql("r", scope)
                ),
                scope,
            )
            .await?;
        let mut out: Vec<(String, i64)> = Vec::new();
        for r in &rows {
            let reasons: String = r.try_get("reasons")?;
            let n: i64 = r.try_get("n")?;
            for reason in reasons.split(',').filter(|s| !s.is_empty()) {
                match out.iter_mut().find(|(x, _)| x == reason) {
                    Some(e) => e.1 += n,
                    None => out.push((reason.to_string(), n)),
                }
            }
        }
        Ok(out)
    }

    pub(super) async fn satisfaction_counts_sql(
        &self,
        scope: &InsightScope,
        by: GroupBy,
    ) -> Result<SatisfactionCounts> {
        if scope.hall_ids.is_empty() {
            return Ok(SatisfactionCounts::default());
        }
        let mut groups: Vec<GroupCounts> = Vec::new();
        fn group(groups: &mut Vec<GroupCounts>, key: i64) -> &mut GroupCounts {
            if let Some(i) = groups.iter().position(|g| g.key == key) {
                return &mut groups[i];
            }
            groups.push(GroupCounts {
                key,
                ..Default::default()
            });
            groups.last_mut().expect("just pushed")
        }
        for r in self.rating_levels(scope, by).await? {
            let (k, level, n): (i64, i64, i64) =
                (r.try_get("k")?, r.try_get("level")?, r.try_get("n")?);
            group(&mut groups, k).levels.add(level, n);
        }
        let key = group_key("a", by);
        let rows = self
            .scoped(
                format!(
                    "SELECT {key} AS k, a.recommend AS score, COUNT(*) AS n FROM survey_answers a WHERE {} AND a.recommend IS NOT NULL GROUP BY {key}, a.recommend",
                    scope_sql("a", scope)
                ),
                scope,
            )
            .await?;
        for r in rows {
            let (k, score, n): (i64, i64, i64) =
                (r.try_get("k")?, r.try_get("score")?, r.try_get("n")?);
            group(&mut groups, k).recommend.add(score, n);
        }
        let rows = self
            .scoped(
                format!(
                    "SELECT {key} AS k, i.dimension AS dimension, i.level AS level, COUNT(*) AS n
                     FROM survey_answer_items i JOIN survey_answers a ON a.id = i.answer_id
                     WHERE {} AND i.dimension <> '' GROUP BY {key}, i.dimension, i.level",
                    scope_sql("a", scope)
                ),
                scope,
            )
            .await?;
        for r in rows {
            let (k, dim, level, n): (i64, String, i64, i64) = (
                r.try_get("k")?,
                r.try_get("dimension")?,
                r.try_get("level")?,
                r.try_get("n")?,
            );
            let Some(dim) = Dimension::parse(&dim) else {
                continue;
            };
            let g = group(&mut groups, k);
            match g.dimensions.iter_mut().find(|(d, _)| *d == dim) {
                Some((_, c)) => c.add(level, n),
                None => {
                    let mut c = servicehall_domain::insight::LevelCounts::default();
                    c.add(level, n);
                    g.dimensions.push((dim, c));
                }
            }
        }
        groups.sort_by_key(|g| g.key);
        Ok(SatisfactionCounts {
            groups,
            reasons: self.bad_reasons(scope).await?,
        })
    }

    pub(super) async fn curve_counts_sql(&self, scope: &InsightScope) -> Result<CurveCounts> {
        let mut out = CurveCounts::default();
        if scope.hall_ids.is_empty() {
            return Ok(out);
        }
        let rows = self
            .scoped(
                format!(
                    "SELECT r.level AS level, COUNT(*) AS n FROM ratings r WHERE {} GROUP BY r.level",
                    scope_sql("r", scope)
                ),
                scope,
            )
            .await?;
        for r in rows {
            out.sources.pad.add(r.try_get("level")?, r.try_get("n")?);
        }
        out.sources.pad_bad_reasons = self.bad_reasons(scope).await?;
        let rows = self
            .scoped(
                format!(
                    "SELECT i.touchpoint AS tp, i.dimension AS dimension, i.level AS level, COUNT(*) AS n
                     FROM survey_answer_items i JOIN survey_answers a ON a.id = i.answer_id
                     WHERE {} AND i.touchpoint <> '' GROUP BY i.touchpoint, i.dimension, i.level",
                    scope_sql("a", scope)
                ),
                scope,
            )
            .await?;
        for r in rows {
            let (tp, dim, level, n): (String, String, i64, i64) = (
                r.try_get("tp")?,
                r.try_get("dimension")?,
                r.try_get("level")?,
                r.try_get("n")?,
            );
            match out.sources.survey.iter_mut().find(|(t, _)| *t == tp) {
                Some((_, c)) => c.add(level, n),
                None => {
                    let mut c = servicehall_domain::insight::LevelCounts::default();
                    c.add(level, n);
                    out.sources.survey.push((tp.clone(), c));
                }
            }
            if level <= 2 {
                out.sources.survey_bad.push((tp, dim, n));
            }
        }
        // Observation items carry a list of touchpoints; few rows, grouped before splitting.
        let n = scope.hall_ids.len();
        let sql = format!(
            "SELECT i.touchpoints AS tps, i.code AS code, i.verdict AS verdict, CAST(SUM(COALESCE(i.points, 0)) AS BIGINT) AS points, COUNT(i.points) AS scored, COUNT(*) AS n
             FROM observation_items i JOIN observations o ON o.id = i.observation_id
             WHERE o.hall_id IN ({}) AND o.observed_at >= ${} AND o.observed_at < ${}
             GROUP BY i.touchpoints, i.code, i.verdict",
            placeholders(1, n),
            n + 1,
            n + 2
        );
        for r in self.scoped(sql, scope).await? {
            let tps: String = r.try_get("tps")?;
            let code: String = r.try_get("code")?;
            let verdict: String = r.try_get("verdict")?;
            let (points, scored, count): (i64, i64, i64) =
                (r.try_get("points")?, r.try_get("scored")?, r.try_get("n")?);
            for tp in tps.split(',').filter(|s| !s.is_empty()) {
                match out.observed.iter_mut().find(|(t, _, _)| t == tp) {
                    Some(e) => {
                        e.1 += points;
                        e.2 += scored;
                    }
                    None => out.observed.push((tp.to_string(), points, scored)),
                }
                if verdict == "not_met" || verdict == "partly" {
                    out.sources
                        .observed_misses
                        .push((tp.to_string(), code.clone(), count));
                }
            }
        }
        Ok(out)
    }
}
