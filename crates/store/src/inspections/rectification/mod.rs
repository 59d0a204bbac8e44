//! 整改 (rectification): the case every failed item of a submitted inspection opens, its fix
//! with new evidence, and its verification by someone else. The trait, its rows (model.rs)
//! and its SQL (sql.rs); the case itself — owner, clock, warnings, escalation — is an
//! ordinary case of kind `rectification`.

mod model;
pub(crate) mod sql;

pub use model::*;

use crate::inspections::photo_rows::{InspectionPhoto, PhotoUpload};
use crate::{Paged, Result, Window};
use async_trait::async_trait;
use servicehall_domain::inspections::rectification::Verdict;

#[async_trait]
pub trait RectificationStore: Send + Sync + 'static {
    /// One rectification as it stands at `now`.
    async fn rectification(&self, case_id: i64, now: i64) -> Result<Rectification>;
    /// The rectifications an inspection opened, in checklist order.
    async fn inspection_rectifications(
        &self,
        inspection_id: i64,
        now: i64,
    ) -> Result<Vec<Rectification>>;
    /// One page of a hall's rectifications, newest first, and how many match.
    async fn rectifications(
        &self,
        hall_id: i64,
        filter: &RectificationFilter,
        window: Window,
        now: i64,
    ) -> Result<Paged<Rectification>>;
    /// Keeps a photo of the fix (整改后); refused once the fix is recorded.
    async fn add_rectification_photo(
        &self,
        case_id: i64,
        photo: &PhotoUpload,
        now: i64,
    ) -> Result<InspectionPhoto>;
    /// Records the fix: needs a note or a photo taken in this round.
    async fn fix_rectification(
        &self,
        case_id: i64,
        by: i64,
        note: &str,
        now: i64,
    ) -> Result<Rectification>;
    /// Accepts (the case closes) or reopens the fix; refused (conflict) for the person who
    /// recorded it.
    async fn verify_rectification(
        &self,
        case_id: i64,
        by: i64,
        verdict: Verdict,
        note: &str,
        now: i64,
    ) -> Result<Rectification>;
}
