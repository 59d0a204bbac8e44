//! The staffing advisor's rows: history counted for the forecast, a past day's tickets for
//! the replay, counter plans, and counters opening and closing.

/// Tickets issued in one half-hour of one day for one business type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrivalCount {
    pub service_day: String,
    /// 0 = 00:00–00:30 hall time.
    pub slot: i64,
    pub business_type_id: i64,
    pub arrivals: i64,
}

/// One finished ticket's handling time, called to finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandlingSample {
    pub business_type_id: i64,
    pub handling_ms: i64,
}

/// A past day's ticket as the replay needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PastTicket {
    pub issued_at: i64,
    pub business_type_id: i64,
    pub called_at: Option<i64>,
    pub finished_at: Option<i64>,
}

/// Counters planned for one half-hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanSlot {
    pub slot: i64,
    pub counters: i64,
}

/// A day's counter plan; `slots` is empty when nothing is planned.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CounterPlan {
    pub service_day: String,
    pub slots: Vec<PlanSlot>,
    pub updated_by_name: Option<String>,
    pub updated_at: Option<i64>,
}

/// A day with a plan, for the month's list.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedDay {
    pub service_day: String,
    pub counter_hours: f64,
    pub peak: i64,
}

/// A counter's status change (open, paused, closed), from the hall's event feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterChange {
    pub counter_id: i64,
    pub status: String,
    pub at: i64,
}
