//! What a case is about and for whom: its kind, the customer's class, open or closed.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The kinds of case (工单类型). Later capabilities (service recovery, rectification) add more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// 业务申请: one process per business type and customer class.
    Application,
    /// 投诉: one owner faces the customer; closes only after the callback (回访).
    Complaint,
    /// 意见建议.
    Opinion,
    /// 咨询回复: a question the counter could not answer on the spot.
    InquiryFollowUp,
    /// 服务补救: opened by a bad rating (不满意 / 非常不满意) from any channel; see
    /// [`crate::feedback::recovery`].
    Recovery,
    /// 整改: opened by a failed inspection item; see [`crate::inspections::rectification`].
    Rectification,
    /// 应急整改: an action of an incident's post-incident review (复盘), owned and dated;
    /// see [`crate::incidents`].
    IncidentAction,
}

impl CaseKind {
    pub const ALL: [CaseKind; 7] = [
        Self::Application,
        Self::Complaint,
        Self::Opinion,
        Self::InquiryFollowUp,
        Self::Recovery,
        Self::Rectification,
        Self::IncidentAction,
    ];

    /// Kinds whose steps and closing belong to their own screen (the fix and its
    /// verification by someone else), not to the generic step and close actions.
    pub fn own_workflow(self) -> bool {
        matches!(self, Self::Rectification)
    }

    /// Kinds that close only after the customer's callback (回访) is on record.
    pub fn needs_callback(self) -> bool {
        matches!(self, Self::Complaint | Self::Recovery)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Application => "application",
            Self::Complaint => "complaint",
            Self::Opinion => "opinion",
            Self::InquiryFollowUp => "inquiry_follow_up",
            Self::Recovery => "recovery",
            Self::Rectification => "rectification",
            Self::IncidentAction => "incident_action",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Application => "业务申请",
            Self::Complaint => "投诉",
            Self::Opinion => "意见建议",
            Self::InquiryFollowUp => "咨询回复",
            Self::Recovery => "服务补救",
            Self::Rectification => "整改",
            Self::IncidentAction => "应急整改",
        }
    }
}

impl fmt::Display for CaseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CaseKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "没有这种工单类型，应为业务申请、投诉、意见、咨询回复、服务补救、整改或应急整改 unknown case kind {s:?}; expected application, complaint, opinion, inquiry_follow_up, recovery, rectification or incident_action"
                )
            })
    }
}

/// 客户类别: the time limits of an application differ by class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerClass {
    /// 居民.
    Resident,
    /// 低压非居民.
    LowVoltage,
    /// 高压单电源.
    HvSingle,
    /// 高压双电源.
    HvDual,
}

impl CustomerClass {
    pub const ALL: [CustomerClass; 4] = [
        Self::Resident,
        Self::LowVoltage,
        Self::HvSingle,
        Self::HvDual,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Resident => "resident",
            Self::LowVoltage => "low_voltage",
            Self::HvSingle => "hv_single",
            Self::HvDual => "hv_dual",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Resident => "居民",
            Self::LowVoltage => "低压非居民",
            Self::HvSingle => "高压单电源",
            Self::HvDual => "高压双电源",
        }
    }

    pub fn is_high_voltage(self) -> bool {
        matches!(self, Self::HvSingle | Self::HvDual)
    }
}

impl fmt::Display for CustomerClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CustomerClass {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "没有这种客户类别，应为居民、低压非居民、高压单电源或高压双电源 unknown customer class {s:?}; expected resident (居民), low_voltage (低压非居民), hv_single (高压单电源) or hv_dual (高压双电源)"
                )
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    Closed,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Open => "办理中",
            Self::Closed => "已办结",
        }
    }
}

impl FromStr for CaseStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "open" => Ok(Self::Open),
            "closed" => Ok(Self::Closed),
            other => Err(format!(
                "没有这种工单状态，应为办理中或已办结 unknown case status {other:?}; expected open or closed"
            )),
        }
    }
}
