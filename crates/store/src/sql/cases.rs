//! Cases (工单) on SQLite and PostgreSQL. Every write locks the case row, checks the
//! domain's rules against the case rebuilt from its log, and writes the change together
//! with its `case_events` entries in one transaction. Clocks are always rebuilt from
//! `case_events`; `case_clocks.state`/`deadline_at` are only a cache for lists.
//!
//! Processes are seeded on demand: the first case of a (kind, business type, class) in a
//! hall copies [`default_process`] into `case_processes`, where it can then be edited.

use super::rows::{self, STAFF_COLS};
use super::{SqlStore, WriteTx};
use crate::cases_model::*;
use crate::{CaseStore, QueueStore, Result, SetupStore, Staff, StoreError};
use async_trait::async_trait;
use serde_json::json;
use servicehall_domain::cases::{
    self, Amount, CaseKind, CaseRuleError, CaseStatus, ClockDef, ClockError, ClockEvent, ClockLog,
    ClockPolicy, ClockStart, ClockState, CustomerClass, HandoverError, Process, Target,
    WarningLevel, WorkClock, default_process,
};
use servicehall_domain::time::{parse_tz, service_day};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::HashMap;

const CASE_COLS: &str = "id, hall_id, number, kind, business_type_id, customer_class, customer_name, customer_phone, account_no, summary, ticket_id, owner_id, first_inquiry_owner_id, handover_to, status, created_at, closed_at, access_code";

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(format!("{what}: {e}").into()))
}

fn clock_err(e: ClockError) -> StoreError {
    match e {
        ClockError::PauseWithoutReason => StoreError::Invalid(e.to_string()),
        _ => StoreError::Conflict(e.to_string()),
    }
}

fn rule_err(e: CaseRuleError) -> StoreError {
    match e {
        CaseRuleError::UnknownStep { .. } => StoreError::Invalid(e.to_string()),
        _ => StoreError::Conflict(e.to_string()),
    }
}

fn handover_err(e: HandoverError) -> StoreError {
    match e {
        HandoverError::AlreadyPending { .. }
        | HandoverError::NonePending
        | HandoverError::NotTheRecipient { .. } => StoreError::Conflict(e.to_string()),
        _ => StoreError::Invalid(e.to_string()),
    }
}

fn case_row(r: &AnyRow) -> Result<Case> {
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
struct ClockRow {
    case_id: i64,
    key: String,
    step_code: String,
    code: String,
    def: ClockDef,
}

fn clock_row(r: &AnyRow) -> Result<ClockRow> {
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

fn event_row(r: &AnyRow) -> Result<(i64, CaseEvent)> {
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

fn step_row(r: &AnyRow) -> Result<(i64, CaseStep)> {
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

fn clock_event(e: &CaseEvent) -> Option<ClockEvent> {
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
fn rebuild(
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
struct Loaded {
    cases: Vec<Case>,
    steps: HashMap<i64, Vec<CaseStep>>,
    clocks: HashMap<i64, Vec<ClockRow>>,
    events: HashMap<i64, Vec<CaseEvent>>,
}

async fn load(
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
async fn hall_clock(
    conn: &mut AnyConnection,
    hall_id: i64,
) -> Result<std::sync::Arc<servicehall_domain::calendar::Calendar>> {
    let tz: String = sqlx::query_scalar("SELECT timezone FROM halls WHERE id = $1")
        .bind(hall_id)
        .fetch_one(&mut *conn)
        .await?;
    let cal = super::calendar::effective(conn).await?;
    let zoned = match cases::in_hall_zone(&cal, &tz) {
        std::borrow::Cow::Owned(c) => Some(c),
        std::borrow::Cow::Borrowed(_) => None,
    };
    Ok(zoned.map_or(cal, std::sync::Arc::new))
}

/// Years from the case's opening to its running clocks' deadlines that have no schedule,
/// as sentences; each is also said once in the log.
fn uncovered_warnings(
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
    super::calendar::log_uncovered(&years);
    years
        .into_iter()
        .map(servicehall_domain::calendar::missing_year)
        .collect()
}

/// The whole case at `now`, read through `conn` (a transaction's or the pool's).
async fn detail(conn: &mut AnyConnection, id: i64, now: i64) -> Result<CaseDetail> {
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
async fn log(
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

async fn staff_in(w: &mut WriteTx, id: i64) -> Result<Staff> {
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
fn find_clock<'a>(d: &'a CaseDetail, key: &str) -> Result<&'a CaseClock> {
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

fn ensure_open(d: &CaseDetail) -> Result<()> {
    if d.case.status == CaseStatus::Closed {
        return Err(rule_err(CaseRuleError::Closed));
    }
    Ok(())
}

/// The process key: applications per business type and class; other kinds per kind only.
fn process_key(
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

fn check_text(what: &str, value: &str, max: usize, required: bool) -> Result<()> {
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

fn on_time_row(key: String, label_zh: String, stopped: i64, met: i64) -> OnTimeRow {
    OnTimeRow {
        key,
        label_zh,
        stopped,
        met,
        rate: (stopped > 0).then(|| met as f64 / stopped as f64),
    }
}

impl SqlStore {
    /// Pauses or resumes one clock: the event must be valid for the clock as its log stands
    /// (pausing a clock that is not running, resuming twice … are refused), then it is logged.
    #[allow(clippy::too_many_arguments)]
    async fn clock_transition(
        &self,
        case_id: i64,
        clock: &str,
        event: ClockEvent,
        kind: &str,
        note: &str,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail> {
        let mut w = self.begin().await?;
        let d = lock_case(&mut w, case_id, now).await?;
        ensure_open(&d)?;
        let c = find_clock(&d, clock)?;
        let evs: Vec<ClockEvent> = d
            .trail
            .iter()
            .filter(|e| e.clock_key == c.key)
            .filter_map(clock_event)
            .collect();
        let mut l =
            ClockLog::from_events(c.key.clone(), &evs).map_err(|e| corrupt("case_events", e))?;
        l.apply(&event).map_err(clock_err)?;
        log(
            &mut w,
            case_id,
            kind,
            now,
            Some(by),
            &c.step_code,
            &c.key,
            None,
            note,
            serde_json::Value::Null,
        )
        .await?;
        self.after_write(w, case_id, now, Some(kind)).await
    }

    /// Refreshes the clock cache, publishes `change` (when given) on the hall's live feed,
    /// commits and returns the case as it now stands.
    async fn after_write(
        &self,
        w: WriteTx,
        id: i64,
        now: i64,
        change: Option<&str>,
    ) -> Result<CaseDetail> {
        let mut w = w;
        refresh_clocks(&mut w, id, now).await?;
        if let Some(change) = change {
            super::case_live::push_case_event(&mut w, id, change, now).await?;
        }
        self.commit(w).await?;
        self.case(id, now).await
    }
}

#[async_trait]
impl CaseStore for SqlStore {
    async fn case_process(
        &self,
        hall_id: i64,
        kind: CaseKind,
        business_type_id: Option<i64>,
        class: CustomerClass,
    ) -> Result<Process> {
        let (bt, cls) = process_key(kind, business_type_id, class);
        let q = || {
            sqlx::query_scalar::<_, String>("SELECT definition FROM case_processes WHERE hall_id = $1 AND kind = $2 AND business_type_id = $3 AND customer_class = $4")
                .bind(hall_id)
                .bind(kind.as_str())
                .bind(bt)
                .bind(cls)
        };
        if let Some(def) = q().fetch_optional(&self.pool).await? {
            return serde_json::from_str(&def).map_err(|e| corrupt("case_processes.definition", e));
        }
        let code = match business_type_id {
            Some(id) => Some(self.business_type(id).await?.code),
            None => None,
        };
        let p = default_process(kind, code.as_deref(), class);
        let mut w = self.begin().await?;
        sqlx::query("INSERT INTO case_processes (hall_id, kind, business_type_id, customer_class, definition, updated_at) VALUES ($1, $2, $3, $4, $5, 0) ON CONFLICT (hall_id, kind, business_type_id, customer_class) DO NOTHING")
            .bind(hall_id)
            .bind(kind.as_str())
            .bind(bt)
            .bind(cls)
            .bind(serde_json::to_string(&p).map_err(|e| corrupt("process", e))?)
            .execute(&mut *w.tx)
            .await?;
        self.commit(w).await?;
        let def = q().fetch_one(&self.pool).await?;
        serde_json::from_str(&def).map_err(|e| corrupt("case_processes.definition", e))
    }

    async fn set_case_process(
        &self,
        hall_id: i64,
        kind: CaseKind,
        business_type_id: Option<i64>,
        class: CustomerClass,
        process: &Process,
        now: i64,
    ) -> Result<()> {
        process.validate().map_err(StoreError::Invalid)?;
        self.hall(hall_id).await?;
        let (bt, cls) = process_key(kind, business_type_id, class);
        let def = serde_json::to_string(process).map_err(|e| corrupt("process", e))?;
        let mut w = self.begin().await?;
        sqlx::query("INSERT INTO case_processes (hall_id, kind, business_type_id, customer_class, definition, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (hall_id, kind, business_type_id, customer_class) DO UPDATE SET definition = $5, updated_at = $6")
            .bind(hall_id)
            .bind(kind.as_str())
            .bind(bt)
            .bind(cls)
            .bind(def)
            .bind(now)
            .execute(&mut *w.tx)
            .await?;
        self.commit(w).await
    }

    async fn open_case(&self, req: &OpenCase, now: i64) -> Result<CaseDetail> {
        check_text("customer name (客户姓名)", &req.customer_name, 64, true)?;
        check_text("phone (联系电话)", &req.customer_phone, 32, true)?;
        check_text("account number (户号)", &req.account_no, 40, false)?;
        check_text("summary", &req.summary, 2000, false)?;
        if cases::mask::phone_last4(&req.customer_phone).len() < 4 {
            return Err(StoreError::Invalid(
                "phone (联系电话) needs at least 4 digits; the customer looks the case up with its last 4".into(),
            ));
        }
        let hall = self.hall(req.hall_id).await?;
        let unknown_bt = |id: i64| {
            StoreError::Invalid(format!("unknown business type {id} in hall {}", hall.code))
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
        if let Some(t) = req.ticket_id {
            let ticket = self.ticket(t).await.map_err(|_| {
                StoreError::Invalid(format!("no ticket {t}; link the visit the case came from"))
            })?;
            if ticket.hall_id != hall.id {
                return Err(StoreError::Invalid(format!(
                    "ticket {} belongs to another hall",
                    ticket.number
                )));
            }
        }
        let by = self
            .staff(req.by)
            .await
            .map_err(|_| StoreError::Invalid(format!("no staff member {}", req.by)))?;
        let region = by.hall_id.is_none()
            && matches!(
                by.role,
                servicehall_domain::Role::Admin | servicehall_domain::Role::Supervisor
            )
            && {
                let mut conn = self.pool.acquire().await?;
                super::regions::covers(&mut conn, by.region_id, hall.id).await?
            };
        if !by.active || (by.hall_id != Some(hall.id) && !region) {
            return Err(StoreError::Invalid(format!(
                "{} cannot register cases in hall {}",
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
        let id = insert_case(
            &mut w,
            hall.id,
            &day,
            req,
            by.id,
            Some(by.id),
            &process,
            now,
        )
        .await?;
        self.after_write(w, id, now, None).await
    }

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
        let states: Vec<_> = d
            .steps
            .iter()
            .map(|s| {
                (
                    s.code.as_str(),
                    s.name_zh.as_str(),
                    s.completed_at.is_some(),
                )
            })
            .collect();
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

    async fn add_document(
        &self,
        case_id: i64,
        doc: &DocumentInput,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail> {
        check_text("document name (资料名称)", &doc.name, 200, true)?;
        check_text("note", &doc.note, 2000, false)?;
        let received = doc.received_at.unwrap_or(now);
        if received > now + 5 * 60_000 {
            return Err(StoreError::Invalid(
                "received_at is in the future; give when the customer handed the document in"
                    .into(),
            ));
        }
        let mut w = self.begin().await?;
        let d = lock_case(&mut w, case_id, now).await?;
        ensure_open(&d)?;
        sqlx::query("INSERT INTO case_documents (case_id, name, received_at, received_by, note) VALUES ($1, $2, $3, $4, $5)")
            .bind(case_id)
            .bind(doc.name.trim())
            .bind(received)
            .bind(by)
            .bind(doc.note.trim())
            .execute(&mut *w.tx)
            .await?;
        log(
            &mut w,
            case_id,
            "document_added",
            now,
            Some(by),
            "",
            "",
            None,
            doc.name.trim(),
            json!({"received_at": received, "note": doc.note.trim()}),
        )
        .await?;
        self.after_write(w, case_id, now, Some("document_added"))
            .await
    }

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
            super::regions::covers(&mut w.tx, target.region_id, d.case.hall_id).await?;
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

    async fn close_case(&self, case_id: i64, by: i64, note: &str, now: i64) -> Result<CaseDetail> {
        check_text("note", note, 2000, false)?;
        let mut w = self.begin().await?;
        let d = lock_case(&mut w, case_id, now).await?;
        let states: Vec<_> = d
            .steps
            .iter()
            .map(|s| {
                (
                    s.code.as_str(),
                    s.name_zh.as_str(),
                    s.completed_at.is_some(),
                )
            })
            .collect();
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

    async fn case(&self, id: i64, now: i64) -> Result<CaseDetail> {
        let mut conn = self.pool.acquire().await?;
        detail(&mut conn, id, now).await
    }

    async fn case_by_number_and_code(
        &self,
        number: &str,
        code: &str,
        now: i64,
    ) -> Result<CaseDetail> {
        self.case_by_code(number, code, now).await
    }

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
            for c in l.clocks.remove(&case.id).unwrap_or_default() {
                let (_, clock) = rebuild(&c, &events, now, &policy, wc.as_ref())?;
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
                });
            }
        }
        out.sort_by_key(|s| (s.next_deadline.unwrap_or(i64::MAX), s.case.id));
        Ok(out)
    }

    async fn on_time_rate(&self, hall_id: i64, from: i64, to: i64) -> Result<OnTimeReport> {
        if to <= from {
            return Err(StoreError::Invalid(
                "the period must end after it starts (to > from)".into(),
            ));
        }
        let mut conn = self.pool.acquire().await?;
        let mut l = load(
            &mut conn,
            "SELECT id FROM cases WHERE hall_id = $1 AND id IN (SELECT case_id FROM case_events WHERE kind = 'clock_stopped' AND at >= $2 AND at < $3)",
            &[hall_id, from, to],
            true,
        )
        .await?;
        let wc = hall_clock(&mut conn, hall_id).await?;
        let policy = ClockPolicy::default();
        let bts: HashMap<i64, (String, String)> = self
            .business_types(hall_id)
            .await?
            .into_iter()
            .map(|b| (b.id, (b.code, b.name_zh)))
            .collect();
        type Tally = HashMap<String, (String, i64, i64)>;
        let (mut by_bt, mut by_class, mut by_step): (Tally, Tally, Tally) = Default::default();
        let (mut stopped, mut met) = (0, 0);
        for case in &l.cases {
            let events = l.events.remove(&case.id).unwrap_or_default();
            let steps = l.steps.remove(&case.id).unwrap_or_default();
            for c in l.clocks.remove(&case.id).unwrap_or_default() {
                let (_, clock) = rebuild(&c, &events, to, &policy, wc.as_ref())?; // stopped clocks do not depend on `now`
                let Some(at) = clock.view.stopped_at else {
                    continue;
                };
                if at < from || at >= to {
                    continue;
                }
                let ok = i64::from(!clock.view.overdue);
                stopped += 1;
                met += ok;
                let (bk, bl) = case
                    .business_type_id
                    .and_then(|id| bts.get(&id).cloned())
                    .unwrap_or_else(|| (case.kind.as_str().into(), case.kind.label_zh().into()));
                let step_zh = steps
                    .iter()
                    .find(|s| s.code == c.step_code)
                    .map_or(c.step_code.clone(), |s| s.name_zh.clone());
                for (t, k, label) in [
                    (&mut by_bt, bk, bl),
                    (
                        &mut by_class,
                        case.customer_class.as_str().to_string(),
                        case.customer_class.label_zh().to_string(),
                    ),
                    (&mut by_step, c.step_code.clone(), step_zh),
                ] {
                    let e = t.entry(k).or_insert((label, 0, 0));
                    e.1 += 1;
                    e.2 += ok;
                }
            }
        }
        let rows = |t: Tally| {
            let mut v: Vec<OnTimeRow> = t
                .into_iter()
                .map(|(k, (label, s, m))| on_time_row(k, label, s, m))
                .collect();
            v.sort_by(|a, b| a.key.cmp(&b.key));
            v
        };
        Ok(OnTimeReport {
            hall_id,
            from,
            to,
            overall: on_time_row("all".into(), "全部".into(), stopped, met),
            by_business_type: rows(by_bt),
            by_customer_class: rows(by_class),
            by_step: rows(by_step),
        })
    }

    async fn scan_warnings(&self, hall_id: Option<i64>, now: i64) -> Result<Vec<CaseWarning>> {
        self.scan_due_warnings(hall_id, now).await
    }
}
