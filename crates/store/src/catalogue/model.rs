//! What the catalogue store keeps and returns: versions, the catalogue in effect with the
//! shared case steps, the hall's public information, visits, notices and repeat trips.

use serde::{Deserialize, Serialize};
use servicehall_domain::cases::{CustomerClass, Process};
use servicehall_domain::catalogue::{CatalogueEntry, Document, VisitOutcome};

/// One stored version of a business type's entry.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CatalogueVersion {
    pub id: i64,
    pub entry: CatalogueEntry,
    pub created_at: i64,
    /// In effect on the hall's today or earlier: cannot be edited.
    pub locked: bool,
    /// The version customers see today.
    pub current: bool,
}

/// What one customer class needs for a business: documents, and the hall's case process
/// (steps and time limits, the same the case clocks run on).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClassGuide {
    pub class: CustomerClass,
    pub label_zh: String,
    pub documents: Vec<Document>,
    pub process: Process,
}

/// A business type's entry in effect on a day, with its names and per-class guides.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CatalogueItem {
    pub business_type_id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub entry: CatalogueEntry,
    pub classes: Vec<ClassGuide>,
}

impl CatalogueItem {
    pub fn class(&self, class: CustomerClass) -> Option<&ClassGuide> {
        self.classes.iter().find(|c| c.class == class)
    }
}

/// What a hall publishes besides its catalogue (kept in the same YAML file).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct HallPublicInfo {
    pub repeat_window_days: i64,
    pub map_url: String,
    pub complaint_channels: Vec<String>,
    pub commitments: Vec<String>,
}

/// A clerk's or guide's record of how a visit went, with the customer it was for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VisitInput {
    pub hall_id: i64,
    pub ticket_id: Option<i64>,
    pub business_type: String,
    pub class: CustomerClass,
    /// Phone or account number (normalised by the store).
    pub contact: String,
    pub outcome: VisitOutcome,
    pub staff_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Visit {
    pub id: i64,
    pub hall_id: i64,
    pub ticket_id: Option<i64>,
    pub ticket_number: Option<String>,
    pub business_type: String,
    pub class: CustomerClass,
    /// Stored whole; screens mask it.
    pub contact: String,
    pub outcome: VisitOutcome,
    pub staff_id: Option<i64>,
    pub staff_name: Option<String>,
    pub staff_badge: Option<String>,
    /// The earlier visit this one repeats (重复往返), if any.
    pub repeat_of: Option<i64>,
    pub at: i64,
}

/// A one-time notice given: its public code (the QR code's key), what it listed, who gave
/// it. It holds no customer data; the visit it belongs to does.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Notice {
    pub code: String,
    pub hall_id: i64,
    pub visit_id: i64,
    pub business_type: String,
    pub class: CustomerClass,
    /// The version of the entry that was given.
    pub effective_from: String,
    pub staff_id: Option<i64>,
    pub given_at: i64,
}

/// A repeat trip for the hall manager: the new visit and the earlier one it repeats.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RepeatTrip {
    pub visit: Visit,
    pub earlier: Visit,
}

/// The filters of the repeat-trips list: return visits in `[from, to)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RepeatTripFilter {
    pub from: i64,
    pub to: i64,
    /// A business type's code.
    pub business_type: Option<String>,
    /// The clerk or guide who recorded the return visit.
    pub staff_id: Option<i64>,
}
