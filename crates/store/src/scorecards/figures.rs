//! What the scorecards read beyond the halls' kept figures: the indicators countable for one
//! clerk or one counter (counted from the logs, as the library defines them, narrowed to
//! the person or counter that called, finished, was rated or was observed) and the
//! observations' 不符合 items that deduct points.

use super::{Personal, PersonalFigure, ViolationRow};
use crate::Result;
use sqlx::{AnyPool, AssertSqlSafe, Row};
use std::collections::HashMap;

/// The column naming the clerk or counter, and its id; `None` for a whole hall.
fn who_col(who: Personal, t: &str) -> Option<(String, i64)> {
    match who {
        Personal::Hall => None,
        Personal::Staff(id) => Some((format!("{t}.staff_id"), id)),
        Personal::Counter(id) => Some((format!("{t}.counter_id"), id)),
    }
}

pub(crate) async fn violations(
    pool: &AnyPool,
    hall_ids: &[i64],
    who: Personal,
    from: i64,
    to: i64,
) -> Result<Vec<ViolationRow>> {
    if hall_ids.is_empty() {
        return Ok(Vec::new());
    }
    let n = hall_ids.len();
    let mut sql = format!(
        "SELECT o.id, o.hall_id, i.code, o.observed_at, i.note, o.staff_id
         FROM observation_items i JOIN observations o ON o.id = i.observation_id
         WHERE i.verdict = 'not_met' AND o.hall_id IN ({}) AND o.created_at >= ${} AND o.created_at < ${}",
        crate::sql::placeholders(1, n),
        n + 1,
        n + 2
    );
    let who = who_col(who, "o");
    if let Some((col, _)) = &who {
        sql.push_str(&format!(" AND {col} = ${}", n + 3));
    }
    sql.push_str(" ORDER BY o.observed_at, o.id, i.code");
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for h in hall_ids {
        q = q.bind(*h);
    }
    q = q.bind(from).bind(to);
    if let Some((_, id)) = who {
        q = q.bind(id);
    }
    q.fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(ViolationRow {
                observation_id: r.try_get("id")?,
                hall_id: r.try_get("hall_id")?,
                code: r.try_get("code")?,
                at: r.try_get("observed_at")?,
                note: r.try_get("note")?,
                staff_id: r.try_get("staff_id")?,
            })
        })
        .collect()
}

pub(crate) async fn personal(
    pool: &AnyPool,
    hall_id: i64,
    who: Personal,
    from: i64,
    to: i64,
) -> Result<Vec<PersonalFigure>> {
    let Some((_, id)) = who_col(who, "e") else {
        return Ok(Vec::new());
    };
    let col = |t: &str| who_col(who, t).map(|c| c.0).unwrap_or_default();
    let mut out: HashMap<&'static str, (i64, i64)> = HashMap::new();
    // Finished by them: served, and the handling time from the first serving event.
    let sql = format!(
        "SELECT e.ticket_id, MAX(e.at) AS done,
                (SELECT MIN(s.at) FROM ticket_events s WHERE s.ticket_id = e.ticket_id AND s.state = 'serving') AS began
         FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
         WHERE e.state = 'finished' AND t.hall_id = $1 AND {} = $2 AND e.at >= $3 AND e.at < $4
         GROUP BY e.ticket_id",
        col("e")
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(hall_id)
        .bind(id)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?;
    for r in &rows {
        let done: i64 = r.try_get("done")?;
        let began: Option<i64> = r.try_get("began")?;
        let s = out.entry("served").or_default();
        s.0 += 1;
        s.1 += 1;
        if let Some(b) = began {
            let h = out.entry("handling_mean").or_default();
            h.0 += done - b;
            h.1 += 1;
        }
    }
    // Called by them: the share that ended as a no-show.
    let sql = format!(
        "SELECT e.ticket_id, t.state FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
         WHERE e.state = 'called' AND t.hall_id = $1 AND {} = $2 AND e.at >= $3 AND e.at < $4
           AND t.transferred_from IS NULL
         GROUP BY e.ticket_id, t.state",
        col("e")
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(hall_id)
        .bind(id)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?;
    for r in &rows {
        let state: String = r.try_get("state")?;
        let e = out.entry("no_show_rate").or_default();
        e.0 += i64::from(state == "no_show");
        e.1 += 1;
    }
    // Rated at their counter or while they served.
    let sql = format!(
        "SELECT r.level FROM ratings r WHERE r.hall_id = $1 AND {} = $2 AND r.at >= $3 AND r.at < $4",
        col("r")
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(hall_id)
        .bind(id)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?;
    for r in &rows {
        let level: i64 = r.try_get("level")?;
        let s = out.entry("satisfaction").or_default();
        s.0 += i64::from(level >= 4);
        s.1 += 1;
        let b = out.entry("bad_rating_rate").or_default();
        b.0 += i64::from(level <= 2);
        b.1 += 1;
    }
    // Observed: the mean score in tenths, as the library keeps it.
    let sql = format!(
        "SELECT o.score_pct FROM observations o
         WHERE o.hall_id = $1 AND {} = $2 AND o.created_at >= $3 AND o.created_at < $4 AND o.score_pct IS NOT NULL",
        col("o")
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(hall_id)
        .bind(id)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?;
    for r in &rows {
        let pct: f64 = r.try_get("score_pct")?;
        let o = out.entry("observation_score").or_default();
        o.0 += (pct * 10.0).round() as i64;
        o.1 += 1;
    }
    let mut v: Vec<PersonalFigure> = out
        .into_iter()
        .map(|(k, (num, den))| PersonalFigure {
            indicator: k.into(),
            num,
            den,
        })
        .collect();
    v.sort_by(|a, b| a.indicator.cmp(&b.indicator));
    Ok(v)
}
