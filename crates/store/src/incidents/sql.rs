//! Playbooks and incidents on SQL. A playbook version is stored whole as JSON (`body`): it
//! is read as one piece and never updated. Every change of an incident pushes an `incident`
//! hall event in the same transaction, so the display, the kiosk and the public page learn
//! of it from the hall's stream.

use super::playbooks::{
    PLAYBOOK_COLS, insert_playbook, load_playbook, playbook_row, visible_playbooks,
};
use super::{
    ActionCase, INCIDENT_EVENT, Incident, IncidentDeclare, IncidentPlaybook, IncidentReview,
    IncidentReviewInput, StepDone,
};
use crate::cases::writes::{insert_case, refresh_clocks};
use crate::sql::{SqlStore, WriteTx};
use crate::{IncidentStore, ManualEntry, ManualEntryInput, OpenCase, Result, StoreError};
use async_trait::async_trait;
use serde_json::json;
use servicehall_domain::cases::{CaseKind, CustomerClass};
use servicehall_domain::incidents::{Playbook, action_process, check_review};
use servicehall_domain::time::{parse_tz, service_day};
use sqlx::{AnyConnection, AssertSqlSafe, Row};

const INCIDENT_SELECT: &str = "SELECT i.id, i.hall_id, i.playbook_id, i.note, i.declared_by, \
     d.name AS declared_by_name, i.declared_at, i.closed_at, c.name AS closed_by_name, \
     i.review_cause, i.review_risk_code, i.reviewed_at, r.name AS reviewed_by_name \
     FROM incidents i JOIN staff d ON d.id = i.declared_by \
     LEFT JOIN staff c ON c.id = i.closed_by LEFT JOIN staff r ON r.id = i.reviewed_by";

async fn load_incident(conn: &mut AnyConnection, id: i64) -> Result<Incident> {
    let row = sqlx::query(AssertSqlSafe(format!("{INCIDENT_SELECT} WHERE i.id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("incident", id))?;
    let pb = load_playbook(conn, row.try_get("playbook_id")?).await?;
    let steps = sqlx::query(
        "SELECT s.step_key, s.done_by, p.name, s.done_at FROM incident_steps s \
         JOIN staff p ON p.id = s.done_by WHERE s.incident_id = $1",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut steps_done = steps
        .iter()
        .map(|r| {
            Ok(StepDone {
                key: r.try_get("step_key")?,
                done_by: r.try_get("done_by")?,
                done_by_name: r.try_get("name")?,
                done_at: r.try_get("done_at")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let order = |k: &str| pb.playbook.steps.iter().position(|s| s.key == k);
    steps_done.sort_by_key(|d| order(&d.key));
    let review = match row.try_get::<Option<String>, _>("review_cause")? {
        None => None,
        Some(cause) => {
            let actions = sqlx::query(
                "SELECT a.case_id, c.number, a.text, c.owner_id, s.name, a.due_at, c.status \
                 FROM incident_actions a JOIN cases c ON c.id = a.case_id \
                 JOIN staff s ON s.id = c.owner_id WHERE a.incident_id = $1 ORDER BY a.case_id",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| {
                Ok(ActionCase {
                    case_id: r.try_get("case_id")?,
                    number: r.try_get("number")?,
                    text: r.try_get("text")?,
                    owner_id: r.try_get("owner_id")?,
                    owner_name: r.try_get("name")?,
                    due_at: r.try_get("due_at")?,
                    closed: r.try_get::<String, _>("status")? == "closed",
                })
            })
            .collect::<Result<Vec<_>>>()?;
            Some(IncidentReview {
                cause,
                risk_code: row.try_get("review_risk_code")?,
                reviewed_by_name: row
                    .try_get::<Option<String>, _>("reviewed_by_name")?
                    .unwrap_or_default(),
                reviewed_at: row.try_get::<Option<i64>, _>("reviewed_at")?.unwrap_or(0),
                actions,
            })
        }
    };
    Ok(Incident {
        id,
        hall_id: row.try_get("hall_id")?,
        playbook_id: pb.id,
        playbook_version: pb.version,
        playbook: pb.playbook,
        note: row.try_get("note")?,
        declared_by: row.try_get("declared_by")?,
        declared_by_name: row.try_get("declared_by_name")?,
        declared_at: row.try_get("declared_at")?,
        closed_at: row.try_get("closed_at")?,
        closed_by_name: row.try_get("closed_by_name")?,
        steps_done,
        review,
    })
}

async fn incident_list(
    conn: &mut AnyConnection,
    sql: &str,
    hall: i64,
    a: i64,
) -> Result<Vec<Incident>> {
    let ids: Vec<i64> = sqlx::query_scalar(AssertSqlSafe(sql.to_string()))
        .bind(hall)
        .bind(a)
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(load_incident(conn, id).await?);
    }
    Ok(out)
}

/// Takes the incident's row for this transaction and refuses a closed one. The no-op
/// UPDATE is the portable row lock (PostgreSQL); SQLite's writer lock is already held.
async fn lock_active(w: &mut WriteTx, id: i64) -> Result<Incident> {
    let open = sqlx::query(
        "UPDATE incidents SET declared_at = declared_at WHERE id = $1 AND closed_at IS NULL",
    )
    .bind(id)
    .execute(&mut *w.tx)
    .await?
    .rows_affected();
    let i = load_incident(&mut w.tx, id).await?;
    if open == 0 {
        return Err(StoreError::Conflict(
            "这起突发情况已结束 · this incident is already closed".into(),
        ));
    }
    Ok(i)
}

/// What the screens need to know of a change: enough to show or drop the announcement
/// without another request.
fn event_payload(i: &Incident, state: &str, step: Option<&str>) -> serde_json::Value {
    let p = &i.playbook;
    json!({
        "id": i.id,
        "state": state,
        "kind": p.code,
        "name_zh": p.name_zh,
        "name_en": p.name_en,
        "announcement_zh": p.announcement_zh,
        "announcement_en": p.announcement_en,
        "kiosk": p.kiosk,
        "kiosk_businesses": p.kiosk_businesses,
        "step": step,
    })
}

fn invalid(e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(e.to_string())
}

#[async_trait]
impl IncidentStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.incidents.install_playbooks")]
    async fn install_playbooks(&self, playbooks: &[Playbook], now: i64) -> Result<usize> {
        let mut w = self.begin().await?;
        let mut written = 0;
        for p in playbooks {
            p.validate().map_err(invalid)?;
            let latest = sqlx::query(AssertSqlSafe(format!(
                "SELECT {PLAYBOOK_COLS} FROM incident_playbooks \
                 WHERE code = $1 AND hall_id IS NULL ORDER BY version DESC LIMIT 1"
            )))
            .bind(&p.code)
            .fetch_optional(&mut *w.tx)
            .await?;
            if let Some(r) = latest
                && playbook_row(&r)?.playbook == *p
            {
                continue;
            }
            insert_playbook(&mut w.tx, None, p, None, now).await?;
            written += 1;
        }
        self.commit(w).await?;
        Ok(written)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.incidents.save_playbook")]
    async fn save_playbook(
        &self,
        hall_id: Option<i64>,
        playbook: &Playbook,
        by: Option<i64>,
        now: i64,
    ) -> Result<IncidentPlaybook> {
        playbook.validate().map_err(invalid)?;
        let mut w = self.begin().await?;
        let id = insert_playbook(&mut w.tx, hall_id, playbook, by, now).await?;
        let p = load_playbook(&mut w.tx, id).await?;
        self.commit(w).await?;
        Ok(p)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.incidents.playbooks")]
    async fn playbooks(&self, hall_id: Option<i64>) -> Result<Vec<IncidentPlaybook>> {
        let mut conn = self.pool.acquire().await?;
        visible_playbooks(&mut conn, hall_id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.incidents.declare_incident")]
    async fn declare_incident(&self, input: &IncidentDeclare, now: i64) -> Result<Incident> {
        let mut w = self.begin().await?;
        let pb = visible_playbooks(&mut w.tx, Some(input.hall_id))
            .await?
            .into_iter()
            .find(|p| p.playbook.code == input.kind)
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "没有“{}”这种突发情况的预案 · no playbook for incident kind {:?}",
                    input.kind, input.kind
                ))
            })?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO incidents (hall_id, playbook_id, kind, note, declared_by, declared_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(input.hall_id)
        .bind(pb.id)
        .bind(&pb.playbook.code)
        .bind(input.note.trim())
        .bind(input.by)
        .bind(now)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(|e| {
            StoreError::unique_as(
                e,
                format!(
                    "“{}”已在处置中，请在原事件上继续 · a {} incident is already active; carry on with it",
                    pb.playbook.name_zh, pb.playbook.name_en
                ),
            )
        })?;
        let i = load_incident(&mut w.tx, id).await?;
        w.push_event(
            input.hall_id,
            INCIDENT_EVENT,
            event_payload(&i, "declared", None),
            now,
        )
        .await?;
        self.commit(w).await?;
        self.config.forget_flags(i.hall_id);
        Ok(i)
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.incidents.complete_incident_step"
    )]
    async fn complete_incident_step(
        &self,
        id: i64,
        step: &str,
        by: i64,
        now: i64,
    ) -> Result<Incident> {
        let mut w = self.begin().await?;
        let i = lock_active(&mut w, id).await?;
        let Some(s) = i.playbook.step(step) else {
            return Err(StoreError::not_found("incident step", step));
        };
        if i.done(step).is_some() {
            return Err(StoreError::Conflict(format!(
                "“{}”已完成 · step {:?} is already done",
                s.text_zh, s.key
            )));
        }
        sqlx::query(
            "INSERT INTO incident_steps (incident_id, step_key, done_by, done_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(step)
        .bind(by)
        .bind(now)
        .execute(&mut *w.tx)
        .await
        .map_err(|e| StoreError::unique_as(e, "该步骤刚被他人完成 · someone just did this step"))?;
        let i = load_incident(&mut w.tx, id).await?;
        w.push_event(
            i.hall_id,
            INCIDENT_EVENT,
            event_payload(&i, "step", Some(step)),
            now,
        )
        .await?;
        self.commit(w).await?;
        self.config.forget_flags(i.hall_id);
        Ok(i)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.incidents.close_incident")]
    async fn close_incident(&self, id: i64, by: i64, now: i64) -> Result<Incident> {
        let mut w = self.begin().await?;
        let i = lock_active(&mut w, id).await?;
        sqlx::query("UPDATE incidents SET closed_at = $1, closed_by = $2 WHERE id = $3")
            .bind(now)
            .bind(by)
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        w.push_event(
            i.hall_id,
            INCIDENT_EVENT,
            event_payload(&i, "closed", None),
            now,
        )
        .await?;
        let i = load_incident(&mut w.tx, id).await?;
        self.commit(w).await?;
        self.config.forget_flags(i.hall_id);
        Ok(i)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.incidents.review_incident")]
    async fn review_incident(
        &self,
        id: i64,
        review: &IncidentReviewInput,
        by: i64,
        now: i64,
    ) -> Result<Incident> {
        let mut w = self.begin().await?;
        // The no-op UPDATE takes the row, so two reviews cannot both pass the check below.
        sqlx::query("UPDATE incidents SET note = note WHERE id = $1")
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        let i = load_incident(&mut w.tx, id).await?;
        let Some(closed_at) = i.closed_at else {
            return Err(StoreError::Conflict(
                "突发情况结束后才能复盘 · close the incident before its review".into(),
            ));
        };
        if i.review.is_some() {
            return Err(StoreError::Conflict(
                "这起突发情况已复盘 · this incident is already reviewed".into(),
            ));
        }
        let risk = review
            .risk_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        check_review(&review.cause, &review.actions, risk, closed_at).map_err(invalid)?;
        if let Some(code) = risk {
            // The link names a risk of this hall's register (服务风险), not a free code.
            let known: Option<i64> =
                sqlx::query_scalar("SELECT id FROM risks WHERE hall_id = $1 AND code = $2")
                    .bind(i.hall_id)
                    .bind(code)
                    .fetch_optional(&mut *w.tx)
                    .await?;
            if known.is_none() {
                return Err(StoreError::Invalid(format!(
                    "本厅风险登记册中没有编号为 {code} 的风险 · no risk {code} in this hall's register"
                )));
            }
        }
        let tz: String = sqlx::query_scalar("SELECT timezone FROM halls WHERE id = $1")
            .bind(i.hall_id)
            .fetch_one(&mut *w.tx)
            .await?;
        let tz = parse_tz(&tz).map_err(StoreError::Invalid)?;
        let day = service_day(now, tz).format("%Y%m%d").to_string();
        for a in &review.actions {
            // The owner works in this hall (or above halls) and is active.
            let ok: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM staff WHERE id = $1 AND active = 1 AND (hall_id = $2 OR hall_id IS NULL)",
            )
            .bind(a.owner_id)
            .bind(i.hall_id)
            .fetch_optional(&mut *w.tx)
            .await?;
            if ok.is_none() {
                return Err(StoreError::Invalid(format!(
                    "整改责任人（编号 {}）不在本厅在岗人员中 · the action's owner {} is not active staff of this hall",
                    a.owner_id, a.owner_id
                )));
            }
            let req = OpenCase {
                hall_id: i.hall_id,
                kind: CaseKind::IncidentAction,
                business_type_id: None,
                customer_class: CustomerClass::Resident,
                customer_name: "营业厅内部 · hall (internal)".into(),
                customer_phone: String::new(),
                account_no: String::new(),
                summary: format!("【{}复盘】{}", i.playbook.name_zh, a.text.trim()),
                ticket_id: None,
                by: a.owner_id,
            };
            const DAY: i64 = 24 * 3600 * 1000;
            let days = ((a.due_at - now).max(1) + DAY - 1) / DAY;
            let process = action_process(u32::try_from(days).unwrap_or(u32::MAX));
            let case = insert_case(
                &mut w,
                i.hall_id,
                &day,
                &req,
                a.owner_id,
                Some(by),
                &process,
                now,
            )
            .await?;
            refresh_clocks(&mut w, case, now).await?;
            sqlx::query(
                "INSERT INTO incident_actions (incident_id, case_id, text, due_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(case)
            .bind(a.text.trim())
            .bind(a.due_at)
            .execute(&mut *w.tx)
            .await?;
        }
        sqlx::query(
            "UPDATE incidents SET review_cause = $1, review_risk_code = $2, reviewed_by = $3, reviewed_at = $4 WHERE id = $5",
        )
        .bind(review.cause.trim())
        .bind(risk)
        .bind(by)
        .bind(now)
        .bind(id)
        .execute(&mut *w.tx)
        .await?;
        let i = load_incident(&mut w.tx, id).await?;
        self.commit(w).await?;
        self.config.forget_flags(i.hall_id);
        Ok(i)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.incidents.incident")]
    async fn incident(&self, id: i64) -> Result<Incident> {
        let mut conn = self.pool.acquire().await?;
        load_incident(&mut conn, id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.incidents.incidents")]
    async fn incidents(&self, hall_id: i64, since: i64, limit: i64) -> Result<Vec<Incident>> {
        let mut conn = self.pool.acquire().await?;
        let mut list = incident_list(
            &mut conn,
            "SELECT id FROM incidents WHERE hall_id = $1 AND declared_at >= $2 \
             ORDER BY declared_at DESC, id DESC",
            hall_id,
            since,
        )
        .await?;
        list.truncate(usize::try_from(limit.clamp(1, 500)).unwrap_or(500));
        Ok(list)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.incidents.active_incidents")]
    async fn active_incidents(&self, hall_id: i64) -> Result<Vec<Incident>> {
        // Read by every kiosk issue: kept a second (halls/config_cache.rs).
        if let Some(list) = self.config.incidents(hall_id) {
            return Ok(list);
        }
        let mut conn = self.pool.acquire().await?;
        let list = incident_list(
            &mut conn,
            "SELECT id FROM incidents WHERE hall_id = $1 AND closed_at IS NULL AND id > $2 \
             ORDER BY declared_at DESC, id DESC",
            hall_id,
            0,
        )
        .await?;
        self.config.put_incidents(hall_id, &list);
        Ok(list)
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.incidents.record_manual_entry"
    )]
    async fn record_manual_entry(&self, input: &ManualEntryInput, now: i64) -> Result<ManualEntry> {
        super::manual::record(self, input, now).await
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.incidents.back_enter_manual_entry"
    )]
    async fn back_enter_manual_entry(
        &self,
        id: i64,
        back_ref: &str,
        by: i64,
        now: i64,
    ) -> Result<ManualEntry> {
        super::manual::back_enter(self, id, back_ref, by, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.incidents.manual_entry")]
    async fn manual_entry(&self, id: i64) -> Result<ManualEntry> {
        let mut conn = self.pool.acquire().await?;
        super::manual::load(&mut conn, id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.incidents.manual_entries")]
    async fn manual_entries(
        &self,
        hall_id: i64,
        from: i64,
        to: i64,
        pending: bool,
    ) -> Result<Vec<ManualEntry>> {
        super::manual::list(self, hall_id, from, to, pending).await
    }
}
