//! The SQLite issuer's thread: it takes the waiting issues, runs them as one batch on its
//! own connection (sqlite_issuer.rs) under the store's writer lock, then sends their events
//! and answers. Started by `SqlStore::connect` (sql/mod.rs) with the store's lock, fan-out
//! and stale-ticket marks; it needs nothing else of the store.

use crate::events::fanout::Fanout;
use crate::queue::issue::jobs::IssueJob;
use crate::{Result, StoreError};
use std::collections::HashMap;
use std::sync::Arc;

/// Most issues one transaction carries.
const BATCH: usize = 64;

/// What the issuer thread shares with the store.
struct Shared {
    write_lock: Option<Arc<tokio::sync::Mutex<()>>>,
    events: Arc<Fanout>,
    expired_through: Arc<std::sync::Mutex<HashMap<i64, String>>>,
}

/// Starts the SQLite issuer for the database file at `path`: a thread that takes the
/// waiting issues, runs them in one transaction under the store's writer lock, and answers
/// each after the commit (so an acknowledged ticket is durable) and after its event went
/// out. The thread gathers its own batches: a tokio task in between waited for a busy
/// runtime worker after every batch, and the issuer stood idle meanwhile.
/// `write_lock`, `events` and `expired_through` are the store's own (`SqlStore`).
pub(crate) fn spawn_issuer(
    write_lock: Option<Arc<tokio::sync::Mutex<()>>>,
    events: Arc<Fanout>,
    expired_through: Arc<std::sync::Mutex<HashMap<i64, String>>>,
    path: &str,
) -> Result<std::sync::mpsc::Sender<IssueJob>> {
    let shared = Shared {
        write_lock,
        events,
        expired_through,
    };
    let mut conn = crate::queue::issue::lite_conn::open(path)?;
    let (tx, rx) = std::sync::mpsc::channel::<IssueJob>();
    std::thread::Builder::new()
        .name("sqlite-issuer".into())
        .spawn(move || {
            // Ends when the store (the last sender) is dropped.
            while let Ok(first) = rx.recv() {
                shared.run(&mut conn, first, &rx);
            }
        })
        .map_err(|e| {
            StoreError::Conflict(format!(
                "取号服务无法启动 · could not start the ticket issuer: {e}"
            ))
        })?;
    Ok(tx)
}

impl Shared {
    /// Runs one batch: `first` and whatever else waits or arrives while it runs, up to
    /// [`BATCH`].
    fn run(
        &self,
        conn: &mut rusqlite::Connection,
        first: IssueJob,
        rx: &std::sync::mpsc::Receiver<IssueJob>,
    ) {
        // Held until the events are out: writes and their events stay in commit order.
        let guard = self.write_lock.as_ref().map(|lock| lock.blocking_lock());
        let mut replies = vec![first.reply];
        let mut jobs = vec![first.job];
        let mut more = || {
            if replies.len() >= BATCH {
                return None;
            }
            let next = rx.try_recv().ok()?;
            replies.push(next.reply);
            Some(next.job)
        };
        let closed = |hall: i64, day: &str| {
            self.expired_through
                .lock()
                .is_ok_and(|m| m.get(&hall).is_some_and(|d| d.as_str() >= day))
        };
        let started = std::time::Instant::now();
        let outcome =
            crate::queue::issue::sqlite_issuer::run_batch(conn, &mut jobs, &mut more, &closed);
        tracing::debug!(
            jobs = jobs.len(),
            us = started.elapsed().as_micros() as u64,
            "issue batch"
        );
        match outcome {
            Ok(done) => {
                if let Ok(mut m) = self.expired_through.lock() {
                    for (hall, day) in done.expired {
                        m.insert(hall, day);
                    }
                }
                for r in done.results.iter().flatten() {
                    if let Some(e) = &r.event {
                        // No subscribers is fine: screens catch up from the stored feed.
                        self.events.publish(e.clone());
                    }
                }
                drop(guard);
                for (reply, r) in replies.into_iter().zip(done.results) {
                    let _ = reply.send(r);
                }
            }
            Err(msg) => {
                drop(guard);
                // The batch's own transaction failed (e.g. disk full, read-only file): a
                // storage failure, not a clash the caller could fix by retrying at once.
                tracing::error!(error = %msg, jobs = replies.len(), "取号批次写入失败 · ticket issue batch failed");
                for reply in replies {
                    let _ = reply.send(Err(StoreError::Unavailable(crate::WRITE_FAILED.into())));
                }
            }
        }
    }
}
