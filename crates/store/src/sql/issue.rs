//! Issuing tickets, with group commit on SQLite: concurrent issues share one transaction
//! and so one fsync (synchronous=FULL), each inside its own savepoint so one bad request
//! never spoils another. PostgreSQL commits in groups by itself; it issues directly.

use super::queue::{log_event, ticket_in, ticket_payload};
use super::{SqlStore, WriteTx};
use crate::model::*;
use crate::{QueueStore, Result, StoreError};
use servicehall_domain::TicketState;
use servicehall_domain::numbering::format_number;
use tokio::sync::{mpsc, oneshot};

/// What one issue did inside a transaction.
pub(super) enum Issued {
    New(Box<Ticket>),
    /// The idempotency key was used before: that ticket (None while its request still runs).
    Existing(Option<i64>),
}

pub(super) struct IssueJob {
    hall_id: i64,
    bt: BusinessType,
    req: IssueTicket,
    day: String,
    now: i64,
    reply: oneshot::Sender<Result<Issued>>,
}

/// Most issues one transaction carries.
const BATCH: usize = 64;

/// Starts the SQLite issuer: it takes the waiting issues, runs them in one transaction and
/// answers each after the commit (so an acknowledged ticket is durable).
pub(super) fn spawn_issuer(store: SqlStore) -> mpsc::Sender<IssueJob> {
    let (tx, mut rx) = mpsc::channel::<IssueJob>(1024);
    tokio::spawn(async move {
        while let Some(first) = rx.recv().await {
            let mut jobs = vec![first];
            while jobs.len() < BATCH {
                match rx.try_recv() {
                    Ok(j) => jobs.push(j),
                    Err(_) => break,
                }
            }
            store.issue_batch(jobs).await;
        }
    });
    tx
}

impl SqlStore {
    /// Issues one ticket: through the SQLite issuer when there is one, else directly.
    pub(super) async fn issue(
        &self,
        hall_id: i64,
        bt: BusinessType,
        req: &IssueTicket,
        day: String,
        now: i64,
    ) -> Result<Ticket> {
        let issued = match &self.issuer {
            Some(issuer) => {
                let (reply, answer) = oneshot::channel();
                let job = IssueJob {
                    hall_id,
                    bt,
                    req: req.clone(),
                    day,
                    now,
                    reply,
                };
                issuer.send(job).await.map_err(|_| {
                    StoreError::Conflict("the ticket issuer has stopped; retry".into())
                })?;
                answer.await.map_err(|_| {
                    StoreError::Conflict("the ticket issuer has stopped; retry".into())
                })??
            }
            None => {
                let mut w = self.begin().await?;
                let issued = self.issue_in(&mut w, hall_id, &bt, req, &day, now).await?;
                self.commit(w).await?;
                issued
            }
        };
        match issued {
            Issued::New(t) => Ok(*t),
            Issued::Existing(Some(id)) => self.ticket(id).await,
            Issued::Existing(None) => Err(StoreError::Conflict(
                "the first request with this Idempotency-Key is still running; retry".into(),
            )),
        }
    }

    async fn issue_batch(&self, jobs: Vec<IssueJob>) {
        let mut w = match self.begin().await {
            Ok(w) => w,
            Err(e) => {
                let msg = e.to_string();
                for j in jobs {
                    let _ = j.reply.send(Err(StoreError::Conflict(format!(
                        "could not issue: {msg}; retry"
                    ))));
                }
                return;
            }
        };
        let mut results = Vec::with_capacity(jobs.len());
        for j in &jobs {
            results.push(self.issue_in_savepoint(&mut w, j).await);
        }
        match self.commit(w).await {
            Ok(()) => {
                for (j, r) in jobs.into_iter().zip(results) {
                    let _ = j.reply.send(r);
                }
            }
            Err(e) => {
                let msg = e.to_string();
                for j in jobs {
                    let _ = j.reply.send(Err(StoreError::Conflict(format!(
                        "could not issue: {msg}; retry"
                    ))));
                }
            }
        }
    }

    async fn issue_in_savepoint(&self, w: &mut WriteTx, j: &IssueJob) -> Result<Issued> {
        sqlx::query("SAVEPOINT issue").execute(&mut *w.tx).await?;
        let events = w.events.len();
        let expired = w.expired.clone();
        match self
            .issue_in(w, j.hall_id, &j.bt, &j.req, &j.day, j.now)
            .await
        {
            Ok(issued) => {
                sqlx::query("RELEASE SAVEPOINT issue")
                    .execute(&mut *w.tx)
                    .await?;
                Ok(issued)
            }
            Err(e) => {
                sqlx::query("ROLLBACK TO SAVEPOINT issue")
                    .execute(&mut *w.tx)
                    .await?;
                sqlx::query("RELEASE SAVEPOINT issue")
                    .execute(&mut *w.tx)
                    .await?;
                w.events.truncate(events);
                w.expired = expired;
                Err(e)
            }
        }
    }

    /// The writes of one issue, inside the caller's transaction.
    async fn issue_in(
        &self,
        w: &mut WriteTx,
        hall_id: i64,
        bt: &BusinessType,
        req: &IssueTicket,
        day: &str,
        now: i64,
    ) -> Result<Issued> {
        if let Some(key) = &req.idempotency_key {
            let fresh = sqlx::query(
                "INSERT INTO idempotency_keys (hall_id, key, created_at) VALUES ($1, $2, $3) ON CONFLICT (hall_id, key) DO NOTHING",
            )
            .bind(hall_id)
            .bind(key)
            .bind(now)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            if fresh == 0 {
                let id: Option<i64> = sqlx::query_scalar(
                    "SELECT ticket_id FROM idempotency_keys WHERE hall_id = $1 AND key = $2",
                )
                .bind(hall_id)
                .bind(key)
                .fetch_one(&mut *w.tx)
                .await?;
                return Ok(Issued::Existing(id));
            }
        }
        self.expire_once(w, hall_id, day, now).await?;
        let seq: i64 = sqlx::query_scalar(
            "INSERT INTO ticket_sequences (hall_id, service_day, prefix, last_no) VALUES ($1, $2, $3, 1)
             ON CONFLICT (hall_id, service_day, prefix) DO UPDATE SET last_no = ticket_sequences.last_no + 1
             RETURNING last_no",
        )
        .bind(hall_id)
        .bind(day)
        .bind(&bt.prefix)
        .fetch_one(&mut *w.tx)
        .await?;
        let number = format_number(&bt.prefix, seq);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tickets (hall_id, business_type_id, service_day, prefix, seq_no, number, code, priority, green_reason,
                                  proxy, channel, state, queued_since, issued_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'waiting', $12, $12, $12) RETURNING id",
        )
        .bind(hall_id).bind(bt.id).bind(day).bind(&bt.prefix).bind(seq).bind(&number).bind(&req.code)
        .bind(req.priority.as_str()).bind(req.green_reason.trim()).bind(req.proxy as i64).bind(&req.channel).bind(now)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(|e| StoreError::unique_as(e, "ticket code clash; retry"))?;
        let t = ticket_in(w, id).await?;
        let note = if req.proxy {
            "业务代办 proxy handling"
        } else {
            ""
        };
        log_event(
            w,
            &t,
            TicketState::Waiting,
            "issue",
            Operator {
                staff_id: None,
                counter_id: None,
            },
            note,
            now,
        )
        .await?;
        if let Some(key) = &req.idempotency_key {
            sqlx::query(
                "UPDATE idempotency_keys SET ticket_id = $1 WHERE hall_id = $2 AND key = $3",
            )
            .bind(id)
            .bind(hall_id)
            .bind(key)
            .execute(&mut *w.tx)
            .await?;
        }
        w.push_event(hall_id, "issued", ticket_payload(&t, None), now)
            .await?;
        Ok(Issued::New(Box::new(t)))
    }
}
