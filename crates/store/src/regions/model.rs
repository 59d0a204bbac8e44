//! The region tree's inputs and views.

use serde::{Deserialize, Serialize};

pub use servicehall_domain::regions::{Region, RegionTree};

/// Fields an administrator sets on a region.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegionInput {
    pub code: String,
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    /// `None` for a top-level region (a province company).
    #[serde(default)]
    pub parent_id: Option<i64>,
}
