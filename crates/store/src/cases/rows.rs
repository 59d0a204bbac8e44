//! A case's rows as the rules see them: decoding rows, rebuilding clocks from the case's
//! log, the policy a case was opened with, and loading a case's whole detail. `writes.rs` holds the steps every write shares,
//! `sql.rs` the store's operations on top.

use crate::*;
use crate::{Result, StoreError};
use servicehall_domain::cases::{
    self, Amount, CaseRuleError, ClockDef, ClockError, ClockEvent, ClockLog, ClockPolicy,
    ClockStart, ClockState, HandoverError, WarningLevel, WorkClock,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::HashMap;

pub(crate) const CASE_COLS: &str = "id, hall_id, number, kind, business_type_id, customer_class, customer_name, customer_phone, account_no, summary, ticket_id, owner_id, first_inquiry_owner_id, handover_to, status, created_at, closed_at, access_code";

pub(crate) fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("已存工单数据无法读取 · stored {what} does not read: {e}").into(),
    ))
}

pub(crate) fn clock_err(e: ClockError) -> StoreError {
    match e {
        ClockError::PauseWithoutReason => StoreError::Invalid(e.to_string()),
        _ => StoreError::Conflict(e.to_string()),
    }
}

pub(crate) fn rule_err(e: CaseRuleError) -> StoreError {
    match e {
        CaseRuleError::UnknownStep { .. } => StoreError::Invalid(e.to_string()),
        _ => StoreError::Conflict(e.to_string()),
    }
}

pub(crate) fn handover_err(e: HandoverError) -> StoreError {
    match e {
        HandoverError::AlreadyPending { .. }
        | HandoverError::NonePending
        | HandoverError::NotTheRecipient { .. } => StoreError::Conflict(e.to_string()),
        _ => StoreError::Invalid(e.to_string()),
    }
}

pub(crate) fn case_row(r: &AnyRow) -> Result<Case> {
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
pub(crate) struct ClockRow {
    pub(crate) case_id: i64,
    pub(crate) key: String,
    pub(crate) step_code: String,
    pub(crate) code: String,
    pub(crate) def: ClockDef,
}

pub(crate) fn clock_row(r: &AnyRow) -> Result<ClockRow> {
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

pub(crate) fn event_row(r: &AnyRow) -> Result<(i64, CaseEvent)> {
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

pub(crate) fn step_row(r: &AnyRow) -> Result<(i64, CaseStep)> {
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

pub(crate) fn clock_event(e: &CaseEvent) -> Option<ClockEvent> {
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
pub(crate) fn rebuild(
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
    let running = matches!(log.state, ClockState::Running | ClockState::Paused);
    let provisional = running
        && !matches!(c.def.amount, Amount::Hours(_))
        && view
            .deadline
            .is_some_and(|due| wc.provisional(view.started_at.unwrap_or(due), due));
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
        provisional,
    };
    Ok((log, clock))
}

/// Cases chosen by a subquery of ids (`ids_sql`, with `binds`), with what they are made of.
pub(crate) struct Loaded {
    pub(crate) cases: Vec<Case>,
    pub(crate) steps: HashMap<i64, Vec<CaseStep>>,
    pub(crate) clocks: HashMap<i64, Vec<ClockRow>>,
    pub(crate) events: HashMap<i64, Vec<CaseEvent>>,
}

pub(crate) async fn load(
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

/// The clock policy a case was opened with ('' = the built-in default).
pub(crate) async fn case_policy(conn: &mut AnyConnection, id: i64) -> Result<ClockPolicy> {
    let json: Option<String> = sqlx::query_scalar("SELECT clock_policy FROM cases WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match json.as_deref() {
        None | Some("") => Ok(ClockPolicy::default()),
        Some(j) => serde_json::from_str(j).map_err(|e| corrupt("cases.clock_policy", e)),
    }
}

/// The calendar in use (shipped plus imported years) in the hall's time zone; shared, not
/// copied, when the hall keeps the calendar's own zone.
pub(crate) async fn hall_clock(
    conn: &mut AnyConnection,
    hall_id: i64,
) -> Result<std::sync::Arc<servicehall_domain::calendar::Calendar>> {
    let tz: String = sqlx::query_scalar("SELECT timezone FROM halls WHERE id = $1")
        .bind(hall_id)
        .fetch_one(&mut *conn)
        .await?;
    let cal = crate::calendar::effective::effective(conn).await?;
    let zoned = match cases::in_hall_zone(&cal, &tz) {
        std::borrow::Cow::Owned(c) => Some(c),
        std::borrow::Cow::Borrowed(_) => None,
    };
    Ok(zoned.map_or(cal, std::sync::Arc::new))
}

/// Years from the case's opening to its running clocks' deadlines that have no schedule,
/// as sentences; each is also said once in the log.
pub(crate) fn uncovered_warnings(
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
    crate::calendar::effective::log_uncovered(&years);
    years
        .into_iter()
        .map(servicehall_domain::calendar::provisional_year)
        .collect()
}

/// The whole case at `now`, read through `conn` (a transaction's or the pool's).
pub(crate) async fn detail(conn: &mut AnyConnection, id: i64, now: i64) -> Result<CaseDetail> {
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
