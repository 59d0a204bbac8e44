//! Cases (工单) on SQLite and PostgreSQL. Every write locks the case row, checks the
//! domain's rules against the case rebuilt from its log, and writes the change together
//! with its `case_events` entries in one transaction. Clocks are always rebuilt from
//! `case_events`; `case_clocks.state`/`deadline_at` are only a cache for lists.
//!
//! Processes are seeded on demand: the first case of a (kind, business type, class) in a
//! hall copies [`default_process`] into `case_processes`, where it can then be edited.

use crate::sql::{SqlStore, WriteTx};
use crate::*;
use crate::{CaseStore, HallStore, QueueStore, Result, StoreError};
use async_trait::async_trait;
use serde_json::json;
use servicehall_domain::cases::{self, CaseKind, ClockEvent, ClockPolicy, ClockState, Target};
use servicehall_domain::time::{parse_tz, service_day};
use sqlx::Row;

use super::rows::*;
use super::writes::*;

impl SqlStore {
    /// Refreshes the clock cache, publishes `change` (when given) on the hall's live feed,
    /// commits and returns the case as it now stands.
    pub(crate) async fn after_write(
        &self,
        w: WriteTx,
        id: i64,
        now: i64,
        change: Option<&str>,
    ) -> Result<CaseDetail> {
        let mut w = w;
        refresh_clocks(&mut w, id, now).await?;
        if let Some(change) = change {
            super::live::push_case_event(&mut w, id, change, now).await?;
        }
        self.commit(w).await?;
        self.case(id, now).await
    }
}

#[async_trait]
impl CaseStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.open_case")]
    async fn open_case(&self, req: &OpenCase, now: i64) -> Result<CaseDetail> {
        check_text("customer name (客户姓名)", &req.customer_name, 64, true)?;
        check_text("phone (联系电话)", &req.customer_phone, 32, true)?;
        check_text("account number (户号)", &req.account_no, 40, false)?;
        check_text("summary", &req.summary, 2000, false)?;
        if req.kind.own_workflow() {
            return Err(StoreError::Invalid(
                "整改工单由检查的不合格项自动生成，不能手工登记 · rectification cases open from failed inspection items, not by hand".into(),
            ));
        }
        if cases::mask::phone_last4(&req.customer_phone).len() < 4 {
            return Err(StoreError::Invalid(
                "phone (联系电话) needs at least 4 digits; the customer looks the case up with its last 4".into(),
            ));
        }
        let hall = self.hall(req.hall_id).await?;
        let unknown_bt = |id: i64| {
            StoreError::Invalid(format!(
                "本厅没有此业务类型 · unknown business type {id} in hall {}",
                hall.code
            ))
        };
        if let Some(id) = req.business_type_id {
            let bt = self.business_type(id).await.map_err(|_| unknown_bt(id))?;
            if bt.hall_id != hall.id {
                return Err(unknown_bt(id));
            }
        } else if req.kind == CaseKind::Application {
            return Err(StoreError::Invalid(
                "a business application needs its business type (业务类型)".into(),
            ));
        }
        let mut booked = None;
        if let Some(t) = req.ticket_id {
            // A visit booked for this business: its 预约时限 clock runs from the booking.
            booked = crate::AppointmentStore::appointment_by_ticket(self, t)
                .await?
                .filter(|a| Some(a.business_type_id) == req.business_type_id)
                .map(|a| (a.booked_at, a.code));
            let ticket = self.ticket(t).await.map_err(|_| {
                StoreError::Invalid(format!("没有这张票号，请关联工单所来自的那次业务 · no ticket {t}; link the visit the case came from"))
            })?;
            if ticket.hall_id != hall.id {
                return Err(StoreError::Invalid(format!(
                    "此票号属于其他营业厅 · ticket {} belongs to another hall",
                    ticket.number
                )));
            }
        }
        let by = self.staff(req.by).await.map_err(|_| {
            StoreError::Invalid(format!("没有此工作人员 · no staff member {}", req.by))
        })?;
        let region = by.hall_id.is_none()
            && matches!(
                by.role,
                servicehall_domain::Role::Admin | servicehall_domain::Role::Supervisor
            )
            && {
                let mut conn = self.pool.acquire().await?;
                crate::regions::sql::covers(&mut conn, by.region_id, hall.id).await?
            };
        if !by.active || (by.hall_id != Some(hall.id) && !region) {
            return Err(StoreError::Invalid(format!(
                "此人不能在该营业厅登记工单 · {} cannot register cases in hall {}",
                by.name, hall.code
            )));
        }
        let process = self
            .case_process(hall.id, req.kind, req.business_type_id, req.customer_class)
            .await?;
        process.validate().map_err(StoreError::Invalid)?;
        let tz = parse_tz(&hall.timezone).map_err(StoreError::Invalid)?;
        let day = service_day(now, tz).format("%Y%m%d").to_string();

        let mut w = self.begin().await?;
        let id = insert_case_booked(
            &mut w,
            hall.id,
            &day,
            req,
            by.id,
            Some(by.id),
            &process,
            now,
            booked.as_ref().map(|(at, code)| (*at, code.as_str())),
        )
        .await?;
        self.after_write(w, id, now, None).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.complete_step")]
    async fn complete_step(
        &self,
        case_id: i64,
        step: &str,
        by: i64,
        note: &str,
        now: i64,
    ) -> Result<CaseDetail> {
        check_text("note", note, 2000, false)?;
        let mut w = self.begin().await?;
        let d = lock_case(&mut w, case_id, now).await?;
        let states = d.step_states();
        let i = cases::check_step_order(
            d.case.kind,
            d.case.status,
            &states,
            step,
            d.callback_satisfied(),
        )
        .map_err(rule_err)?;
        cases::check_callback_note(d.case.kind, step, d.callback_recorded(), note)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        sqlx::query("UPDATE case_steps SET completed_at = $1, completed_by = $2 WHERE case_id = $3 AND position = $4")
            .bind(now)
            .bind(by)
            .bind(case_id)
            .bind(d.steps[i].position)
            .execute(&mut *w.tx)
            .await?;
        log(
            &mut w,
            case_id,
            "step_completed",
            now,
            Some(by),
            step,
            "",
            None,
            note.trim(),
            serde_json::Value::Null,
        )
        .await?;
        for c in d.clocks.iter().filter(|c| c.step_code == step) {
            if matches!(c.state, ClockState::Running | ClockState::Paused) {
                log(
                    &mut w,
                    case_id,
                    "clock_stopped",
                    now,
                    Some(by),
                    step,
                    &c.key,
                    None,
                    "",
                    serde_json::Value::Null,
                )
                .await?;
            }
        }
        if let Some(next) = d.steps.get(i + 1) {
            for c in d.clocks.iter().filter(|c| c.step_code == next.code) {
                if c.state == ClockState::NotStarted {
                    log(
                        &mut w,
                        case_id,
                        "clock_started",
                        now,
                        Some(by),
                        &next.code,
                        &c.key,
                        None,
                        "",
                        serde_json::Value::Null,
                    )
                    .await?;
                }
            }
        }
        self.after_write(w, case_id, now, Some("step_completed"))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.pause_clock")]
    async fn pause_clock(
        &self,
        case_id: i64,
        clock: &str,
        reason: &str,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail> {
        check_text("reason", reason, 500, false)?;
        let paused = ClockEvent::Paused {
            at: now,
            reason: reason.into(),
            by: Some(by),
        };
        self.clock_transition(
            case_id,
            clock,
            paused,
            "clock_paused",
            reason.trim(),
            by,
            now,
        )
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.resume_clock")]
    async fn resume_clock(
        &self,
        case_id: i64,
        clock: &str,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail> {
        let resumed = ClockEvent::Resumed { at: now };
        self.clock_transition(case_id, clock, resumed, "clock_resumed", "", by, now)
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.request_handover")]
    async fn request_handover(
        &self,
        case_id: i64,
        by: i64,
        to: i64,
        reason: &str,
        now: i64,
    ) -> Result<CaseDetail> {
        check_text("reason", reason, 500, false)?;
        let mut w = self.begin().await?;
        let d = lock_case(&mut w, case_id, now).await?;
        ensure_open(&d)?;
        let target = staff_in(&mut w, to).await?;
        let region_covers =
            crate::regions::sql::covers(&mut w.tx, target.region_id, d.case.hall_id).await?;
        // A hand-over waiting for someone who cannot work cases (asked before that was
        // refused) will never be accepted: a new request replaces it instead of waiting.
        let pending = match d.case.handover_to {
            Some(p) => Some(staff_in(&mut w, p).await?).filter(|st| cases::owner::can_own(st.role)),
            None => None,
        }
        .map(|st| st.name);
        cases::check_handover_target(
            d.case.hall_id,
            d.case.owner_id,
            pending.as_deref(),
            &Target {
                id: target.id,
                name: &target.name,
                hall_id: target.hall_id,
                role: target.role,
                active: target.active,
                region_covers,
            },
            reason,
        )
        .map_err(handover_err)?;
        sqlx::query("UPDATE cases SET handover_to = $1 WHERE id = $2")
            .bind(to)
            .bind(case_id)
            .execute(&mut *w.tx)
            .await?;
        log(
            &mut w,
            case_id,
            "handover_requested",
            now,
            Some(by),
            "",
            "",
            Some(to),
            reason.trim(),
            json!({"from": d.case.owner_id}),
        )
        .await?;
        self.after_write(w, case_id, now, Some("handover_requested"))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.accept_handover")]
    async fn accept_handover(&self, case_id: i64, by: i64, now: i64) -> Result<CaseDetail> {
        let mut w = self.begin().await?;
        let d = lock_case(&mut w, case_id, now).await?;
        ensure_open(&d)?;
        let pending = match d.case.handover_to {
            Some(p) => Some(staff_in(&mut w, p).await?),
            None => None,
        };
        cases::owner::check_accept(pending.as_ref().map(|st| (st.id, st.name.as_str())), by)
            .map_err(handover_err)?;
        // A hand-over asked before readers were refused: its recipient cannot work the case.
        if let Some(st) = &pending {
            cases::owner::check_can_own(&st.name, st.role).map_err(handover_err)?;
        }
        sqlx::query("UPDATE cases SET owner_id = $1, handover_to = NULL WHERE id = $2")
            .bind(by)
            .bind(case_id)
            .execute(&mut *w.tx)
            .await?;
        log(
            &mut w,
            case_id,
            "handover_accepted",
            now,
            Some(by),
            "",
            "",
            Some(by),
            "",
            json!({"from": d.case.owner_id}),
        )
        .await?;
        self.after_write(w, case_id, now, Some("handover_accepted"))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.schedule_callback")]
    async fn schedule_callback(
        &self,
        case_id: i64,
        at: i64,
        by: i64,
        note: &str,
        now: i64,
    ) -> Result<CaseDetail> {
        self.schedule_callback_sql(case_id, at, by, note, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.record_callback")]
    async fn record_callback(
        &self,
        case_id: i64,
        callback: &Callback,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail> {
        check_text("note", &callback.note, 2000, false)?;
        let mut w = self.begin().await?;
        let d = lock_case(&mut w, case_id, now).await?;
        ensure_open(&d)?;
        log(
            &mut w,
            case_id,
            "callback_recorded",
            now,
            Some(by),
            "",
            "",
            None,
            callback.note.trim(),
            json!({"reached": callback.reached, "satisfied": callback.satisfied}),
        )
        .await?;
        self.after_write(w, case_id, now, Some("callback_recorded"))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.close_case")]
    async fn close_case(&self, case_id: i64, by: i64, note: &str, now: i64) -> Result<CaseDetail> {
        check_text("note", note, 2000, false)?;
        let mut w = self.begin().await?;
        let d = lock_case(&mut w, case_id, now).await?;
        let states = d.step_states();
        cases::check_close(d.case.kind, d.case.status, &states, d.callback_satisfied())
            .map_err(rule_err)?;
        for c in &d.clocks {
            if matches!(c.state, ClockState::Running | ClockState::Paused) {
                log(
                    &mut w,
                    case_id,
                    "clock_stopped",
                    now,
                    Some(by),
                    &c.step_code,
                    &c.key,
                    None,
                    "",
                    serde_json::Value::Null,
                )
                .await?;
            }
        }
        sqlx::query(
            "UPDATE cases SET status = 'closed', closed_at = $1, handover_to = NULL WHERE id = $2",
        )
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
            note.trim(),
            serde_json::Value::Null,
        )
        .await?;
        self.after_write(w, case_id, now, Some("closed")).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.case")]
    async fn case(&self, id: i64, now: i64) -> Result<CaseDetail> {
        let mut conn = self.pool.acquire().await?;
        detail(&mut conn, id, now).await
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.cases.case_by_number_and_code"
    )]
    async fn case_by_number_and_code(
        &self,
        number: &str,
        code: &str,
        now: i64,
    ) -> Result<CaseDetail> {
        self.case_by_code(number, code, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.case_page", fields(hall = hall_id))]
    async fn case_page(
        &self,
        hall_id: i64,
        filter: &CaseFilter,
        window: crate::Window,
        now: i64,
    ) -> Result<crate::Paged<CaseLine>> {
        self.cases_paged(hall_id, filter, window, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.cases", fields(hall = hall_id))]
    async fn cases(&self, hall_id: i64, list: CaseList, now: i64) -> Result<Vec<CaseSummary>> {
        let mut conn = self.pool.acquire().await?;
        let (ids_sql, binds): (&str, Vec<i64>) = match list {
            CaseList::Mine(staff) => (
                "SELECT id FROM cases WHERE hall_id = $1 AND status = 'open' AND (owner_id = $2 OR handover_to = $2)",
                vec![hall_id, staff],
            ),
            _ => (
                "SELECT id FROM cases WHERE hall_id = $1 AND status = 'open'",
                vec![hall_id],
            ),
        };
        let mut l = load(&mut conn, ids_sql, &binds, true).await?;
        let wc = hall_clock(&mut conn, hall_id).await?;
        let policy = ClockPolicy::default();
        let mut out = Vec::new();
        for case in l.cases {
            let events = l.events.remove(&case.id).unwrap_or_default();
            let steps = l.steps.remove(&case.id).unwrap_or_default();
            let mut max_share: f64 = 0.0;
            let mut overdue = false;
            let mut next_deadline: Option<i64> = None;
            let mut provisional = false;
            for c in l.clocks.remove(&case.id).unwrap_or_default() {
                let (_, clock) = rebuild(&c, &events, now, &policy, wc.as_ref())?;
                provisional |= clock.provisional;
                if matches!(clock.state, ClockState::Running | ClockState::Paused) {
                    max_share = max_share.max(clock.view.share);
                    overdue |= clock.view.overdue;
                    if let Some(d) = clock.view.deadline {
                        next_deadline = Some(next_deadline.map_or(d, |n| n.min(d)));
                    }
                }
            }
            let keep = match list {
                CaseList::Mine(_) | CaseList::Open => true,
                CaseList::DueSoon => !overdue && max_share >= 0.8,
                CaseList::Overdue => overdue,
            };
            if keep {
                let cur = steps.iter().find(|s| s.completed_at.is_none());
                out.push(CaseSummary {
                    current_step: cur.map(|s| s.code.clone()),
                    current_step_zh: cur.map(|s| s.name_zh.clone()),
                    case,
                    next_deadline,
                    max_share,
                    overdue,
                    provisional,
                });
            }
        }
        out.sort_by_key(|s| (s.next_deadline.unwrap_or(i64::MAX), s.case.id));
        Ok(out)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.on_time_rate", fields(hall = hall_id))]
    async fn on_time_rate(&self, hall_id: i64, from: i64, to: i64) -> Result<OnTimeReport> {
        self.on_time_report(hall_id, from, to).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.scan_warnings", fields(hall = ?hall_id))]
    async fn scan_warnings(&self, hall_id: Option<i64>, now: i64) -> Result<Vec<CaseWarning>> {
        self.scan_due_warnings(hall_id, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.clock_warn_index")]
    async fn clock_warn_index(&self, case_id: i64) -> Result<Vec<ClockWarnIndex>> {
        let rows = sqlx::query("SELECT case_id, clock_key, state, deadline_at, warn_owner_at, warn_manager_at, warn_breach_at, next_warn_at FROM case_clocks WHERE case_id = $1 ORDER BY clock_key")
            .bind(case_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ClockWarnIndex {
                    case_id: r.try_get("case_id")?,
                    clock_key: r.try_get("clock_key")?,
                    state: r.try_get("state")?,
                    deadline_at: r.try_get("deadline_at")?,
                    warn_owner_at: r.try_get("warn_owner_at")?,
                    warn_manager_at: r.try_get("warn_manager_at")?,
                    warn_breach_at: r.try_get("warn_breach_at")?,
                    next_warn_at: r.try_get("next_warn_at")?,
                })
            })
            .collect()
    }
}
