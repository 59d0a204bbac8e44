//! The risk register on SQL: the hall register's trait methods. Rows are read in rows.rs,
//! written and logged in write.rs; KRIs are in kri.rs and region registers in region.rs.

use super::kri::hall_today;
use super::rows::{
    KRI_SELECT, NOTICE_SELECT, RISK_SELECT, kri_row, load_risk, notice_row, risk_row,
};
use super::write::{
    Review, Scope, check_input, insert_row, invalid, load_matrix, log_change, summary, update_row,
};
use crate::risks::*;
use crate::sql::SqlStore;
use crate::{Result, StoreError};
use async_trait::async_trait;
use servicehall_domain::risks::{Matrix, next_review};
use sqlx::{AssertSqlSafe, Row};

#[async_trait]
impl RiskStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.risk_matrix")]
    async fn risk_matrix(&self, hall_id: i64) -> Result<Matrix> {
        let mut conn = self.pool.acquire().await?;
        load_matrix(&mut conn, Scope::Hall(hall_id)).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.set_risk_matrix")]
    async fn set_risk_matrix(
        &self,
        hall_id: i64,
        matrix: &Matrix,
        by: Option<i64>,
        now: i64,
    ) -> Result<()> {
        matrix.validate().map_err(invalid)?;
        let body = serde_json::to_string(matrix).map_err(invalid)?;
        let mut w = self.begin().await?;
        let old = load_matrix(&mut w.tx, Scope::Hall(hall_id)).await?;
        // A smaller matrix must still hold every rating of the register.
        let outside: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM risks WHERE hall_id = $1 AND (inherent_likelihood > $2 \
             OR inherent_impact > $2 OR residual_likelihood > $2 OR residual_impact > $2)",
        )
        .bind(hall_id)
        .bind(i64::from(matrix.size))
        .fetch_one(&mut *w.tx)
        .await?;
        if outside > 0 {
            return Err(StoreError::Invalid(format!(
                "有 {outside} 项风险的评分超出 {0}×{0} 矩阵，请先调整这些风险 · {outside} risks are rated outside a {0}×{0} matrix; re-rate them first",
                matrix.size
            )));
        }
        let changes = super::matrix::changes(&old, matrix);
        sqlx::query(
            "INSERT INTO risk_settings (hall_id, matrix, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (hall_id) DO UPDATE SET matrix = excluded.matrix, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(hall_id)
        .bind(body)
        .bind(now)
        .bind(by)
        .execute(&mut *w.tx)
        .await?;
        self.audit(&mut w.tx, Some(hall_id), changes, by, now)
            .await?;
        self.commit(w).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.risks")]
    async fn risks(&self, hall_id: i64) -> Result<Vec<Risk>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{RISK_SELECT} WHERE r.hall_id = $1 \
             ORDER BY r.residual_likelihood * r.residual_impact DESC, r.code"
        )))
        .bind(hall_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(risk_row).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.get")]
    async fn get(&self, id: i64) -> Result<Risk> {
        let mut conn = self.pool.acquire().await?;
        load_risk(&mut conn, id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.create_risk")]
    async fn create_risk(
        &self,
        hall_id: i64,
        input: &RiskInput,
        by: RiskActor,
        now: i64,
    ) -> Result<Risk> {
        let mut w = self.begin().await?;
        let today = hall_today(&mut w.tx, hall_id, now).await?;
        let (m, residual, approver) =
            check_input(&mut w.tx, Scope::Hall(hall_id), input, by, today, None).await?;
        let id = super::region::next_risk_id(&mut w).await?;
        let review = Review {
            reviewed: today,
            next: next_review(&m, residual, today),
            reason: String::new(),
        };
        let scope = Scope::Hall(hall_id);
        insert_row(&mut w.tx, scope, id, input, approver, &review, now).await?;
        log_change(&mut w.tx, id, now, by.staff_id, "登记 registered", residual).await?;
        let r = load_risk(&mut w.tx, id).await?;
        self.commit(w).await?;
        Ok(r)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.update_risk")]
    async fn update_risk(
        &self,
        id: i64,
        input: &RiskInput,
        by: RiskActor,
        now: i64,
    ) -> Result<Risk> {
        let mut w = self.begin().await?;
        let before = load_risk(&mut w.tx, id).await?;
        let Some(hall_id) = before.hall_id else {
            return super::region::update(self, w, before, input, by, now).await;
        };
        let today = hall_today(&mut w.tx, hall_id, now).await?;
        let (m, residual, approver) = check_input(
            &mut w.tx,
            Scope::Hall(hall_id),
            input,
            by,
            today,
            Some(&before),
        )
        .await?;
        // A review restarts the cadence; otherwise a KRI's raised date stands and a changed
        // score moves the date by its new band from the last review.
        let review = if input.reviewed {
            Review {
                reviewed: today,
                next: next_review(&m, residual, today),
                reason: String::new(),
            }
        } else if !before.review_reason.is_empty() {
            Review {
                reviewed: before.last_reviewed,
                next: before.next_review,
                reason: before.review_reason.clone(),
            }
        } else {
            Review {
                reviewed: before.last_reviewed,
                next: next_review(&m, residual, before.last_reviewed),
                reason: String::new(),
            }
        };
        let what = summary(&before, input);
        let scope = Scope::Hall(hall_id);
        update_row(&mut w.tx, scope, id, input, approver, &review, now).await?;
        if input.reviewed {
            sqlx::query(
                "UPDATE risk_notices SET seen_at = $1 WHERE risk_id = $2 AND seen_at IS NULL",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        }
        log_change(&mut w.tx, id, now, by.staff_id, &what, residual).await?;
        let r = load_risk(&mut w.tx, id).await?;
        self.commit(w).await?;
        Ok(r)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.risk_changes")]
    async fn risk_changes(&self, id: i64) -> Result<Vec<RiskChange>> {
        // One id space: a risk's changes are in one of the two tables.
        let rows = sqlx::query(
            "SELECT c.id, c.risk_id, c.at, s.name AS by_name, c.summary, c.residual_score \
             FROM risk_changes c LEFT JOIN staff s ON s.id = c.by_id WHERE c.risk_id = $1 \
             UNION ALL SELECT c.id, c.risk_id, c.at, s.name AS by_name, c.summary, c.residual_score \
             FROM region_risk_changes c LEFT JOIN staff s ON s.id = c.by_id WHERE c.risk_id = $1 \
             ORDER BY 3, 1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RiskChange {
                    id: r.try_get("id")?,
                    risk_id: r.try_get("risk_id")?,
                    at: r.try_get("at")?,
                    by_name: r.try_get("by_name")?,
                    summary: r.try_get("summary")?,
                    residual_score: r.try_get("residual_score")?,
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.kris")]
    async fn kris(&self, hall_id: i64) -> Result<Vec<Kri>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{KRI_SELECT} WHERE k.hall_id = $1 ORDER BY r.code, k.measure"
        )))
        .bind(hall_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(kri_row).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.save_kri")]
    async fn save_kri(&self, hall_id: i64, input: &KriInput) -> Result<Kri> {
        super::kri::save(self, hall_id, input).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.kri_history")]
    async fn kri_history(&self, kri_id: i64, days: u32, now: i64) -> Result<Vec<KriPoint>> {
        super::kri::history(self, kri_id, days, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.refresh_kris")]
    async fn refresh_kris(&self, hall_id: Option<i64>, now: i64) -> Result<Vec<RiskNotice>> {
        super::kri::refresh(self, hall_id, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.region_risk_matrix")]
    async fn region_risk_matrix(&self, region_id: i64) -> Result<Matrix> {
        let mut conn = self.pool.acquire().await?;
        load_matrix(&mut conn, Scope::Region(region_id)).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.set_region_risk_matrix")]
    async fn set_region_risk_matrix(
        &self,
        region_id: i64,
        matrix: &Matrix,
        by: Option<i64>,
        now: i64,
    ) -> Result<()> {
        super::region::set_matrix(self, region_id, matrix, by, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.region_risks")]
    async fn region_risks(&self, region_id: i64) -> Result<Vec<Risk>> {
        super::region::list(self, region_id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.create_region_risk")]
    async fn create_region_risk(
        &self,
        region_id: i64,
        input: &RiskInput,
        by: RiskActor,
        now: i64,
    ) -> Result<Risk> {
        super::region::create(self, region_id, input, by, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.hall_risk_cells")]
    async fn hall_risk_cells(&self, halls: &[i64]) -> Result<Vec<RiskCell>> {
        super::region::cells(self, halls).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.risk_notices")]
    async fn risk_notices(
        &self,
        hall_id: Option<i64>,
        owner_id: Option<i64>,
    ) -> Result<Vec<RiskNotice>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{NOTICE_SELECT} WHERE n.seen_at IS NULL AND ($1 < 0 OR n.hall_id = $1) \
             AND ($2 < 0 OR n.owner_id = $2) ORDER BY n.at DESC, n.id DESC LIMIT 50"
        )))
        .bind(hall_id.unwrap_or(-1))
        .bind(owner_id.unwrap_or(-1))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(notice_row).collect()
    }
}
