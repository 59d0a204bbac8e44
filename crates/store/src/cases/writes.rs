//! The steps every case write shares: log entries, locking, inserting a case, refreshing
//! its clock cache and warning index, and the checks on its input.

use super::rows::*;
use crate::sql::WriteTx;
use crate::sql::rows::{self, STAFF_COLS};
use crate::*;
use crate::{Result, Staff, StoreError};
use serde_json::json;
use servicehall_domain::cases::{
    self, CaseRuleError, CaseStatus, ClockDef, ClockEvent, ClockLog, ClockStart, ClockState,
    LimitKind, Process, WarningLevel,
};
use sqlx::{AnyConnection, AssertSqlSafe};

/// Appends an entry to a case's log.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn log(
    w: &mut WriteTx,
    case_id: i64,
    kind: &str,
    at: i64,
    actor: Option<i64>,
    step: &str,
    clock: &str,
    target: Option<i64>,
    note: &str,
    data: serde_json::Value,
) -> Result<()> {
    log_recorded_at(
        w, case_id, kind, at, actor, step, clock, target, note, data, at,
    )
    .await
}

/// [`log`] for an entry whose time is earlier than the write recording it (a booking's
/// clock started when the customer booked): the audit record carries `recorded_at`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn log_recorded_at(
    w: &mut WriteTx,
    case_id: i64,
    kind: &str,
    at: i64,
    actor: Option<i64>,
    step: &str,
    clock: &str,
    target: Option<i64>,
    note: &str,
    data: serde_json::Value,
    recorded_at: i64,
) -> Result<()> {
    let (event_id, hall): (i64, i64) = sqlx::query_as(
        "INSERT INTO case_events (case_id, kind, at, actor_id, step_code, clock_key, target_id, note, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING id, (SELECT hall_id FROM cases WHERE id = $1)",
    )
    .bind(case_id)
    .bind(kind)
    .bind(at)
    .bind(actor)
    .bind(step)
    .bind(clock)
    .bind(target)
    .bind(note)
    .bind(if data.is_null() { String::new() } else { data.to_string() })
    .fetch_one(&mut *w.tx)
    .await?;
    // 防篡改记录: the case's clock rests on this log, so each entry is chained with it.
    let subject = format!(
        "工单事件 {kind} · case #{case_id} event {kind}{}",
        if clock.is_empty() {
            String::new()
        } else {
            format!(" ({clock})")
        }
    );
    crate::audit::append::append(
        w,
        crate::audit::append::Append {
            hall: Some(hall),
            kind: "case.event",
            subject,
            source: Some(("case_events", event_id)),
        },
        recorded_at,
    )
    .await?;
    Ok(())
}

/// Locks the case row for this transaction and returns the case rebuilt at `now`.
pub(crate) async fn lock_case(w: &mut WriteTx, id: i64, now: i64) -> Result<CaseDetail> {
    let n = sqlx::query("UPDATE cases SET status = status WHERE id = $1")
        .bind(id)
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(StoreError::not_found("case", id));
    }
    detail(&mut w.tx, id, now).await
}

/// Writes a new case with its steps, clocks and first log entries into `w`; returns its id.
/// `owner` is accountable and the first-inquiry owner; `actor` is who registered it (`None`
/// when the system opened it, e.g. a service-recovery case from a bad rating).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_case(
    w: &mut WriteTx,
    hall_id: i64,
    day: &str,
    req: &OpenCase,
    owner: i64,
    actor: Option<i64>,
    process: &Process,
    now: i64,
) -> Result<i64> {
    insert_case_booked(w, hall_id, day, req, owner, actor, process, now, None).await
}

/// [`insert_case`] for a visit that came from a booking (`booked`: when it was booked and
/// its code): the 预约时限 clocks that start with the case start at the booking instead,
/// since the time agreed with the customer runs from when they booked.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_case_booked(
    w: &mut WriteTx,
    hall_id: i64,
    day: &str,
    req: &OpenCase,
    owner: i64,
    actor: Option<i64>,
    process: &Process,
    now: i64,
    booked: Option<(i64, &str)>,
) -> Result<i64> {
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO case_sequences (hall_id, service_day, last_no) VALUES ($1, $2, 1)
         ON CONFLICT (hall_id, service_day) DO UPDATE SET last_no = case_sequences.last_no + 1
         RETURNING last_no",
    )
    .bind(hall_id)
    .bind(day)
    .fetch_one(&mut *w.tx)
    .await?;
    let number = format!("GD-{day}-{seq:04}");
    // The case keeps the hall's clock settings as they are now (later changes apply to
    // cases opened after them).
    let policy = super::settings::settings_on(&mut w.tx, hall_id)
        .await?
        .settings
        .policy();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cases (hall_id, number, kind, business_type_id, customer_class, customer_name, customer_phone,
                            account_no, summary, ticket_id, owner_id, first_inquiry_owner_id, status, created_at, clock_policy, access_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, 'open', $12, $13, $14) RETURNING id",
    )
    .bind(hall_id)
    .bind(&number)
    .bind(req.kind.as_str())
    .bind(req.business_type_id)
    .bind(req.customer_class.as_str())
    .bind(req.customer_name.trim())
    .bind(req.customer_phone.trim())
    .bind(req.account_no.trim())
    .bind(req.summary.trim())
    .bind(req.ticket_id)
    .bind(owner)
    .bind(now)
    .bind(serde_json::to_string(&policy).map_err(|e| corrupt("policy", e))?)
    .bind(super::access::new_access_code()?)
    .fetch_one(&mut *w.tx)
    .await
    .map_err(|e| StoreError::unique_as(e, "工单编号冲突，请重试 · case number clash; retry"))?;
    super::live::push_case_event(w, id, "opened", now).await?;
    log(
        w,
        id,
        "created",
        now,
        actor,
        "",
        "",
        None,
        req.summary.trim(),
        json!({"number": number, "kind": req.kind, "customer_class": req.customer_class, "ticket_id": req.ticket_id}),
    )
    .await?;
    for (i, s) in process.steps.iter().enumerate() {
        sqlx::query("INSERT INTO case_steps (case_id, position, code, name_zh, name_en) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(i as i64)
            .bind(&s.code)
            .bind(&s.name_zh)
            .bind(&s.name_en)
            .execute(&mut *w.tx)
            .await?;
        for c in &s.clocks {
            let key = ClockDef::key(&s.code, &c.code);
            let starts = match c.starts {
                ClockStart::CaseOpened => "case_opened",
                ClockStart::StepStarted => "step_started",
            };
            sqlx::query("INSERT INTO case_clocks (case_id, clock_key, step_code, code, limit_kind, unit, amount, starts, source, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'not_started')")
                .bind(id)
                .bind(&key)
                .bind(&s.code)
                .bind(&c.code)
                .bind(c.kind.as_str())
                .bind(c.amount.unit())
                .bind(i64::from(c.amount.n()))
                .bind(starts)
                .bind(&c.source)
                .execute(&mut *w.tx)
                .await?;
            if c.starts == ClockStart::CaseOpened || i == 0 {
                match booked.filter(|_| c.kind == LimitKind::Appointment) {
                    Some((booked_at, code)) => {
                        log_recorded_at(
                            w,
                            id,
                            "clock_started",
                            booked_at.min(now),
                            actor,
                            &s.code,
                            &key,
                            None,
                            &format!("自预约起计时（预约码 {code}）· from the booking {code}"),
                            json!({"appointment": code}),
                            now,
                        )
                        .await?
                    }
                    None => {
                        log(
                            w,
                            id,
                            "clock_started",
                            now,
                            actor,
                            &s.code,
                            &key,
                            None,
                            "",
                            serde_json::Value::Null,
                        )
                        .await?
                    }
                }
            }
        }
    }
    Ok(id)
}

/// Rewrites the clock cache of a case from its log: state, deadline and the warning index
/// (see `case_scan.rs`), in the caller's transaction.
pub(crate) async fn refresh_clocks(w: &mut WriteTx, id: i64, now: i64) -> Result<()> {
    let d = detail(&mut w.tx, id, now).await?;
    for row in warn_index(&mut w.tx, &d).await? {
        sqlx::query("UPDATE case_clocks SET state = $1, deadline_at = $2, warn_owner_at = $3, warn_manager_at = $4, warn_breach_at = $5, next_warn_at = $6, warn_indexed = 1 WHERE case_id = $7 AND clock_key = $8")
            .bind(&row.state)
            .bind(row.deadline_at)
            .bind(row.warn_owner_at)
            .bind(row.warn_manager_at)
            .bind(row.warn_breach_at)
            .bind(row.next_warn_at)
            .bind(id)
            .bind(&row.clock_key)
            .execute(&mut *w.tx)
            .await?;
    }
    Ok(())
}

/// What the warning index of each clock of `d` should hold, derived by the domain from the
/// case's log, policy and calendar: the instant each level is reached if nothing changes, and
/// the earliest one not yet recorded.
pub(crate) async fn warn_index(
    conn: &mut AnyConnection,
    d: &CaseDetail,
) -> Result<Vec<crate::ClockWarnIndex>> {
    let cal = hall_clock(conn, d.case.hall_id).await?;
    let policy = case_policy(conn, d.case.id).await?;
    let mut out = Vec::with_capacity(d.clocks.len());
    for c in &d.clocks {
        let evs: Vec<ClockEvent> = d
            .trail
            .iter()
            .filter(|e| e.clock_key == c.key)
            .filter_map(clock_event)
            .collect();
        let log =
            ClockLog::from_events(c.key.clone(), &evs).map_err(|e| corrupt("case_events", e))?;
        let open = d.case.status == CaseStatus::Open;
        let instants = if open {
            cases::warning_instants(c.amount, &log, &policy, &*cal)
        } else {
            Vec::new()
        };
        let at = |l: WarningLevel| instants.iter().find(|x| x.0 == l).map(|x| x.1);
        let recorded: Vec<WarningLevel> = d
            .warnings
            .iter()
            .filter(|w| w.clock_key == c.key)
            .map(|w| w.level)
            .collect();
        out.push(crate::ClockWarnIndex {
            case_id: d.case.id,
            clock_key: c.key.clone(),
            state: c.state.as_str().into(),
            deadline_at: (c.state == ClockState::Running)
                .then_some(c.view.deadline)
                .flatten(),
            warn_owner_at: at(WarningLevel::Owner),
            warn_manager_at: at(WarningLevel::HallManager),
            warn_breach_at: at(WarningLevel::Supervisor),
            next_warn_at: cases::next_warning_at(&instants, &recorded),
        });
    }
    Ok(out)
}

pub(crate) async fn staff_in(w: &mut WriteTx, id: i64) -> Result<Staff> {
    let r = sqlx::query(AssertSqlSafe(format!(
        "SELECT {STAFF_COLS} FROM staff WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *w.tx)
    .await?
    .ok_or_else(|| StoreError::Invalid(format!("没有此工作人员 · no staff member {id}")))?;
    rows::staff(&r)
}

/// Finds a clock by key (`step.code`), or by its code when that names one clock, or one
/// running or paused clock, of the case.
pub(crate) fn find_clock<'a>(d: &'a CaseDetail, key: &str) -> Result<&'a CaseClock> {
    if let Some(c) = d.clocks.iter().find(|c| c.key == key) {
        return Ok(c);
    }
    let by_code: Vec<&CaseClock> = d.clocks.iter().filter(|c| c.code == key).collect();
    let active: Vec<&CaseClock> = by_code
        .iter()
        .copied()
        .filter(|c| matches!(c.state, ClockState::Running | ClockState::Paused))
        .collect();
    match (by_code.as_slice(), active.as_slice()) {
        ([one], _) | (_, [one]) => Ok(one),
        _ => Err(StoreError::NotFound(format!(
            "工单没有这个时限 · case {} has no clock {key:?}; its clocks are {}",
            d.case.number,
            d.clocks
                .iter()
                .map(|c| c.key.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

pub(crate) fn ensure_open(d: &CaseDetail) -> Result<()> {
    if d.case.status == CaseStatus::Closed {
        return Err(rule_err(CaseRuleError::Closed));
    }
    Ok(())
}

pub(crate) fn check_text(what: &str, value: &str, max: usize, required: bool) -> Result<()> {
    let n = value.trim().chars().count();
    if required && n == 0 {
        return Err(StoreError::Invalid(format!(
            "必填项未填写 · {what} is required"
        )));
    }
    if n > max {
        return Err(StoreError::Invalid(format!(
            "内容过长 · {what} is too long ({n} characters; at most {max})"
        )));
    }
    Ok(())
}

pub(crate) fn on_time_row(key: String, label_zh: String, stopped: i64, met: i64) -> OnTimeRow {
    OnTimeRow {
        key,
        label_zh,
        stopped,
        met,
        rate: (stopped > 0).then(|| met as f64 / stopped as f64),
    }
}
