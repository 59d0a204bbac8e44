//! Playbook versions on SQL: each stored whole as JSON (`body`), read as one piece and
//! never updated; a hall sees its own latest version of a code, else the company-wide one.

use super::IncidentPlaybook;
use crate::{Result, StoreError};
use servicehall_domain::incidents::Playbook;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

pub(super) const PLAYBOOK_COLS: &str = "id, hall_id, version, body, created_at";

pub(super) fn playbook_row(r: &AnyRow) -> Result<IncidentPlaybook> {
    let body: String = r.try_get("body")?;
    let playbook: Playbook = serde_json::from_str(&body).map_err(|e| {
        StoreError::Invalid(format!(
            "已存预案无法读取 · stored playbook does not read: {e}"
        ))
    })?;
    Ok(IncidentPlaybook {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        version: r.try_get("version")?,
        playbook,
        created_at: r.try_get("created_at")?,
    })
}

pub(super) async fn load_playbook(conn: &mut AnyConnection, id: i64) -> Result<IncidentPlaybook> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {PLAYBOOK_COLS} FROM incident_playbooks WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| StoreError::not_found("playbook", id))?;
    playbook_row(&row)
}

/// Per code, the hall's own latest version, else the latest company-wide one; in the order
/// the codes were first written (the shipped order).
pub(super) async fn visible_playbooks(
    conn: &mut AnyConnection,
    hall: Option<i64>,
) -> Result<Vec<IncidentPlaybook>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {PLAYBOOK_COLS} FROM incident_playbooks \
         WHERE hall_id IS NULL OR hall_id = $1 ORDER BY id"
    )))
    .bind(hall.unwrap_or(-1))
    .fetch_all(conn)
    .await?;
    let mut out: Vec<IncidentPlaybook> = Vec::new();
    for r in &rows {
        let p = playbook_row(r)?;
        let rank = |x: &IncidentPlaybook| (x.hall_id.is_some(), x.version);
        match out.iter_mut().find(|o| o.playbook.code == p.playbook.code) {
            Some(o) if rank(&p) > rank(o) => *o = p,
            Some(_) => {}
            None => out.push(p),
        }
    }
    Ok(out)
}

pub(super) async fn insert_playbook(
    conn: &mut AnyConnection,
    hall: Option<i64>,
    p: &Playbook,
    by: Option<i64>,
    now: i64,
) -> Result<i64> {
    let latest: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(version) FROM incident_playbooks \
         WHERE code = $1 AND (hall_id IS NULL OR hall_id = $2)",
    )
    .bind(&p.code)
    .bind(hall.unwrap_or(-1))
    .fetch_one(&mut *conn)
    .await?;
    let body = serde_json::to_string(p).map_err(|e| {
        StoreError::Invalid(format!("预案无法保存 · playbook does not serialize: {e}"))
    })?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO incident_playbooks (hall_id, code, version, body, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(hall)
    .bind(&p.code)
    .bind(latest.unwrap_or(0) + 1)
    .bind(body)
    .bind(now)
    .bind(by)
    .fetch_one(conn)
    .await
    .map_err(|e| {
        StoreError::unique_as(
            e,
            "预案刚被他人修改，请刷新后重试 · the playbook was just changed; reload and try again",
        )
    })?;
    Ok(id)
}
