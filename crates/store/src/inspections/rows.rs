//! Inspection rows and their readers, shared by the inspections' SQL, its photos and the
//! layout map: template and inspection columns, loaders, and `lock_open` (the row lock an
//! item, photo or submit takes). Below every file that writes an inspection, so none of them
//! import each other for these.

use crate::Result;
use crate::StoreError;
use crate::inspections::{Inspection, InspectionTemplate};
use servicehall_domain::inspections::score::ItemResult;
use servicehall_domain::inspections::{Outcome, Template};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

pub(crate) const TEMPLATE_COLS: &str = "id, hall_id, version, body, created_at";

pub(crate) fn template_row(r: &AnyRow) -> Result<InspectionTemplate> {
    let body: String = r.try_get("body")?;
    let template: Template = serde_json::from_str(&body).map_err(|e| {
        StoreError::Invalid(format!(
            "已存检查清单无法读取 · stored template does not read: {e}"
        ))
    })?;
    Ok(InspectionTemplate {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        version: r.try_get("version")?,
        template,
        created_at: r.try_get("created_at")?,
    })
}

pub(crate) const INSPECTION_SELECT: &str = "SELECT i.id, i.hall_id, i.template_id, t.code, t.version, \
     t.name_zh, t.name_en, i.subject_staff_id, s.name AS subject_name, i.inspector_id, \
     p.name AS inspector_name, i.started_at, i.submitted_at, i.score_tenths, i.passed \
     FROM inspections i JOIN inspection_templates t ON t.id = i.template_id \
     JOIN staff p ON p.id = i.inspector_id LEFT JOIN staff s ON s.id = i.subject_staff_id";

pub(crate) fn inspection_row(r: &AnyRow) -> Result<Inspection> {
    Ok(Inspection {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        template_id: r.try_get("template_id")?,
        template_code: r.try_get("code")?,
        template_version: r.try_get("version")?,
        template_name_zh: r.try_get("name_zh")?,
        template_name_en: r.try_get("name_en")?,
        subject_staff_id: r.try_get("subject_staff_id")?,
        subject_name: r.try_get("subject_name")?,
        inspector_id: r.try_get("inspector_id")?,
        inspector_name: r.try_get("inspector_name")?,
        started_at: r.try_get("started_at")?,
        submitted_at: r.try_get("submitted_at")?,
        score_tenths: r.try_get("score_tenths")?,
        passed: r.try_get::<Option<i64>, _>("passed")?.map(|p| p != 0),
        results: Vec::new(),
    })
}

pub(crate) async fn load_template(conn: &mut AnyConnection, id: i64) -> Result<InspectionTemplate> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {TEMPLATE_COLS} FROM inspection_templates WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| StoreError::not_found("inspection template", id))?;
    template_row(&row)
}

pub(crate) async fn load_inspection(conn: &mut AnyConnection, id: i64) -> Result<Inspection> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "{INSPECTION_SELECT} WHERE i.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::not_found("inspection", id))?;
    let mut i = inspection_row(&row)?;
    let rows = sqlx::query(
        "SELECT item_key, outcome, note FROM inspection_results WHERE inspection_id = $1",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut results = rows
        .iter()
        .map(|r| {
            let outcome: String = r.try_get("outcome")?;
            Ok(ItemResult {
                key: r.try_get("item_key")?,
                outcome: Outcome::parse(&outcome).unwrap_or(Outcome::NotApplicable),
                note: r.try_get("note")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    // In template order, so every reader sees the checklist's own order.
    let t = load_template(conn, i.template_id).await?.template;
    let order: Vec<&str> = t.items().map(|(_, it)| it.key.as_str()).collect();
    results.sort_by_key(|r| order.iter().position(|k| *k == r.key));
    i.results = results;
    Ok(i)
}

/// Takes the inspection's row for this transaction and refuses a submitted one. The no-op
/// UPDATE is the portable row lock (PostgreSQL); SQLite's writer lock is already held.
pub(crate) async fn lock_open(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<(i64, InspectionTemplate)> {
    let done = sqlx::query(
        "UPDATE inspections SET started_at = started_at WHERE id = $1 AND submitted_at IS NULL",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let row = sqlx::query("SELECT hall_id, template_id FROM inspections WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("inspection", id))?;
    if done == 0 {
        return Err(StoreError::Conflict(
            "这次检查已提交，不能再修改 · this inspection is already submitted and cannot change"
                .into(),
        ));
    }
    let t = load_template(conn, row.try_get("template_id")?).await?;
    Ok((row.try_get("hall_id")?, t))
}
