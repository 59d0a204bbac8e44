//! ServiceHall's storage. One [`Store`] trait; [`SqlStore`] implements it on SQLite and
//! PostgreSQL with portable SQL, keeping backend-specific SQL to the DDL.

mod appointments;
mod assessment;
mod audit;
mod calendar;
mod cases;
mod catalogue;
mod counters;
mod customers;
mod edge;
mod error;
mod events;
mod feedback;
mod halls;
mod health;
mod incidents;
mod insight;
mod inspections;
mod layout_map;
mod listing;
mod nodes;
mod notify;
mod outbox;
mod queue;
mod regions;
mod reports;
mod risks;
mod scorecards;
mod sessions;
mod sql;
mod staffing;
mod standards;
#[cfg(feature = "testing")]
pub mod testing;

pub use appointments::*;
pub use assessment::*;
pub use audit::{
    AuditHead, AuditInput, AuditOrigin, AuditRecord, AuditReport, AuditStore, AuditVerification,
    ChainCheck, with_origin,
};
pub use calendar::*;
pub use cases::*;
pub use catalogue::*;
pub use counters::*;
pub use customers::*;
pub use edge::*;
pub use error::{DB_UNREACHABLE, StoreError, WRITE_FAILED};
pub use events::*;
pub use feedback::*;
pub use halls::*;
pub use health::{HealthStore, PoolStats};
pub use incidents::*;
pub use insight::*;
pub use inspections::*;
pub use layout_map::*;
pub use listing::{CaseState, Paged, Window};
pub use nodes::*;
pub use notify::*;
pub use outbox::*;
pub use queue::*;
pub use regions::*;
pub use reports::*;
pub use risks::*;
pub use scorecards::*;
pub use sessions::*;
pub use sql::{Backend, SqlStore};
pub use staffing::*;
pub use standards::*;

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
    + FeedbackSettingsStore
    + GamingFlagStore
    + CaseDocumentStore
    + CaseSettingsStore
    + HealthStore
    + HallFileStore
    + FirstRunStore
    + StaffPhotoStore
    + OutboxStore
    + InspectionStore
    + InspectionScheduleStore
    + LayoutMapStore
    + InspectionPhotoStore
    + RectificationStore
    + IncidentStore
    + AuditStore
    + StaffingStore
    + RiskStore
    + AssessmentStore
    + ScorecardStore
    + ReportStore
    + CustomerStore
    + AppointmentStore
    + NotifyStore
    + NodeStore
    + EdgeStore
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
        + FeedbackSettingsStore
        + GamingFlagStore
        + CaseDocumentStore
        + CaseSettingsStore
        + HealthStore
        + HallFileStore
        + FirstRunStore
        + StaffPhotoStore
        + OutboxStore
        + InspectionStore
        + InspectionScheduleStore
        + LayoutMapStore
        + InspectionPhotoStore
        + RectificationStore
        + IncidentStore
        + AuditStore
        + StaffingStore
        + RiskStore
        + AssessmentStore
        + ScorecardStore
        + ReportStore
        + CustomerStore
        + AppointmentStore
        + NotifyStore
        + NodeStore
        + EdgeStore,
> Store for T
{
}
