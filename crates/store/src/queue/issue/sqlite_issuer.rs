//! The SQLite ticket issuer's own connection, on its own thread.
//!
//! Through sqlx every statement is a hand-off to the connection's worker thread and back;
//! issuing a ticket takes about ten of them, and on SQLite's single writer those hand-offs,
//! not SQLite, were the ceiling (docs/performance.md). This thread runs a whole batch of
//! issues with cached prepared statements in one transaction — one fsync — and hands back
//! the results once; a ticket that fails fails alone (see [`run_batch`]). The statements
//! are the sqlx path's own (mod.rs), and the issuer holds the store's writer lock
//! while a batch runs, so the two paths never write at once.

use crate::queue::ahead::{AheadQuery, duties_of, placed};
use crate::queue::issue::jobs::{Issued, LiteIssued, LiteJob};
use crate::queue::issue::lite_conn::{bind, db, exec, insert, one, row};
use crate::queue::issue::sqlite_queues::Queues;
use crate::queue::issue::statements::*;
use crate::queue::payload::ticket_payload;
use crate::{Duty, HallEvent, Placement, Ticket, TicketEvent};
use crate::{Result, StoreError};
use rusqlite::{Connection, ToSql, TransactionBehavior};
use servicehall_domain::TicketState;
use servicehall_domain::queue::numbering::format_number;

/// What a committed batch did.
pub(crate) struct Done {
    /// One per job, in order.
    pub results: Vec<Result<LiteIssued>>,
    /// The (hall, day) whose stale tickets the batch closed.
    pub expired: Vec<(i64, String)>,
}

/// Runs a batch in one transaction: the jobs in hand, then any that `more` hands over
/// while it runs (they join this commit rather than wait for the next fsync), each
/// appended to `jobs`. `closed(hall, day)` says whether a hall's stale tickets were already
/// closed through that day; if not, the batch closes them first.
///
/// The first attempt has no savepoints: a savepoint per ticket made SQLite copy every page
/// each ticket touched into its sub-journal, a fifth of this thread's time, to guard
/// against a failure (a ticket code clash) that almost never happens. If any ticket fails,
/// that attempt is rolled back whole and the batch runs again with a savepoint each, so
/// only the failing ticket fails.
pub(crate) fn run_batch(
    conn: &mut Connection,
    jobs: &mut Vec<LiteJob>,
    more: &mut dyn FnMut() -> Option<LiteJob>,
    closed: &dyn Fn(i64, &str) -> bool,
) -> std::result::Result<Done, String> {
    match attempt(conn, jobs, Some(more), closed, false)? {
        Some(done) => Ok(done),
        None => attempt(conn, jobs, None, closed, true)?
            .ok_or_else(|| "a ticket failed outside its savepoint".to_string()),
    }
}

/// One attempt at a batch; `Ok(None)` when a ticket failed without savepoints (nothing was
/// written).
fn attempt(
    conn: &mut Connection,
    jobs: &mut Vec<LiteJob>,
    mut more: Option<&mut dyn FnMut() -> Option<LiteJob>>,
    closed: &dyn Fn(i64, &str) -> bool,
    savepoints: bool,
) -> std::result::Result<Option<Done>, String> {
    let msg = |e: rusqlite::Error| e.to_string();
    let mut tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(msg)?;
    let mut done = Done {
        results: Vec::with_capacity(jobs.len()),
        expired: Vec::new(),
    };
    let mut kept = Kept {
        open: OpenDuties::default(),
        numbers: (!savepoints).then(Numbers::default),
        queues: (!savepoints).then(Queues::default),
    };
    for i in 0.. {
        if i == jobs.len() {
            match more.as_mut().and_then(|m| m()) {
                Some(j) => jobs.push(j),
                None => break,
            }
        }
        let j = &jobs[i];
        if !closed(j.hall_id, &j.day)
            && !done
                .expired
                .iter()
                .any(|(h, d)| *h == j.hall_id && *d == j.day)
        {
            for sql in [EXPIRE_LOG, EXPIRE] {
                exec(&tx, sql, &[&j.hall_id, &j.day, &j.now]).map_err(msg)?;
            }
            exec(&tx, PRUNE_DEPTH, &[&j.hall_id, &j.day]).map_err(msg)?;
            if let Some(queues) = &mut kept.queues {
                queues.closed_before(j.hall_id, &j.day);
            }
            done.expired.push((j.hall_id, j.day.clone()));
        }
        if !savepoints {
            match issue_one(&tx, j, &mut kept) {
                Ok(issued) => done.results.push(Ok(issued)),
                Err(_) => return Ok(None), // dropping tx rolls the attempt back
            }
            continue;
        }
        let sp = tx.savepoint().map_err(msg)?;
        match issue_one(&sp, j, &mut kept) {
            Ok(issued) => {
                sp.commit().map_err(msg)?;
                done.results.push(Ok(issued));
            }
            Err(e) => {
                drop(sp); // rolls back to the savepoint
                done.results.push(Err(e));
            }
        }
    }
    if let Some(numbers) = &kept.numbers {
        numbers.store(&tx).map_err(msg)?;
    }
    tx.commit().map_err(msg)?;
    Ok(Some(done))
}

/// The duties of each hall's open counters, read once per batch: counters cannot open or
/// close while the batch holds the writer.
#[derive(Default)]
struct OpenDuties(Vec<(i64, Vec<Duty>)>);

impl OpenDuties {
    fn of(&mut self, c: &Connection, hall_id: i64) -> rusqlite::Result<Vec<Duty>> {
        if let Some((_, d)) = self.0.iter().find(|(h, _)| *h == hall_id) {
            return Ok(d.clone());
        }
        let rows = all(c, OPEN_DUTIES, &[&hall_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        let duties = duties_of(&rows);
        self.0.push((hall_id, duties.clone()));
        Ok(duties)
    }
}

/// Every row of a statement, read by `f`.
fn all<T>(
    c: &Connection,
    sql: &str,
    args: &[&dyn ToSql],
    mut f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut stmt = c.prepare_cached(sql)?;
    bind(&mut stmt, args)?;
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(f(r)?);
    }
    Ok(out)
}

/// The last ticket numbers a batch handed out, per (hall, day, prefix): each is read (and
/// advanced) once by the batch's first ticket with that prefix, counted on in memory, and
/// written back once before the commit, rather than one upsert per ticket.
#[derive(Default)]
struct Numbers(Vec<Sequence>);

/// One ticket sequence as a batch holds it.
struct Sequence {
    hall_id: i64,
    day: String,
    prefix: String,
    /// The last number handed out.
    last: i64,
    /// The number the table holds.
    stored: i64,
}

impl Numbers {
    fn next(&mut self, c: &Connection, j: &LiteJob) -> rusqlite::Result<i64> {
        let found = self
            .0
            .iter_mut()
            .find(|s| s.hall_id == j.hall_id && s.day == j.day && s.prefix == j.prefix);
        if let Some(s) = found {
            s.last += 1;
            return Ok(s.last);
        }
        let n: i64 = one(c, NEXT_SEQ, &[&j.hall_id, &j.day, &j.prefix])?;
        self.0.push(Sequence {
            hall_id: j.hall_id,
            day: j.day.clone(),
            prefix: j.prefix.clone(),
            last: n,
            stored: n,
        });
        Ok(n)
    }

    fn store(&self, c: &Connection) -> rusqlite::Result<()> {
        for s in self.0.iter().filter(|s| s.last > s.stored) {
            exec(c, SET_SEQ, &[&s.hall_id, &s.day, &s.prefix, &s.last])?;
        }
        Ok(())
    }
}

/// What a batch reads once and keeps while it holds the writer.
struct Kept {
    open: OpenDuties,
    /// `None` with a savepoint per ticket: a ticket rolled back to its savepoint must give
    /// its number back, so each then takes its number from the table.
    numbers: Option<Numbers>,
    /// `None` with a savepoint per ticket, for the same reason.
    queues: Option<Queues>,
}

fn issue_one(c: &Connection, j: &LiteJob, kept: &mut Kept) -> Result<LiteIssued> {
    let req = &j.req;
    if let Some(key) = &req.idempotency_key {
        let fresh = exec(c, IDEMPOTENCY_CLAIM, &[&j.hall_id, key, &j.now]).map_err(db)?;
        if fresh == 0 {
            let id: Option<i64> = one(c, IDEMPOTENCY_FIND, &[&j.hall_id, key]).map_err(db)?;
            return Ok(LiteIssued {
                issued: Issued::Existing(id),
                placement: None,
                log: None,
                estimate: None,
                event: None,
            });
        }
    }
    if let Some(tap) = &req.kiosk {
        let (last, last_at): (Option<i64>, i64) = row(
            c,
            KIOSK_TAP_CLAIM,
            &[&tap.device_id, &j.business_type_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(db)?
        .unwrap_or((None, 0));
        if let Some(id) = repeated(tap, last, last_at, j.now) {
            if let Some(key) = &req.idempotency_key {
                exec(c, IDEMPOTENCY_SET, &[&id, &j.hall_id, key]).map_err(db)?;
            }
            return Ok(LiteIssued {
                issued: Issued::Repeat(id),
                placement: None,
                log: None,
                estimate: None,
                event: None,
            });
        }
    }
    let seq: i64 = match &mut kept.numbers {
        Some(numbers) => numbers.next(c, j),
        None => one(c, NEXT_SEQ, &[&j.hall_id, &j.day, &j.prefix]),
    }
    .map_err(db)?;
    let number = format_number(&j.prefix, seq);
    let green_reason = req.green_reason.trim().to_string();
    let args: [&dyn ToSql; 12] = [
        &j.hall_id,
        &j.business_type_id,
        &j.day,
        &j.prefix,
        &seq,
        &number,
        &req.code,
        &req.priority.as_str(),
        &green_reason,
        &(req.proxy as i64),
        &req.channel,
        &j.now,
    ];
    let id = insert(c, INSERT_TICKET_ROW, &args).map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            StoreError::Conflict("取号码冲突，请重试 · ticket code clash; retry".into())
        }
        _ => db(e),
    })?;
    let t = Ticket {
        id,
        hall_id: j.hall_id,
        business_type_id: j.business_type_id,
        service_day: j.day.clone(),
        number,
        code: req.code.clone(),
        priority: req.priority,
        green_reason,
        proxy: req.proxy,
        channel: req.channel.clone(),
        state: TicketState::Waiting,
        queued_since: j.now,
        issued_at: j.now,
        counter_id: None,
        staff_id: None,
        target_counter_id: None,
        recalls: 0,
        transferred_from: None,
        updated_at: j.now,
        on_way_at: None,
    };
    let none: Option<i64> = None;
    let log: [&dyn ToSql; 7] = [
        &id,
        &TicketState::Waiting.as_str(),
        &"issue",
        &j.now,
        &none,
        &none,
        &issue_note(req.proxy),
    ];
    exec(c, LOG_EVENT, &log).map_err(db)?;
    if let Some(key) = &req.idempotency_key {
        exec(c, IDEMPOTENCY_SET, &[&id, &j.hall_id, key]).map_err(db)?;
    }
    if let Some(tap) = &req.kiosk {
        exec(
            c,
            KIOSK_TAP_SET,
            &[&tap.device_id, &j.business_type_id, &id, &j.now],
        )
        .map_err(db)?;
    }
    let payload = ticket_payload(&t, None);
    let text = payload.to_string();
    let event_id =
        insert(c, PUSH_EVENT_ROW, &[&j.hall_id, &"issued", &text, &j.now]).map_err(db)?;
    let placement = placement(c, &t, j.green_first, kept).map_err(db)?;
    let estimate = req
        .handling_ms
        .as_ref()
        .and_then(|h| placement.estimate_s(t.business_type_id, h));
    if let Some(s) = estimate {
        exec(c, INSERT_ESTIMATE, &[&id, &s]).map_err(db)?;
    }
    Ok(LiteIssued {
        issued: Issued::New(Box::new(t), None),
        placement: Some(placement),
        estimate,
        log: Some(vec![TicketEvent {
            state: TicketState::Waiting,
            action: "issue".into(),
            at: j.now,
            counter_id: None,
            staff_id: None,
            note: issue_note(req.proxy).into(),
        }]),
        event: Some(HallEvent {
            id: event_id,
            hall_id: j.hall_id,
            kind: "issued".into(),
            payload,
            at: j.now,
        }),
    })
}

/// The same figures as `SqlStore::placement_of`, inside the issuing transaction: counted
/// on in memory in a batch's first attempt (issue_queues.rs), read exactly otherwise.
fn placement(
    c: &Connection,
    t: &Ticket,
    green_first: bool,
    kept: &mut Kept,
) -> rusqlite::Result<Placement> {
    let ahead = match &mut kept.queues {
        Some(queues) => queues.ahead(c, t, green_first)?,
        None => crate::queue::issue::sqlite_queues::exact(c, &AheadQuery::of(t, green_first))?,
    };
    let duties = kept.open.of(c, t.hall_id)?;
    // Read exactly: the other queues change within the batch too.
    let ((d1, d2), _) = AheadQuery::of(t, green_first).classes();
    let waiting = all(
        c,
        WAITING_BY_TYPE,
        &[&t.hall_id, &t.service_day, &d1, &d2],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(placed(t, ahead, duties, waiting))
}

#[cfg(test)]
pub(crate) mod tests;
