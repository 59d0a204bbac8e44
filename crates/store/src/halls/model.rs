//! Halls and their set-up as stored: halls, business types, staff and devices. Instants are
//! unix milliseconds (UTC).

use serde::{Deserialize, Serialize};
use servicehall_domain::{CallingPolicy, DeviceKind, Role};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Hall {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub address: String,
    pub phone: String,
    pub timezone: String,
    pub opens: String,
    pub closes: String,
    pub policy: CallingPolicy,
    /// The region the hall hangs on (set with `RegionStore::set_hall_region`).
    #[serde(default)]
    pub region_id: Option<i64>,
    /// The phone page warns its customer when this many tickets or fewer are ahead
    /// (`HallStore::change_notify_ahead`, audited).
    #[serde(default = "default_notify_ahead")]
    pub notify_ahead: u32,
}

/// The notice's threshold until a hall sets its own (migration 0021's default).
pub const DEFAULT_NOTIFY_AHEAD: u32 = 3;
/// The largest threshold a hall may set: beyond it the notice stops meaning "soon".
pub const MAX_NOTIFY_AHEAD: i64 = 20;

fn default_notify_ahead() -> u32 {
    DEFAULT_NOTIFY_AHEAD
}

/// Fields an administrator sets on a hall.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HallInput {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub address: String,
    pub phone: String,
    pub timezone: String,
    pub opens: String,
    pub closes: String,
    pub policy: CallingPolicy,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BusinessType {
    pub id: i64,
    pub hall_id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub prefix: String,
    pub target_wait_s: i64,
    pub target_handling_s: i64,
    /// Payment businesses record 唱收唱付 when they finish.
    pub is_payment: bool,
    pub sort_order: i64,
    pub active: bool,
}

/// The Chinese name of business type `id` among `types`, or "" when it is not one of them
/// (a type since removed); lists and views show names, never ids.
pub fn business_type_name(types: &[BusinessType], id: i64) -> String {
    types
        .iter()
        .find(|b| b.id == id)
        .map(|b| b.name_zh.clone())
        .unwrap_or_default()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BusinessTypeInput {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub prefix: String,
    pub target_wait_s: i64,
    pub target_handling_s: i64,
    pub is_payment: bool,
    pub sort_order: i64,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Staff {
    pub id: i64,
    pub hall_id: Option<i64>,
    pub username: String,
    pub name: String,
    pub badge_no: String,
    pub role: Role,
    pub photo: String,
    pub active: bool,
    /// For staff above halls: the region they are limited to (`RegionStore::set_staff_region`).
    #[serde(default)]
    pub region_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StaffInput {
    pub hall_id: Option<i64>,
    pub username: String,
    pub name: String,
    pub badge_no: String,
    pub role: Role,
    pub photo: String,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Device {
    pub id: i64,
    pub hall_id: i64,
    pub counter_id: Option<i64>,
    pub kind: DeviceKind,
    pub name: String,
    pub created_at: i64,
    pub revoked: bool,
}
