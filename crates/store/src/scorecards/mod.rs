//! 考核 · 红黑榜: scorecard schemes (versioned by the month they take effect), month-end
//! freezes of the halls' scores, appeals and the adjustments that are the only way a frozen
//! score changes, and the per-clerk and per-counter figures and recorded violations the
//! scoring reads. Every scheme change, freeze, appeal decision and adjustment is appended
//! to the audit chain in the same transaction. The trait is here, rows in model.rs, the SQL
//! in sql.rs (schemes, freezes, appeals) and figures.rs (what is scored).

mod evidence;
mod figures;
mod model;
mod sql;

pub use model::*;

use crate::Result;
use async_trait::async_trait;

#[async_trait]
pub trait ScorecardStore: Send + Sync + 'static {
    /// Every version of a region's scheme for a level, newest first.
    async fn scorecard_schemes(&self, region_id: i64, level: &str) -> Result<Vec<SchemeRow>>;
    /// Sets the scheme taking effect in `effective_month` (YYYYMM); a version already set
    /// for that month is replaced. Audited on the deployment chain.
    async fn set_scorecard_scheme(&self, new: NewScheme, now: i64) -> Result<SchemeRow>;
    /// The 不符合 items of observations made in `[from, to)` (unix ms) in the halls, of one
    /// clerk or counter when `who` says so, oldest first.
    async fn scorecard_violations(
        &self,
        hall_ids: &[i64],
        who: Personal,
        from: i64,
        to: i64,
    ) -> Result<Vec<ViolationRow>>;
    /// The indicators countable for one clerk or counter over `[from, to)` (unix ms), as the
    /// sums they divide.
    async fn scorecard_personal_figures(
        &self,
        hall_id: i64,
        who: Personal,
        from: i64,
        to: i64,
    ) -> Result<Vec<PersonalFigure>>;
    /// Freezes a region's month: keeps each hall's score as computed. 409 when the month is
    /// already frozen. Audited on each hall's chain.
    async fn freeze_scorecards(&self, freeze: NewFreeze, now: i64) -> Result<FreezeRow>;
    /// The freeze of a region's month, if any.
    async fn scorecard_freeze(&self, region_id: i64, month: i64) -> Result<Option<FreezeRow>>;
    /// The frozen scores of the halls for a month (halls frozen in any region).
    async fn frozen_scores(&self, hall_ids: &[i64], month: i64) -> Result<Vec<FrozenScore>>;
    /// Files a hall manager's appeal against a frozen month: 422 when the month is not
    /// frozen for the hall, 409 when an appeal of that month is still open.
    async fn file_appeal(&self, appeal: NewAppeal, now: i64) -> Result<AppealRow>;
    /// Decides a pending appeal: accepted with an adjustment of `points_tenths` (recorded
    /// as its own row), or rejected. 409 when already decided. Audited.
    async fn decide_appeal(&self, decision: AppealDecision, now: i64) -> Result<AppealRow>;
    async fn appeal(&self, id: i64) -> Result<Option<AppealRow>>;
    /// The halls' appeals, newest first.
    async fn appeals(&self, hall_ids: &[i64]) -> Result<Vec<AppealRow>>;
    /// The adjustments of the halls for a month, oldest first.
    async fn scorecard_adjustments(
        &self,
        hall_ids: &[i64],
        month: i64,
    ) -> Result<Vec<AdjustmentRow>>;
    /// Attaches an evidence file to a pending appeal (JPEG, PNG or PDF by content, at most
    /// 5 MiB, a few per appeal); its SHA-256 is appended to the hall's audit chain in the
    /// same transaction. 422 for a wrong file, 409 when the appeal is decided or full.
    async fn add_appeal_file(&self, file: NewAppealFile, now: i64) -> Result<AppealFileRow>;
    /// The evidence files of the appeals (without bytes), oldest first.
    async fn appeal_files(&self, appeal_ids: &[i64]) -> Result<Vec<AppealFileRow>>;
    /// One evidence file with its bytes; not found unless it belongs to the appeal.
    async fn appeal_file(&self, appeal_id: i64, file_id: i64) -> Result<AppealFileData>;
}
