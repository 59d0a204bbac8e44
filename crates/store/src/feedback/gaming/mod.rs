//! Anti-gaming (防刷评): the visits the flags are computed from (visits.rs) and the flags as
//! stored with the supervisor's findings (flags.rs).

mod flags;
mod visits;

use crate::sql::SqlStore;
use crate::{FlagFilter, Paged, Result, StoredFlag, Window};
use async_trait::async_trait;
use servicehall_domain::feedback::gaming::{Finding, Flag};

#[async_trait]
impl GamingFlagStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.feedback.gaming.record_flags", fields(hall = hall_id))]
    async fn record_flags(&self, hall_id: i64, flags: &[Flag], now: i64) -> Result<()> {
        self.record_flags_sql(hall_id, flags, now).await
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.feedback.gaming.stored_flags", fields(hall = hall_id))]
    async fn stored_flags(&self, hall_id: i64, since: i64) -> Result<Vec<StoredFlag>> {
        self.stored_flags_sql(hall_id, since).await
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.feedback.gaming.flag_page", fields(hall = hall_id))]
    async fn flag_page(
        &self,
        hall_id: i64,
        filter: &FlagFilter,
        window: Window,
    ) -> Result<Paged<StoredFlag>> {
        self.flag_page_sql(hall_id, filter, window).await
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.feedback.gaming.stored_flag")]
    async fn stored_flag(&self, id: i64) -> Result<StoredFlag> {
        self.stored_flag_sql(id).await
    }
    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.feedback.gaming.acknowledge_flag"
    )]
    async fn acknowledge_flag(
        &self,
        id: i64,
        finding: Finding,
        note: &str,
        by: i64,
        now: i64,
    ) -> Result<StoredFlag> {
        self.acknowledge_flag_sql(id, finding, note, by, now).await
    }
}

/// The anti-gaming flags (防刷评) as stored: detections refreshed idempotently, and the
/// supervisor's finding on each.
#[async_trait]
pub trait GamingFlagStore: Send + Sync + 'static {
    /// Stores freshly detected flags of a hall, idempotently: an open flag of the same kind
    /// and subject is refreshed; a judged one is raised again only by newer evidence.
    async fn record_flags(&self, hall_id: i64, flags: &[Flag], now: i64) -> Result<()>;
    /// The hall's flags: every open one, and those seen or judged since `since`; open first,
    /// then the most recently seen.
    async fn stored_flags(&self, hall_id: i64, since: i64) -> Result<Vec<StoredFlag>>;
    /// One page of the flags list (open first, then the most recently seen) and how many
    /// flags the filters match.
    async fn flag_page(
        &self,
        hall_id: i64,
        filter: &FlagFilter,
        window: Window,
    ) -> Result<Paged<StoredFlag>>;
    async fn stored_flag(&self, id: i64) -> Result<StoredFlag>;
    /// Records a supervisor's finding on an open flag (a second finding is a conflict).
    async fn acknowledge_flag(
        &self,
        id: i64,
        finding: Finding,
        note: &str,
        by: i64,
        now: i64,
    ) -> Result<StoredFlag>;
}
