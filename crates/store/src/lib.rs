//! ServiceHall's storage. One [`Store`] trait; [`SqlStore`] implements it on SQLite and
//! PostgreSQL with portable SQL, keeping backend-specific SQL to the DDL.

mod calendar;
mod cases;
mod catalogue;
mod counters;
mod error;
mod events;
mod feedback_model;
mod halls;
mod insight_model;
mod insight_store;
mod queue;
mod regions;
mod review_model;
mod review_store;
mod sessions;
mod sql;
mod standards;
#[cfg(feature = "testing")]
pub mod testing;

pub use calendar::*;
pub use cases::*;
pub use catalogue::*;
pub use counters::*;
pub use error::StoreError;
pub use events::*;
pub use feedback_model::*;
pub use halls::*;
pub use insight_model::*;
pub use insight_store::InsightStore;
pub use queue::*;
pub use regions::*;
pub use review_model::*;
pub use review_store::ReviewStore;
pub use sessions::*;
pub use sql::{Backend, SqlStore};
pub use standards::*;

use async_trait::async_trait;

pub type Result<T> = std::result::Result<T, StoreError>;

/// Everything the web asks of storage, as one object. Every write happens in one
/// transaction together with the log entry and hall event that record it.
pub trait Store:
    HallStore
    + SessionStore
    + QueueStore
    + CounterStore
    + EventStore
    + CaseStore
    + CalendarStore
    + FeedbackStore
    + CatalogueStore
    + InsightStore
    + StandardsStore
    + RegionStore
    + ReviewStore
    + CaseDocumentStore
    + CaseSettingsStore
{
}
impl<
    T: HallStore
        + SessionStore
        + QueueStore
        + CounterStore
        + EventStore
        + CaseStore
        + CalendarStore
        + FeedbackStore
        + CatalogueStore
        + InsightStore
        + StandardsStore
        + RegionStore
        + ReviewStore
        + CaseDocumentStore
        + CaseSettingsStore,
> Store for T
{
}

/// Feedback (管理客户满意): phone ratings, external evaluations, service recovery and the
/// visits behind the anti-gaming flags. A bad rating from any channel opens its recovery
/// case in the same transaction that records it.
#[async_trait]
pub trait FeedbackStore: Send + Sync + 'static {
    /// The hall's feedback settings (defaults until set).
    async fn feedback_settings(&self, hall_id: i64) -> Result<FeedbackSettings>;
    async fn set_feedback_settings(
        &self,
        hall_id: i64,
        settings: &FeedbackSettings,
        now: i64,
    ) -> Result<()>;
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
}
