//! Pausing and resuming a case's clock: the event must be valid for the clock as its log
//! stands, then it is logged with the case's other events in the case's transaction.

use super::rows::*;
use super::writes::*;
use crate::sql::SqlStore;
use crate::{CaseDetail, Result};
use servicehall_domain::cases::{ClockEvent, ClockLog};

impl SqlStore {
    /// Pauses or resumes one clock: the event must be valid for the clock as its log stands
    /// (pausing a clock that is not running, resuming twice … are refused), then it is logged.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn clock_transition(
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
}
