//! Schemes, freezes, appeals and adjustments on SQL; each write audited in its transaction.

use super::{
    AdjustmentRow, AppealDecision, AppealFileData, AppealFileRow, AppealRow, FreezeRow,
    FrozenScore, NewAppeal, NewAppealFile, NewFreeze, NewScheme, Personal, PersonalFigure,
    SchemeRow, ScorecardStore, ViolationRow,
};
use crate::audit::append::{Append, append};
use crate::sql::{SqlStore, WriteTx, placeholders};
use crate::{Result, StoreError};
use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

const SCHEME_COLS: &str = "id, region_id, level, effective_month, scheme, set_by, set_at";
const APPEAL_COLS: &str = "id, hall_id, month, reason, evidence, state, filed_by, filed_at, decided_by, decided_at, decision, points_tenths";

fn scheme_row(r: &AnyRow) -> Result<SchemeRow> {
    Ok(SchemeRow {
        id: r.try_get("id")?,
        region_id: r.try_get("region_id")?,
        level: r.try_get("level")?,
        effective_month: r.try_get("effective_month")?,
        scheme: r.try_get("scheme")?,
        set_by: r.try_get("set_by")?,
        set_at: r.try_get("set_at")?,
    })
}

fn appeal_row(r: &AnyRow) -> Result<AppealRow> {
    Ok(AppealRow {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        month: r.try_get("month")?,
        reason: r.try_get("reason")?,
        evidence: r.try_get("evidence")?,
        state: r.try_get("state")?,
        filed_by: r.try_get("filed_by")?,
        filed_at: r.try_get("filed_at")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r.try_get("decided_at")?,
        decision: r.try_get("decision")?,
        points_tenths: r.try_get("points_tenths")?,
    })
}

/// `YYYYMM` as people read it.
fn month_text(m: i64) -> String {
    format!("{:04}-{:02}", m / 100, m % 100)
}

fn points(t: i64) -> String {
    format!("{:+.1}", t as f64 / 10.0)
}

async fn appeal_in(w: &mut WriteTx, id: i64) -> Result<Option<AppealRow>> {
    let sql = format!("SELECT {APPEAL_COLS} FROM scorecard_appeals WHERE id = $1");
    sqlx::query(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *w.tx)
        .await?
        .as_ref()
        .map(appeal_row)
        .transpose()
}

/// `col IN ($start, …)` bound later; `1 = 0` for no ids.
fn in_list(col: &str, start: usize, n: usize) -> String {
    if n == 0 {
        "1 = 0".into()
    } else {
        format!("{col} IN ({})", placeholders(start, n))
    }
}

#[async_trait]
impl ScorecardStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.scorecards.scorecard_schemes", fields(region = region_id))]
    async fn scorecard_schemes(&self, region_id: i64, level: &str) -> Result<Vec<SchemeRow>> {
        let sql = format!(
            "SELECT {SCHEME_COLS} FROM scorecard_schemes WHERE region_id = $1 AND level = $2
             ORDER BY effective_month DESC"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(region_id)
            .bind(level)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(scheme_row).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.scorecards.set_scorecard_scheme", fields(region = new.region_id))]
    async fn set_scorecard_scheme(&self, new: NewScheme, now: i64) -> Result<SchemeRow> {
        let mut w = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO scorecard_schemes (region_id, level, effective_month, scheme, set_by, set_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (region_id, level, effective_month) DO UPDATE
             SET scheme = excluded.scheme, set_by = excluded.set_by, set_at = excluded.set_at
             RETURNING id",
        )
        .bind(new.region_id)
        .bind(&new.level)
        .bind(new.effective_month)
        .bind(&new.scheme)
        .bind(new.set_by)
        .bind(now)
        .fetch_one(&mut *w.tx)
        .await?;
        let subject = format!(
            "考核方案 scorecard scheme: 区域 region {} · {} · 自 from {}: {}",
            new.region_id,
            new.level,
            month_text(new.effective_month),
            new.summary
        );
        let a = Append {
            hall: None,
            kind: "scorecard.scheme",
            subject,
            source: None,
        };
        append(&mut w, a, now).await?;
        self.commit(w).await?;
        Ok(SchemeRow {
            id,
            region_id: new.region_id,
            level: new.level,
            effective_month: new.effective_month,
            scheme: new.scheme,
            set_by: new.set_by,
            set_at: now,
        })
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.scorecards.scorecard_violations", fields(halls = hall_ids.len()))]
    async fn scorecard_violations(
        &self,
        hall_ids: &[i64],
        who: Personal,
        from: i64,
        to: i64,
    ) -> Result<Vec<ViolationRow>> {
        super::figures::violations(&self.pool, hall_ids, who, from, to).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.scorecards.scorecard_personal_figures", fields(hall = hall_id))]
    async fn scorecard_personal_figures(
        &self,
        hall_id: i64,
        who: Personal,
        from: i64,
        to: i64,
    ) -> Result<Vec<PersonalFigure>> {
        super::figures::personal(&self.pool, hall_id, who, from, to).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.scorecards.freeze_scorecards", fields(region = f.region_id, month = f.month))]
    async fn freeze_scorecards(&self, f: NewFreeze, now: i64) -> Result<FreezeRow> {
        let mut w = self.begin().await?;
        sqlx::query(
            "INSERT INTO scorecard_freezes (region_id, month, frozen_by, frozen_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(f.region_id)
        .bind(f.month)
        .bind(f.frozen_by)
        .bind(now)
        .execute(&mut *w.tx)
        .await
        .map_err(|e| {
            StoreError::unique_as(
                e,
                format!(
                    "{} 已经冻结，冻结后的得分只能经申诉调整 · {} is already frozen; a frozen score changes only through an appeal's adjustment",
                    month_text(f.month),
                    month_text(f.month)
                ),
            )
        })?;
        for s in &f.scores {
            sqlx::query(
                "INSERT INTO scorecard_scores (hall_id, month, region_id, total_tenths, detail)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (hall_id, month) DO UPDATE
                 SET region_id = excluded.region_id, total_tenths = excluded.total_tenths, detail = excluded.detail",
            )
            .bind(s.hall_id)
            .bind(f.month)
            .bind(f.region_id)
            .bind(s.total_tenths)
            .bind(&s.detail)
            .execute(&mut *w.tx)
            .await?;
            let total = s.total_tenths.map_or("暂无得分 no score".to_string(), |t| {
                format!("{:.1}", t as f64 / 10.0)
            });
            let a = Append {
                hall: Some(s.hall_id),
                kind: "scorecard.frozen",
                subject: format!(
                    "{} 月考核得分冻结 month frozen: {total}",
                    month_text(f.month)
                ),
                source: None,
            };
            append(&mut w, a, now).await?;
        }
        self.commit(w).await?;
        Ok(FreezeRow {
            region_id: f.region_id,
            month: f.month,
            frozen_by: f.frozen_by,
            frozen_at: now,
        })
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.scorecards.scorecard_freeze", fields(region = region_id, month))]
    async fn scorecard_freeze(&self, region_id: i64, month: i64) -> Result<Option<FreezeRow>> {
        let row = sqlx::query(
            "SELECT region_id, month, frozen_by, frozen_at FROM scorecard_freezes WHERE region_id = $1 AND month = $2",
        )
        .bind(region_id)
        .bind(month)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(FreezeRow {
                region_id: r.try_get("region_id")?,
                month: r.try_get("month")?,
                frozen_by: r.try_get("frozen_by")?,
                frozen_at: r.try_get("frozen_at")?,
            })
        })
        .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.scorecards.frozen_scores", fields(halls = hall_ids.len(), month))]
    async fn frozen_scores(&self, hall_ids: &[i64], month: i64) -> Result<Vec<FrozenScore>> {
        let sql = format!(
            "SELECT hall_id, month, region_id, total_tenths, detail FROM scorecard_scores
             WHERE month = $1 AND {} ORDER BY hall_id",
            in_list("hall_id", 2, hall_ids.len())
        );
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(month);
        for h in hall_ids {
            q = q.bind(*h);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(FrozenScore {
                    hall_id: r.try_get("hall_id")?,
                    month: r.try_get("month")?,
                    region_id: r.try_get("region_id")?,
                    total_tenths: r.try_get("total_tenths")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.scorecards.file_appeal", fields(hall = a.hall_id, month = a.month))]
    async fn file_appeal(&self, a: NewAppeal, now: i64) -> Result<AppealRow> {
        let mut w = self.begin().await?;
        let frozen: Option<i64> = sqlx::query_scalar(
            "SELECT hall_id FROM scorecard_scores WHERE hall_id = $1 AND month = $2",
        )
        .bind(a.hall_id)
        .bind(a.month)
        .fetch_optional(&mut *w.tx)
        .await?;
        if frozen.is_none() {
            return Err(StoreError::Invalid(format!(
                "{} 的得分尚未冻结，冻结后才能申诉 · the scores of {} are not frozen yet; appeal after the month-end freeze",
                month_text(a.month),
                month_text(a.month)
            )));
        }
        let open: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM scorecard_appeals WHERE hall_id = $1 AND month = $2 AND state = 'pending'",
        )
        .bind(a.hall_id)
        .bind(a.month)
        .fetch_optional(&mut *w.tx)
        .await?;
        if let Some(id) = open {
            return Err(StoreError::Conflict(format!(
                "{} 已有待裁定的申诉（第 {id} 号），请等待督查裁定 · appeal #{id} of {} is still pending; wait for the supervisor's decision",
                month_text(a.month),
                month_text(a.month)
            )));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO scorecard_appeals (hall_id, month, reason, evidence, state, filed_by, filed_at)
             VALUES ($1, $2, $3, $4, 'pending', $5, $6) RETURNING id",
        )
        .bind(a.hall_id)
        .bind(a.month)
        .bind(&a.reason)
        .bind(&a.evidence)
        .bind(a.filed_by)
        .bind(now)
        .fetch_one(&mut *w.tx)
        .await?;
        let rec = Append {
            hall: Some(a.hall_id),
            kind: "scorecard.appeal",
            subject: format!(
                "考核申诉 appeal #{id} ({}): {}",
                month_text(a.month),
                a.reason.chars().take(80).collect::<String>()
            ),
            source: None,
        };
        append(&mut w, rec, now).await?;
        let row = appeal_in(&mut w, id).await?;
        self.commit(w).await?;
        row.ok_or_else(|| StoreError::NotFound(format!("申诉 {id} 不存在 · no appeal {id}")))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.scorecards.decide_appeal", fields(appeal = d.id))]
    async fn decide_appeal(&self, d: AppealDecision, now: i64) -> Result<AppealRow> {
        let mut w = self.begin().await?;
        let a = appeal_in(&mut w, d.id).await?.ok_or_else(|| {
            StoreError::NotFound(format!(
                "没有第 {0} 号申诉，请从申诉列表中选择 · no appeal {0}; pick one from the list",
                d.id
            ))
        })?;
        if a.state != "pending" {
            return Err(StoreError::Conflict(format!(
                "第 {0} 号申诉已经裁定，不能再改 · appeal {0} is already decided",
                d.id
            )));
        }
        let state = if d.accept { "accepted" } else { "rejected" };
        let pts = d.accept.then_some(d.points_tenths);
        sqlx::query(
            "UPDATE scorecard_appeals SET state = $1, decided_by = $2, decided_at = $3, decision = $4, points_tenths = $5
             WHERE id = $6 AND state = 'pending'",
        )
        .bind(state)
        .bind(d.decided_by)
        .bind(now)
        .bind(&d.reason)
        .bind(pts)
        .bind(d.id)
        .execute(&mut *w.tx)
        .await?;
        let subject = if d.accept {
            sqlx::query(
                "INSERT INTO scorecard_adjustments (hall_id, month, appeal_id, points_tenths, reason, made_by, made_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(a.hall_id)
            .bind(a.month)
            .bind(a.id)
            .bind(d.points_tenths)
            .bind(&d.reason)
            .bind(d.decided_by)
            .bind(now)
            .execute(&mut *w.tx)
            .await?;
            format!(
                "申诉 #{} 采纳，{} 月得分调整 {} 分 · appeal accepted, {} adjusted {}: {}",
                a.id,
                month_text(a.month),
                points(d.points_tenths),
                month_text(a.month),
                points(d.points_tenths),
                d.reason
            )
        } else {
            format!(
                "申诉 #{} 驳回 · appeal rejected ({}): {}",
                a.id,
                month_text(a.month),
                d.reason
            )
        };
        let rec = Append {
            hall: Some(a.hall_id),
            kind: if d.accept {
                "scorecard.adjustment"
            } else {
                "scorecard.appeal_rejected"
            },
            subject,
            source: None,
        };
        append(&mut w, rec, now).await?;
        let row = appeal_in(&mut w, d.id).await?;
        self.commit(w).await?;
        row.ok_or_else(|| StoreError::NotFound(format!("申诉 {0} 不存在 · no appeal {0}", d.id)))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.scorecards.appeal", fields(appeal = id))]
    async fn appeal(&self, id: i64) -> Result<Option<AppealRow>> {
        let sql = format!("SELECT {APPEAL_COLS} FROM scorecard_appeals WHERE id = $1");
        sqlx::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(appeal_row)
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.scorecards.appeals", fields(halls = hall_ids.len()))]
    async fn appeals(&self, hall_ids: &[i64]) -> Result<Vec<AppealRow>> {
        let sql = format!(
            "SELECT {APPEAL_COLS} FROM scorecard_appeals WHERE {} ORDER BY filed_at DESC, id DESC",
            in_list("hall_id", 1, hall_ids.len())
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for h in hall_ids {
            q = q.bind(*h);
        }
        q.fetch_all(&self.pool)
            .await?
            .iter()
            .map(appeal_row)
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.scorecards.scorecard_adjustments", fields(halls = hall_ids.len(), month))]
    async fn scorecard_adjustments(
        &self,
        hall_ids: &[i64],
        month: i64,
    ) -> Result<Vec<AdjustmentRow>> {
        let sql = format!(
            "SELECT id, hall_id, month, appeal_id, points_tenths, reason, made_by, made_at
             FROM scorecard_adjustments WHERE month = $1 AND {} ORDER BY made_at, id",
            in_list("hall_id", 2, hall_ids.len())
        );
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(month);
        for h in hall_ids {
            q = q.bind(*h);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(AdjustmentRow {
                    id: r.try_get("id")?,
                    hall_id: r.try_get("hall_id")?,
                    month: r.try_get("month")?,
                    appeal_id: r.try_get("appeal_id")?,
                    points_tenths: r.try_get("points_tenths")?,
                    reason: r.try_get("reason")?,
                    made_by: r.try_get("made_by")?,
                    made_at: r.try_get("made_at")?,
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.scorecards.add_appeal_file", fields(appeal = f.appeal_id))]
    async fn add_appeal_file(&self, f: NewAppealFile, now: i64) -> Result<AppealFileRow> {
        self.insert_appeal_file(f, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.scorecards.appeal_files", fields(appeals = appeal_ids.len()))]
    async fn appeal_files(&self, appeal_ids: &[i64]) -> Result<Vec<AppealFileRow>> {
        self.list_appeal_files(appeal_ids).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.scorecards.appeal_file", fields(appeal = appeal_id, file = file_id))]
    async fn appeal_file(&self, appeal_id: i64, file_id: i64) -> Result<AppealFileData> {
        self.read_appeal_file(appeal_id, file_id).await
    }
}
