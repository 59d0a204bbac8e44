//! Background work on several nodes: each job (case warning scan, KRI counts, webhook
//! outbox, audit sealer) runs on the one node that leads it (store's `NodeStore`: an
//! advisory lock on PostgreSQL, always this node on SQLite). Every other node asks again
//! at each of the job's ticks, so when the leader dies another takes over within one tick.
//!
//! And the issue clock: a ticket's time never goes before the hall's previous ticket's, so
//! a wall clock stepped back (NTP, a wrong manual setting) cannot queue later customers
//! ahead of earlier ones or move a ticket back into yesterday's service day.

use crate::AppState;
use crate::error::{ApiError, PageError};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use servicehall_store::{Leadership, Store};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// The job names, one per background loop (also the advisory lock's key).
pub const CASE_ESCALATION: &str = "case_escalation";
pub const KRI_REFRESH: &str = "kri_refresh";
pub const WEBHOOK_OUTBOX: &str = "webhook_outbox";
pub const AUDIT_SEALER: &str = "audit_sealer";

/// One node's claim on one job.
pub struct Lead {
    state: AppState,
    job: &'static str,
    held: Option<Leadership>,
}

impl Lead {
    pub fn new(state: &AppState, job: &'static str) -> Self {
        Self {
            state: state.clone(),
            job,
            held: None,
        }
    }

    /// Whether this node leads the job now: keeps a held lead (if its session is alive),
    /// or tries to take it. Call before each pass; skip the pass on `false`.
    pub async fn ensure(&mut self) -> bool {
        if let Some(l) = self.held.as_mut() {
            if l.still_held().await {
                return true;
            }
            self.held = None;
        }
        match self.state.store.try_lead(self.job).await {
            Ok(Some(l)) => {
                self.held = Some(l);
                true
            }
            Ok(None) => false,
            Err(e) => {
                tracing::warn!(job = self.job, error = %e, "cannot ask for the lead");
                false
            }
        }
    }

    /// Whether the lead is held, as of the last [`Lead::ensure`].
    pub fn is_leader(&self) -> bool {
        self.held.is_some()
    }

    /// Gives the lead up (a stopping node hands over at once).
    pub async fn release(&mut self) {
        if let Some(l) = self.held.take() {
            l.release().await;
        }
    }
}

/// How long a request runs before the node checks that its database is reachable at all.
pub const DATABASE_CHECK_AFTER: Duration = Duration::from_millis(1200);

/// A request still running after [`DATABASE_CHECK_AFTER`] while the database server does
/// not accept connections is answered 503 at once (`Retry-After: 2`), instead of hanging
/// while the pool keeps retrying: a kiosk says so within 2 s, and the next try after the
/// database is back succeeds (the pool reconnects by itself). A merely busy database is
/// waited for as before.
pub async fn database_check(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let run = next.run(req);
    tokio::pin!(run);
    tokio::select! {
        r = &mut run => return r,
        () = tokio::time::sleep(DATABASE_CHECK_AFTER) => {}
    }
    if s.store.database_reachable().await {
        return run.await;
    }
    tracing::error!("the database cannot be reached: answering 503");
    let mut err = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        servicehall_store::DB_UNREACHABLE,
    );
    err.retry_after = Some(2);
    if api {
        err.into_response()
    } else {
        PageError(err).into_response()
    }
}

/// Per hall, the time of the latest ticket issued through this node (seeded once from the
/// database, so a restart with a clock behind still continues after the last ticket).
#[derive(Debug, Default)]
pub struct IssueClock {
    halls: Mutex<HashMap<i64, i64>>,
}

/// How far behind the hall's last ticket the clock must stand before it is logged as a step.
const CLOCK_STEP_WARN_MS: i64 = 1_000;

impl IssueClock {
    /// `now`, or the hall's latest issue time when the clock stands behind it.
    pub async fn stamp(
        &self,
        store: &dyn Store,
        hall_id: i64,
        now: i64,
    ) -> servicehall_store::Result<i64> {
        if let Some(t) = self.advance(hall_id, now, None) {
            return Ok(t);
        }
        let seed = store.last_issue_at(hall_id).await?;
        Ok(self.advance(hall_id, now, Some(seed)).unwrap_or(now))
    }

    fn advance(&self, hall_id: i64, now: i64, seed: Option<i64>) -> Option<i64> {
        let mut halls = self.halls.lock().unwrap_or_else(|p| p.into_inner());
        let last = match (halls.get(&hall_id).copied(), seed) {
            (Some(l), s) => l.max(s.unwrap_or(i64::MIN)),
            (None, Some(s)) => s,
            (None, None) => return None,
        };
        // Requests racing for the lock read the clock a millisecond apart; only a step is news.
        if last - now > CLOCK_STEP_WARN_MS {
            tracing::warn!(
                hall = hall_id,
                behind_ms = last - now,
                "clock behind the hall's last ticket; issuing at the last ticket's time"
            );
        }
        let t = now.max(last);
        halls.insert(hall_id, t);
        Some(t)
    }
}

#[cfg(test)]
mod tests {
    use super::IssueClock;

    #[test]
    fn the_issue_clock_never_goes_back() {
        let c = IssueClock::default();
        assert_eq!(c.advance(1, 1_000, None), None, "unknown hall: seed first");
        assert_eq!(
            c.advance(1, 1_000, Some(5_000)),
            Some(5_000),
            "behind the seed"
        );
        assert_eq!(c.advance(1, 6_000, None), Some(6_000));
        assert_eq!(c.advance(1, 2_000, None), Some(6_000), "a step back holds");
        assert_eq!(c.advance(2, 2_000, Some(0)), Some(2_000), "halls apart");
    }
}
