//! The layout map (定置图): a hall's versioned floor plan, its map walks and the items'
//! reference photos. The trait, its rows (model.rs) and its SQL (sql.rs).

mod model;
pub(crate) mod sql;

pub use model::*;

use crate::Result;
use async_trait::async_trait;
use servicehall_domain::layout_map::Layout;

#[async_trait]
pub trait LayoutMapStore: Send + Sync + 'static {
    /// Checks and writes the hall's next layout version; earlier versions stay as they were.
    async fn save_layout_map(
        &self,
        hall_id: i64,
        layout: &Layout,
        by: Option<i64>,
        now: i64,
    ) -> Result<LayoutMap>;
    /// The hall's latest layout; `None` before one is drawn.
    async fn layout_map(&self, hall_id: i64) -> Result<Option<LayoutMap>>;
    /// One layout version by id.
    async fn layout_map_version(&self, id: i64) -> Result<LayoutMap>;
    /// Starts a map walk of the hall's latest layout: an inspection on the checklist made
    /// from it (written as the hall's next `layout_map` version when the plan changed).
    async fn start_layout_walk(
        &self,
        hall_id: i64,
        inspector_id: i64,
        now: i64,
    ) -> Result<LayoutWalk>;
    /// Records (or changes) one item's finding and the inspection result it stands for;
    /// refused once the walk is submitted (it is submitted as an inspection).
    async fn record_layout_finding(
        &self,
        inspection_id: i64,
        finding: &FindingInput,
        now: i64,
    ) -> Result<LayoutWalk>;
    async fn layout_walk(&self, inspection_id: i64) -> Result<LayoutWalk>;
    /// The hall's walks started at or after `since`, newest first, with their findings.
    async fn layout_walks(&self, hall_id: i64, since: i64, limit: i64) -> Result<Vec<LayoutWalk>>;
    /// Keeps an item's reference photo (already re-encoded), replacing the one before.
    async fn set_layout_photo(
        &self,
        hall_id: i64,
        item_code: &str,
        mime: &str,
        image: &[u8],
        now: i64,
    ) -> Result<i64>;
    async fn layout_photo(&self, hall_id: i64, item_code: &str) -> Result<Option<LayoutPhoto>>;
}
