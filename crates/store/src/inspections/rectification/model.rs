//! Rectification cases as the screens and the API read them.

use servicehall_domain::inspections::rectification::Stage;

/// One rectification: its case, the failed item it is about, and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Rectification {
    pub case_id: i64,
    pub case_number: String,
    pub hall_id: i64,
    pub inspection_id: i64,
    pub template_name_zh: String,
    pub template_name_en: String,
    /// Who or what was inspected: a person's name, or `None` for the hall.
    pub subject_name: Option<String>,
    pub inspector_id: i64,
    pub inspector_name: String,
    pub item_key: String,
    pub item_zh: String,
    pub item_en: String,
    pub critical: bool,
    /// What the inspector wrote on the failed item.
    pub finding: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub stage: Stage,
    pub fixed_by: Option<i64>,
    pub fixed_by_name: Option<String>,
    pub fixed_at: Option<i64>,
    pub fix_note: String,
    /// How many times the verifier sent it back.
    pub reopened: i64,
    /// When the current round began (opened, or last reopened).
    pub round_at: i64,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    /// The deadline of the running clock (none once verified).
    pub deadline_at: Option<i64>,
    pub overdue: bool,
}

/// Which rectifications a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RectificationState {
    /// Not verified yet (to fix or to verify).
    Open,
    /// Fixed, waiting for someone else to verify.
    ToVerify,
    /// Open past the deadline.
    Overdue,
    /// Verified and closed.
    Closed,
}

impl RectificationState {
    pub const ALL: [Self; 4] = [Self::Open, Self::ToVerify, Self::Overdue, Self::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::ToVerify => "to_verify",
            Self::Overdue => "overdue",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "未销号 · open",
            Self::ToVerify => "待验证 · to verify",
            Self::Overdue => "已超期 · overdue",
            Self::Closed => "已销号 · verified",
        }
    }
}

/// The filters of the rectification list: opened in `[from, to)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RectificationFilter {
    pub from: i64,
    pub to: i64,
    pub state: Option<RectificationState>,
}
