//! One PostgreSQL issue batch (see pg_issuer.rs): a hall's waiting issues in one
//! transaction, each step one statement for the whole batch where it can be.

use crate::queue::ahead::{AheadQuery, BEHIND_CAP, duties_of, placed, waiting_ahead_on};
use crate::queue::issue::jobs::{Issued, LiteIssued, LiteJob};
use crate::queue::issue::pg_issuer::plain;
use crate::queue::issue::statements::*;
use crate::queue::payload::ticket_payload;
use crate::sql::rows::{self, TICKET_COLS};
use crate::sql::{SqlStore, WriteTx};
use crate::{HallEvent, Result, StoreError, Ticket, TicketEvent};
use servicehall_domain::queue::numbering::format_number;
use servicehall_domain::{Priority, TicketState};
use sqlx::{AssertSqlSafe, Row};
use std::collections::HashMap;

/// What a job's claims decided before any ticket is written.
enum Step {
    /// Answered from an earlier request (an idempotency key, a repeat tap).
    Found(Issued),
    /// A new ticket.
    New,
    /// A repeat tap of job `k` of this batch: its ticket.
    RepeatOf(usize),
    /// The idempotency key of job `k` of this batch: its ticket.
    SameKeyAs(usize),
}

/// `n` more numbers of a sequence; gives the last. Binds: hall, day, prefix, n.
const NEXT_SEQS: &str =
    "INSERT INTO ticket_sequences (hall_id, service_day, prefix, last_no) VALUES ($1, $2, $3, $4)
     ON CONFLICT (hall_id, service_day, prefix) DO UPDATE SET last_no = ticket_sequences.last_no + $4
     RETURNING last_no";

/// A VALUES list of `rows` rows of `width` placeholders each, each row written by `row`
/// from its placeholders.
fn values(rows: usize, width: usize, row: impl Fn(&[String]) -> String) -> String {
    (0..rows)
        .map(|i| {
            let p: Vec<String> = (1..=width).map(|n| format!("${}", width * i + n)).collect();
            row(&p)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl SqlStore {
    /// The batch's transaction: claims, numbers, tickets, log rows, placements, feed rows,
    /// commit. All jobs are of one hall.
    pub(crate) async fn pg_batch(&self, jobs: &[LiteJob]) -> Result<Vec<LiteIssued>> {
        let Some(first) = jobs.first() else {
            return Ok(Vec::new());
        };
        let (hall, green_first) = (first.hall_id, first.green_first);
        let mut w = self.begin().await?;
        let mut expired: Vec<(i64, String)> = Vec::new();
        for j in jobs {
            if !expired.iter().any(|(h, d)| *h == j.hall_id && *d == j.day) {
                self.expire_once(&mut w, j.hall_id, &j.day, j.now).await?;
                expired.extend(w.expired.take());
            }
        }
        let steps = claims(&mut w, jobs).await?;
        let fresh: Vec<usize> = (0..jobs.len())
            .filter(|&k| matches!(steps[k], Step::New))
            .collect();
        let tickets = insert_tickets(&mut w, jobs, &fresh).await?;
        let mut ids: HashMap<usize, i64> = HashMap::new();
        for (k, t) in fresh.iter().zip(&tickets) {
            ids.insert(*k, t.id);
        }
        let mut out: Vec<Option<LiteIssued>> = (0..jobs.len()).map(|_| None).collect();
        for (k, step) in steps.into_iter().enumerate() {
            let issued = match step {
                Step::Found(i) => i,
                Step::New => continue,
                Step::RepeatOf(i) => Issued::Repeat(id_of(&ids, &out, i)?),
                Step::SameKeyAs(i) => Issued::Existing(Some(id_of(&ids, &out, i)?)),
            };
            out[k] = Some(plain(issued));
        }
        // Written after every ticket, as the per-ticket path writes them after its own.
        for (k, j) in jobs.iter().enumerate() {
            let id = match out[k].as_ref().map(|r| &r.issued) {
                None => ids.get(&k).copied(),
                Some(Issued::Repeat(id)) | Some(Issued::Existing(Some(id))) => Some(*id),
                Some(_) => None,
            };
            let Some(id) = id else { continue };
            let fresh = out[k].is_none()
                || matches!(
                    out[k],
                    Some(LiteIssued {
                        issued: Issued::Repeat(_),
                        ..
                    })
                );
            if let (Some(key), true) = (&j.req.idempotency_key, fresh) {
                sqlx::query(IDEMPOTENCY_SET)
                    .bind(id)
                    .bind(hall)
                    .bind(key)
                    .execute(&mut *w.tx)
                    .await?;
            }
            if let (Some(tap), None) = (&j.req.kiosk, &out[k]) {
                sqlx::query(KIOSK_TAP_SET)
                    .bind(tap.device_id)
                    .bind(j.business_type_id)
                    .bind(id)
                    .bind(j.now)
                    .execute(&mut *w.tx)
                    .await?;
            }
        }
        let placed = placements(&mut w, hall, green_first, &tickets).await?;
        let mut estimates = Vec::new();
        for ((k, t), p) in fresh.iter().zip(tickets).zip(placed) {
            let j = &jobs[*k];
            let estimate = j
                .req
                .handling_ms
                .as_ref()
                .and_then(|h| p.estimate_s(t.business_type_id, h));
            if let Some(s) = estimate {
                estimates.push((t.id, s));
            }
            let log = vec![TicketEvent {
                state: TicketState::Waiting,
                action: "issue".into(),
                at: j.now,
                counter_id: None,
                staff_id: None,
                note: issue_note(j.req.proxy).into(),
            }];
            out[*k] = Some(LiteIssued {
                issued: Issued::New(Box::new(t), None),
                placement: Some(p),
                log: Some(log),
                estimate,
                event: None,
            });
        }
        if !estimates.is_empty() {
            let sql = format!(
                "INSERT INTO ticket_estimates (ticket_id, estimated_wait_s) VALUES {}",
                values(estimates.len(), 2, |p| format!("({})", p.join(", ")))
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (id, s) in &estimates {
                q = q.bind(*id).bind(*s);
            }
            q.execute(&mut *w.tx).await?;
        }
        let mut out: Vec<LiteIssued> = out.into_iter().flatten().collect();
        push_feed(&mut w, hall, jobs, &mut out).await?;
        self.commit(w).await?;
        if let Ok(mut m) = self.expired_through.lock() {
            for (hall, day) in expired {
                m.insert(hall, day);
            }
        }
        Ok(out)
    }
}

/// The ticket job `k` got (new or given again).
fn id_of(ids: &HashMap<usize, i64>, out: &[Option<LiteIssued>], k: usize) -> Result<i64> {
    if let Some(id) = ids.get(&k) {
        return Ok(*id);
    }
    match out.get(k).and_then(|r| r.as_ref()).map(|r| &r.issued) {
        Some(Issued::Repeat(id)) | Some(Issued::Existing(Some(id))) => Ok(*id),
        _ => Err(StoreError::Conflict(
            "同一请求仍在处理中，请稍后重试 · the first request with this Idempotency-Key is still running; retry".into(),
        )),
    }
}

/// The idempotency keys and kiosk taps, in job order as on the per-ticket path; a key or
/// a tap seen earlier in this batch is answered with that job's ticket.
async fn claims(w: &mut WriteTx, jobs: &[LiteJob]) -> Result<Vec<Step>> {
    let mut steps = Vec::with_capacity(jobs.len());
    let mut keys: HashMap<&str, usize> = HashMap::new();
    let mut taps: HashMap<(i64, i64), (usize, i64)> = HashMap::new();
    for (k, j) in jobs.iter().enumerate() {
        let req = &j.req;
        if let Some(key) = &req.idempotency_key {
            if let Some(&first) = keys.get(key.as_str()) {
                steps.push(Step::SameKeyAs(first));
                continue;
            }
            let fresh = sqlx::query(IDEMPOTENCY_CLAIM)
                .bind(j.hall_id)
                .bind(key)
                .bind(j.now)
                .execute(&mut *w.tx)
                .await?
                .rows_affected();
            if fresh == 0 {
                let id: Option<i64> = sqlx::query_scalar(IDEMPOTENCY_FIND)
                    .bind(j.hall_id)
                    .bind(key)
                    .fetch_one(&mut *w.tx)
                    .await?;
                steps.push(Step::Found(Issued::Existing(id)));
                continue;
            }
            keys.insert(key, k);
        }
        if let Some(tap) = &req.kiosk {
            let here = (tap.device_id, j.business_type_id);
            if let Some(&(first, at)) = taps.get(&here) {
                let again = repeated(tap, Some(0), at, j.now).is_some();
                steps.push(if again {
                    Step::RepeatOf(first)
                } else {
                    taps.insert(here, (k, j.now));
                    Step::New
                });
                continue;
            }
            let (last, last_at): (Option<i64>, i64) = sqlx::query_as(KIOSK_TAP_CLAIM)
                .bind(tap.device_id)
                .bind(j.business_type_id)
                .fetch_one(&mut *w.tx)
                .await?;
            if let Some(id) = repeated(tap, last, last_at, j.now) {
                steps.push(Step::Found(Issued::Repeat(id)));
                continue;
            }
            taps.insert(here, (k, j.now));
        }
        steps.push(Step::New);
    }
    Ok(steps)
}

/// The new tickets (jobs `fresh`, sorted by day and prefix) with their numbers — one
/// upsert per sequence — and their log rows, in that order.
async fn insert_tickets(w: &mut WriteTx, jobs: &[LiteJob], fresh: &[usize]) -> Result<Vec<Ticket>> {
    if fresh.is_empty() {
        return Ok(Vec::new());
    }
    let mut numbers: Vec<i64> = Vec::with_capacity(fresh.len());
    let mut at = 0;
    while at < fresh.len() {
        let j = &jobs[fresh[at]];
        let n = fresh[at..]
            .iter()
            .take_while(|&&k| jobs[k].day == j.day && jobs[k].prefix == j.prefix)
            .count();
        let last: i64 = sqlx::query_scalar(NEXT_SEQS)
            .bind(j.hall_id)
            .bind(&j.day)
            .bind(&j.prefix)
            .bind(n as i64)
            .fetch_one(&mut *w.tx)
            .await?;
        numbers.extend(last - n as i64 + 1..=last);
        at += n;
    }
    // The twelfth value, the issue's moment, is also issued_at and updated_at.
    let sql = format!(
        "INSERT INTO tickets (hall_id, business_type_id, service_day, prefix, seq_no, number, code, priority,
                              green_reason, proxy, channel, queued_since, issued_at, updated_at, state)
         VALUES {} RETURNING {TICKET_COLS}",
        values(fresh.len(), 12, |p| format!("({}, {}, {}, 'waiting')", p.join(", "), p[11], p[11]))
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for (k, seq) in fresh.iter().zip(&numbers) {
        let j = &jobs[*k];
        q = q
            .bind(j.hall_id)
            .bind(j.business_type_id)
            .bind(&j.day)
            .bind(&j.prefix)
            .bind(*seq)
            .bind(format_number(&j.prefix, *seq))
            .bind(&j.req.code)
            .bind(j.req.priority.as_str())
            .bind(j.req.green_reason.trim())
            .bind(j.req.proxy as i64)
            .bind(&j.req.channel)
            .bind(j.now);
    }
    let rows = q
        .fetch_all(&mut *w.tx)
        .await
        .map_err(|e| StoreError::unique_as(e, "取号码冲突，请重试 · ticket code clash; retry"))?;
    let mut by_number: HashMap<(String, String), Ticket> = HashMap::new();
    for r in &rows {
        let t = rows::ticket(r)?;
        by_number.insert((t.service_day.clone(), t.number.clone()), t);
    }
    let mut tickets = Vec::with_capacity(fresh.len());
    for (k, seq) in fresh.iter().zip(&numbers) {
        let j = &jobs[*k];
        let t = by_number
            .remove(&(j.day.clone(), format_number(&j.prefix, *seq)))
            .ok_or_else(|| {
                StoreError::Conflict("取号失败，请重试 · issuing failed; retry".into())
            })?;
        tickets.push(t);
    }
    let sql = format!(
        "INSERT INTO ticket_events (ticket_id, state, action, at, note) VALUES {}",
        values(tickets.len(), 3, |p| format!(
            "({}, 'waiting', 'issue', {}, {})",
            p[0], p[1], p[2]
        ))
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for (k, t) in fresh.iter().zip(&tickets) {
        q = q
            .bind(t.id)
            .bind(jobs[*k].now)
            .bind(issue_note(jobs[*k].req.proxy));
    }
    q.execute(&mut *w.tx).await?;
    Ok(tickets)
}

/// Waiting tickets per business type (see `Placement::waiting`).
type Mix = Vec<(i64, i64)>;

/// Where each new ticket stands, read after all of them were written: the people ahead of
/// each in one statement (the depth counts the batch's later tickets, and so does the count
/// behind, so the difference is exact; the tail is counted per priority from the ticket
/// onwards, one index range each, as in `ahead::DEPTH_AND_BEHIND`), the open duties once,
/// the waiting mix once per class, less the batch's later tickets.
async fn placements(
    w: &mut WriteTx,
    hall: i64,
    green_first: bool,
    tickets: &[Ticket],
) -> Result<Vec<crate::Placement>> {
    if tickets.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT v.id,
           (SELECT CAST(COALESCE(SUM(q.waiting), 0) AS BIGINT) FROM queue_depth q
             WHERE q.hall_id = v.h AND q.business_type_id = v.bt AND q.service_day = v.d
               AND q.green IN (v.g1, v.g2)) AS depth,
           (SELECT COUNT(*) FROM (SELECT 1 FROM tickets x
             WHERE x.hall_id = v.h AND x.business_type_id = v.bt AND x.service_day = v.d
               AND x.state = 'waiting' AND x.priority = v.p1
               AND x.queued_since >= v.qs AND (x.queued_since > v.qs OR x.id > v.id)
             LIMIT {BEHIND_CAP}) tail)
           + (SELECT COUNT(*) FROM (SELECT 1 FROM tickets x
             WHERE x.hall_id = v.h AND x.business_type_id = v.bt AND x.service_day = v.d
               AND x.state = 'waiting' AND x.priority = v.p2 AND v.p2 <> v.p1
               AND x.queued_since >= v.qs AND (x.queued_since > v.qs OR x.id > v.id)
             LIMIT {BEHIND_CAP}) tail) AS behind
         FROM (VALUES {}) AS v(id, h, bt, d, g1, g2, p1, p2, qs)",
        values(tickets.len(), 9, |p| format!("({})", p.join(", ")))
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for t in tickets {
        let a = AheadQuery::of(t, green_first);
        let ((d1, d2), (p1, p2)) = a.classes();
        q = q
            .bind(t.id)
            .bind(t.hall_id)
            .bind(t.business_type_id)
            .bind(&t.service_day)
            .bind(d1)
            .bind(d2)
            .bind(p1)
            .bind(p2)
            .bind(t.queued_since);
    }
    let mut ahead: HashMap<i64, Option<i64>> = HashMap::new();
    for r in q.fetch_all(&mut *w.tx).await? {
        let id: i64 = r.try_get("id")?;
        ahead.insert(
            id,
            AheadQuery::from_depth(r.try_get("depth")?, r.try_get("behind")?),
        );
    }
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(OPEN_DUTIES)
        .bind(hall)
        .fetch_all(&mut *w.tx)
        .await?;
    let duties = duties_of(&rows);
    let mut mixes: HashMap<(String, (i64, i64)), Mix> = HashMap::new();
    let mut out = Vec::with_capacity(tickets.len());
    for (i, t) in tickets.iter().enumerate() {
        let n = match ahead.get(&t.id).copied().flatten() {
            Some(n) => n,
            // Past the cap behind it (a deep queue): counted from the front.
            None => waiting_ahead_on(&mut w.tx, t, green_first).await?,
        };
        let classes = AheadQuery::of(t, green_first).classes().0;
        let key = (t.service_day.clone(), classes);
        if !mixes.contains_key(&key) {
            let mix: Vec<(i64, i64)> = sqlx::query_as(WAITING_BY_TYPE)
                .bind(hall)
                .bind(&t.service_day)
                .bind(classes.0)
                .bind(classes.1)
                .fetch_all(&mut *w.tx)
                .await?;
            mixes.insert(key.clone(), mix);
        }
        let mut mix = mixes.get(&key).cloned().unwrap_or_default();
        // The mix as this ticket's own read would have seen it: without those after it.
        for later in &tickets[i + 1..] {
            let green = i64::from(later.priority == Priority::Green);
            if later.service_day == t.service_day
                && (green == classes.0 || green == classes.1)
                && let Some(m) = mix.iter_mut().find(|m| m.0 == later.business_type_id)
            {
                m.1 -= 1;
            }
        }
        mix.retain(|m| m.1 > 0);
        out.push(placed(t, n, duties.clone(), mix));
    }
    Ok(out)
}

/// The batch's `issued` feed rows in one statement, after the hall's advisory lock, so its
/// event ids follow commit order (see `WriteTx::push_event`); they go out with the
/// commit's NOTIFY.
async fn push_feed(
    w: &mut WriteTx,
    hall: i64,
    jobs: &[LiteJob],
    out: &mut [LiteIssued],
) -> Result<()> {
    let mut rows = Vec::new();
    for (k, (j, r)) in jobs.iter().zip(out.iter()).enumerate() {
        if let Issued::New(t, _) = &r.issued {
            rows.push((k, ticket_payload(t, None), j.now));
        }
    }
    if rows.is_empty() {
        return Ok(());
    }
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(hall)
        .execute(&mut *w.tx)
        .await?;
    let sql = format!(
        "INSERT INTO hall_events (hall_id, kind, payload, at) VALUES {} RETURNING id",
        values(rows.len(), 3, |p| format!(
            "({}, 'issued', {}, {})",
            p[0], p[1], p[2]
        ))
    );
    let mut q = sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql));
    for (_, payload, now) in &rows {
        q = q.bind(hall).bind(payload.to_string()).bind(*now);
    }
    // The ids are drawn row by row in VALUES order.
    let mut ids = q.fetch_all(&mut *w.tx).await?;
    ids.sort_unstable();
    for ((k, payload, now), id) in rows.into_iter().zip(ids) {
        let e = HallEvent {
            id,
            hall_id: hall,
            kind: "issued".into(),
            payload,
            at: now,
        };
        w.events.push(e.clone());
        out[k].event = Some(e);
    }
    Ok(())
}
