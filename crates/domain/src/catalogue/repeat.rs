//! Repeat trips (重复往返): State Grid's staff rules forbid making a customer come back
//! because they were not told everything. A visit is a repeat trip when the same customer
//! comes back for the same business within the hall's window and their earlier visit ended
//! for a missing document.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The default window: 15 calendar days, long enough to fetch a missing paper from another
/// office and short enough that a later visit is about the same application. Per hall.
pub const DEFAULT_REPEAT_WINDOW_DAYS: i64 = 15;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// How a visit ended, as the clerk records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitOutcome {
    /// 已办结.
    Completed,
    /// 缺少资料: the customer must come back with a document.
    MissingDocument,
    /// 仅告知: the customer only asked; a notice was given.
    NoticeOnly,
    /// 转办: handed on to another department or a work order.
    Transferred,
    /// 其他: any other end (the customer left, changed their mind…).
    Other,
}

impl VisitOutcome {
    pub const ALL: [VisitOutcome; 5] = [
        Self::Completed,
        Self::MissingDocument,
        Self::NoticeOnly,
        Self::Transferred,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Completed => "completed",
            Self::MissingDocument => "missing_document",
            Self::NoticeOnly => "notice_only",
            Self::Transferred => "transferred",
            Self::Other => "other",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Completed => "已办结",
            Self::MissingDocument => "缺少资料",
            Self::NoticeOnly => "仅告知",
            Self::Transferred => "转办",
            Self::Other => "其他",
        }
    }
}

impl FromStr for VisitOutcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "没有这种办理结果，应为已办结、缺少资料、仅告知、转办或其他 unknown outcome {s:?}; expected completed (已办结), missing_document (缺少资料), notice_only (仅告知), transferred (转办) or other (其他)"
                )
            })
    }
}

/// An earlier visit of the same customer in the same hall.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastVisit {
    pub id: i64,
    pub ticket_id: Option<i64>,
    pub business_type: String,
    pub at: i64,
    pub outcome: VisitOutcome,
}

/// The earlier visit a new one repeats, if any: the latest visit of the same customer for
/// the same business within `window_days` before `at` (on another ticket) that ended for a
/// missing document.
pub fn repeat_of(
    earlier: &[PastVisit],
    business_type: &str,
    ticket_id: Option<i64>,
    at: i64,
    window_days: i64,
) -> Option<i64> {
    earlier
        .iter()
        .filter(|v| v.business_type == business_type)
        .filter(|v| ticket_id.is_none() || v.ticket_id != ticket_id)
        .filter(|v| v.at < at && at - v.at <= window_days * DAY_MS)
        .max_by_key(|v| v.at)
        .filter(|v| v.outcome == VisitOutcome::MissingDocument)
        .map(|v| v.id)
}

/// A phone number or account number as stored: digits and letters only. Errors say what to
/// fix.
pub fn normalize_contact(raw: &str) -> Result<String, String> {
    let c: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if c.is_empty() {
        return Err("请填写客户的电话号码或户号 give the customer's phone number or electricity account number (户号)".into());
    }
    if c.len() < 6 || c.len() > 20 || !c.chars().all(|ch| ch.is_ascii_alphanumeric()) {
        return Err(format!(
            "既不是电话号码也不是户号，请填写 6–20 位数字或字母 {raw:?} is neither a phone number nor an account number: use 6–20 digits or letters"
        ));
    }
    Ok(c)
}
