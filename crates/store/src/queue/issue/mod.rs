//! Issuing tickets. Concurrent issues are grouped: one transaction and so one fsync for
//! the group, one bad request never spoiling another — on SQLite on the issuer's own
//! connection (sqlite_issuer.rs), on PostgreSQL by a node's issuer tasks through sqlx
//! (pg_issuer.rs). The statements are shared (statements.rs); an in-memory SQLite database
//! and a PostgreSQL batch that failed issue one ticket per transaction (`issue_in`). The
//! jobs and results both issuers pass are in jobs.rs; the SQLite issuer's thread in
//! sqlite_thread.rs.

pub(crate) mod jobs;
pub(crate) mod lite_conn;
pub(crate) mod pg_batch;
pub(crate) mod pg_issuer;
pub(crate) mod sqlite_issuer;
pub(crate) mod sqlite_queues;
pub(crate) mod sqlite_thread;
pub(crate) mod statements;

use crate::queue::ahead::{placement_of, placement_on};
use crate::queue::issue::jobs::{IssueJob, Issued, LiteJob, stopped};
use crate::queue::issue::statements::*;
use crate::queue::payload::ticket_payload;
use crate::queue::tickets::log_event;
use crate::sql::{SqlStore, WriteTx};
use crate::*;
use crate::{QueueStore, Result, StoreError};
use servicehall_domain::TicketState;
use servicehall_domain::queue::numbering::format_number;
use tokio::sync::oneshot;

impl SqlStore {
    /// Issues one ticket and says where it stands (for a new waiting ticket).
    pub(crate) async fn issue(
        &self,
        hall: &Hall,
        bt: BusinessType,
        req: &IssueTicket,
        day: String,
        now: i64,
    ) -> Result<IssuedTicket> {
        let green_first = hall.policy.green_first;
        let (issued, mut placement, log, mut estimate) = match &self.issuer {
            None if self.backend() == crate::sql::Backend::Postgres => {
                let job = LiteJob {
                    hall_id: hall.id,
                    business_type_id: bt.id,
                    prefix: bt.prefix.clone(),
                    req: req.clone(),
                    day,
                    now,
                    green_first,
                };
                let done = self.issue_grouped(job).await?;
                (done.issued, done.placement, done.log, done.estimate)
            }
            Some(issuer) => {
                let (reply, answer) = oneshot::channel();
                let job = LiteJob {
                    hall_id: hall.id,
                    business_type_id: bt.id,
                    prefix: bt.prefix,
                    req: req.clone(),
                    day,
                    now,
                    green_first,
                };
                issuer
                    .send(IssueJob { job, reply })
                    .map_err(|_| stopped())?;
                let done = answer.await.map_err(|_| stopped())??;
                (done.issued, done.placement, done.log, done.estimate)
            }
            None => {
                let mut w = self.begin().await?;
                let issued = self
                    .issue_in(
                        &mut w,
                        (hall.id, green_first),
                        (bt.id, &bt.prefix),
                        req,
                        &day,
                        now,
                    )
                    .await?;
                self.commit(w).await?;
                (issued, None, None, None)
            }
        };
        let repeat = matches!(issued, Issued::Repeat(_));
        let t = match issued {
            Issued::New(t, placed) => {
                if let Some((p, e)) = placed {
                    placement = Some(p);
                    estimate = e;
                }
                *t
            }
            Issued::Existing(Some(id)) | Issued::Repeat(id) => self.ticket(id).await?,
            Issued::Existing(None) => {
                return Err(StoreError::Conflict(
                    "同一请求仍在处理中，请稍后重试 · the first request with this Idempotency-Key is still running; retry".into(),
                ));
            }
        };
        let placement = match placement {
            Some(p) => Some(p),
            None if t.state == TicketState::Waiting => {
                Some(placement_of(&self.pool, &t, green_first).await?)
            }
            None => None,
        };
        let log = match log {
            Some(log) => log,
            None => self.ticket_log(t.id).await?,
        };
        Ok(IssuedTicket {
            ticket: t,
            placement,
            log,
            repeat,
            estimated_wait_s: estimate,
        })
    }

    /// The writes of one issue, inside the caller's sqlx transaction.
    async fn issue_in(
        &self,
        w: &mut WriteTx,
        (hall_id, green_first): (i64, bool),
        (bt_id, prefix): (i64, &str),
        req: &IssueTicket,
        day: &str,
        now: i64,
    ) -> Result<Issued> {
        if let Some(key) = &req.idempotency_key {
            let fresh = sqlx::query(IDEMPOTENCY_CLAIM)
                .bind(hall_id)
                .bind(key)
                .bind(now)
                .execute(&mut *w.tx)
                .await?
                .rows_affected();
            if fresh == 0 {
                let id: Option<i64> = sqlx::query_scalar(IDEMPOTENCY_FIND)
                    .bind(hall_id)
                    .bind(key)
                    .fetch_one(&mut *w.tx)
                    .await?;
                return Ok(Issued::Existing(id));
            }
        }
        if let Some(tap) = &req.kiosk {
            let (last, last_at): (Option<i64>, i64) = sqlx::query_as(KIOSK_TAP_CLAIM)
                .bind(tap.device_id)
                .bind(bt_id)
                .fetch_one(&mut *w.tx)
                .await?;
            if let Some(id) = repeated(tap, last, last_at, now) {
                if let Some(key) = &req.idempotency_key {
                    sqlx::query(IDEMPOTENCY_SET)
                        .bind(id)
                        .bind(hall_id)
                        .bind(key)
                        .execute(&mut *w.tx)
                        .await?;
                }
                return Ok(Issued::Repeat(id));
            }
        }
        self.expire_once(w, hall_id, day, now).await?;
        let seq: i64 = sqlx::query_scalar(NEXT_SEQ)
            .bind(hall_id)
            .bind(day)
            .bind(prefix)
            .fetch_one(&mut *w.tx)
            .await?;
        let number = format_number(prefix, seq);
        let id: i64 = sqlx::query_scalar(INSERT_TICKET)
            .bind(hall_id)
            .bind(bt_id)
            .bind(day)
            .bind(prefix)
            .bind(seq)
            .bind(&number)
            .bind(&req.code)
            .bind(req.priority.as_str())
            .bind(req.green_reason.trim())
            .bind(req.proxy as i64)
            .bind(&req.channel)
            .bind(now)
            .fetch_one(&mut *w.tx)
            .await
            .map_err(|e| {
                StoreError::unique_as(e, "取号码冲突，请重试 · ticket code clash; retry")
            })?;
        let t = crate::queue::tickets::ticket_in(w, id).await?;
        let by = Operator {
            staff_id: None,
            counter_id: None,
        };
        log_event(
            w,
            &t,
            TicketState::Waiting,
            "issue",
            by,
            issue_note(req.proxy),
            now,
        )
        .await?;
        if let Some(key) = &req.idempotency_key {
            sqlx::query(IDEMPOTENCY_SET)
                .bind(id)
                .bind(hall_id)
                .bind(key)
                .execute(&mut *w.tx)
                .await?;
        }
        if let Some(tap) = &req.kiosk {
            sqlx::query(KIOSK_TAP_SET)
                .bind(tap.device_id)
                .bind(bt_id)
                .bind(id)
                .bind(now)
                .execute(&mut *w.tx)
                .await?;
        }
        w.push_event(hall_id, "issued", ticket_payload(&t, None), now)
            .await?;
        // Read in the transaction, after the insert (the depth triggers counted it): the
        // estimate kept is the one the slip shows.
        let placed = placement_on(&mut w.tx, &t, green_first).await?;
        let estimate = req
            .handling_ms
            .as_ref()
            .and_then(|h| placed.estimate_s(t.business_type_id, h));
        if let Some(s) = estimate {
            sqlx::query(INSERT_ESTIMATE)
                .bind(id)
                .bind(s)
                .execute(&mut *w.tx)
                .await?;
        }
        Ok(Issued::New(Box::new(t), Some((placed, estimate))))
    }
}
