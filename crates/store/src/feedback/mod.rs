//! Feedback (一事一评 · 外评 · 服务补救 · 防刷评 · 评价设置): phone ratings, external
//! evaluations, service recovery, the anti-gaming flags (gaming/) and the audited settings
//! (settings.rs). The trait, its rows (model.rs) and its SQL beside them.

pub(crate) mod gaming;
mod import;
mod model;
mod phone;
mod ratings;
pub(crate) mod recovery;
pub(crate) mod settings;
pub(crate) mod sql;

pub use gaming::GamingFlagStore;
pub use model::*;
pub use settings::FeedbackSettingsStore;

use crate::Result;
use async_trait::async_trait;

/// Feedback (管理客户满意): phone ratings, external evaluations, service recovery and the
/// visits behind the anti-gaming flags. A bad rating from any channel opens its recovery
/// case in the same transaction that records it.
#[async_trait]
pub trait FeedbackStore: Send + Sync + 'static {
    /// 一事一评: rates the visit of the ticket with this slip code, once, within the
    /// hall's window after the system finished it.
    async fn rate_by_phone(
        &self,
        code: &str,
        input: &PhoneRatingInput,
        now: i64,
    ) -> Result<PhoneRating>;
    async fn phone_rating(&self, ticket_id: i64) -> Result<Option<PhoneRating>>;
    /// Whether the visit was rated, on the pad or on the phone (一事一评: once).
    async fn visit_rated(&self, ticket_id: i64) -> Result<bool>;
    /// Imports external evaluations from CSV text: a file in the wrong shape is refused
    /// whole; bad rows are reported and skipped; rows already imported are not counted again.
    /// `halls` is the importer's reach (`None`: every hall): a file with any row naming a
    /// hall outside it is refused whole (`Forbidden`, with the rows' line numbers).
    async fn import_external(
        &self,
        source: ExternalSource,
        file_name: &str,
        csv: &str,
        by: i64,
        halls: Option<&[i64]>,
        now: i64,
    ) -> Result<ImportReport>;
    /// The latest import reports, newest first. With `halls` (`None`: every import), only
    /// imports whose rows all belong to those halls, and `me`'s own imports that wrote no
    /// row (all bad or repeated).
    async fn import_reports(
        &self,
        limit: i64,
        halls: Option<&[i64]>,
        me: i64,
    ) -> Result<Vec<ImportReport>>;
    /// Bad ratings of a hall in `[from, to)` and the state of their recovery cases.
    async fn recovery_items(
        &self,
        hall_id: i64,
        from: i64,
        to: i64,
        now: i64,
    ) -> Result<Vec<RecoveryItem>>;
    /// Visits a hall's counters finished in `[from, to)` with their pad ratings.
    async fn pad_visits(&self, hall_id: i64, from: i64, to: i64) -> Result<Vec<PadVisit>>;
    /// One page of the recovery list (newest first) and how many rows match.
    async fn recovery_page(
        &self,
        hall_id: i64,
        filter: &RecoveryFilter,
        window: crate::Window,
        now: i64,
    ) -> Result<crate::Paged<RecoveryItem>>;
    /// One page of the hall's pad and phone ratings (newest first) and how many match.
    async fn rating_page(
        &self,
        hall_id: i64,
        filter: &RatingFilter,
        window: crate::Window,
    ) -> Result<crate::Paged<RatingLine>>;
}
