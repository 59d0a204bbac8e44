//! The standards library (规章制度标准化): the trait, its rows (model.rs) and its SQL
//! (sql.rs).

mod model;
pub(crate) mod sql;

pub use model::*;

use crate::Result;
use async_trait::async_trait;

/// The standards library (规章制度): versioned documents, acknowledgements and their rate.
/// See `servicehall_domain::standards` for the rules; `now` decides the hall's today.
#[async_trait]
pub trait StandardsStore: Send + Sync + 'static {
    /// A new document with its first draft (version 1).
    async fn create_standard(
        &self,
        input: &StandardInput,
        by: Option<i64>,
        now: i64,
    ) -> Result<StandardDocument>;
    /// The documents a hall follows (its own and company-wide), or every document.
    async fn standards(&self, hall_id: Option<i64>, now: i64) -> Result<Vec<StandardDocument>>;
    async fn standard(&self, id: i64, now: i64) -> Result<StandardDocument>;
    /// Writes the document's draft: updates the open draft, or starts the next version.
    async fn save_draft(
        &self,
        document_id: i64,
        draft: &DraftInput,
        now: i64,
    ) -> Result<StandardDocument>;
    /// Publishes the draft to take effect on `effective_from` (today or later, after every
    /// earlier version's date); it is locked from then on.
    async fn publish_standard(
        &self,
        document_id: i64,
        effective_from: chrono::NaiveDate,
        by: Option<i64>,
        now: i64,
    ) -> Result<StandardDocument>;
    /// Records 我已阅读并遵守 for the version in effect; idempotent (see [`Acknowledgement`]).
    async fn acknowledge_standard(
        &self,
        version_id: i64,
        staff_id: i64,
        now: i64,
    ) -> Result<Acknowledgement>;
    /// Versions in effect that apply to the staff member and await their acknowledgement.
    async fn pending_acknowledgements(&self, staff_id: i64, now: i64) -> Result<Vec<PendingAck>>;
    /// Who has and has not acknowledged each version in effect in a hall, and the rate.
    async fn acknowledgement_report(&self, hall_id: i64, now: i64) -> Result<AckReport>;
    /// Changes whenever a standard version is written, or a catalogue version added or
    /// removed: search indexes rebuild when it moves.
    async fn standards_stamp(&self) -> Result<String>;
}
