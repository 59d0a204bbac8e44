//! Checklists and inspections on SQL. A template version is stored whole as JSON (`body`):
//! it is read as one piece and never updated, and the scoring reads it in the domain.

use crate::inspections::rows::{
    INSPECTION_SELECT, TEMPLATE_COLS, inspection_row, load_inspection, load_template, lock_open,
    template_row,
};
use crate::inspections::{Inspection, InspectionStart, InspectionTemplate};
use crate::sql::SqlStore;
use crate::{InspectionStore, Result, StoreError};
use async_trait::async_trait;
use servicehall_domain::inspections::score::check_submission;
use servicehall_domain::inspections::{Outcome, SubjectKind, Template};
use sqlx::{AnyConnection, AssertSqlSafe};

/// The highest version of `code` a scope sees (the hall's own and the company-wide ones).
async fn latest_version(conn: &mut AnyConnection, hall: Option<i64>, code: &str) -> Result<i64> {
    let v: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(version) FROM inspection_templates \
         WHERE code = $1 AND (hall_id IS NULL OR hall_id = $2)",
    )
    .bind(code)
    .bind(hall.unwrap_or(-1))
    .fetch_one(conn)
    .await?;
    Ok(v.unwrap_or(0))
}

pub(crate) async fn insert_template(
    conn: &mut AnyConnection,
    hall: Option<i64>,
    t: &Template,
    by: Option<i64>,
    now: i64,
) -> Result<i64> {
    let version = latest_version(conn, hall, &t.code).await? + 1;
    let body = serde_json::to_string(t).map_err(|e| {
        StoreError::Invalid(format!(
            "检查清单无法保存 · template does not serialize: {e}"
        ))
    })?;
    let subject = match t.subject {
        SubjectKind::Hall => "hall",
        SubjectKind::Staff => "staff",
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO inspection_templates (hall_id, code, version, name_zh, name_en, subject, body, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(hall)
    .bind(&t.code)
    .bind(version)
    .bind(&t.name_zh)
    .bind(&t.name_en)
    .bind(subject)
    .bind(body)
    .bind(now)
    .bind(by)
    .fetch_one(conn)
    .await
    .map_err(|e| {
        StoreError::unique_as(
            e,
            "模板刚被他人修改，请刷新后重试 · the template was just changed; reload and try again",
        )
    })?;
    Ok(id)
}

fn template_err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(e.to_string())
}

#[async_trait]
impl InspectionStore for SqlStore {
    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.inspections.save_inspection_template"
    )]
    async fn save_inspection_template(
        &self,
        hall_id: Option<i64>,
        template: &Template,
        by: Option<i64>,
        now: i64,
    ) -> Result<InspectionTemplate> {
        template.validate().map_err(template_err)?;
        let mut w = self.begin().await?;
        let id = insert_template(&mut w.tx, hall_id, template, by, now).await?;
        let t = load_template(&mut w.tx, id).await?;
        self.commit(w).await?;
        Ok(t)
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.inspections.install_inspection_templates"
    )]
    async fn install_inspection_templates(
        &self,
        templates: &[Template],
        now: i64,
    ) -> Result<usize> {
        let mut w = self.begin().await?;
        let mut written = 0;
        for t in templates {
            t.validate().map_err(template_err)?;
            let latest = sqlx::query(AssertSqlSafe(format!(
                "SELECT {TEMPLATE_COLS} FROM inspection_templates \
                 WHERE code = $1 AND hall_id IS NULL ORDER BY version DESC LIMIT 1"
            )))
            .bind(&t.code)
            .fetch_optional(&mut *w.tx)
            .await?;
            if let Some(r) = latest
                && template_row(&r)?.template == *t
            {
                continue;
            }
            insert_template(&mut w.tx, None, t, None, now).await?;
            written += 1;
        }
        self.commit(w).await?;
        Ok(written)
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.inspections.inspection_templates"
    )]
    async fn inspection_templates(&self, hall_id: i64) -> Result<Vec<InspectionTemplate>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {TEMPLATE_COLS} FROM inspection_templates \
             WHERE hall_id IS NULL OR hall_id = $1 ORDER BY id"
        )))
        .bind(hall_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<InspectionTemplate> = Vec::new();
        for r in &rows {
            let t = template_row(r)?;
            // The hall's own version wins over a company-wide one; then the higher version.
            let rank = |x: &InspectionTemplate| (x.hall_id.is_some(), x.version);
            match out.iter_mut().find(|o| o.template.code == t.template.code) {
                Some(o) if rank(&t) > rank(o) => *o = t,
                Some(_) => {}
                None => out.push(t),
            }
        }
        Ok(out)
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.inspections.inspection_template"
    )]
    async fn inspection_template(&self, id: i64) -> Result<InspectionTemplate> {
        let mut conn = self.pool.acquire().await?;
        load_template(&mut conn, id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.inspections.start_inspection")]
    async fn start_inspection(&self, input: &InspectionStart, now: i64) -> Result<Inspection> {
        let mut w = self.begin().await?;
        let t = load_template(&mut w.tx, input.template_id).await?;
        if t.hall_id.is_some_and(|h| h != input.hall_id) {
            return Err(StoreError::not_found(
                "inspection template",
                input.template_id,
            ));
        }
        match (t.template.subject, input.subject_staff_id) {
            (SubjectKind::Hall, Some(_)) => {
                return Err(StoreError::Invalid(format!(
                    "“{}”检查的是整个营业厅，不针对个人 · {} checks the hall, not a person",
                    t.template.name_zh, t.template.name_en
                )));
            }
            (SubjectKind::Staff, None) => {
                return Err(StoreError::Invalid(format!(
                    "“{}”逐人检查，请选择被检查的员工 · {} is per person: pick the staff member",
                    t.template.name_zh, t.template.name_en
                )));
            }
            (SubjectKind::Staff, Some(staff)) => {
                let hall: Option<Option<i64>> =
                    sqlx::query_scalar("SELECT hall_id FROM staff WHERE id = $1 AND active = 1")
                        .bind(staff)
                        .fetch_optional(&mut *w.tx)
                        .await?;
                if hall.flatten() != Some(input.hall_id) {
                    return Err(StoreError::Invalid(format!(
                        "被检查人不是本厅在岗员工 · staff {staff} is not active staff of this hall"
                    )));
                }
            }
            (SubjectKind::Hall, None) => {}
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO inspections (hall_id, template_id, subject_staff_id, inspector_id, started_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(input.hall_id)
        .bind(input.template_id)
        .bind(input.subject_staff_id)
        .bind(input.inspector_id)
        .bind(now)
        .fetch_one(&mut *w.tx)
        .await?;
        let i = load_inspection(&mut w.tx, id).await?;
        self.commit(w).await?;
        Ok(i)
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.inspections.record_inspection_item"
    )]
    async fn record_inspection_item(
        &self,
        id: i64,
        item: &str,
        outcome: Outcome,
        note: &str,
        now: i64,
    ) -> Result<Inspection> {
        let mut w = self.begin().await?;
        let (_, t) = lock_open(&mut w.tx, id).await?;
        if t.template.item(item).is_none() {
            return Err(StoreError::Invalid(format!(
                "“{}”没有这个检查项 · {} has no item {item:?}",
                t.template.name_zh, t.template.name_en
            )));
        }
        sqlx::query(
            "INSERT INTO inspection_results (inspection_id, item_key, outcome, note, recorded_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (inspection_id, item_key) \
             DO UPDATE SET outcome = excluded.outcome, note = excluded.note, recorded_at = excluded.recorded_at",
        )
        .bind(id)
        .bind(item)
        .bind(outcome.as_str())
        .bind(note.trim())
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
        let i = load_inspection(&mut w.tx, id).await?;
        self.commit(w).await?;
        Ok(i)
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.inspections.submit_inspection"
    )]
    async fn submit_inspection(&self, id: i64, now: i64) -> Result<Inspection> {
        let mut w = self.begin().await?;
        let (_, t) = lock_open(&mut w.tx, id).await?;
        let current = load_inspection(&mut w.tx, id).await?;
        let score = check_submission(&t.template, &current.results)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        sqlx::query(
            "UPDATE inspections SET submitted_at = $1, score_tenths = $2, passed = $3 WHERE id = $4",
        )
        .bind(now)
        .bind(score.overall.tenths().map(i64::from))
        .bind(i64::from(score.passed))
        .bind(id)
        .execute(&mut *w.tx)
        .await?;
        // Every failed item opens its rectification case in this same transaction.
        super::rectification::sql::open_for_failed(
            &mut w,
            &current,
            &t.template,
            &current.results,
            now,
        )
        .await?;
        let i = load_inspection(&mut w.tx, id).await?;
        let subject = format!(
            "检查提交 · inspection #{id} ({}) submitted",
            i.template_code
        );
        let a = crate::audit::append::Append {
            hall: Some(i.hall_id),
            kind: "inspection.submitted",
            subject,
            source: Some(("inspections", id)),
        };
        crate::audit::append::append(&mut w, a, now).await?;
        self.commit(w).await?;
        Ok(i)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.inspections.inspection")]
    async fn inspection(&self, id: i64) -> Result<Inspection> {
        let mut conn = self.pool.acquire().await?;
        load_inspection(&mut conn, id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.inspections.inspections")]
    async fn inspections(&self, hall_id: i64, since: i64, limit: i64) -> Result<Vec<Inspection>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{INSPECTION_SELECT} WHERE i.hall_id = $1 AND i.started_at >= $2 \
             ORDER BY i.started_at DESC, i.id DESC LIMIT $3"
        )))
        .bind(hall_id)
        .bind(since)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(inspection_row).collect()
    }
}
