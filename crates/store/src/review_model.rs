//! What the store keeps about reviewing feedback: anti-gaming flags as detected, with the
//! supervisor's finding, and the audit of who changed which feedback setting.

use serde::Serialize;
use servicehall_domain::feedback::gaming::{Finding, Flag};

/// A flag as stored: its latest evidence, when it was first and last detected, and the
/// finding once a supervisor has acknowledged it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StoredFlag {
    pub id: i64,
    pub hall_id: i64,
    pub flag: Flag,
    pub first_seen_at: i64,
    pub last_seen_at: i64,
    /// `None` while open.
    pub finding: Option<Finding>,
    pub finding_note: String,
    pub finding_by: Option<i64>,
    pub finding_at: Option<i64>,
}

/// One changed setting: which, from what to what, by whom, when.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SettingChange {
    pub id: i64,
    /// `None` for the province-wide figure definitions.
    pub hall_id: Option<i64>,
    /// The setting's name as in the API (`phone_window_hours`, `weights.attitude` …).
    pub setting: String,
    pub old_value: String,
    pub new_value: String,
    pub by_staff: Option<i64>,
    pub at: i64,
}
