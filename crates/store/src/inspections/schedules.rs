//! 检查计划 · a hall's inspection schedule and the facts its states are computed from: the
//! submitted checks, counter openings and item results over a span of time. The states
//! themselves are the domain's (`servicehall_domain::inspections::schedule`).

use crate::{Result, SettingChange};
use async_trait::async_trait;
use servicehall_domain::inspections::Outcome;
use servicehall_domain::inspections::schedule::Schedule;

/// A submitted inspection, as the schedule and the views count it.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmittedCheck {
    pub id: i64,
    pub hall_id: i64,
    pub template_id: i64,
    pub template_code: String,
    pub subject_staff_id: Option<i64>,
    pub submitted_at: i64,
    pub score_tenths: i64,
    pub passed: bool,
}

/// A clerk taking a counter (挂牌上岗), read from the hall's counter events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CounterOpening {
    pub staff_id: i64,
    pub at: i64,
}

/// One item's result in a submitted inspection.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckItemResult {
    pub inspection_id: i64,
    pub template_id: i64,
    pub item_key: String,
    pub outcome: Outcome,
    pub submitted_at: i64,
}

#[async_trait]
pub trait InspectionScheduleStore: Send + Sync + 'static {
    /// The hall's schedule; the default one until a manager sets it.
    async fn inspection_schedule(&self, hall_id: i64) -> Result<Schedule>;
    /// Sets the schedule (checked first) with one audit row per changed field.
    async fn change_inspection_schedule(
        &self,
        hall_id: i64,
        schedule: &Schedule,
        by: Option<i64>,
        now: i64,
    ) -> Result<Vec<SettingChange>>;
    /// The hall's inspections submitted in `[from, to)`, oldest first.
    async fn submitted_checks(
        &self,
        hall_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<SubmittedCheck>>;
    /// Every time a counter of the hall was opened (or resumed) in `[from, to)`, oldest first.
    async fn counter_openings(
        &self,
        hall_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<CounterOpening>>;
    /// The item results of the hall's inspections submitted in `[from, to)`.
    async fn check_item_results(
        &self,
        hall_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<CheckItemResult>>;
}
