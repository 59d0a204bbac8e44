//! The case register: a hall's cases by registration day, state, kind, business and owner,
//! filtered and paged in SQL with each case's next deadline.

use super::rows::{CASE_COLS, case_row};
use crate::listing::case_state_sql;
use crate::sql::SqlStore;
use crate::{CaseFilter, CaseLine, CaseState, Paged, Result, Window};
use servicehall_domain::cases::CaseKind;
use sqlx::Row;

impl SqlStore {
    pub(crate) async fn cases_paged(
        &self,
        hall_id: i64,
        f: &CaseFilter,
        w: Window,
        now: i64,
    ) -> Result<Paged<CaseLine>> {
        let filter = format!(
            "FROM cases c WHERE c.hall_id = $1 AND c.created_at >= $2 AND c.created_at < $3
               AND ($4 IS NULL OR c.kind = $4) AND ($5 IS NULL OR c.business_type_id = $5)
               AND ($6 IS NULL OR c.owner_id = $6) AND {}",
            case_state_sql("c", 7, 8)
        );
        let bind = |sql: String| {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(hall_id)
                .bind(f.from)
                .bind(f.to)
                .bind(f.kind.map(CaseKind::as_str))
                .bind(f.business_type_id)
                .bind(f.owner_id)
                .bind(f.state.map(CaseState::as_str))
                .bind(now)
        };
        let total: i64 = bind(format!("SELECT COUNT(*) AS n {filter}"))
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let cols = CASE_COLS
            .split(", ")
            .map(|c| format!("c.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = bind(format!(
            "SELECT {cols}, (SELECT MIN(k.deadline_at) FROM case_clocks k WHERE k.case_id = c.id AND k.state = 'running') AS next_deadline
             {filter} ORDER BY c.created_at DESC, c.id DESC LIMIT $9 OFFSET $10"
        ))
        .bind(w.limit)
        .bind(w.offset)
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .iter()
            .map(|r| {
                let case = case_row(r)?;
                let next_deadline: Option<i64> = r.try_get("next_deadline")?;
                let open = case.closed_at.is_none();
                Ok(CaseLine {
                    overdue: open && next_deadline.is_some_and(|d| d < now),
                    next_deadline: if open { next_deadline } else { None },
                    case,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Paged { items, total })
    }
}
