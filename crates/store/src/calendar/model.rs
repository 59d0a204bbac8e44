//! The working-day calendar as stored: years an administrator imported.

use serde::Serialize;

/// A year schedule imported through the admin screen or the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedYear {
    pub year: i32,
    /// The notice it comes from (国办发明电〔…〕).
    pub source: String,
    /// The year's section in the calendar format (docs/deadlines.md).
    pub text: String,
    pub imported_at: i64,
    pub imported_by: Option<i64>,
}
