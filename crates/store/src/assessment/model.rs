/// One indicator's sums over a month of a set of halls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthFigure {
    pub indicator: String,
    /// YYYYMM.
    pub month: i64,
    pub num: i64,
    pub den: i64,
}

/// One kept row: a hall's day of an indicator.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DayFigure {
    pub hall_id: i64,
    /// China Standard Time day number (days since 1970-01-01 local).
    pub day: i64,
    pub indicator: String,
    pub num: i64,
    pub den: i64,
}

/// What a rebuild found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RebuildReport {
    /// Rows the recount produced.
    pub rows: usize,
    /// Rows that differ between what was kept and the recount (check only).
    pub differences: usize,
    /// Month sums that differ from the sum of their kept days (check only).
    pub month_differences: usize,
    /// The first few differences: (kept, rebuilt), either missing as None.
    pub examples: Vec<(Option<DayFigure>, Option<DayFigure>)>,
}

/// One visit as the ticket indicators see it (unix ms; None where it never happened).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitTimes {
    pub ticket_id: i64,
    pub number: String,
    pub service_day: String,
    pub business_zh: String,
    pub state: String,
    /// Set on a transfer's linked ticket (its wait is not counted again).
    pub transferred_from: Option<i64>,
    pub queued: Option<i64>,
    pub called: Option<i64>,
    pub began: Option<i64>,
    pub done: Option<i64>,
}
