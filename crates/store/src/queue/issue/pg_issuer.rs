//! PostgreSQL group commit for issuing tickets. A node's concurrent issues for a hall wait
//! on that hall's channel; the hall's issuer task takes what waits (up to [`BATCH`]) and
//! runs it as one transaction — one commit, one WAL flush — in about ten statements
//! whatever its size (pg_batch.rs): the numbers of each prefix in one upsert, the tickets,
//! their log rows, where each stands, and the hall's feed rows, each in one statement.
//!
//! Locks: numbers come from the per-hall, per-day, per-prefix row of `ticket_sequences`
//! (a row lock, held to the commit), so two nodes issuing for one hall queue on that row
//! and numbers never repeat and, a batch being all or nothing, never skip. The hall's
//! advisory lock, which keeps its event ids in commit order, is taken only for the feed
//! rows just before the commit — once per batch, not once per ticket. Halls share no lock:
//! each has its own task and rows, so different halls proceed side by side on any node.
//! A batch whose statement fails (a code clash, a lost connection) is rolled back whole
//! and its tickets issued one by one on the per-ticket path (`issue_in`), so one bad
//! request never spoils another.

use crate::Result;
use crate::queue::issue::jobs::{IssueJob, Issued, LiteIssued, LiteJob, stopped};
use crate::sql::SqlStore;
use std::sync::Arc;
use tokio::sync::mpsc;

/// Most issues one transaction carries.
pub(crate) const BATCH: usize = 64;

/// Starts a hall's issuer task on the current runtime.
fn spawn(store: &SqlStore) -> mpsc::UnboundedSender<IssueJob> {
    let (tx, mut rx) = mpsc::unbounded_channel::<IssueJob>();
    // The task's own store holds no sender, so the task ends with the last store that does.
    let mut store = store.clone();
    store.pg_issuer = Arc::default();
    store.issuer = None;
    tokio::spawn(async move {
        while let Some(first) = rx.recv().await {
            let mut jobs = vec![first];
            while jobs.len() < BATCH {
                match rx.try_recv() {
                    Ok(j) => jobs.push(j),
                    Err(_) => break,
                }
            }
            store.run_pg_batch(jobs).await;
        }
    });
    tx
}

impl SqlStore {
    /// Hands one issue to its hall's PostgreSQL issuer (started on first use).
    pub(crate) async fn issue_grouped(&self, job: LiteJob) -> Result<LiteIssued> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let mut item = IssueJob { job, reply };
        // A task ends with the runtime it was started on (a test's, say): start another.
        for _ in 0..2 {
            let tx = {
                let mut halls = self.pg_issuer.0.lock().map_err(|_| stopped())?;
                let tx = halls.entry(item.job.hall_id).or_insert_with(|| spawn(self));
                if tx.is_closed() {
                    *tx = spawn(self);
                }
                tx.clone()
            };
            match tx.send(item) {
                Ok(()) => return answer.await.map_err(|_| stopped())?,
                Err(mpsc::error::SendError(back)) => item = back,
            }
        }
        self.issue_alone(&item.job).await
    }

    /// Runs a batch; if it fails, each of its issues alone.
    async fn run_pg_batch(&self, mut jobs: Vec<IssueJob>) {
        // Every batch of every node locks the sequence rows in this order (then the hall's
        // advisory lock), so two batches never wait on each other in a circle.
        jobs.sort_by(|a, b| (&a.job.day, &a.job.prefix).cmp(&(&b.job.day, &b.job.prefix)));
        let started = std::time::Instant::now();
        let (work, replies): (Vec<LiteJob>, Vec<_>) =
            jobs.into_iter().map(|j| (j.job, j.reply)).unzip();
        match self.pg_batch(&work).await {
            Ok(results) => {
                tracing::debug!(
                    jobs = work.len(),
                    us = started.elapsed().as_micros() as u64,
                    "issue batch"
                );
                for (reply, r) in replies.into_iter().zip(results) {
                    let _ = reply.send(Ok(r));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, jobs = work.len(), "取号批次已回滚，逐张重新取号 · issue batch rolled back; issuing its tickets one by one");
                for (reply, job) in replies.into_iter().zip(work) {
                    let _ = reply.send(self.issue_alone(&job).await);
                }
            }
        }
    }

    /// One issue in its own transaction, on the per-ticket path.
    async fn issue_alone(&self, j: &LiteJob) -> Result<LiteIssued> {
        let mut w = self.begin().await?;
        let bt = (j.business_type_id, j.prefix.as_str());
        let issued = self
            .issue_in(
                &mut w,
                (j.hall_id, j.green_first),
                bt,
                &j.req,
                &j.day,
                j.now,
            )
            .await?;
        self.commit(w).await?;
        Ok(plain(issued))
    }
}

/// A result that is not a new ticket: the caller reads the rest.
pub(crate) fn plain(issued: Issued) -> LiteIssued {
    LiteIssued {
        issued,
        placement: None,
        log: None,
        estimate: None,
        event: None,
    }
}
