//! Assessment (督查 · 考核): the indicators' daily figures, kept from the logs by an
//! incremental step and rebuildable from them. The trait is here, its rows in model.rs, the
//! counting SQL in figures.rs, the keeping and reading in sql.rs, the rebuild in rebuild.rs.

mod by_hand;
mod figures;
mod figures_last;
mod figures_more;
mod model;
mod months;
mod rebuild;
mod span;
mod sql;

pub use model::*;

use crate::Result;
use async_trait::async_trait;

#[async_trait]
pub trait AssessmentStore: Send + Sync + 'static {
    /// Brings the halls' kept figures up to `now`: recounts from the logs every day from the
    /// day before each hall's mark on (all of it when the hall has none) and moves the mark.
    async fn refresh_assessment(&self, hall_ids: &[i64], now: i64) -> Result<()>;
    /// The kept figures of the halls summed by indicator and month (YYYYMM) over the months
    /// `[from_month, to_month]`: counts are added across halls, never rates averaged.
    async fn assessment_months(
        &self,
        hall_ids: &[i64],
        from_month: i64,
        to_month: i64,
    ) -> Result<Vec<MonthFigure>>;
    /// The same figures summed from the kept days instead of the month sums (the naive sum
    /// the province bench compares with; equal by the rebuild's proof).
    async fn assessment_months_from_days(
        &self,
        hall_ids: &[i64],
        from_month: i64,
        to_month: i64,
    ) -> Result<Vec<MonthFigure>>;
    /// Replaces the month sums with the sums of the kept days (after the days were loaded
    /// in bulk, as the province bench does); returns the month rows written.
    async fn resum_assessment_months(&self) -> Result<u64>;
    /// The same figures counted from the logs without the kept table (the naive scan the
    /// benchmark compares with): days `[from_day, to_day)`, time up to `now` (spans still
    /// running, checks still due).
    async fn assessment_months_from_logs(
        &self,
        hall_ids: &[i64],
        from_day: i64,
        to_day: i64,
        now: i64,
    ) -> Result<Vec<MonthFigure>>;
    /// The visits behind the ticket indicators (the drill-down): the hall's tickets issued on
    /// roll-up days `[from_day, to_day)`, first `limit` by issue time, with their times.
    /// `who` narrows them to the tickets called by that clerk or at that counter (what a
    /// clerk's or counter's scorecard counts); `Personal::Hall` lists them all.
    async fn assessment_visits(
        &self,
        hall_id: i64,
        who: crate::Personal,
        from_day: i64,
        to_day: i64,
        limit: i64,
    ) -> Result<Vec<VisitTimes>>;
    /// Recounts every hall's figures from the logs. With `check`, first brings the kept
    /// figures up to `now` as the product does, then compares (the days with the recount,
    /// the month sums with the days) and changes nothing; without it, replaces the kept
    /// days and months with the recount and marks every hall at `now`.
    async fn rebuild_assessment(&self, check: bool, now: i64) -> Result<RebuildReport>;
}
