//! Counters as stored: status, the clerk on duty (挂牌服务) and read-backs (唱收唱付).

use serde::{Deserialize, Serialize};
use servicehall_domain::ReadBack;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CounterStatus {
    Open,
    Paused,
    Closed,
}

impl CounterStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Paused => "paused",
            Self::Closed => "closed",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Open => "服务中",
            Self::Paused => "暂停服务",
            Self::Closed => "未开放",
        }
    }
    pub fn parse(s: &str) -> Self {
        match s {
            "open" => Self::Open,
            "paused" => Self::Paused,
            _ => Self::Closed,
        }
    }
}

/// The clerk on duty as customers see them (挂牌服务): name, badge, photo.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OnDuty {
    pub staff_id: i64,
    pub name: String,
    pub badge_no: String,
    pub photo: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Counter {
    pub id: i64,
    pub hall_id: i64,
    pub number: i64,
    pub status: CounterStatus,
    pub pause_reason: String,
    pub status_since: i64,
    pub clerk: Option<OnDuty>,
    /// Business type ids served as primary (主办).
    pub primary: Vec<i64>,
    /// Business type ids served as secondary (兼办).
    pub secondary: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CounterInput {
    pub number: i64,
    pub primary: Vec<i64>,
    pub secondary: Vec<i64>,
}

/// A read-back as stored on a receipt.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoredReadBack {
    pub ticket_id: i64,
    pub read_back: ReadBack,
    pub at: i64,
}
