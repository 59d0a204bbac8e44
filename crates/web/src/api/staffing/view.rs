//! The staffing advisor's JSON bodies (and what its screen shows).

use serde::{Deserialize, Serialize};
use servicehall_store::CounterPlan;
use utoipa::ToSchema;

/// One half-hour of the day's advice.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SlotView {
    /// 0 = 00:00–00:30 hall time.
    pub slot: usize,
    /// "08:30".
    pub time: String,
    /// Within the hall's opening hours.
    pub in_hours: bool,
    /// Forecast arrivals in the half-hour.
    pub forecast_arrivals: f64,
    /// The fewest counters reaching the service level (Erlang C).
    pub recommended_counters: u32,
    /// The manager's plan; null when nothing is planned.
    pub planned_counters: Option<u32>,
    /// Mean counters open (today and past days, for half-hours begun); null otherwise.
    pub actual_counters: Option<f64>,
    /// Simulated mean wait, seconds, under the plan (or the recommendation where unplanned).
    pub predicted_wait_s: f64,
    /// Simulated share called within the target wait.
    pub predicted_service_level: f64,
}

/// A day's staffing: forecast, recommendation, plan, actual and predicted waits.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffingDayView {
    pub hall_code: String,
    pub date: String,
    /// workday, weekend, holiday, make_up_workday.
    pub day_kind: String,
    /// The holiday's name (国庆节), empty otherwise.
    pub day_name: String,
    /// Which past days the forecast stands on (same_weekday, past_holidays …).
    pub basis: String,
    /// The same, for people.
    pub basis_label: String,
    pub days_used: usize,
    pub forecast_total: f64,
    /// Target wait, seconds: the business types' targets weighted by their arrivals.
    pub target_wait_s: f64,
    /// The service level aimed at, 0..1.
    pub service_level: f64,
    /// Mean handling time (called → finished), seconds.
    pub mean_service_s: f64,
    /// Spread of handling times (sd / mean); 1 is exponential.
    pub service_cv: f64,
    /// Handling times the figures stand on (0: the business types' targets were used).
    pub service_samples: usize,
    pub plan_updated_by: Option<String>,
    pub plan_updated_at: Option<i64>,
    pub slots: Vec<SlotView>,
}

/// One half-hour of a plan.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PlanSlotView {
    /// 0..=47 (0 = 00:00–00:30).
    pub slot: usize,
    /// 0..=99.
    pub counters: u32,
}

/// A day's counter plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CounterPlanView {
    pub date: String,
    pub slots: Vec<PlanSlotView>,
    pub updated_by: Option<String>,
    pub updated_at: Option<i64>,
}

impl From<&CounterPlan> for CounterPlanView {
    fn from(p: &CounterPlan) -> Self {
        Self {
            date: p.service_day.clone(),
            slots: p
                .slots
                .iter()
                .map(|s| PlanSlotView {
                    slot: s.slot as usize,
                    counters: s.counters as u32,
                })
                .collect(),
            updated_by: p.updated_by_name.clone(),
            updated_at: p.updated_at,
        }
    }
}

/// The manager's plan for a day: every half-hour planned (the rest is cleared).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PlanBody {
    /// YYYY-MM-DD.
    pub date: String,
    pub slots: Vec<PlanSlotView>,
}

/// One run of a replay.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReplayRunView {
    /// Counters per half-hour (48 values).
    pub plan: Vec<u32>,
    pub counter_hours: f64,
    pub mean_wait_s: f64,
    pub max_wait_s: f64,
    /// Share called within its business type's target wait.
    pub service_level: f64,
    /// Mean wait per half-hour of arrival (48 values).
    pub slot_waits_s: Vec<f64>,
}

/// A past day's customers under the counters it kept and under another plan or policy.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReplayView {
    pub date: String,
    /// Customers replayed (those who were called).
    pub customers: usize,
    /// The waits the hall recorded that day (issued → called), seconds.
    pub recorded_mean_wait_s: f64,
    /// fifo or primary_first.
    pub policy: String,
    /// Counters added to every staffed half-hour of the kept plan.
    pub extra: i32,
    pub kept: ReplayRunView,
    pub alternative: ReplayRunView,
    /// Seconds the alternative saves on the mean wait (negative: it costs).
    pub mean_wait_saved_s: f64,
}
