//! What the insight store keeps and returns: surveys, invitations, observations, and the
//! counts the satisfaction figures are computed from.

use serde::{Deserialize, Serialize};
use servicehall_domain::insight::curve::CurveSources;
use servicehall_domain::insight::observation::{ObservationItem, ObserverKind};
use servicehall_domain::insight::survey::SurveyDefinition;
use servicehall_domain::insight::{Dimension, LevelCounts, RecommendCounts};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Survey {
    pub id: i64,
    pub definition: SurveyDefinition,
    /// The business types whose visits are invited (trigger `business_type`).
    pub business_type_ids: Vec<i64>,
    pub active: bool,
    pub created_at: i64,
}

/// A customer's link to one survey for one visit or case.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SurveyInvitation {
    pub id: i64,
    pub survey_id: i64,
    pub hall_id: i64,
    pub ticket_id: Option<i64>,
    pub case_id: Option<i64>,
    pub business_type_id: Option<i64>,
    pub counter_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub sent_at: i64,
    pub expires_at: i64,
    pub answered_at: Option<i64>,
}

/// A new observation (内查).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ObservationInput {
    pub hall_id: i64,
    /// The counter observed, or the clerk, or both; at least one.
    pub counter_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub observer_id: i64,
    pub observer_kind: ObserverKind,
    pub observed_at: i64,
    pub note: String,
    /// What was seen, in words (evidence).
    pub evidence: String,
    /// Where a photo is kept, when not uploaded (e.g. a file name on the shared drive).
    pub photo_ref: String,
    /// An uploaded photo as a `data:image/…;base64,` URL.
    pub photo: Option<String>,
    pub items: Vec<ObservationItem>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Observation {
    pub id: i64,
    pub hall_id: i64,
    pub counter_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub observer_id: i64,
    pub observer_kind: String,
    pub observed_at: i64,
    pub note: String,
    pub evidence: String,
    pub photo_ref: String,
    pub has_photo: bool,
    pub score_pct: Option<f64>,
    pub items: Vec<ObservationItem>,
}

/// What a satisfaction view groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Hall,
    Counter,
    Staff,
    BusinessType,
}

impl GroupBy {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "hall" => Some(Self::Hall),
            "counter" => Some(Self::Counter),
            "staff" | "clerk" => Some(Self::Staff),
            "business_type" => Some(Self::BusinessType),
            _ => None,
        }
    }
}

/// Which responses a view counts: a list of halls (one hall, or a region's) and `[from, to)`.
#[derive(Debug, Clone, PartialEq)]
pub struct InsightScope {
    pub hall_ids: Vec<i64>,
    pub from: i64,
    pub to: i64,
}

/// The counts of one group (key 0 = none, e.g. a rating without a clerk).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GroupCounts {
    pub key: i64,
    /// Whole-visit ratings — evaluator pad, phone (一事一评), outside evaluations (外评), one
    /// response each: satisfaction, bad-rating rate, CSAT.
    pub levels: LevelCounts,
    /// Survey 0–10 answers: NPS.
    pub recommend: RecommendCounts,
    /// Survey 5-level answers by CSI dimension.
    pub dimensions: Vec<(Dimension, LevelCounts)>,
}

/// Everything a satisfaction view needs, counted in SQL.
#[derive(Debug, Clone, Default)]
pub struct SatisfactionCounts {
    pub groups: Vec<GroupCounts>,
    /// Reasons given with bad ratings, with counts.
    pub reasons: Vec<(String, i64)>,
}

/// Everything the emotion curve needs, counted in SQL.
#[derive(Debug, Clone, Default)]
pub struct CurveCounts {
    pub sources: CurveSources,
    /// Observation (内查) points by touchpoint: (touchpoint, points, scored items).
    pub observed: Vec<(String, i64, i64)>,
}

/// The filters of the observations list beyond the scope's halls and period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObservationFilter {
    /// `supervisor` or `mystery_shopper`.
    pub kind: Option<String>,
    /// The clerk observed.
    pub staff_id: Option<i64>,
}
