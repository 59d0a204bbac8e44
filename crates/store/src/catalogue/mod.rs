//! The service catalogue (业务公开), one-time notices (一次性告知) and repeat trips: the
//! trait, its rows (model.rs) and its SQL (sql.rs).

mod model;
mod repeat_trips;
pub(crate) mod sql;

pub use model::*;

use crate::Result;
use async_trait::async_trait;

/// The service catalogue (业务公开), one-time notices and repeat trips. See
/// `servicehall_domain::catalogue` for the rules; `now` is passed in, and "today" is the
/// hall-local date of `now`.
#[async_trait]
pub trait CatalogueStore: Send + Sync + 'static {
    /// Every version of every entry, with which are locked and which are current today.
    async fn catalogue_versions(&self, hall_id: i64, now: i64) -> Result<Vec<CatalogueVersion>>;
    /// The entries in effect on `day` (hall-local) for the hall's active business types, in
    /// their order, each with names, documents per class and the shared case steps and time
    /// limits. This is what the public pages show and what search indexes.
    async fn effective_catalogue(
        &self,
        hall_id: i64,
        day: chrono::NaiveDate,
    ) -> Result<Vec<CatalogueItem>>;
    /// Saves one version: new, or a change to one not yet in effect. Returns rows changed.
    async fn save_catalogue_version(
        &self,
        hall_id: i64,
        entry: &servicehall_domain::catalogue::CatalogueEntry,
        now: i64,
    ) -> Result<usize>;
    /// The whole catalogue (all versions) and public information, as the YAML file holds it.
    async fn export_catalogue(
        &self,
        hall_id: i64,
    ) -> Result<servicehall_domain::catalogue::CatalogueFile>;
    /// Replaces the catalogue with a YAML file in one transaction; a bad file is refused
    /// (saying where and why) and changes nothing. Returns the versions changed.
    async fn import_catalogue(&self, hall_id: i64, yaml: &str, now: i64) -> Result<usize>;
    async fn hall_public_info(&self, hall_id: i64) -> Result<HallPublicInfo>;
    /// Records how a visit went; flags it as a repeat trip when the rule says so.
    async fn record_visit(&self, input: &VisitInput, now: i64) -> Result<Visit>;
    /// Gives a one-time notice (recorded with its visit) under the public `code`. Unknown
    /// business type or a class the business is not offered to → error, nothing recorded.
    async fn give_notice(
        &self,
        input: &VisitInput,
        code: &str,
        now: i64,
    ) -> Result<(Notice, Visit)>;
    async fn notice(&self, code: &str) -> Result<Notice>;
    async fn visit(&self, id: i64) -> Result<Visit>;
    /// Repeat trips of a hall since `since`, newest first, each with the visit it repeats.
    async fn repeat_trips(&self, hall_id: i64, since: i64) -> Result<Vec<RepeatTrip>>;
    /// One page of a hall's repeat trips (newest first) with the list's filters, and how
    /// many match.
    async fn repeat_trip_page(
        &self,
        hall_id: i64,
        filter: &RepeatTripFilter,
        window: crate::Window,
    ) -> Result<crate::Paged<RepeatTrip>>;
}
