//! The staffing advisor (排班建议): history reads for the forecast and the replay, the
//! manager's counter plans, and counters opened, for today's actual staffing. The trait,
//! its rows (model.rs) and its SQL (sql.rs).

mod model;
pub(crate) mod sql;

pub use model::*;

use crate::Result;
use async_trait::async_trait;

#[async_trait]
pub trait StaffingStore: Send + Sync + 'static {
    /// Tickets issued per day, half-hour and business type over `from_day..=to_day`; the
    /// half-hour is counted at the hall's UTC offset `utc_offset_ms`. Transfers' linked
    /// records are not arrivals.
    async fn arrival_history(
        &self,
        hall_id: i64,
        from_day: &str,
        to_day: &str,
        utc_offset_ms: i64,
    ) -> Result<Vec<ArrivalCount>>;
    /// Handling times (called → finished) of tickets finished over `from_day..=to_day`, the
    /// most recent `limit`.
    async fn handling_samples(
        &self,
        hall_id: i64,
        from_day: &str,
        to_day: &str,
        limit: i64,
    ) -> Result<Vec<HandlingSample>>;
    /// A day's tickets in issue order, with when each was first called and finished.
    async fn replay_tickets(&self, hall_id: i64, service_day: &str) -> Result<Vec<PastTicket>>;
    /// The day's plan (empty slots when none).
    async fn counter_plan(&self, hall_id: i64, service_day: &str) -> Result<CounterPlan>;
    /// Replaces the day's plan with `slots` (half-hour, counters); none clears it.
    async fn set_counter_plan(
        &self,
        hall_id: i64,
        service_day: &str,
        slots: &[(usize, u32)],
        by: Option<i64>,
        now: i64,
    ) -> Result<CounterPlan>;
    /// Days with a plan over `from_day..=to_day`.
    async fn planned_days(
        &self,
        hall_id: i64,
        from_day: &str,
        to_day: &str,
    ) -> Result<Vec<PlannedDay>>;
    /// Counters' status changes in `from..to` (ms), oldest first.
    async fn counter_changes(&self, hall_id: i64, from: i64, to: i64)
    -> Result<Vec<CounterChange>>;
}
