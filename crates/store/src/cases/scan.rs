//! The warning scan as a query. Every clock transition stores, in the same transaction,
//! the instants at which the clock reaches each warning level if nothing changes
//! (`case_clocks.warn_*_at`) and the earliest level not yet recorded (`next_warn_at`,
//! indexed) — derived by the domain ([`servicehall_domain::cases::warning_instants`]).
//! The scan selects only clocks whose `next_warn_at` has passed (plus clocks written before
//! the index existed), re-evaluates those cases with the domain, which stays the authority,
//! records the warnings reached and moves each clock's `next_warn_at` on.

use super::live::push_case_event_with;
use super::writes::{lock_case, refresh_clocks};
use crate::sql::SqlStore;
use crate::{CaseWarning, Result};
use serde_json::json;
use servicehall_domain::cases::ClockState;
use sqlx::{AssertSqlSafe, Row};
use std::collections::BTreeMap;

/// The clocks due at `$1` (`due`), or never indexed, joined to their open cases, of one hall
/// (`$2`, or `$1` for the never-indexed) when `one_hall`. Both read a partial index on
/// `case_clocks` first: a hall has ~100k open cases at scale and few due clocks, and without
/// statistics SQLite would rather walk the hall's open cases (`cases_hall_status`) and look
/// each one's clocks up (63.6 ms at 100k cases). `CROSS JOIN` makes SQLite keep the written
/// order; PostgreSQL plans it as the same inner join. No `DISTINCT` (the caller dedups): with
/// the statistics `bench-case-scan`'s ANALYZE left, SQLite 3.51 walked every clock in `case_id`
/// order for distinct rows instead of ranging over the due ones (19.7 ms → 37 µs at 20k cases).
fn due_sql(due: bool, one_hall: bool) -> String {
    let (cond, next) = if due {
        ("c.next_warn_at <= $1", 2)
    } else {
        ("c.warn_indexed = 0", 1)
    };
    let hall = if one_hall {
        format!(" AND k.hall_id = ${next}")
    } else {
        String::new()
    };
    format!(
        "SELECT c.case_id, k.hall_id FROM case_clocks c CROSS JOIN cases k WHERE k.id = c.case_id AND {cond} AND k.status = 'open'{hall}"
    )
}

impl SqlStore {
    /// Cases (by hall) with a clock whose next warning is due at `now`, or never indexed.
    async fn due_cases(&self, hall_id: Option<i64>, now: i64) -> Result<BTreeMap<i64, Vec<i64>>> {
        let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for due in [true, false] {
            let sql = due_sql(due, hall_id.is_some());
            let mut q = sqlx::query(AssertSqlSafe(sql));
            if due {
                q = q.bind(now);
            }
            if let Some(h) = hall_id {
                q = q.bind(h);
            }
            for r in q.fetch_all(&self.pool).await? {
                out.entry(r.try_get("hall_id")?)
                    .or_default()
                    .push(r.try_get("case_id")?);
            }
        }
        for ids in out.values_mut() {
            ids.sort_unstable();
            ids.dedup();
        }
        Ok(out)
    }

    /// Records the warnings reached at `now` by the due clocks (one transaction per hall)
    /// and returns the new ones.
    pub(crate) async fn scan_due_warnings(
        &self,
        hall_id: Option<i64>,
        now: i64,
    ) -> Result<Vec<CaseWarning>> {
        let mut out = Vec::new();
        for (hall, ids) in self.due_cases(hall_id, now).await? {
            let mut w = self.begin().await?;
            for id in ids {
                let d = lock_case(&mut w, id, now).await?;
                for clock in &d.clocks {
                    if !matches!(clock.state, ClockState::Running | ClockState::Paused) {
                        continue;
                    }
                    let permille = (clock.view.share * 1000.0).round() as i64;
                    for level in &clock.view.levels {
                        let n = sqlx::query("INSERT INTO case_warnings (case_id, hall_id, clock_key, level, share_permille, at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (case_id, clock_key, level) DO NOTHING")
                            .bind(id)
                            .bind(hall)
                            .bind(&clock.key)
                            .bind(level.as_str())
                            .bind(permille)
                            .bind(now)
                            .execute(&mut *w.tx)
                            .await?
                            .rows_affected();
                        if n == 0 {
                            continue;
                        }
                        // Posted later by a worker (OutboxStore); written with the warning.
                        sqlx::query("INSERT INTO webhook_outbox (case_id, hall_id, clock_key, level, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (case_id, clock_key, level) DO NOTHING")
                            .bind(id)
                            .bind(hall)
                            .bind(&clock.key)
                            .bind(level.as_str())
                            .bind(now)
                            .execute(&mut *w.tx)
                            .await?;
                        push_case_event_with(
                            &mut w,
                            id,
                            "warning",
                            json!({"clock": clock.key, "level": level.as_str(), "share_permille": permille}),
                            now,
                        )
                        .await?;
                        out.push(CaseWarning {
                            case_id: id,
                            case_number: d.case.number.clone(),
                            hall_id: hall,
                            clock_key: clock.key.clone(),
                            level: *level,
                            share_permille: permille,
                            at: now,
                            owner_id: d.case.owner_id,
                        });
                    }
                }
                // Recorded levels drop out of next_warn_at; clocks never indexed get indexed.
                refresh_clocks(&mut w, id, now).await?;
            }
            self.commit(w).await?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::due_sql;
    use crate::queue::issue::sqlite_issuer::tests::{hall_db, query_plan};

    #[test]
    fn the_scan_starts_from_the_due_clocks_not_the_halls_cases() {
        let c = hall_db();
        for due in [true, false] {
            for one_hall in [true, false] {
                let plan = query_plan(&c, &due_sql(due, one_hall));
                let index = if due {
                    "case_clocks_next_warn"
                } else {
                    "case_clocks_unindexed"
                };
                let at = format!("due={due} one_hall={one_hall}: {plan:?}");
                assert!(plan[0].contains(index), "{at}");
                // Each due clock's case is then found by its id, never walked.
                assert!(
                    plan[1].starts_with("SEARCH k") && plan[1].contains("rowid=?"),
                    "{at}"
                );
            }
        }
    }
}
