//! Risks, their change history, KRIs and the notices a crossing leaves, as stored.

use chrono::NaiveDate;
use servicehall_domain::Role;
use servicehall_domain::risks::kri::{KriState, Measure, Thresholds};
use servicehall_domain::risks::{Category, Control, Rating, Treatment};

/// One risk of a hall's or a region's register (one id space for both).
#[derive(Debug, Clone, PartialEq)]
pub struct Risk {
    pub id: i64,
    /// The hall of a hall risk; `None` for a region risk.
    pub hall_id: Option<i64>,
    /// The region of a region risk (区域风险); `None` for a hall risk.
    pub region_id: Option<i64>,
    /// The register's own number for it (R01 …), unique in the hall or region.
    pub code: String,
    pub title: String,
    pub category: Category,
    pub cause: String,
    pub event: String,
    pub consequence: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub owner_role: Role,
    pub inherent: Rating,
    pub residual: Rating,
    pub controls: Vec<Control>,
    pub treatment: Treatment,
    /// Who approved the acceptance, while the treatment is `accept`.
    pub accepted_by: Option<i64>,
    pub accepted_by_name: Option<String>,
    pub accepted_until: Option<NaiveDate>,
    pub last_reviewed: NaiveDate,
    pub next_review: NaiveDate,
    /// Why the review was brought forward; empty when it follows the cadence.
    pub review_reason: String,
    /// Part of the shipped sample register, to adapt.
    pub sample: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What creating or changing a risk sets.
#[derive(Debug, Clone)]
pub struct RiskInput {
    pub code: String,
    pub title: String,
    pub category: Category,
    pub cause: String,
    pub event: String,
    pub consequence: String,
    pub owner_id: i64,
    pub inherent: Rating,
    pub residual: Rating,
    pub controls: Vec<Control>,
    pub treatment: Treatment,
    /// Required with `accept`: the acceptance's expiry.
    pub accept_until: Option<NaiveDate>,
    /// The change is a review: the review date moves to today and the owner's notices
    /// about this risk are marked seen.
    pub reviewed: bool,
    pub sample: bool,
}

/// Who makes a change: the approver of an acceptance must be above the owner.
#[derive(Debug, Clone, Copy)]
pub struct RiskActor {
    pub staff_id: Option<i64>,
    pub role: Role,
}

/// One line of a risk's history.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskChange {
    pub id: i64,
    pub risk_id: i64,
    pub at: i64,
    /// `None`: the system (a KRI crossing).
    pub by_name: Option<String>,
    pub summary: String,
    pub residual_score: i64,
}

/// A key risk indicator bound to a risk, with its latest value.
#[derive(Debug, Clone, PartialEq)]
pub struct Kri {
    pub id: i64,
    pub hall_id: i64,
    pub risk_id: i64,
    pub risk_code: String,
    pub risk_title: String,
    pub measure: Measure,
    pub thresholds: Thresholds,
    pub target_minutes: i64,
    pub value: i64,
    pub state: KriState,
    /// The hall-local day of `value`; `None` before the first count.
    pub day: Option<NaiveDate>,
    /// The value the day before `day`, for the trend.
    pub previous: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct KriInput {
    pub risk_id: i64,
    pub measure: Measure,
    pub thresholds: Thresholds,
    /// Waits over target: the target in minutes (1–240).
    pub target_minutes: i64,
}

/// One day of a KRI's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KriPoint {
    pub day: NaiveDate,
    pub value: i64,
}

/// A KRI crossing told to the risk's owner.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskNotice {
    pub id: i64,
    pub hall_id: i64,
    pub risk_id: i64,
    pub risk_code: String,
    pub risk_title: String,
    pub owner_id: i64,
    pub kri_id: i64,
    pub measure: Measure,
    pub state: KriState,
    pub value: i64,
    pub at: i64,
    pub seen_at: Option<i64>,
}

/// One cell of a roll-up: how many hall risks are rated `likelihood`×`impact` (residual).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RiskCell {
    pub likelihood: u8,
    pub impact: u8,
    pub count: u32,
}
