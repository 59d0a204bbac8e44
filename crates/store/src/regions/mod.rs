//! The region tree (省 → 市 → 县/区): the trait, its inputs (model.rs) and its SQL (sql.rs).

mod model;
pub(crate) mod sql;

pub use model::*;

use crate::{Hall, Result, Staff};
use async_trait::async_trait;

/// The region tree (省 → 市 → 县/区) that halls hang on and staff above halls may be limited to.
#[async_trait]
pub trait RegionStore: Send + Sync + 'static {
    /// The whole tree, checked (a stored loop or missing parent is an error, not a hang).
    async fn region_tree(&self) -> Result<RegionTree>;
    /// Creates a region (`id` None) or renames / moves one; never under its own subtree.
    async fn save_region(&self, id: Option<i64>, input: &RegionInput) -> Result<Region>;
    /// Removes an empty region: no sub-regions, halls or staff hang on it.
    async fn remove_region(&self, id: i64) -> Result<()>;
    /// Hangs a hall on a region (`None`: on no region — only deployment-wide staff see it).
    async fn set_hall_region(&self, hall_id: i64, region_id: Option<i64>) -> Result<Hall>;
    /// Limits an administrator or supervisor above halls to a region (`None`: everywhere).
    async fn set_staff_region(&self, staff_id: i64, region_id: Option<i64>) -> Result<Staff>;
    /// The halls of a region's subtree, by id.
    async fn region_halls(&self, region_id: i64) -> Result<Vec<i64>>;
}
