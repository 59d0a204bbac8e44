//! Keeping and reading the reports' history on SQL.

use super::{KeptReport, NewReport, ReportMeta, ReportScope, ReportStore};
use crate::Result;
use crate::sql::SqlStore;
use async_trait::async_trait;
use sqlx::{AssertSqlSafe, Row};

const COLS: &str = "id, scope, scope_id, scope_code, scope_name, month, generated_at, generated_by,
    audit_head, sha256, CAST(LENGTH(xlsx) AS BIGINT) AS xlsx_bytes";

fn meta(r: &sqlx::any::AnyRow) -> Result<ReportMeta> {
    Ok(ReportMeta {
        id: r.try_get("id")?,
        scope: ReportScope {
            kind: r.try_get("scope")?,
            id: r.try_get("scope_id")?,
        },
        scope_code: r.try_get("scope_code")?,
        scope_name: r.try_get("scope_name")?,
        month: r.try_get("month")?,
        generated_at: r.try_get("generated_at")?,
        generated_by: r.try_get("generated_by")?,
        audit_head: r.try_get("audit_head")?,
        sha256: r.try_get("sha256")?,
        xlsx_bytes: r.try_get::<Option<i64>, _>("xlsx_bytes")?.unwrap_or(0),
    })
}

#[async_trait]
impl ReportStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.reports.keep_report", fields(scope = %r.scope.kind, id = r.scope.id))]
    async fn keep_report(&self, r: &NewReport, now: i64) -> Result<ReportMeta> {
        let sha = servicehall_domain::audit::sha256_hex(&r.xlsx);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO monthly_reports (scope, scope_id, scope_code, scope_name, month, generated_at,
                 generated_by, audit_head, sha256, xlsx, html)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(r.scope.kind.clone())
        .bind(r.scope.id)
        .bind(r.scope_code.clone())
        .bind(r.scope_name.clone())
        .bind(r.month.clone())
        .bind(now)
        .bind(r.generated_by.clone())
        .bind(r.audit_head.clone())
        .bind(sha.clone())
        .bind(r.xlsx.clone())
        .bind(r.html.clone())
        .fetch_one(&self.pool)
        .await?;
        Ok(ReportMeta {
            id,
            scope: r.scope.clone(),
            scope_code: r.scope_code.clone(),
            scope_name: r.scope_name.clone(),
            month: r.month.clone(),
            generated_at: now,
            generated_by: r.generated_by.clone(),
            audit_head: r.audit_head.clone(),
            sha256: sha,
            xlsx_bytes: r.xlsx.len() as i64,
        })
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.reports.reports")]
    async fn reports(&self, scopes: Option<&[ReportScope]>, limit: i64) -> Result<Vec<ReportMeta>> {
        // Scopes are (kind, id) pairs this crate formats: kinds are checked, ids integers.
        let filter = match scopes {
            None => "1 = 1".to_string(),
            Some([]) => "1 = 0".to_string(),
            Some(s) => {
                let parts: Vec<String> = s
                    .iter()
                    .filter(|x| x.kind == "hall" || x.kind == "region")
                    .map(|x| format!("(scope = '{}' AND scope_id = {})", x.kind, x.id))
                    .collect();
                if parts.is_empty() {
                    "1 = 0".into()
                } else {
                    format!("({})", parts.join(" OR "))
                }
            }
        };
        let sql = format!(
            "SELECT {COLS} FROM monthly_reports WHERE {filter}
             ORDER BY month DESC, generated_at DESC, id DESC LIMIT $1"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(meta).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.reports.report", fields(id))]
    async fn report(&self, id: i64) -> Result<Option<KeptReport>> {
        let sql = format!("SELECT {COLS}, xlsx, html FROM monthly_reports WHERE id = $1");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(KeptReport {
                meta: meta(&r)?,
                xlsx: r.try_get("xlsx")?,
                html: r.try_get("html")?,
            })
        })
        .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.reports.report_kept", fields(scope = %scope.kind, id = scope.id))]
    async fn report_kept(&self, scope: &ReportScope, month: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM monthly_reports WHERE scope = $1 AND scope_id = $2 AND month = $3",
        )
        .bind(scope.kind.clone())
        .bind(scope.id)
        .bind(month.to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }
}
