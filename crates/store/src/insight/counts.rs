//! The counts behind the satisfaction figures and the emotion curve, aggregated in SQL,
//! never row by row in Rust. Whole-visit ratings over whole days come from the daily
//! roll-up (rollup.rs), the partial days at a period's ends from the rows (GROUP BY over
//! the `ratings_view` covering index). A scope is a list of hall ids, so a region is just a
//! longer list.

use super::rollup::split;
use crate::Result;
use crate::sql::SqlStore;
use crate::sql::placeholders;
use crate::*;
use servicehall_domain::insight::Dimension;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

/// `hall_id IN (…) AND <at> >= … AND <at> < …` for `alias`.
fn scope_on(alias: &str, at: &str, scope: &InsightScope) -> String {
    let n = scope.hall_ids.len();
    format!(
        "{alias}.hall_id IN ({}) AND {alias}.{at} >= ${} AND {alias}.{at} < ${}",
        placeholders(1, n),
        n + 1,
        n + 2
    )
}

fn scope_sql(alias: &str, scope: &InsightScope) -> String {
    scope_on(alias, "at", scope)
}

/// A channel of whole-visit ratings: the evaluator pad, the phone (一事一评), outside
/// evaluations (外评). Each row is one response.
struct Channel {
    table: &'static str,
    at: &'static str,
    counter: &'static str,
    staff: &'static str,
    /// The business type, and the join that reaches it.
    business_type: &'static str,
    join: &'static str,
}

const CHANNELS: [Channel; 3] = [
    Channel {
        table: "ratings",
        at: "at",
        counter: "r.counter_id",
        staff: "COALESCE(r.staff_id, 0)",
        // Pad ratings name the ticket; its business type is on the ticket.
        business_type: "t.business_type_id",
        join: "JOIN tickets t ON t.id = r.ticket_id",
    },
    Channel {
        table: "phone_ratings",
        at: "at",
        counter: "COALESCE(r.counter_id, 0)",
        staff: "COALESCE(r.staff_id, 0)",
        business_type: "r.business_type_id",
        join: "",
    },
    Channel {
        table: "external_evaluations",
        at: "evaluated_at",
        counter: "0",
        staff: "0",
        business_type: "COALESCE(r.business_type_id, 0)",
        join: "",
    },
];

/// The roll-up's column for a grouping (none is 0 there, as in the rows' COALESCE).
fn rollup_key(by: GroupBy) -> &'static str {
    match by {
        GroupBy::Hall => "r.hall_id",
        GroupBy::Counter => "r.counter_id",
        GroupBy::Staff => "r.staff_id",
        GroupBy::BusinessType => "r.business_type_id",
    }
}

fn add_reason(out: &mut Vec<(String, i64)>, reason: &str, n: i64) {
    match out.iter_mut().find(|(x, _)| x == reason) {
        Some(e) => e.1 += n,
        None => out.push((reason.to_string(), n)),
    }
}

impl Channel {
    fn key(&self, by: GroupBy) -> &'static str {
        match by {
            GroupBy::Hall => "r.hall_id",
            GroupBy::Counter => self.counter,
            GroupBy::Staff => self.staff,
            GroupBy::BusinessType => self.business_type,
        }
    }
}

/// `key, ` for a GROUP BY list, or nothing for a constant (a constant there means a column
/// position in SQLite and is refused by PostgreSQL).
fn group_term(key: &str) -> String {
    if key.contains('.') {
        format!("{key}, ")
    } else {
        String::new()
    }
}

/// Survey answers group by the attribution copied onto them.
fn answer_key(by: GroupBy) -> &'static str {
    match by {
        GroupBy::Hall => "a.hall_id",
        GroupBy::Counter => "COALESCE(a.counter_id, 0)",
        GroupBy::Staff => "COALESCE(a.staff_id, 0)",
        GroupBy::BusinessType => "COALESCE(a.business_type_id, 0)",
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

    /// (key, level, count) of one channel's ratings.
    async fn channel_levels(
        &self,
        ch: &Channel,
        scope: &InsightScope,
        by: GroupBy,
    ) -> Result<Vec<AnyRow>> {
        let join = if by == GroupBy::BusinessType {
            ch.join
        } else {
            ""
        };
        let key = ch.key(by);
        self.scoped(
            format!(
                "SELECT {key} AS k, r.level AS level, COUNT(*) AS n FROM {} r {join} WHERE {} GROUP BY {}r.level",
                ch.table,
                scope_on("r", ch.at, scope),
                group_term(key)
            ),
            scope,
        )
        .await
    }

    /// Reasons of bad ratings (levels 1–2) of every channel, with counts; with `by_touchpoint`,
    /// outside evaluations that name a touchpoint come back separately as (touchpoint, reason).
    async fn bad_reasons(
        &self,
        scope: &InsightScope,
        by_touchpoint: bool,
    ) -> Result<(Vec<(String, i64)>, Vec<(String, String, i64)>)> {
        let plan = split(scope);
        let (mut out, mut at) = (Vec::new(), Vec::new());
        for edge in &plan.edges {
            let (o, a) = self.bad_reasons_raw(edge, by_touchpoint).await?;
            for (reason, n) in o {
                add_reason(&mut out, &reason, n);
            }
            at.extend(a);
        }
        {
            let tp = if by_touchpoint { "r.touchpoint" } else { "''" };
            let sql = format!(
                "SELECT r.reasons AS reasons, {tp} AS tp, CAST(SUM(r.n) AS BIGINT) AS n FROM {{table}} r
                 WHERE {{where}} AND r.level <= 2 AND r.reasons <> '' GROUP BY {}r.reasons",
                group_term(tp)
            );
            for r in self.rolled(&sql, scope, &plan, true).await? {
                let reasons: String = r.try_get("reasons")?;
                let tp: String = r.try_get("tp")?;
                let n: i64 = r.try_get("n")?;
                for reason in reasons.split(',').filter(|s| !s.is_empty()) {
                    if tp.is_empty() {
                        add_reason(&mut out, reason, n);
                    } else {
                        at.push((tp.clone(), reason.to_string(), n));
                    }
                }
            }
        }
        Ok((out, at))
    }

    /// [`Self::bad_reasons`] counted from the rating rows.
    async fn bad_reasons_raw(
        &self,
        scope: &InsightScope,
        by_touchpoint: bool,
    ) -> Result<(Vec<(String, i64)>, Vec<(String, String, i64)>)> {
        let mut out: Vec<(String, i64)> = Vec::new();
        let mut at: Vec<(String, String, i64)> = Vec::new();
        for ch in &CHANNELS {
            let tp = if ch.table == "external_evaluations" && by_touchpoint {
                "r.touchpoint"
            } else {
                "''"
            };
            let rows = self
                .scoped(
                    format!(
                        "SELECT r.reasons AS reasons, {tp} AS tp, COUNT(*) AS n FROM {} r WHERE {} AND r.level <= 2 AND r.reasons <> '' GROUP BY {}r.reasons",
                        ch.table,
                        scope_on("r", ch.at, scope),
                        group_term(tp)
                    ),
                    scope,
                )
                .await?;
            for r in &rows {
                let reasons: String = r.try_get("reasons")?;
                let tp: String = r.try_get("tp")?;
                let n: i64 = r.try_get("n")?;
                for reason in reasons.split(',').filter(|s| !s.is_empty()) {
                    if !tp.is_empty() {
                        at.push((tp.clone(), reason.to_string(), n));
                        continue;
                    }
                    add_reason(&mut out, reason, n);
                }
            }
        }
        Ok((out, at))
    }

    pub(crate) async fn satisfaction_counts_sql(
        &self,
        scope: &InsightScope,
        by: GroupBy,
    ) -> Result<SatisfactionCounts> {
        if scope.hall_ids.is_empty() {
            return Ok(SatisfactionCounts::default());
        }
        let mut groups: Vec<GroupCounts> = Vec::new();
        fn group(groups: &mut Vec<GroupCounts>, key: i64) -> &mut GroupCounts {
            let i = match groups.iter().position(|g| g.key == key) {
                Some(i) => i,
                None => {
                    groups.push(GroupCounts {
                        key,
                        ..Default::default()
                    });
                    groups.len() - 1
                }
            };
            &mut groups[i]
        }
        let plan = split(scope);
        for edge in &plan.edges {
            for ch in &CHANNELS {
                for r in self.channel_levels(ch, edge, by).await? {
                    let (k, level, n): (i64, i64, i64) =
                        (r.try_get("k")?, r.try_get("level")?, r.try_get("n")?);
                    group(&mut groups, k).levels.add(level, n);
                }
            }
        }
        {
            let key = rollup_key(by);
            let sql = format!(
                "SELECT {key} AS k, r.level AS level, CAST(SUM(r.n) AS BIGINT) AS n FROM {{table}} r
                 WHERE {{where}} GROUP BY {key}, r.level"
            );
            for r in self.rolled(&sql, scope, &plan, by == GroupBy::Hall).await? {
                let (k, level, n): (i64, i64, i64) =
                    (r.try_get("k")?, r.try_get("level")?, r.try_get("n")?);
                group(&mut groups, k).levels.add(level, n);
            }
        }
        let key = answer_key(by);
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
            reasons: self.bad_reasons(scope, false).await?.0,
        })
    }

    pub(crate) async fn curve_counts_sql(&self, scope: &InsightScope) -> Result<CurveCounts> {
        let mut out = CurveCounts::default();
        if scope.hall_ids.is_empty() {
            return Ok(out);
        }
        let plan = split(scope);
        for edge in &plan.edges {
            let rows = self
                .scoped(
                    format!(
                        "SELECT r.level AS level, COUNT(*) AS n FROM ratings r WHERE {} GROUP BY r.level",
                        scope_sql("r", edge)
                    ),
                    edge,
                )
                .await?;
            for r in rows {
                out.sources.pad.add(r.try_get("level")?, r.try_get("n")?);
            }
        }
        let sql = "SELECT r.level AS level, CAST(SUM(r.n) AS BIGINT) AS n FROM {table} r
                   WHERE {where} AND r.channel = 'pad' GROUP BY r.level";
        for r in self.rolled(sql, scope, &plan, true).await? {
            out.sources.pad.add(r.try_get("level")?, r.try_get("n")?);
        }
        let (reasons, reasons_at) = self.bad_reasons(scope, true).await?;
        out.sources.bad_reasons = reasons;
        out.sources.reasons_at = reasons_at;
        // The phone's per-touchpoint stars and outside rows that name a touchpoint.
        let phone = self
            .scoped(
                format!(
                    "SELECT p.touchpoint AS tp, p.level AS level, COUNT(*) AS n
                     FROM phone_rating_touchpoints p JOIN phone_ratings r ON r.id = p.rating_id
                     WHERE {} GROUP BY p.touchpoint, p.level",
                    scope_sql("r", scope)
                ),
                scope,
            )
            .await?;
        let external = self
            .scoped(
                format!(
                    "SELECT r.touchpoint AS tp, r.level AS level, COUNT(*) AS n FROM external_evaluations r
                     WHERE {} AND r.touchpoint <> '' GROUP BY r.touchpoint, r.level",
                    scope_on("r", "evaluated_at", scope)
                ),
                scope,
            )
            .await?;
        for r in phone.iter().chain(external.iter()) {
            let (tp, level, n): (String, i64, i64) =
                (r.try_get("tp")?, r.try_get("level")?, r.try_get("n")?);
            add_at(&mut out.sources.by_touchpoint, &tp, level, n);
        }
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
            add_at(&mut out.sources.by_touchpoint, &tp, level, n);
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

fn add_at(
    list: &mut Vec<(String, servicehall_domain::insight::LevelCounts)>,
    tp: &str,
    level: i64,
    n: i64,
) {
    match list.iter_mut().find(|(t, _)| t == tp) {
        Some((_, c)) => c.add(level, n),
        None => {
            let mut c = servicehall_domain::insight::LevelCounts::default();
            c.add(level, n);
            list.push((tp.to_string(), c));
        }
    }
}
