//! Paging for the staff lists: the window of rows a screen asks for and the count of all
//! rows its filters match, so a list pages through the database instead of loading a
//! period whole. Each feature's filter type sits in its own model.rs.

/// Rows `offset .. offset + limit` of a list in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub limit: i64,
    pub offset: i64,
}

impl Window {
    /// The first `limit` rows.
    pub fn first(limit: i64) -> Self {
        Self { limit, offset: 0 }
    }
}

/// One page of a list and how many rows the filters match in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// Which cases a list shows: still open, closed, or open past a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseState {
    Open,
    Closed,
    Overdue,
}

impl CaseState {
    pub const ALL: [CaseState; 3] = [Self::Open, Self::Closed, Self::Overdue];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Overdue => "overdue",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The SQL condition for `state` bound at `$s` (text or NULL) on case `c`, with the
/// time bound at `$now`: overdue is open with a running clock past its deadline.
pub(crate) fn case_state_sql(c: &str, s: usize, now: usize) -> String {
    format!(
        "(${s} IS NULL OR (${s} = 'closed' AND {c}.status = 'closed') OR (${s} = 'open' AND {c}.status <> 'closed') \
         OR (${s} = 'overdue' AND {c}.status <> 'closed' AND EXISTS (SELECT 1 FROM case_clocks k WHERE k.case_id = {c}.id AND k.state = 'running' AND k.deadline_at < ${now})))"
    )
}
