//! Checklists and inspections (定妆上岗 · 定置 · 现场检查): the trait, its rows (model.rs)
//! and its SQL (sql.rs); the shared row readers and lock (rows.rs); photo evidence
//! (photos.rs, its rows and writer photo_rows.rs); rectification (rectification/).

mod model;
pub(crate) mod photo_rows;
pub(crate) mod photos;
pub(crate) mod rectification;
pub(crate) mod rows;
mod schedules;
pub(crate) mod schedules_sql;
pub(crate) mod sql;

pub use model::*;
pub use photo_rows::{InspectionPhoto, PhotoFile, PhotoStage, PhotoUpload};
pub use photos::InspectionPhotoStore;
pub use rectification::*;
pub use schedules::*;

use crate::Result;
use async_trait::async_trait;
use servicehall_domain::inspections::{Outcome, Template};

#[async_trait]
pub trait InspectionStore: Send + Sync + 'static {
    /// Writes a new version of a template (`hall_id` None: company-wide). The version follows
    /// the highest one the hall sees for the code; earlier versions stay as they were.
    async fn save_inspection_template(
        &self,
        hall_id: Option<i64>,
        template: &Template,
        by: Option<i64>,
        now: i64,
    ) -> Result<InspectionTemplate>;
    /// Loads the shipped templates as company-wide versions; a template whose latest
    /// company-wide version is already the same is left alone. Returns how many were written.
    async fn install_inspection_templates(&self, templates: &[Template], now: i64)
    -> Result<usize>;
    /// The templates a hall uses: per code, the hall's own latest version, else the latest
    /// company-wide one.
    async fn inspection_templates(&self, hall_id: i64) -> Result<Vec<InspectionTemplate>>;
    async fn inspection_template(&self, id: i64) -> Result<InspectionTemplate>;
    /// Starts an inspection of a template version the hall sees, on the hall or one of its
    /// staff as the template asks.
    async fn start_inspection(&self, input: &InspectionStart, now: i64) -> Result<Inspection>;
    /// Records (or changes) one item's result; refused once the inspection is submitted.
    async fn record_inspection_item(
        &self,
        id: i64,
        item: &str,
        outcome: Outcome,
        note: &str,
        now: i64,
    ) -> Result<Inspection>;
    /// Checks every item has its result and evidence, scores and closes the inspection.
    async fn submit_inspection(&self, id: i64, now: i64) -> Result<Inspection>;
    async fn inspection(&self, id: i64) -> Result<Inspection>;
    /// The hall's inspections started at or after `since`, newest first (without results).
    async fn inspections(&self, hall_id: i64, since: i64, limit: i64) -> Result<Vec<Inspection>>;
}
