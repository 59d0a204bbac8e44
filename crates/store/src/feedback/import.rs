//! 外评: external evaluations imported from CSV. The file's shape is checked first (a
//! wrong shape imports nothing); each good row is attributed to its hall, business type and
//! touchpoint; a row already imported (same source and source_row_id) is skipped, so a
//! re-import never counts twice. The whole import is one transaction. An importer limited to
//! some halls (a region's supervisor) may import rows of those halls only: one row outside
//! refuses the whole file, naming its line.

use super::recovery::{BadRating, open_recovery};
use crate::sql::SqlStore;
use crate::*;
use crate::{Hall, HallStore, Result, StoreError};
use chrono::TimeZone;
use serde_json::json;
use servicehall_domain::feedback::Channel;
use servicehall_domain::feedback::import::{self, RowError};
use servicehall_domain::time::parse_tz;
use sqlx::{AssertSqlSafe, Row};
use std::collections::HashMap;

/// A hall and its business types by code and by Chinese name.
type HallTypes = (Hall, HashMap<String, i64>);

impl SqlStore {
    pub(crate) async fn import_csv(
        &self,
        source: ExternalSource,
        file_name: &str,
        csv: &str,
        by: i64,
        reach: Option<&[i64]>,
        now: i64,
    ) -> Result<ImportReport> {
        let file_name = file_name.trim();
        if file_name.chars().count() > 200 {
            return Err(StoreError::Invalid(
                "文件名最多 200 字 · file name is limited to 200 characters".into(),
            ));
        }
        let (rows, mut errors) =
            import::parse(csv).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let rows_total = (rows.len() + errors.len()) as i64;

        // Attribute rows to halls and business types before writing anything.
        let mut halls: HashMap<String, Option<HallTypes>> = HashMap::new();
        let mut ready = Vec::new();
        let mut outside: Vec<(usize, String)> = Vec::new();
        for row in rows {
            if !halls.contains_key(&row.hall_code) {
                let found = match self.hall_by_code(&row.hall_code).await {
                    Ok(h) => {
                        let bts = self
                            .business_types(h.id)
                            .await?
                            .into_iter()
                            .flat_map(|b| [(b.code.clone(), b.id), (b.name_zh.clone(), b.id)])
                            .collect();
                        Some((h, bts))
                    }
                    Err(StoreError::NotFound(_)) => None,
                    Err(e) => return Err(e),
                };
                halls.insert(row.hall_code.clone(), found);
            }
            let err = |reason: String| RowError {
                line: row.line,
                source_row_id: row.source_row_id.clone(),
                reason,
            };
            let Some(Some((hall, bts))) = halls.get(&row.hall_code) else {
                errors.push(err(format!(
                    "没有营业厅 {:?} · no hall with code {:?}",
                    row.hall_code, row.hall_code
                )));
                continue;
            };
            if reach.is_some_and(|r| !r.contains(&hall.id)) {
                outside.push((row.line, hall.code.clone()));
                continue;
            }
            let bt = match &row.business_type {
                None => None,
                Some(code) => match bts.get(code) {
                    Some(id) => Some(*id),
                    None => {
                        errors.push(err(format!(
                            "营业厅 {} 没有业务类型 {code:?}，请填写其代码或中文名称 · hall {} has no business type {code:?}; use its code or Chinese name",
                            hall.code, hall.code
                        )));
                        continue;
                    }
                },
            };
            let tz = parse_tz(&hall.timezone).map_err(StoreError::Invalid)?;
            let at = tz
                .from_local_datetime(&row.local)
                .earliest()
                .map(|d| d.timestamp_millis())
                .unwrap_or_else(|| row.local.and_utc().timestamp_millis());
            if at > now {
                errors.push(err(format!(
                    "日期 {} 晚于现在 · date {} is in the future",
                    row.local, row.local
                )));
                continue;
            }
            ready.push((row, hall.clone(), bt, at));
        }
        if !outside.is_empty() {
            return Err(StoreError::Forbidden(outside_reach(&outside)));
        }
        errors.sort_by_key(|e| e.line);

        let mut w = self.begin().await?;
        let import_id: i64 = sqlx::query_scalar(
            "INSERT INTO external_imports (source, file_name, imported_by, at, rows_total, rows_imported, rows_duplicate, rows_bad)
             VALUES ($1, $2, $3, $4, $5, 0, 0, 0) RETURNING id",
        )
        .bind(source.as_str())
        .bind(file_name)
        .bind(by)
        .bind(now)
        .bind(rows_total)
        .fetch_one(&mut *w.tx)
        .await?;
        // 防篡改记录: who imported which file, and below each rating it brought in.
        let rec = crate::audit::append::Append {
            hall: None,
            kind: "feedback.import",
            subject: format!(
                "外评导入 #{import_id} {} {file_name} · external ratings import",
                source.label_zh()
            ),
            source: Some(("external_imports", import_id)),
        };
        crate::audit::append::append(&mut w, rec, now).await?;
        let (mut imported, mut duplicate, mut cases) = (0i64, 0i64, 0i64);
        for (row, hall, bt, at) in &ready {
            let ticket_id: Option<i64> = match &row.ticket_number {
                Some(n) => {
                    sqlx::query_scalar(
                        "SELECT id FROM tickets WHERE hall_id = $1 AND number = $2 AND service_day = $3 AND state = 'finished' ORDER BY id DESC LIMIT 1",
                    )
                    .bind(hall.id)
                    .bind(n)
                    .bind(row.local.date().format("%Y-%m-%d").to_string())
                    .fetch_optional(&mut *w.tx)
                    .await?
                }
                None => None,
            };
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO external_evaluations (import_id, source, source_row_id, hall_id, business_type_id, touchpoint, level, reasons, comment, customer_phone, ticket_id, evaluated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                 ON CONFLICT (source, source_row_id) DO NOTHING RETURNING id",
            )
            .bind(import_id)
            .bind(source.as_str())
            .bind(&row.source_row_id)
            .bind(hall.id)
            .bind(*bt)
            .bind(row.touchpoint.clone().unwrap_or_default())
            .bind(i64::from(row.level.value()))
            .bind(row.reasons.join(","))
            .bind(&row.comment)
            .bind(&row.customer_phone)
            .bind(ticket_id)
            .bind(*at)
            .fetch_optional(&mut *w.tx)
            .await?;
            let Some(id) = id else {
                duplicate += 1;
                continue;
            };
            imported += 1;
            let rec = crate::audit::append::Append {
                hall: Some(hall.id),
                kind: "rating.imported",
                subject: format!(
                    "外评 {} {} 评分 {} · imported rating, level {} (import #{import_id})",
                    source.label_zh(),
                    row.source_row_id,
                    row.level.value(),
                    row.level.value()
                ),
                source: Some(("external_evaluations", id)),
            };
            crate::audit::append::append(&mut w, rec, now).await?;
            if row.level.is_bad() {
                open_recovery(
                    &mut w,
                    hall,
                    &BadRating {
                        channel: Channel::External,
                        rating_id: id,
                        level: row.level,
                        reasons: &row.reasons,
                        ticket_id,
                        business_type_id: *bt,
                        customer_name: "",
                        customer_phone: &row.customer_phone,
                        visit: format!("{} {}", source.label_zh(), row.source_row_id),
                        comment: &row.comment,
                        served_by: None,
                    },
                    now,
                )
                .await?;
                cases += 1;
            }
        }
        let report = json!({"errors": errors, "cases_opened": cases});
        sqlx::query(
            "UPDATE external_imports SET rows_imported = $1, rows_duplicate = $2, rows_bad = $3, report = $4 WHERE id = $5",
        )
        .bind(imported)
        .bind(duplicate)
        .bind(errors.len() as i64)
        .bind(report.to_string())
        .bind(import_id)
        .execute(&mut *w.tx)
        .await?;
        self.commit(w).await?;
        Ok(ImportReport {
            id: import_id,
            source,
            file_name: file_name.into(),
            at: now,
            rows_total,
            rows_imported: imported,
            rows_duplicate: duplicate,
            rows_bad: errors.len() as i64,
            cases_opened: cases,
            errors,
        })
    }

    pub(crate) async fn reports(
        &self,
        limit: i64,
        reach: Option<&[i64]>,
        me: i64,
    ) -> Result<Vec<ImportReport>> {
        // Hall ids are integers, written into the statement as such (no text from outside).
        let filter = match reach {
            None => String::new(),
            Some(halls) => {
                let list = if halls.is_empty() {
                    "-1".to_string()
                } else {
                    halls
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                format!(
                    "WHERE NOT EXISTS (SELECT 1 FROM external_evaluations e WHERE e.import_id = i.id AND e.hall_id NOT IN ({list}))
                       AND (i.imported_by = $2 OR EXISTS (SELECT 1 FROM external_evaluations e WHERE e.import_id = i.id))"
                )
            }
        };
        let sql = format!(
            "SELECT i.id, i.source, i.file_name, i.at, i.rows_total, i.rows_imported, i.rows_duplicate, i.rows_bad, i.report
             FROM external_imports i {filter} ORDER BY i.id DESC LIMIT $1"
        );
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(limit.clamp(1, 200));
        if reach.is_some() {
            q = q.bind(me);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let source: String = r.try_get("source")?;
                let report: String = r.try_get("report")?;
                let report: serde_json::Value =
                    serde_json::from_str(&report).unwrap_or(serde_json::Value::Null);
                Ok(ImportReport {
                    id: r.try_get("id")?,
                    source: ExternalSource::parse(&source)
                        .map_err(|e| super::sql::corrupt("external_imports.source", e))?,
                    file_name: r.try_get("file_name")?,
                    at: r.try_get("at")?,
                    rows_total: r.try_get("rows_total")?,
                    rows_imported: r.try_get("rows_imported")?,
                    rows_duplicate: r.try_get("rows_duplicate")?,
                    rows_bad: r.try_get("rows_bad")?,
                    cases_opened: report["cases_opened"].as_i64().unwrap_or(0),
                    errors: serde_json::from_value(report["errors"].clone()).unwrap_or_default(),
                })
            })
            .collect()
    }
}

/// The refusal of a file with rows outside the importer's halls: every such line, and the
/// halls they name.
fn outside_reach(rows: &[(usize, String)]) -> String {
    let lines = rows
        .iter()
        .map(|(line, _)| line.to_string())
        .collect::<Vec<_>>();
    let mut halls: Vec<&str> = rows.iter().map(|(_, h)| h.as_str()).collect();
    halls.sort_unstable();
    halls.dedup();
    let (lines, halls) = (lines.join(", "), halls.join(", "));
    format!(
        "第 {lines} 行的营业厅（{halls}）不在您的管辖范围内，整个文件未导入；请删去这些行或请其所属区域的督查导入 · Rows {lines} name halls outside your region ({halls}); nothing was imported. Remove those rows or ask that region's supervisor to import them"
    )
}
