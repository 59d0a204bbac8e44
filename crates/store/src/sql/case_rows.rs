//! A case's rows as the rules see them: decoding rows, rebuilding clocks from the case's
//! log, loading a case's whole detail, writing log entries, locking and inserting a case,
//! and the checks every case write shares. `cases.rs` holds the store's operations on top.

use super::WriteTx;
use super::rows::{self, STAFF_COLS};
use crate::cases_model::*;
use crate::{Result, Staff, StoreError};
use serde_json::json;
use servicehall_domain::cases::{
    self, Amount, CaseKind, CaseRuleError, CaseStatus, ClockDef, ClockError, ClockEvent, ClockLog,
    ClockPolicy, ClockStart, ClockState, CustomerClass, HandoverError, Process, WarningLevel,
    WorkClock,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::HashMap;

pub(super) const CASE_COLS: &str = "id, hall_id, number, kind, business_type_id, customer_class, customer_name, customer_phone, account_no, summary, ticket_id, owner_id, first_inquiry_owner_id, handover_to, status, created_at, closed_at, access_code";

pub(super) fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(format!("{what}: {e}").into()))
}

pub(super) fn clock_err(e: ClockError) -> StoreError {
    match e {
        ClockError::PauseWithoutReason => StoreError::Invalid(e.to_string()),
        _ => StoreError::Conflict(e.to_string()),
    }
}

pub(super) fn rule_err(e: CaseRuleError) -> StoreError {
    match e {
        CaseRuleError::UnknownStep { .. } => StoreError::Invalid(e.to_string()),
        _ => StoreError::Conflict(e.to_string()),
    }
}

pub(super) fn handover_err(e: HandoverError) -> StoreError {
    match e {
        HandoverError::AlreadyPending { .. }
        | HandoverError::NonePending
        | HandoverError::NotTheRecipient { .. } => StoreError::Conflict(e.to_string()),
        _ => StoreError::Invalid(e.to_string()),
    }
}

pub(super) fn case_row(r: &AnyRow) -> Result<Case> {
    let kind: String = r.try_get("kind")?;
    let class: String = r.try_get("customer_class")?;
    let status: String = r.try_get("status")?;
    Ok(Case {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        number: r.try_get("number")?,
        kind: kind.parse().map_err(|e| corrupt("cases.kind", e))?,
        business_type_id: r.try_get("business_type_id")?,
        customer_class: class
            .parse()
            .map_err(|e| corrupt("cases.customer_class", e))?,
        customer_name: r.try_get("customer_name")?,
        customer_phone: r.try_get("customer_phone")?,
        account_no: r.try_get("account_no")?,
        summary: r.try_get("summary")?,
        ticket_id: r.try_get("ticket_id")?,
        owner_id: r.try_get("owner_id")?,
        first_inquiry_owner_id: r.try_get("first_inquiry_owner_id")?,
        handover_to: r.try_get("handover_to")?,
        status: status.parse().map_err(|e| corrupt("cases.status", e))?,
        created_at: r.try_get("created_at")?,
        closed_at: r.try_get("closed_at")?,
        access_code: r.try_get("access_code")?,
    })
}

/// A clock's definition as stored with its case.
#[derive(Debug, Clone)]
pub(super) struct ClockRow {
    pub(super) case_id: i64,
    pub(super) key: String,
    pub(super) step_code: String,
    pub(super) code: String,
    pub(super) def: ClockDef,
}

pub(super) fn clock_row(r: &AnyRow) -> Result<ClockRow> {
    let kind: String = r.try_get("limit_kind")?;
    let unit: String = r.try_get("unit")?;
    let starts: String = r.try_get("starts")?;
    let code: String = r.try_get("code")?;
    Ok(ClockRow {
        case_id: r.try_get("case_id")?,
        key: r.try_get("clock_key")?,
        step_code: r.try_get("step_code")?,
        code: code.clone(),
        def: ClockDef {
            code,
            kind: kind
                .parse()
                .map_err(|e| corrupt("case_clocks.limit_kind", e))?,
            amount: Amount::from_parts(&unit, r.try_get("amount")?)
                .map_err(|e| corrupt("case_clocks.unit", e))?,
            starts: match starts.as_str() {
                "case_opened" => ClockStart::CaseOpened,
                _ => ClockStart::StepStarted,
            },
            source: r.try_get("source")?,
        },
    })
}

pub(super) fn event_row(r: &AnyRow) -> Result<(i64, CaseEvent)> {
    let data: String = r.try_get("data")?;
    Ok((
        r.try_get("case_id")?,
        CaseEvent {
            id: r.try_get("id")?,
            kind: r.try_get("kind")?,
            at: r.try_get("at")?,
            actor_id: r.try_get("actor_id")?,
            step_code: r.try_get("step_code")?,
            clock_key: r.try_get("clock_key")?,
            target_id: r.try_get("target_id")?,
            note: r.try_get("note")?,
            data: if data.is_empty() {
                serde_json::Value::Null
            } else {
                serde_json::from_str(&data).map_err(|e| corrupt("case_events.data", e))?
            },
        },
    ))
}

pub(super) fn step_row(r: &AnyRow) -> Result<(i64, CaseStep)> {
    Ok((
        r.try_get("case_id")?,
        CaseStep {
            position: r.try_get("position")?,
            code: r.try_get("code")?,
            name_zh: r.try_get("name_zh")?,
            name_en: r.try_get("name_en")?,
            completed_at: r.try_get("completed_at")?,
            completed_by: r.try_get("completed_by")?,
        },
    ))
}

pub(super) fn clock_event(e: &CaseEvent) -> Option<ClockEvent> {
    Some(match e.kind.as_str() {
        "clock_started" => ClockEvent::Started { at: e.at },
        "clock_paused" => ClockEvent::Paused {
            at: e.at,
            reason: e.note.clone(),
            by: e.actor_id,
        },
        "clock_resumed" => ClockEvent::Resumed { at: e.at },
        "clock_stopped" => ClockEvent::Stopped { at: e.at },
        _ => return None,
    })
}

/// Rebuilds one clock from the case's events and evaluates it at `now`.
pub(super) fn rebuild(
    c: &ClockRow,
    events: &[CaseEvent],
    now: i64,
    policy: &ClockPolicy,
    wc: &dyn WorkClock,
) -> Result<(ClockLog, CaseClock)> {
    let evs: Vec<ClockEvent> = events
        .iter()
        .filter(|e| e.clock_key == c.key)
        .filter_map(clock_event)
        .collect();
    let log = ClockLog::from_events(c.key.clone(), &evs).map_err(|e| corrupt("case_events", e))?;
    let view = cases::evaluate(c.def.amount, &log, now, policy, wc);
    let clock = CaseClock {
        key: c.key.clone(),
        step_code: c.step_code.clone(),
        code: c.code.clone(),
        kind: c.def.kind,
        amount: c.def.amount,
        starts: c.def.starts,
        source: c.def.source.clone(),
        state: log.state,
        pause_reason: log.pause_reason.clone(),
        view,
    };
    Ok((log, clock))
}

/// Cases chosen by a subquery of ids (`ids_sql`, with `binds`), with what they are made of.
pub(super) struct Loaded {
    pub(super) cases: Vec<Case>,
    pub(super) steps: HashMap<i64, Vec<CaseStep>>,
    pub(super) clocks: HashMap<i64, Vec<ClockRow>>,
    pub(super) events: HashMap<i64, Vec<CaseEvent>>,
}

pub(super) async fn load(
    conn: &mut AnyConnection,
    ids_sql: &str,
    binds: &[i64],
    clock_events_only: bool,
) -> Result<Loaded> {
    async fn fetch(conn: &mut AnyConnection, sql: String, binds: &[i64]) -> Result<Vec<AnyRow>> {
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for b in binds {
            q = q.bind(*b);
        }
        Ok(q.fetch_all(conn).await?)
    }
    let case_rows = fetch(
        conn,
        format!("SELECT {CASE_COLS} FROM cases WHERE id IN ({ids_sql}) ORDER BY id"),
        binds,
    )
    .await?;
    let cases = case_rows.iter().map(case_row).collect::<Result<Vec<_>>>()?;
    let mut steps: HashMap<i64, Vec<CaseStep>> = HashMap::new();
    for r in fetch(
        conn,
        format!("SELECT case_id, position, code, name_zh, name_en, completed_at, completed_by FROM case_steps WHERE case_id IN ({ids_sql}) ORDER BY case_id, position"),
        binds,
    )
    .await?
    {
        let (id, s) = step_row(&r)?;
        steps.entry(id).or_default().push(s);
    }
    let mut clocks: HashMap<i64, Vec<ClockRow>> = HashMap::new();
    for r in fetch(
        conn,
        format!("SELECT c.case_id, c.clock_key, c.step_code, c.code, c.limit_kind, c.unit, c.amount, c.starts, c.source FROM case_clocks c JOIN case_steps s ON s.case_id = c.case_id AND s.code = c.step_code WHERE c.case_id IN ({ids_sql}) ORDER BY c.case_id, s.position, c.clock_key"),
        binds,
    )
    .await?
    {
        let c = clock_row(&r)?;
        clocks.entry(c.case_id).or_default().push(c);
    }
    let only = if clock_events_only {
        " AND kind LIKE 'clock%'"
    } else {
        ""
    };
    let mut events: HashMap<i64, Vec<CaseEvent>> = HashMap::new();
    for r in fetch(
        conn,
        format!("SELECT id, case_id, kind, at, actor_id, step_code, clock_key, target_id, note, data FROM case_events WHERE case_id IN ({ids_sql}){only} ORDER BY case_id, id"),
        binds,
    )
    .await?
    {
        let (id, e) = event_row(&r)?;
        events.entry(id).or_default().push(e);
    }
    Ok(Loaded {
        cases,
        steps,
        clocks,
        events,
    })
}

/// The calendar in use (shipped plus imported years) in the hall's time zone; shared, not
/// copied, when the hall keeps the calendar's own zone.
pub(super) async fn hall_clock(
    conn: &mut AnyConnection,
    hall_id: i64,
) -> Result<std::sync::Arc<servicehall_domain::calendar::Calendar>> {
    let tz: String = sqlx::query_scalar("SELECT timezone FROM halls WHERE id = $1")
        .bind(hall_id)
        .fetch_one(&mut *conn)
        .await?;
    let cal = crate::calendar::sql::effective(conn).await?;
    let zoned = match cases::in_hall_zone(&cal, &tz) {
        std::borrow::Cow::Owned(c) => Some(c),
        std::borrow::Cow::Borrowed(_) => None,
    };
    Ok(zoned.map_or(cal, std::sync::Arc::new))
}

/// Years from the case's opening to its running clocks' deadlines that have no schedule,
/// as sentences; each is also said once in the log.
pub(super) fn uncovered_warnings(
    cal: &servicehall_domain::calendar::Calendar,
    opened: i64,
    clocks: &[CaseClock],
) -> Vec<String> {
    use chrono::Datelike;
    let year = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| t.with_timezone(&cal.tz()).year())
            .unwrap_or(1970)
    };
    let mut years: Vec<i32> = clocks
        .iter()
        .filter(|c| matches!(c.state, ClockState::Running | ClockState::Paused))
        .filter_map(|c| c.view.deadline)
        .flat_map(|due| year(opened)..=year(due))
        .filter(|y| !cal.is_covered(*y))
        .collect();
    years.sort_unstable();
    years.dedup();
    crate::calendar::sql::log_uncovered(&years);
    years
        .into_iter()
        .map(servicehall_domain::calendar::missing_year)
        .collect()
}

/// The whole case at `now`, read through `conn` (a transaction's or the pool's).
pub(super) async fn detail(conn: &mut AnyConnection, id: i64, now: i64) -> Result<CaseDetail> {
    let mut l = load(conn, "SELECT $1", &[id], false).await?;
    let case = l
        .cases
        .pop()
        .ok_or_else(|| StoreError::not_found("case", id))?;
    let cal = hall_clock(conn, case.hall_id).await?;
    let policy = case_policy(conn, id).await?;
    let wc: &dyn WorkClock = cal.as_ref();
    let events = l.events.remove(&id).unwrap_or_default();
    let clocks = l
        .clocks
        .remove(&id)
        .unwrap_or_default()
        .iter()
        .map(|c| rebuild(c, &events, now, &policy, wc).map(|x| x.1))
        .collect::<Result<Vec<_>>>()?;
    let calendar_warnings = uncovered_warnings(&cal, case.created_at, &clocks);
    let documents = sqlx::query("SELECT id, name, received_at, received_by, note, content_type, size_bytes, superseded_at, superseded_by, superseded_reason FROM case_documents WHERE case_id = $1 ORDER BY received_at, id")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(CaseDocument {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                received_at: r.try_get("received_at")?,
                received_by: r.try_get("received_by")?,
                note: r.try_get("note")?,
                content_type: r.try_get("content_type")?,
                size_bytes: r.try_get("size_bytes")?,
                superseded_at: r.try_get("superseded_at")?,
                superseded_by: r.try_get("superseded_by")?,
                superseded_reason: r.try_get("superseded_reason")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let warnings = sqlx::query("SELECT clock_key, level, share_permille, at FROM case_warnings WHERE case_id = $1 ORDER BY at, id")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            let level: String = r.try_get("level")?;
            Ok(CaseWarning {
                case_id: id,
                case_number: case.number.clone(),
                hall_id: case.hall_id,
                clock_key: r.try_get("clock_key")?,
                level: WarningLevel::parse(&level)
                    .ok_or_else(|| corrupt("case_warnings.level", &level))?,
                share_permille: r.try_get("share_permille")?,
                at: r.try_get("at")?,
                owner_id: case.owner_id,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(CaseDetail {
        steps: l.steps.remove(&id).unwrap_or_default(),
        case,
        clocks,
        trail: events,
        documents,
        warnings,
        calendar_warnings,
        policy,
    })
}

/// Appends an entry to a case's log.
#[allow(clippy::too_many_arguments)]
pub(super) async fn log(
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
    sqlx::query(
        "INSERT INTO case_events (case_id, kind, at, actor_id, step_code, clock_key, target_id, note, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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
    .execute(&mut *w.tx)
    .await?;
    Ok(())
}

/// Locks the case row for this transaction and returns the case rebuilt at `now`.
pub(super) async fn lock_case(w: &mut WriteTx, id: i64, now: i64) -> Result<CaseDetail> {
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
pub(super) async fn insert_case(
    w: &mut WriteTx,
    hall_id: i64,
    day: &str,
    req: &OpenCase,
    owner: i64,
    actor: Option<i64>,
    process: &Process,
    now: i64,
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
    let policy = super::case_config::settings_on(&mut w.tx, hall_id)
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
    .bind(super::case_access::new_access_code()?)
    .fetch_one(&mut *w.tx)
    .await
    .map_err(|e| StoreError::unique_as(e, "case number clash; retry"))?;
    super::case_live::push_case_event(w, id, "opened", now).await?;
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
                .await?;
            }
        }
    }
    Ok(id)
}

/// Rewrites the clock cache of a case from its log: state, deadline and the warning index
/// (see `case_scan.rs`), in the caller's transaction.
pub(super) async fn refresh_clocks(w: &mut WriteTx, id: i64, now: i64) -> Result<()> {
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

/// The clock policy a case was opened with ('' = the built-in default).
pub(super) async fn case_policy(conn: &mut AnyConnection, id: i64) -> Result<ClockPolicy> {
    let json: Option<String> = sqlx::query_scalar("SELECT clock_policy FROM cases WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match json.as_deref() {
        None | Some("") => Ok(ClockPolicy::default()),
        Some(j) => serde_json::from_str(j).map_err(|e| corrupt("cases.clock_policy", e)),
    }
}

/// What the warning index of each clock of `d` should hold, derived by the domain from the
/// case's log, policy and calendar: the instant each level is reached if nothing changes, and
/// the earliest one not yet recorded.
pub(super) async fn warn_index(
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

pub(super) async fn staff_in(w: &mut WriteTx, id: i64) -> Result<Staff> {
    let r = sqlx::query(AssertSqlSafe(format!(
        "SELECT {STAFF_COLS} FROM staff WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *w.tx)
    .await?
    .ok_or_else(|| StoreError::Invalid(format!("no staff member {id}")))?;
    rows::staff(&r)
}

/// Finds a clock by key (`step.code`), or by its code when that names one clock, or one
/// running or paused clock, of the case.
pub(super) fn find_clock<'a>(d: &'a CaseDetail, key: &str) -> Result<&'a CaseClock> {
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
            "case {} has no clock {key:?}; its clocks are {}",
            d.case.number,
            d.clocks
                .iter()
                .map(|c| c.key.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

pub(super) fn ensure_open(d: &CaseDetail) -> Result<()> {
    if d.case.status == CaseStatus::Closed {
        return Err(rule_err(CaseRuleError::Closed));
    }
    Ok(())
}

/// The process key: applications per business type and class; other kinds per kind only.
pub(super) fn process_key(
    kind: CaseKind,
    business_type_id: Option<i64>,
    class: CustomerClass,
) -> (i64, &'static str) {
    if kind == CaseKind::Application {
        (business_type_id.unwrap_or(0), class.as_str())
    } else {
        (0, "any")
    }
}

pub(super) fn check_text(what: &str, value: &str, max: usize, required: bool) -> Result<()> {
    let n = value.trim().chars().count();
    if required && n == 0 {
        return Err(StoreError::Invalid(format!("{what} is required")));
    }
    if n > max {
        return Err(StoreError::Invalid(format!(
            "{what} is too long ({n} characters; at most {max})"
        )));
    }
    Ok(())
}

pub(super) fn on_time_row(key: String, label_zh: String, stopped: i64, met: i64) -> OnTimeRow {
    OnTimeRow {
        key,
        label_zh,
        stopped,
        met,
        rate: (stopped > 0).then(|| met as f64 / stopped as f64),
    }
}
