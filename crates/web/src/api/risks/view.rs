//! The JSON shapes of the risk register and its KRIs, built from the store's rows with the
//! hall's matrix (bands and colours) and today's date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use servicehall_domain::risks::kri::Trend;
use servicehall_domain::risks::{Matrix, Rating, review_due};
use servicehall_store::{Kri, KriPoint, Risk, RiskChange, RiskNotice};
use utoipa::ToSchema;

/// A likelihood × impact pair with its score and band on the hall's matrix.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatingView {
    pub likelihood: u8,
    pub impact: u8,
    pub score: u32,
    pub band: String,
    pub band_zh: String,
    pub band_en: String,
    /// `#rrggbb`
    pub colour: String,
}

impl RatingView {
    pub fn new(r: Rating, m: &Matrix) -> Self {
        let score = u32::from(r.likelihood) * u32::from(r.impact);
        let b = m.band_of(score);
        Self {
            likelihood: r.likelihood,
            impact: r.impact,
            score,
            band: b.key.clone(),
            band_zh: b.name_zh.clone(),
            band_en: b.name_en.clone(),
            colour: b.colour.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ControlView {
    pub text: String,
    pub owner: String,
    /// `YYYY-MM-DD`
    pub last_tested: Option<String>,
    pub test_every_days: u32,
    pub next_test: String,
    pub test_overdue: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OwnerView {
    pub id: i64,
    pub name: String,
    /// `admin` | `supervisor` | `hall_manager` | `clerk` | `guide`
    pub role: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeView {
    pub at: i64,
    /// `null`: the system (a KRI crossing).
    pub by: Option<String>,
    pub summary: String,
    pub residual_score: i64,
}

impl From<&RiskChange> for ChangeView {
    fn from(c: &RiskChange) -> Self {
        Self {
            at: c.at,
            by: c.by_name.clone(),
            summary: c.summary.clone(),
            residual_score: c.residual_score,
        }
    }
}

/// One risk of the register.
#[derive(Debug, Serialize, ToSchema)]
pub struct RiskView {
    pub id: i64,
    /// The hall of a hall risk; `null` for a region risk.
    pub hall_id: Option<i64>,
    /// The region of a region risk (区域风险); `null` for a hall risk.
    pub region_id: Option<i64>,
    pub code: String,
    pub title: String,
    /// `service_conduct` | `business_error` | `billing_error` | `info_security` |
    /// `customer_conflict` | `equipment_fault` | `outage` | `public_opinion`
    pub category: String,
    pub category_zh: String,
    pub cause: String,
    pub event: String,
    pub consequence: String,
    pub owner: OwnerView,
    pub inherent: RatingView,
    pub residual: RatingView,
    pub controls: Vec<ControlView>,
    /// `reduce` | `avoid` | `transfer` | `accept`
    pub treatment: String,
    pub treatment_zh: String,
    pub accepted_by: Option<String>,
    pub accepted_until: Option<String>,
    pub last_reviewed: String,
    pub next_review: String,
    pub review_due: bool,
    /// Why the review was brought forward (a KRI crossing); empty on cadence.
    pub review_reason: String,
    /// Part of the shipped sample register, to adapt to the hall.
    pub sample: bool,
    /// The audited changes, oldest first (only on `GET /risks/{id}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<ChangeView>>,
}

impl RiskView {
    pub fn new(r: &Risk, m: &Matrix, today: NaiveDate) -> Self {
        Self {
            id: r.id,
            hall_id: r.hall_id,
            region_id: r.region_id,
            code: r.code.clone(),
            title: r.title.clone(),
            category: r.category.as_str().into(),
            category_zh: r.category.label_zh().into(),
            cause: r.cause.clone(),
            event: r.event.clone(),
            consequence: r.consequence.clone(),
            owner: OwnerView {
                id: r.owner_id,
                name: r.owner_name.clone(),
                role: r.owner_role.as_str().into(),
            },
            inherent: RatingView::new(r.inherent, m),
            residual: RatingView::new(r.residual, m),
            controls: r
                .controls
                .iter()
                .map(|c| ControlView {
                    text: c.text.clone(),
                    owner: c.owner.clone(),
                    last_tested: c.last_tested.map(|d| d.to_string()),
                    test_every_days: c.test_every_days,
                    next_test: c.next_test(today).to_string(),
                    test_overdue: c.test_overdue(today),
                })
                .collect(),
            treatment: r.treatment.as_str().into(),
            treatment_zh: r.treatment.label_zh().into(),
            accepted_by: r.accepted_by_name.clone(),
            accepted_until: r.accepted_until.map(|d| d.to_string()),
            last_reviewed: r.last_reviewed.to_string(),
            next_review: r.next_review.to_string(),
            review_due: review_due(r.next_review, r.accepted_until, today),
            review_reason: r.review_reason.clone(),
            sample: r.sample,
            history: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RatingBody {
    pub likelihood: u8,
    pub impact: u8,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ControlBody {
    pub text: String,
    pub owner: String,
    /// `YYYY-MM-DD`
    #[serde(default)]
    pub last_tested: Option<String>,
    /// Days between tests (default 90).
    #[serde(default)]
    pub test_every_days: Option<u32>,
}

/// A risk as written by its editor.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RiskBody {
    pub code: String,
    pub title: String,
    /// One of the categories (see `RiskView.category`).
    pub category: String,
    pub cause: String,
    pub event: String,
    pub consequence: String,
    /// Staff id of the owner.
    pub owner: i64,
    pub inherent: RatingBody,
    pub residual: RatingBody,
    #[serde(default)]
    pub controls: Vec<ControlBody>,
    /// `reduce` | `avoid` | `transfer` | `accept`
    pub treatment: String,
    /// With `accept`: until when (`YYYY-MM-DD`); the caller signs as approver.
    #[serde(default)]
    pub accept_until: Option<String>,
    /// The change is the periodic review (the review date moves to today).
    #[serde(default)]
    pub reviewed: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KriPointView {
    /// `YYYY-MM-DD`
    pub day: String,
    pub value: i64,
}

impl From<&KriPoint> for KriPointView {
    fn from(p: &KriPoint) -> Self {
        Self {
            day: p.day.to_string(),
            value: p.value,
        }
    }
}

/// A KRI: its value, thresholds, state and the last 30 days.
#[derive(Debug, Serialize, ToSchema)]
pub struct KriView {
    pub id: i64,
    pub risk_id: i64,
    pub risk_code: String,
    pub risk_title: String,
    /// `deadline_breaches` | `complaints` | `bad_ratings` | `repeat_trips` | `long_waits` |
    /// `no_shows` | `gaming_flags` | `missed_checks`
    pub measure: String,
    pub measure_zh: String,
    pub measure_en: String,
    pub value: i64,
    pub amber: i64,
    pub red: i64,
    /// `higher_is_worse` | `lower_is_worse`
    pub direction: String,
    pub window_days: u32,
    pub target_minutes: i64,
    /// `green` | `amber` | `red`
    pub state: String,
    pub state_zh: String,
    /// `worsening` | `improving` | `steady`, against the day before.
    pub trend: String,
    /// The day of `value` (`null` before the first count).
    pub day: Option<String>,
    pub history: Vec<KriPointView>,
}

impl KriView {
    pub fn new(k: &Kri, history: &[KriPoint]) -> Self {
        let t = k.thresholds;
        Self {
            id: k.id,
            risk_id: k.risk_id,
            risk_code: k.risk_code.clone(),
            risk_title: k.risk_title.clone(),
            measure: k.measure.as_str().into(),
            measure_zh: k.measure.label_zh().into(),
            measure_en: k.measure.label_en().into(),
            value: k.value,
            amber: t.amber,
            red: t.red,
            direction: t.direction.as_str().into(),
            window_days: t.window_days,
            target_minutes: k.target_minutes,
            state: k.state.as_str().into(),
            state_zh: k.state.label_zh().into(),
            trend: Trend::of(k.previous, k.value, t.direction).as_str().into(),
            day: k.day.map(|d| d.to_string()),
            history: history.iter().map(KriPointView::from).collect(),
        }
    }
}

/// Binds a KRI to a risk of the hall, or changes its thresholds.
#[derive(Debug, Deserialize, ToSchema)]
pub struct KriBody {
    pub risk: i64,
    /// One of the measures (see `KriView.measure`).
    pub measure: String,
    pub amber: i64,
    pub red: i64,
    /// Default `higher_is_worse`.
    #[serde(default)]
    pub direction: Option<String>,
    /// Days counted into each day's value (default 7).
    #[serde(default)]
    pub window_days: Option<u32>,
    /// For `long_waits`: the wait target in minutes (default 20).
    #[serde(default)]
    pub target_minutes: Option<i64>,
}

/// A crossing told to the risk's owner.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeView {
    pub id: i64,
    pub risk_id: i64,
    pub risk_code: String,
    pub risk_title: String,
    pub measure_zh: String,
    /// `amber` | `red`
    pub state: String,
    pub value: i64,
    pub at: i64,
}

impl From<&RiskNotice> for NoticeView {
    fn from(n: &RiskNotice) -> Self {
        Self {
            id: n.id,
            risk_id: n.risk_id,
            risk_code: n.risk_code.clone(),
            risk_title: n.risk_title.clone(),
            measure_zh: n.measure.label_zh().into(),
            state: n.state.as_str().into(),
            value: n.value,
            at: n.at,
        }
    }
}

/// What an on-demand count found.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefreshView {
    pub kris: usize,
    pub notices: Vec<NoticeView>,
}
