//! Halls, business types and staff as the API shows them (the store's rows, field for field).

use serde::Serialize;
use servicehall_domain::CallingPolicy;
use servicehall_store::{BusinessType, Hall, Staff};
use utoipa::ToSchema;

/// A service hall (营业厅).
#[derive(Debug, Serialize, ToSchema)]
pub struct HallView {
    pub id: i64,
    /// Short code used in URLs, e.g. `dl-zs`.
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub address: String,
    pub phone: String,
    /// IANA time zone, e.g. `Asia/Shanghai`.
    pub timezone: String,
    /// Opening time, `HH:MM`.
    pub opens: String,
    pub closes: String,
    pub policy: CallingPolicyView,
    pub region_id: Option<i64>,
}

impl From<&Hall> for HallView {
    fn from(h: &Hall) -> Self {
        Self {
            id: h.id,
            code: h.code.clone(),
            name: h.name.clone(),
            name_en: h.name_en.clone(),
            address: h.address.clone(),
            phone: h.phone.clone(),
            timezone: h.timezone.clone(),
            opens: h.opens.clone(),
            closes: h.closes.clone(),
            policy: (&h.policy).into(),
            region_id: h.region_id,
        }
    }
}

/// The hall's calling policy (先接先办, 绿色通道).
#[derive(Debug, Serialize, ToSchema)]
pub struct CallingPolicyView {
    /// Green-channel tickets go first.
    pub green_first: bool,
    /// A ticket past its target wait may be called by any open counter.
    pub overdue_to_all: bool,
    /// Recalls allowed before a recall marks the ticket as a no-show.
    pub max_recalls: u32,
}

impl From<&CallingPolicy> for CallingPolicyView {
    fn from(p: &CallingPolicy) -> Self {
        Self {
            green_first: p.green_first,
            overdue_to_all: p.overdue_to_all,
            max_recalls: p.max_recalls,
        }
    }
}

/// A business type of a hall (电费缴纳, 居民新装 …).
#[derive(Debug, Serialize, ToSchema)]
pub struct BusinessTypeView {
    pub id: i64,
    pub hall_id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// The ticket number's letter, e.g. `A`.
    pub prefix: String,
    pub target_wait_s: i64,
    pub target_handling_s: i64,
    /// Payment businesses record 唱收唱付 when they finish.
    pub is_payment: bool,
    pub sort_order: i64,
    pub active: bool,
}

impl From<&BusinessType> for BusinessTypeView {
    fn from(b: &BusinessType) -> Self {
        Self {
            id: b.id,
            hall_id: b.hall_id,
            code: b.code.clone(),
            name_zh: b.name_zh.clone(),
            name_en: b.name_en.clone(),
            prefix: b.prefix.clone(),
            target_wait_s: b.target_wait_s,
            target_handling_s: b.target_handling_s,
            is_payment: b.is_payment,
            sort_order: b.sort_order,
            active: b.active,
        }
    }
}

/// A person on the staff (never their password).
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffView {
    pub id: i64,
    /// Absent for staff above halls (region or deployment).
    pub hall_id: Option<i64>,
    pub username: String,
    pub name: String,
    /// 工号.
    pub badge_no: String,
    /// `clerk`, `guide`, `manager`, `admin`, …
    pub role: String,
    pub photo: String,
    pub active: bool,
    pub region_id: Option<i64>,
}

impl From<&Staff> for StaffView {
    fn from(s: &Staff) -> Self {
        Self {
            id: s.id,
            hall_id: s.hall_id,
            username: s.username.clone(),
            name: s.name.clone(),
            badge_no: s.badge_no.clone(),
            role: s.role.as_str().into(),
            photo: s.photo.clone(),
            active: s.active,
            region_id: s.region_id,
        }
    }
}
