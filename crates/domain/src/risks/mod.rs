//! 服务风险 · the risk register: cause → event → consequence, scored likelihood × impact on
//! a configurable matrix, controls, treatment and review cadence. Key risk indicators
//! (KRIs) live in `kri.rs`, the starter register for a power-supply hall in `sample.rs`.
//! Everything here is pure; the store keeps what these functions decide.

pub mod bands;
pub mod kri;
pub mod missed;
pub mod region;
pub mod sample;
#[cfg(test)]
mod tests;

use crate::access::Role;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// What can go wrong, in the hall's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    ServiceConduct,
    BusinessError,
    BillingError,
    InfoSecurity,
    CustomerConflict,
    EquipmentFault,
    Outage,
    PublicOpinion,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Self::ServiceConduct,
        Self::BusinessError,
        Self::BillingError,
        Self::InfoSecurity,
        Self::CustomerConflict,
        Self::EquipmentFault,
        Self::Outage,
        Self::PublicOpinion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ServiceConduct => "service_conduct",
            Self::BusinessError => "business_error",
            Self::BillingError => "billing_error",
            Self::InfoSecurity => "info_security",
            Self::CustomerConflict => "customer_conflict",
            Self::EquipmentFault => "equipment_fault",
            Self::Outage => "outage",
            Self::PublicOpinion => "public_opinion",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::ServiceConduct => "服务行为",
            Self::BusinessError => "业务差错",
            Self::BillingError => "收费差错",
            Self::InfoSecurity => "信息安全",
            Self::CustomerConflict => "客户冲突",
            Self::EquipmentFault => "设备故障",
            Self::Outage => "停电/系统故障",
            Self::PublicOpinion => "舆情",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::ServiceConduct => "Service conduct",
            Self::BusinessError => "Business error",
            Self::BillingError => "Billing error",
            Self::InfoSecurity => "Information security",
            Self::CustomerConflict => "Customer conflict",
            Self::EquipmentFault => "Equipment fault",
            Self::Outage => "Power cut / system failure",
            Self::PublicOpinion => "Public opinion",
        }
    }
}

/// How a risk is treated (风险应对).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    Reduce,
    Avoid,
    Transfer,
    Accept,
}

impl Treatment {
    pub const ALL: [Treatment; 4] = [Self::Reduce, Self::Avoid, Self::Transfer, Self::Accept];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reduce => "reduce",
            Self::Avoid => "avoid",
            Self::Transfer => "transfer",
            Self::Accept => "accept",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Reduce => "降低",
            Self::Avoid => "规避",
            Self::Transfer => "转移",
            Self::Accept => "接受",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Reduce => "Reduce",
            Self::Avoid => "Avoid",
            Self::Transfer => "Transfer",
            Self::Accept => "Accept",
        }
    }
}

/// Why a risk change is refused; every message names what to fix, Chinese first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RiskError {
    #[error(
        "可能性和影响须为 1–{size} 的整数 · likelihood and impact must be whole numbers 1–{size}, got {value}"
    )]
    OutOfMatrix { value: u8, size: u8 },
    #[error("风险矩阵须为 3×3 到 7×7 · the matrix must be 3×3 to 7×7, got {0}")]
    MatrixSize(u8),
    #[error("风险等级设置有误：{0}")]
    Bands(String),
    #[error(
        "接受风险须由高于责任人岗位的人批准（责任人：{owner}） · accepting a risk needs an approver above the owner ({owner_en})"
    )]
    ApproverNotAbove {
        owner: &'static str,
        owner_en: &'static str,
    },
    #[error(
        "接受风险须写明有效期，且晚于今天、不超过一年 · an acceptance needs an expiry date after today and within a year"
    )]
    AcceptanceExpiry,
    #[error("请填写{0} · {1} is required")]
    Missing(&'static str, &'static str),
    #[error(
        "剩余风险不应高于固有风险 · the residual score ({residual}) cannot exceed the inherent score ({inherent})"
    )]
    ResidualAboveInherent { inherent: u32, residual: u32 },
}

/// One level of the matrix (低 / 中 / 高 / 极高 by default): scores from `min_score` up to
/// the next band's, its colour on the heat map and how often a risk in it is reviewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub min_score: u32,
    /// `#rrggbb`, the heat-map cell's background.
    pub colour: String,
    /// Review cadence of a risk whose residual score is in this band.
    pub review_days: u32,
}

/// The likelihood × impact matrix a hall scores on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matrix {
    pub size: u8,
    /// Ascending by `min_score`; the first starts at 1.
    pub bands: Vec<Band>,
}

fn band(key: &str, zh: &str, en: &str, min: u32, colour: &str, days: u32) -> Band {
    Band {
        key: key.into(),
        name_zh: zh.into(),
        name_en: en.into(),
        min_score: min,
        colour: colour.into(),
        review_days: days,
    }
}

impl Default for Matrix {
    /// 5×5 with four bands: 1–4 低, 5–9 中, 10–16 高, 17–25 极高; reviewed yearly,
    /// half-yearly, quarterly and monthly.
    fn default() -> Self {
        Self {
            size: 5,
            bands: vec![
                band("low", "低", "Low", 1, "#d7ecd9", 365),
                band("medium", "中", "Medium", 5, "#fff1b8", 180),
                band("high", "高", "High", 10, "#ffd3a8", 90),
                band("extreme", "极高", "Extreme", 17, "#f6a8a8", 30),
            ],
        }
    }
}

fn is_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

impl Matrix {
    /// Checks the size and the bands: ascending from 1, colours `#rrggbb`, cadence 1–730 days.
    pub fn validate(&self) -> Result<(), RiskError> {
        if !(3..=7).contains(&self.size) {
            return Err(RiskError::MatrixSize(self.size));
        }
        let bad = |m: String| Err(RiskError::Bands(m));
        if self.bands.first().map(|b| b.min_score) != Some(1) {
            return bad("第一级须从 1 分开始 · the first band must start at score 1".into());
        }
        let max = u32::from(self.size) * u32::from(self.size);
        for (i, b) in self.bands.iter().enumerate() {
            if b.key.trim().is_empty() || b.name_zh.trim().is_empty() {
                return bad(format!(
                    "第 {} 级缺少代码或名称 · band {} needs a key and a name",
                    i + 1,
                    i + 1
                ));
            }
            if i > 0 && b.min_score <= self.bands[i - 1].min_score {
                return bad(format!(
                    "“{}”的起始分须高于上一级 · band {} must start above the one before",
                    b.name_zh, b.key
                ));
            }
            if b.min_score > max {
                return bad(format!(
                    "“{}”的起始分超过最高分 {max} · band {} starts above the top score {max}",
                    b.name_zh, b.key
                ));
            }
            if !is_colour(&b.colour) {
                return bad(format!(
                    "“{}”的颜色须为 #rrggbb · band {} colour must be #rrggbb, got {:?}",
                    b.name_zh, b.key, b.colour
                ));
            }
            if !(1..=730).contains(&b.review_days) {
                return bad(format!(
                    "“{}”的复核周期须为 1–730 天 · band {} review cadence must be 1–730 days",
                    b.name_zh, b.key
                ));
            }
        }
        bands::check(self).map_err(RiskError::Bands)
    }

    /// Likelihood × impact, each 1..=size.
    pub fn score(&self, r: Rating) -> Result<u32, RiskError> {
        for v in [r.likelihood, r.impact] {
            if v == 0 || v > self.size {
                return Err(RiskError::OutOfMatrix {
                    value: v,
                    size: self.size,
                });
            }
        }
        Ok(u32::from(r.likelihood) * u32::from(r.impact))
    }

    /// The band a score falls in (the highest band starting at or below it).
    pub fn band_of(&self, score: u32) -> &Band {
        self.bands
            .iter()
            .rev()
            .find(|b| b.min_score <= score)
            .unwrap_or(&self.bands[0])
    }

    /// The heat map's rows, impact across and likelihood down from the top (most likely
    /// first, as risk registers print it): each cell's rating and band.
    pub fn grid(&self) -> Vec<Vec<(Rating, &Band)>> {
        (1..=self.size)
            .rev()
            .map(|l| {
                (1..=self.size)
                    .map(|i| {
                        let r = Rating {
                            likelihood: l,
                            impact: i,
                        };
                        (r, self.band_of(u32::from(l) * u32::from(i)))
                    })
                    .collect()
            })
            .collect()
    }
}

/// A likelihood × impact pair on the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub likelihood: u8,
    pub impact: u8,
}

/// Residual risk is what is left after the controls: it may not exceed the inherent one.
pub fn check_ratings(m: &Matrix, inherent: Rating, residual: Rating) -> Result<u32, RiskError> {
    let i = m.score(inherent)?;
    let r = m.score(residual)?;
    if r > i {
        return Err(RiskError::ResidualAboveInherent {
            inherent: i,
            residual: r,
        });
    }
    Ok(r)
}

/// A control (控制措施) with its owner and when it was last tested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    pub text: String,
    pub owner: String,
    pub last_tested: Option<NaiveDate>,
    /// How often it is tested, in days.
    pub test_every_days: u32,
}

impl Control {
    /// When the next test is due: never tested means due now.
    pub fn next_test(&self, today: NaiveDate) -> NaiveDate {
        match self.last_tested {
            Some(d) => d
                .checked_add_days(Days::new(u64::from(self.test_every_days.max(1))))
                .unwrap_or(d),
            None => today,
        }
    }

    pub fn test_overdue(&self, today: NaiveDate) -> bool {
        self.next_test(today) <= today
    }
}

/// How senior a role is when approving: a clerk or guide, the hall manager, a supervisor,
/// an administrator.
pub fn seniority(role: Role) -> u8 {
    match role {
        Role::Clerk | Role::Guide => 0,
        Role::HallManager => 1,
        Role::Supervisor => 2,
        Role::Admin => 3,
    }
}

/// A signed acceptance of a risk (风险接受): by whom and until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptance {
    pub approver_role: Role,
    pub until: NaiveDate,
}

/// Checks a treatment: accepting needs an approver above the owner's role and an expiry
/// after today, at most a year ahead. Other treatments carry no acceptance.
pub fn check_treatment(
    treatment: Treatment,
    owner_role: Role,
    acceptance: Option<&Acceptance>,
    today: NaiveDate,
) -> Result<(), RiskError> {
    if treatment != Treatment::Accept {
        return Ok(());
    }
    let Some(a) = acceptance else {
        return Err(RiskError::AcceptanceExpiry);
    };
    if seniority(a.approver_role) <= seniority(owner_role) {
        return Err(RiskError::ApproverNotAbove {
            owner: owner_role.label_zh(),
            owner_en: owner_role.label_en(),
        });
    }
    let limit = today.checked_add_days(Days::new(366)).unwrap_or(today);
    if a.until <= today || a.until > limit {
        return Err(RiskError::AcceptanceExpiry);
    }
    Ok(())
}

/// An acceptance past its date no longer holds: the risk goes back to review.
pub fn acceptance_lapsed(until: Option<NaiveDate>, today: NaiveDate) -> bool {
    until.is_some_and(|u| u <= today)
}

/// The next review after one on `reviewed`, by the cadence of the residual score's band.
pub fn next_review(m: &Matrix, residual_score: u32, reviewed: NaiveDate) -> NaiveDate {
    let days = m.band_of(residual_score).review_days;
    reviewed
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(reviewed)
}

/// Whether a review is due: its date has come, or the acceptance it rests on has lapsed.
pub fn review_due(next: NaiveDate, accepted_until: Option<NaiveDate>, today: NaiveDate) -> bool {
    next <= today || acceptance_lapsed(accepted_until, today)
}

/// Checks the words of a risk: title, cause, event and consequence are all needed.
pub fn check_text(
    title: &str,
    cause: &str,
    event: &str,
    consequence: &str,
) -> Result<(), RiskError> {
    for (v, zh, en) in [
        (title, "风险名称", "the title"),
        (cause, "原因", "the cause"),
        (event, "风险事件", "the event"),
        (consequence, "后果", "the consequence"),
    ] {
        if v.trim().is_empty() {
            return Err(RiskError::Missing(zh, en));
        }
    }
    Ok(())
}
