//! Rectification on SQL. Opening runs inside the inspection's submit transaction; fixing
//! and verifying lock the case row and write the case's steps and log like any case write.

use super::{Rectification, RectificationFilter, RectificationState, RectificationStore};
use crate::cases::writes::{insert_case, lock_case, log, refresh_clocks};
use crate::inspections::photo_rows::{
    InspectionPhoto, PhotoPlace, PhotoStage, PhotoUpload, insert_photo,
};
use crate::sql::{SqlStore, WriteTx};
use crate::{OpenCase, Paged, Result, StoreError, Window};
use async_trait::async_trait;
use serde_json::json;
use servicehall_domain::cases::{CaseKind, CustomerClass};
use servicehall_domain::inspections::rectification::{
    self as rules, FIX_STEP, RectificationError, Stage, VERIFY_STEP, Verdict,
};
use servicehall_domain::inspections::score::ItemResult;
use servicehall_domain::inspections::{Outcome, Template};
use servicehall_domain::time::{parse_tz, service_day};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

const FROM: &str = "FROM rectifications r JOIN cases c ON c.id = r.case_id \
     JOIN inspections i ON i.id = r.inspection_id \
     JOIN inspection_templates t ON t.id = i.template_id \
     JOIN staff o ON o.id = c.owner_id JOIN staff p ON p.id = i.inspector_id \
     LEFT JOIN staff f ON f.id = r.fixed_by LEFT JOIN staff s ON s.id = i.subject_staff_id \
     LEFT JOIN inspection_results res ON res.inspection_id = r.inspection_id AND res.item_key = r.item_key";

const COLS: &str = "r.case_id, c.number, r.hall_id, r.inspection_id, t.name_zh, t.name_en, t.body, \
     s.name AS subject_name, i.inspector_id, p.name AS inspector_name, r.item_key, r.critical, \
     COALESCE(res.note, '') AS finding, c.owner_id, o.name AS owner_name, c.status, r.fixed_by, \
     f.name AS fixed_by_name, r.fixed_at, r.fix_note, r.reopened, r.round_at, c.created_at, c.closed_at, \
     (SELECT MIN(k.deadline_at) FROM case_clocks k WHERE k.case_id = r.case_id AND k.state = 'running') AS deadline";

fn row(r: &AnyRow, now: i64) -> Result<Rectification> {
    let body: String = r.try_get("body")?;
    let t: Template = serde_json::from_str(&body).map_err(|e| {
        StoreError::Invalid(format!(
            "已存检查清单无法读取 · stored template does not read: {e}"
        ))
    })?;
    let key: String = r.try_get("item_key")?;
    let (item_zh, item_en) = t
        .item(&key)
        .map(|i| (i.text_zh.clone(), i.text_en.clone()))
        .unwrap_or_else(|| (key.clone(), key.clone()));
    let status: String = r.try_get("status")?;
    let fixed_by: Option<i64> = r.try_get("fixed_by")?;
    let stage = if status == "closed" {
        Stage::Verified
    } else if fixed_by.is_some() {
        Stage::Fixed
    } else {
        Stage::Open
    };
    let deadline_at: Option<i64> = r.try_get("deadline")?;
    Ok(Rectification {
        case_id: r.try_get("case_id")?,
        case_number: r.try_get("number")?,
        hall_id: r.try_get("hall_id")?,
        inspection_id: r.try_get("inspection_id")?,
        template_name_zh: r.try_get("name_zh")?,
        template_name_en: r.try_get("name_en")?,
        subject_name: r.try_get("subject_name")?,
        inspector_id: r.try_get("inspector_id")?,
        inspector_name: r.try_get("inspector_name")?,
        item_key: key,
        item_zh,
        item_en,
        critical: r.try_get::<i64, _>("critical")? != 0,
        finding: r.try_get("finding")?,
        owner_id: r.try_get("owner_id")?,
        owner_name: r.try_get("owner_name")?,
        stage,
        fixed_by,
        fixed_by_name: r.try_get("fixed_by_name")?,
        fixed_at: r.try_get("fixed_at")?,
        fix_note: r.try_get("fix_note")?,
        reopened: r.try_get("reopened")?,
        round_at: r.try_get("round_at")?,
        opened_at: r.try_get("created_at")?,
        closed_at: r.try_get("closed_at")?,
        deadline_at,
        overdue: stage != Stage::Verified && deadline_at.is_some_and(|d| d < now),
    })
}

async fn load(conn: &mut AnyConnection, case_id: i64, now: i64) -> Result<Rectification> {
    let r = sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLS} {FROM} WHERE r.case_id = $1"
    )))
    .bind(case_id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| StoreError::not_found("rectification", case_id))?;
    row(&r, now)
}

/// The owner of a rectification: the hall's manager; an administrator when the hall has
/// none; else the inspector, so a finding is never lost for want of an owner.
async fn default_owner(w: &mut WriteTx, hall_id: i64, inspector: i64) -> Result<i64> {
    let owner: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM staff WHERE active = 1 AND ((hall_id = $1 AND role = 'hall_manager') \
         OR (role = 'admin' AND (hall_id IS NULL OR hall_id = $1))) \
         ORDER BY CASE WHEN role = 'hall_manager' THEN 0 ELSE 1 END, id LIMIT 1",
    )
    .bind(hall_id)
    .fetch_optional(&mut *w.tx)
    .await?;
    Ok(owner.unwrap_or(inspector))
}

/// Opens a rectification case for every failed item of inspection `id`, in `w` (the
/// submit's transaction). Returns the case ids in checklist order.
pub(crate) async fn open_for_failed(
    w: &mut WriteTx,
    inspection: &crate::Inspection,
    t: &Template,
    results: &[ItemResult],
    now: i64,
) -> Result<Vec<i64>> {
    let failed: Vec<_> = results
        .iter()
        .filter(|r| r.outcome == Outcome::Fail)
        .collect();
    if failed.is_empty() {
        return Ok(Vec::new());
    }
    let hall_id = inspection.hall_id;
    let tz: String = sqlx::query_scalar("SELECT timezone FROM halls WHERE id = $1")
        .bind(hall_id)
        .fetch_one(&mut *w.tx)
        .await?;
    let tz = parse_tz(&tz).map_err(StoreError::Invalid)?;
    let day = service_day(now, tz).format("%Y%m%d").to_string();
    let owner = default_owner(w, hall_id, inspection.inspector_id).await?;
    // The hall's own limits, read in the submit's transaction (default 1 / 3 working days).
    let limits = crate::inspections::schedules_sql::schedule_on(&mut w.tx, hall_id)
        .await?
        .rectification_limits();
    let mut ids = Vec::new();
    for res in failed {
        let Some(item) = t.item(&res.key) else {
            continue;
        };
        let req = OpenCase {
            hall_id,
            kind: CaseKind::Rectification,
            business_type_id: None,
            customer_class: CustomerClass::Resident,
            customer_name: inspection
                .subject_name
                .clone()
                .unwrap_or_else(|| "本厅现场 · the hall".into()),
            customer_phone: String::new(),
            account_no: String::new(),
            summary: rules::summary(&t.name_zh, &item.text_zh, item.critical, &res.note),
            ticket_id: None,
            by: inspection.inspector_id,
        };
        let process = rules::rectification_process_with(&limits, item.critical);
        let id = insert_case(
            w,
            hall_id,
            &day,
            &req,
            owner,
            Some(inspection.inspector_id),
            &process,
            now,
        )
        .await?;
        refresh_clocks(w, id, now).await?;
        sqlx::query(
            "INSERT INTO rectifications (case_id, hall_id, inspection_id, item_key, critical, round_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(hall_id)
        .bind(inspection.id)
        .bind(&item.key)
        .bind(i64::from(item.critical))
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
        // The inspector's photos of the item become the case's "before" pictures.
        w.push_event(
            hall_id,
            "rectification_opened",
            json!({"case_id": id, "inspection_id": inspection.id, "item": item.key, "owner_id": owner}),
            now,
        )
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

fn rule_err(e: RectificationError) -> StoreError {
    match e {
        RectificationError::NoEvidence
        | RectificationError::ReopenWithoutNote
        | RectificationError::NoteTooLong => StoreError::Invalid(e.to_string()),
        _ => StoreError::Conflict(e.to_string()),
    }
}

/// Locks the case and reads its rectification.
async fn lock(w: &mut WriteTx, case_id: i64, now: i64) -> Result<Rectification> {
    let d = lock_case(w, case_id, now).await?;
    if d.case.kind != CaseKind::Rectification {
        return Err(StoreError::not_found("rectification", case_id));
    }
    load(&mut w.tx, case_id, now).await
}

async fn set_step(
    w: &mut WriteTx,
    case_id: i64,
    step: &str,
    by: Option<i64>,
    at: Option<i64>,
) -> Result<()> {
    sqlx::query("UPDATE case_steps SET completed_at = $1, completed_by = $2 WHERE case_id = $3 AND code = $4")
        .bind(at)
        .bind(by)
        .bind(case_id)
        .bind(step)
        .execute(&mut *w.tx)
        .await?;
    Ok(())
}

#[async_trait]
impl RectificationStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.rectification.rectification")]
    async fn rectification(&self, case_id: i64, now: i64) -> Result<Rectification> {
        let mut conn = self.pool.acquire().await?;
        load(&mut conn, case_id, now).await
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.rectification.inspection_rectifications"
    )]
    async fn inspection_rectifications(
        &self,
        inspection_id: i64,
        now: i64,
    ) -> Result<Vec<Rectification>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLS} {FROM} WHERE r.inspection_id = $1 ORDER BY r.case_id"
        )))
        .bind(inspection_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| row(r, now)).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.rectification.rectifications")]
    async fn rectifications(
        &self,
        hall_id: i64,
        f: &RectificationFilter,
        window: Window,
        now: i64,
    ) -> Result<Paged<Rectification>> {
        let filter = format!(
            "{FROM} WHERE r.hall_id = $1 AND c.created_at >= $2 AND c.created_at < $3 AND ($4 IS NULL \
             OR ($4 = 'open' AND c.status <> 'closed') \
             OR ($4 = 'to_verify' AND c.status <> 'closed' AND r.fixed_by IS NOT NULL) \
             OR ($4 = 'closed' AND c.status = 'closed') \
             OR ($4 = 'overdue' AND c.status <> 'closed' AND EXISTS (SELECT 1 FROM case_clocks k \
                 WHERE k.case_id = c.id AND k.state = 'running' AND k.deadline_at < $5)))"
        );
        let bind = |sql: String| {
            sqlx::query(AssertSqlSafe(sql))
                .bind(hall_id)
                .bind(f.from)
                .bind(f.to)
                .bind(f.state.map(RectificationState::as_str))
                .bind(now)
        };
        let total: i64 = bind(format!("SELECT COUNT(*) AS n {filter}"))
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let rows = bind(format!(
            "SELECT {COLS} {filter} ORDER BY c.created_at DESC, r.case_id DESC LIMIT $6 OFFSET $7"
        ))
        .bind(window.limit)
        .bind(window.offset)
        .fetch_all(&self.pool)
        .await?;
        let items = rows.iter().map(|r| row(r, now)).collect::<Result<_>>()?;
        Ok(Paged { items, total })
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.rectification.add_rectification_photo"
    )]
    async fn add_rectification_photo(
        &self,
        case_id: i64,
        photo: &PhotoUpload,
        now: i64,
    ) -> Result<InspectionPhoto> {
        let mut w = self.begin().await?;
        let r = lock(&mut w, case_id, now).await?;
        match r.stage {
            Stage::Open => {}
            Stage::Fixed => return Err(rule_err(RectificationError::AlreadyFixed)),
            Stage::Verified => return Err(rule_err(RectificationError::Closed)),
        }
        let place = PhotoPlace {
            hall_id: r.hall_id,
            inspection_id: r.inspection_id,
            item_key: &r.item_key,
            case_id: Some(case_id),
            stage: PhotoStage::Fix,
        };
        let p = insert_photo(&mut w, &place, photo, now).await?;
        self.commit(w).await?;
        Ok(p)
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.rectification.fix_rectification"
    )]
    async fn fix_rectification(
        &self,
        case_id: i64,
        by: i64,
        note: &str,
        now: i64,
    ) -> Result<Rectification> {
        let mut w = self.begin().await?;
        let r = lock(&mut w, case_id, now).await?;
        let new_photos: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM inspection_photos WHERE case_id = $1 AND stage = 'fix' \
             AND superseded_by IS NULL AND uploaded_at >= $2",
        )
        .bind(case_id)
        .bind(r.round_at)
        .fetch_one(&mut *w.tx)
        .await?;
        rules::check_fix(r.stage, note, new_photos as usize).map_err(rule_err)?;
        set_step(&mut w, case_id, FIX_STEP, Some(by), Some(now)).await?;
        sqlx::query("UPDATE rectifications SET fixed_by = $1, fixed_at = $2, fix_note = $3 WHERE case_id = $4")
            .bind(by)
            .bind(now)
            .bind(note.trim())
            .bind(case_id)
            .execute(&mut *w.tx)
            .await?;
        log(
            &mut w,
            case_id,
            "step_completed",
            now,
            Some(by),
            FIX_STEP,
            "",
            None,
            note.trim(),
            json!({"photos": new_photos}),
        )
        .await?;
        self.after_write(w, case_id, now, Some("step_completed"))
            .await?;
        self.rectification(case_id, now).await
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.rectification.verify_rectification"
    )]
    async fn verify_rectification(
        &self,
        case_id: i64,
        by: i64,
        verdict: Verdict,
        note: &str,
        now: i64,
    ) -> Result<Rectification> {
        let mut w = self.begin().await?;
        let r = lock(&mut w, case_id, now).await?;
        rules::check_verify(r.stage, r.fixed_by, by, verdict, note).map_err(rule_err)?;
        let note = note.trim();
        let change = match verdict {
            Verdict::Accept => {
                set_step(&mut w, case_id, VERIFY_STEP, Some(by), Some(now)).await?;
                log(
                    &mut w,
                    case_id,
                    "step_completed",
                    now,
                    Some(by),
                    VERIFY_STEP,
                    "",
                    None,
                    note,
                    serde_json::Value::Null,
                )
                .await?;
                let running: Vec<(String, String)> = sqlx::query_as(
                    "SELECT step_code, clock_key FROM case_clocks WHERE case_id = $1 AND state IN ('running', 'paused')",
                )
                .bind(case_id)
                .fetch_all(&mut *w.tx)
                .await?;
                for (step, key) in running {
                    log(
                        &mut w,
                        case_id,
                        "clock_stopped",
                        now,
                        Some(by),
                        &step,
                        &key,
                        None,
                        "",
                        serde_json::Value::Null,
                    )
                    .await?;
                }
                sqlx::query("UPDATE cases SET status = 'closed', closed_at = $1, handover_to = NULL WHERE id = $2")
                    .bind(now)
                    .bind(case_id)
                    .execute(&mut *w.tx)
                    .await?;
                log(
                    &mut w,
                    case_id,
                    "closed",
                    now,
                    Some(by),
                    "",
                    "",
                    None,
                    note,
                    serde_json::Value::Null,
                )
                .await?;
                "closed"
            }
            Verdict::Reopen => {
                set_step(&mut w, case_id, FIX_STEP, None, None).await?;
                sqlx::query(
                    "UPDATE rectifications SET fixed_by = NULL, fixed_at = NULL, fix_note = '', \
                     reopened = reopened + 1, round_at = $1 WHERE case_id = $2",
                )
                .bind(now)
                .bind(case_id)
                .execute(&mut *w.tx)
                .await?;
                log(
                    &mut w,
                    case_id,
                    "reopened",
                    now,
                    Some(by),
                    FIX_STEP,
                    "",
                    r.fixed_by,
                    note,
                    serde_json::Value::Null,
                )
                .await?;
                "reopened"
            }
        };
        self.after_write(w, case_id, now, Some(change)).await?;
        self.rectification(case_id, now).await
    }
}
