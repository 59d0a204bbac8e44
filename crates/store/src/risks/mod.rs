//! 服务风险 · the risk register and its key risk indicators: the trait, its rows (model.rs),
//! its SQL (sql.rs; rows read in rows.rs, written and logged in write.rs) and KRIs counted
//! from what operations record (kri.rs).

mod kri;
mod matrix;
mod missed;
mod model;
mod region;
mod rows;
pub(crate) mod sql;
mod write;

pub use model::*;

use crate::Result;
use async_trait::async_trait;
use servicehall_domain::risks::Matrix;

#[async_trait]
pub trait RiskStore: Send + Sync + 'static {
    /// The matrix the hall scores on (the default 5×5 until one is set).
    async fn risk_matrix(&self, hall_id: i64) -> Result<Matrix>;
    /// Sets the hall's matrix after checking it, each changed band audited in
    /// `settings_audit` (`risk_matrix.band2` …).
    async fn set_risk_matrix(
        &self,
        hall_id: i64,
        matrix: &Matrix,
        by: Option<i64>,
        now: i64,
    ) -> Result<()>;
    /// The hall's register, highest residual score first.
    async fn risks(&self, hall_id: i64) -> Result<Vec<Risk>>;
    /// One risk (for links from elsewhere, e.g. incidents).
    async fn get(&self, id: i64) -> Result<Risk>;
    /// Adds a risk; its first review is due by the cadence of its residual band.
    async fn create_risk(
        &self,
        hall_id: i64,
        input: &RiskInput,
        by: RiskActor,
        now: i64,
    ) -> Result<Risk>;
    /// Changes a risk and records who changed what in its history.
    async fn update_risk(
        &self,
        id: i64,
        input: &RiskInput,
        by: RiskActor,
        now: i64,
    ) -> Result<Risk>;
    /// A risk's history, oldest first.
    async fn risk_changes(&self, id: i64) -> Result<Vec<RiskChange>>;
    /// The hall's KRIs with their latest values.
    async fn kris(&self, hall_id: i64) -> Result<Vec<Kri>>;
    /// Binds a KRI to a risk of the hall (or changes its thresholds).
    async fn save_kri(&self, hall_id: i64, input: &KriInput) -> Result<Kri>;
    /// A KRI's daily values of the last `days` days up to `now`, oldest first.
    async fn kri_history(&self, kri_id: i64, days: u32, now: i64) -> Result<Vec<KriPoint>>;
    /// Counts every KRI (of one hall, or all) for the hall-local day of `now` and keeps the
    /// value; a KRI that crosses into a worse state raises its risk's review and leaves a
    /// notice for the risk's owner. Returns those new notices.
    async fn refresh_kris(&self, hall_id: Option<i64>, now: i64) -> Result<Vec<RiskNotice>>;
    /// The matrix a region's own risks score on (the default 5×5 until one is set).
    async fn region_risk_matrix(&self, region_id: i64) -> Result<Matrix>;
    /// Sets a region's matrix, each changed band audited (`region<id>.risk_matrix.…`).
    async fn set_region_risk_matrix(
        &self,
        region_id: i64,
        matrix: &Matrix,
        by: Option<i64>,
        now: i64,
    ) -> Result<()>;
    /// A region's own register (区域风险), highest residual score first.
    async fn region_risks(&self, region_id: i64) -> Result<Vec<Risk>>;
    /// Adds a risk to a region's register; its id comes from the same space as hall
    /// risks', its history from `risk_changes`, and the deployment's audit chain records it.
    /// `update_risk`, `get` and `risk_changes` serve region risks as well.
    async fn create_region_risk(
        &self,
        region_id: i64,
        input: &RiskInput,
        by: RiskActor,
        now: i64,
    ) -> Result<Risk>;
    /// The residual ratings of the hall risks of `halls`, counted per cell (a region's
    /// roll-up heat map).
    async fn hall_risk_cells(&self, halls: &[i64]) -> Result<Vec<RiskCell>>;
    /// Notices not yet seen: of one owner (`owner_id`), or of a hall's risks.
    async fn risk_notices(
        &self,
        hall_id: Option<i64>,
        owner_id: Option<i64>,
    ) -> Result<Vec<RiskNotice>>;
}
