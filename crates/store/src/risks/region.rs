//! 区域风险 · a region's own register (a city or province company's risks) on SQL, kept in
//! `region_risks` with ids from the same space as hall risks (see migration 0040 for why a
//! table of its own). The checks, summaries and history lines are the hall register's; a
//! region's day is China Standard Time (regions carry no time zone of their own).

use super::rows::{REGION_RISK_SELECT, load_region_risk as load, risk_row_in};
use super::write::{
    Review, Scope, check_input, insert_row, load_matrix, log_change, summary, update_row,
};
use crate::audit::append::{Append, append};
use crate::risks::{Risk, RiskActor, RiskCell, RiskInput};
use crate::sql::{SqlStore, WriteTx};
use crate::{Result, StoreError};
use chrono::NaiveDate;
use servicehall_domain::risks::{Matrix, next_review};
use servicehall_domain::time::{parse_tz, service_day};
use sqlx::{AssertSqlSafe, Row};

/// A region's day: regions have no time zone, and the company works on China time.
pub(super) fn region_today(now: i64) -> Result<NaiveDate> {
    let tz = parse_tz("Asia/Shanghai").map_err(StoreError::Invalid)?;
    Ok(service_day(now, tz))
}

/// The next id of the shared id space of hall and region risks. PostgreSQL: the `risks`
/// identity sequence. SQLite: one past the highest of both tables (the single writer holds
/// the transaction, so no other write can take it meanwhile).
pub(crate) async fn next_risk_id(w: &mut WriteTx) -> Result<i64> {
    let sql = if w.postgres {
        "SELECT nextval(pg_get_serial_sequence('risks', 'id'))"
    } else {
        "SELECT COALESCE(MAX(id), 0) + 1 FROM (SELECT MAX(id) AS id FROM risks \
         UNION ALL SELECT MAX(id) AS id FROM region_risks) AS ids"
    };
    Ok(sqlx::query_scalar(sql).fetch_one(&mut *w.tx).await?)
}

/// Region risks go on the deployment chain too: the history says what, the chain pins it.
async fn chain(w: &mut WriteTx, r: &Risk, what: &str, now: i64) -> Result<()> {
    let a = Append {
        hall: None,
        kind: "risk.region",
        subject: format!(
            "区域风险 region risk #{} {} {}（区域 region #{}）：{what}",
            r.id,
            r.code,
            r.title,
            r.region_id.unwrap_or_default()
        ),
        source: None,
    };
    append(w, a, now).await?;
    Ok(())
}

pub(super) async fn list(s: &SqlStore, region_id: i64) -> Result<Vec<Risk>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "{REGION_RISK_SELECT} WHERE r.region_id = $1 \
         ORDER BY r.residual_likelihood * r.residual_impact DESC, r.code"
    )))
    .bind(region_id)
    .fetch_all(&s.pool)
    .await?;
    rows.iter().map(|r| risk_row_in(r, true)).collect()
}

pub(super) async fn create(
    s: &SqlStore,
    region_id: i64,
    input: &RiskInput,
    by: RiskActor,
    now: i64,
) -> Result<Risk> {
    let mut w = s.begin().await?;
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM regions WHERE id = $1")
        .bind(region_id)
        .fetch_one(&mut *w.tx)
        .await?;
    if exists == 0 {
        return Err(StoreError::not_found("region", region_id));
    }
    let today = region_today(now)?;
    let (m, residual, approver) =
        check_input(&mut w.tx, Scope::Region(region_id), input, by, today, None).await?;
    let id = next_risk_id(&mut w).await?;
    let review = Review {
        reviewed: today,
        next: next_review(&m, residual, today),
        reason: String::new(),
    };
    let scope = Scope::Region(region_id);
    insert_row(&mut w.tx, scope, id, input, approver, &review, now).await?;
    log_change(&mut w.tx, id, now, by.staff_id, "登记 registered", residual).await?;
    let r = load(&mut w.tx, id).await?;
    chain(&mut w, &r, "登记 registered", now).await?;
    s.commit(w).await?;
    Ok(r)
}

/// Changes a region risk (the hall register's `update_risk` hands these over).
pub(super) async fn update(
    s: &SqlStore,
    mut w: WriteTx,
    before: Risk,
    input: &RiskInput,
    by: RiskActor,
    now: i64,
) -> Result<Risk> {
    let region_id = before.region_id.unwrap_or_default();
    let today = region_today(now)?;
    let (m, residual, approver) = check_input(
        &mut w.tx,
        Scope::Region(region_id),
        input,
        by,
        today,
        Some(&before),
    )
    .await?;
    // Regions have no KRIs, so nothing raises a review early.
    let next_from = if input.reviewed {
        today
    } else {
        before.last_reviewed
    };
    let review = Review {
        reviewed: next_from,
        next: next_review(&m, residual, next_from),
        reason: String::new(),
    };
    let what = summary(&before, input);
    let scope = Scope::Region(region_id);
    update_row(&mut w.tx, scope, before.id, input, approver, &review, now).await?;
    log_change(&mut w.tx, before.id, now, by.staff_id, &what, residual).await?;
    let r = load(&mut w.tx, before.id).await?;
    chain(&mut w, &r, &what, now).await?;
    s.commit(w).await?;
    Ok(r)
}

pub(super) async fn set_matrix(
    s: &SqlStore,
    region_id: i64,
    matrix: &Matrix,
    by: Option<i64>,
    now: i64,
) -> Result<()> {
    matrix
        .validate()
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let body = serde_json::to_string(matrix).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let mut w = s.begin().await?;
    let old = load_matrix(&mut w.tx, Scope::Region(region_id)).await?;
    let outside: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM region_risks WHERE region_id = $1 AND (inherent_likelihood > $2 \
         OR inherent_impact > $2 OR residual_likelihood > $2 OR residual_impact > $2)",
    )
    .bind(region_id)
    .bind(i64::from(matrix.size))
    .fetch_one(&mut *w.tx)
    .await?;
    if outside > 0 {
        return Err(StoreError::Invalid(format!(
            "有 {outside} 项区域风险的评分超出 {0}×{0} 矩阵，请先调整这些风险 · {outside} region risks are rated outside a {0}×{0} matrix; re-rate them first",
            matrix.size
        )));
    }
    sqlx::query(
        "INSERT INTO region_risk_settings (region_id, matrix, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (region_id) DO UPDATE SET matrix = excluded.matrix, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(region_id)
    .bind(body)
    .bind(now)
    .bind(by)
    .execute(&mut *w.tx)
    .await?;
    // Audited as the deployment's settings, each line named for the region.
    let changes = super::matrix::changes(&old, matrix)
        .into_iter()
        .map(|(k, a, b)| (format!("region{region_id}.{k}"), a, b))
        .collect();
    s.audit(&mut w.tx, None, changes, by, now).await?;
    s.commit(w).await
}

/// Residual ratings of the hall risks of `halls`, counted per cell.
pub(super) async fn cells(s: &SqlStore, halls: &[i64]) -> Result<Vec<RiskCell>> {
    if halls.is_empty() {
        return Ok(Vec::new());
    }
    // Hall ids are numbers the store gave out: safe to write into the statement.
    let ids: Vec<String> = halls.iter().map(i64::to_string).collect();
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT residual_likelihood AS l, residual_impact AS i, COUNT(*) AS n FROM risks \
         WHERE hall_id IN ({}) GROUP BY residual_likelihood, residual_impact",
        ids.join(", ")
    )))
    .fetch_all(&s.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(RiskCell {
                likelihood: u8::try_from(r.try_get::<i64, _>("l")?).unwrap_or(0),
                impact: u8::try_from(r.try_get::<i64, _>("i")?).unwrap_or(0),
                count: u32::try_from(r.try_get::<i64, _>("n")?).unwrap_or(0),
            })
        })
        .collect()
}
