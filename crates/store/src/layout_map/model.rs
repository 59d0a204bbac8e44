//! Layout versions and map walks as stored.

use crate::Inspection;
use servicehall_domain::layout_map::Layout;
use servicehall_domain::layout_map::walk::{Finding, FindingRecord};

/// One version of a hall's plan.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutMap {
    pub id: i64,
    pub hall_id: i64,
    pub version: i64,
    pub layout: Layout,
    pub created_at: i64,
    /// Items with a reference photo: (item code, when it was set), for the photo's URL.
    pub photos: Vec<(String, i64)>,
}

/// A map walk: the inspection, the layout version it walked and its findings (in the
/// layout's item order).
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutWalk {
    pub inspection: Inspection,
    pub layout: LayoutMap,
    pub findings: Vec<FindingRecord>,
}

/// One finding as the inspector records it.
#[derive(Debug, Clone)]
pub struct FindingInput {
    pub item: String,
    pub finding: Finding,
    /// The count, when the item was counted (required for `short`).
    pub counted: Option<i64>,
    pub note: String,
}

/// An item's reference photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutPhoto {
    pub mime: String,
    pub bytes: Vec<u8>,
    pub updated_at: i64,
}
