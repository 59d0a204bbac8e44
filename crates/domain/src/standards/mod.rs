//! 规章制度标准化: the standards library's rules. Documents (员工守则, 十个不准, 十项承诺,
//! 厅堂制度, 行为规范, 规范用语) come in numbered versions; a published version takes effect
//! on its date and is locked from then on; the staff it applies to acknowledge it.
//! Full-text search over the library (and the catalogue) lives in [`search`].

pub mod behaviour;
pub mod search;

use crate::Role;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// What kind of document a standard is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    StaffCode,
    TenProhibitions,
    ServiceCommitments,
    HallRules,
    BehaviourCode,
    StandardPhrases,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Self::StaffCode,
        Self::TenProhibitions,
        Self::ServiceCommitments,
        Self::HallRules,
        Self::BehaviourCode,
        Self::StandardPhrases,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::StaffCode => "staff_code",
            Self::TenProhibitions => "ten_prohibitions",
            Self::ServiceCommitments => "service_commitments",
            Self::HallRules => "hall_rules",
            Self::BehaviourCode => "behaviour_code",
            Self::StandardPhrases => "standard_phrases",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::StaffCode => "员工守则",
            Self::TenProhibitions => "十个不准",
            Self::ServiceCommitments => "十项承诺",
            Self::HallRules => "厅堂制度",
            Self::BehaviourCode => "行为规范",
            Self::StandardPhrases => "规范用语",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::StaffCode => "Staff code",
            Self::TenProhibitions => "Ten prohibitions",
            Self::ServiceCommitments => "Service commitments",
            Self::HallRules => "Hall rules",
            Self::BehaviourCode => "Behaviour code",
            Self::StandardPhrases => "Standard phrases",
        }
    }
}

impl FromStr for Category {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "没有这个制度类别 unknown category {s:?}; expected one of {}",
                    Self::ALL.map(|c| c.as_str()).join(", ")
                )
            })
    }
}

/// A behaviour-code document names exactly one code of [`crate::standards::behaviour`] by id (later
/// checks score against the id, so the text can change without losing scores); other
/// documents name none.
pub fn check_behaviour_ref(category: Category, code: Option<&str>) -> Result<(), String> {
    match (category, code.filter(|c| !c.is_empty())) {
        (Category::BehaviourCode, None) => Err(format!(
            "行为规范类文件须指明对应的行为规范 a behaviour-code document must name its code: one of {}",
            crate::standards::behaviour::BEHAVIOUR_CODES
                .map(|c| c.id)
                .join(", ")
        )),
        (Category::BehaviourCode, Some(c))
            if crate::standards::behaviour::behaviour_code(c).is_none() =>
        {
            Err(format!(
                "没有这项行为规范 unknown behaviour code {c:?}; expected one of {}",
                crate::standards::behaviour::BEHAVIOUR_CODES
                    .map(|c| c.id)
                    .join(", ")
            ))
        }
        (Category::BehaviourCode, Some(_)) => Ok(()),
        (_, Some(c)) => Err(format!(
            "只有行为规范类文件才能指明行为规范 only behaviour-code documents name a behaviour code (got {c:?} on a {} document)",
            category.as_str()
        )),
        (_, None) => Ok(()),
    }
}

/// The roles a version applies to. Only hall staff acknowledge: 值班长, 柜员, 引导员.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience(Vec<Role>);

impl Audience {
    /// Every role working in a hall.
    pub const HALL_ROLES: [Role; 3] = [Role::HallManager, Role::Clerk, Role::Guide];

    pub fn all_staff() -> Self {
        Self(Self::HALL_ROLES.to_vec())
    }

    /// Roles in a fixed order, without repeats; empty or non-hall roles are refused.
    pub fn new(roles: &[Role]) -> Result<Self, String> {
        if roles.is_empty() {
            return Err(
                "请至少选择一个适用岗位（值班长、柜员、引导员） choose at least one role the version applies to (hall_manager, clerk, guide)"
                    .into(),
            );
        }
        if let Some(r) = roles.iter().find(|r| !Self::HALL_ROLES.contains(r)) {
            return Err(format!(
                "{zh}不在营业厅工作，无需学习确认，请从值班长、柜员、引导员中选择 role {} works above the halls and acknowledges nothing; choose among hall_manager, clerk, guide",
                r.as_str(),
                zh = r.label_zh()
            ));
        }
        Ok(Self(
            Self::HALL_ROLES
                .into_iter()
                .filter(|r| roles.contains(r))
                .collect(),
        ))
    }

    pub fn roles(&self) -> &[Role] {
        &self.0
    }

    pub fn includes(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn is_all_staff(&self) -> bool {
        self.0.len() == Self::HALL_ROLES.len()
    }

    /// `clerk,guide` — how it is stored.
    pub fn to_csv(&self) -> String {
        self.0
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn from_csv(s: &str) -> Result<Self, String> {
        let roles = s
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| p.parse::<Role>())
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(&roles)
    }

    /// 全体员工, or the roles' Chinese names.
    pub fn label_zh(&self) -> String {
        if self.is_all_staff() {
            "全体员工".into()
        } else {
            self.0
                .iter()
                .map(|r| r.label_zh())
                .collect::<Vec<_>>()
                .join("、")
        }
    }
}

/// Where a version stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionState {
    /// Being written; editable; applies to no one.
    Draft,
    /// Published with a date still ahead.
    Scheduled,
    /// The version staff follow today (locked).
    InEffect,
    /// Replaced by a later version (locked; readable as history).
    Superseded,
}

impl VersionState {
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Draft => "草稿",
            Self::Scheduled => "待生效",
            Self::InEffect => "现行",
            Self::Superseded => "已废止",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Scheduled => "scheduled",
            Self::InEffect => "in_effect",
            Self::Superseded => "superseded",
        }
    }
}

/// What the rules need of a version: its number and, once published, its effective date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionDates {
    pub number: i64,
    /// `None` while a draft.
    pub effective_from: Option<NaiveDate>,
}

/// The version in effect on `today`: the published one with the latest date not after it.
pub fn in_effect(versions: &[VersionDates], today: NaiveDate) -> Option<i64> {
    versions
        .iter()
        .filter_map(|v| v.effective_from.map(|d| (d, v.number)))
        .filter(|(d, _)| *d <= today)
        .max()
        .map(|(_, n)| n)
}

/// The state of each version on `today`, in the order given.
pub fn states(versions: &[VersionDates], today: NaiveDate) -> Vec<VersionState> {
    let current = in_effect(versions, today);
    versions
        .iter()
        .map(|v| match v.effective_from {
            None => VersionState::Draft,
            Some(d) if d > today => VersionState::Scheduled,
            Some(_) if Some(v.number) == current => VersionState::InEffect,
            Some(_) => VersionState::Superseded,
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublishError {
    #[error(
        "版本 {0} 已发布并锁定，请另拟新草稿 version {0} is already published and locked; write a new draft instead"
    )]
    Locked(i64),
    #[error(
        "生效日期 {date} 已过（今天是 {today}），请选今天或以后的日期 the effective date {date} is in the past (today is {today}); choose today or a later day"
    )]
    InThePast { date: NaiveDate, today: NaiveDate },
    #[error(
        "生效日期 {date} 须晚于版本 {number} 的生效日期 {latest}，新版本接替上一版本 the effective date {date} must come after version {number}'s ({latest}); each version takes over from the one before"
    )]
    NotAfterLatest {
        date: NaiveDate,
        number: i64,
        latest: NaiveDate,
    },
}

/// May draft `number` be published to take effect on `date`? Only a draft, on today or
/// later, and after every published version's date (history is never rewritten).
pub fn check_publish(
    versions: &[VersionDates],
    number: i64,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<(), PublishError> {
    if versions
        .iter()
        .any(|v| v.number == number && v.effective_from.is_some())
    {
        return Err(PublishError::Locked(number));
    }
    if date < today {
        return Err(PublishError::InThePast { date, today });
    }
    if let Some((latest, n)) = versions
        .iter()
        .filter_map(|v| v.effective_from.map(|d| (d, v.number)))
        .max()
        && date <= latest
    {
        return Err(PublishError::NotAfterLatest {
            date,
            number: n,
            latest,
        });
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AckError {
    #[error(
        "版本 {0} 还是草稿，只有已发布的版本才需学习确认 version {0} is a draft; only published versions are acknowledged"
    )]
    Draft(i64),
    #[error(
        "版本 {number} 自 {from} 起生效，请从当天起学习确认 version {number} takes effect on {from}; acknowledge it from that day"
    )]
    NotYetEffective { number: i64, from: NaiveDate },
    #[error(
        "版本 {number} 已被版本 {current} 取代，请学习确认版本 {current} version {number} has been replaced by version {current}; acknowledge version {current}"
    )]
    Superseded { number: i64, current: i64 },
    #[error(
        "此版本适用于{audience}，不适用于您的岗位（{role}） this version applies to {audience}, not to your role ({role})"
    )]
    WrongRole { role: String, audience: String },
    #[error("此文件属于其他营业厅 this document belongs to another hall")]
    OtherHall,
    #[error("只有营业厅员工需学习确认规章制度 only hall staff acknowledge standards")]
    NoHall,
}

/// Who acknowledges: their role and hall.
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    pub role: Role,
    pub hall_id: Option<i64>,
}

/// May `reader` acknowledge version `number` of a document of `doc_hall` (`None`: every
/// hall) today? Only the version in effect, for the roles and hall it applies to.
pub fn check_acknowledge(
    versions: &[VersionDates],
    number: i64,
    audience: &Audience,
    doc_hall: Option<i64>,
    reader: Reader,
    today: NaiveDate,
) -> Result<(), AckError> {
    let Some(hall) = reader.hall_id else {
        return Err(AckError::NoHall);
    };
    if doc_hall.is_some_and(|h| h != hall) {
        return Err(AckError::OtherHall);
    }
    let v = versions.iter().find(|v| v.number == number);
    match v.and_then(|v| v.effective_from) {
        None => return Err(AckError::Draft(number)),
        Some(from) if from > today => return Err(AckError::NotYetEffective { number, from }),
        Some(_) => {}
    }
    let current = in_effect(versions, today).unwrap_or(number);
    if current != number {
        return Err(AckError::Superseded { number, current });
    }
    if !audience.includes(reader.role) {
        return Err(AckError::WrongRole {
            role: reader.role.label_zh().into(),
            audience: audience.label_zh(),
        });
    }
    Ok(())
}

/// Acknowledged ÷ required: the figure assessments use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AckRate {
    pub required: u64,
    pub acknowledged: u64,
}

impl AckRate {
    /// The share acknowledged, 0.0–1.0; `None` when nobody needs to acknowledge.
    pub fn ratio(&self) -> Option<f64> {
        (self.required > 0).then(|| self.acknowledged as f64 / self.required as f64)
    }

    /// Percent with one decimal, or `—`.
    pub fn percent_label(&self) -> String {
        self.ratio()
            .map(|r| format!("{:.1}%", r * 100.0))
            .unwrap_or_else(|| "—".into())
    }
}

impl std::ops::Add for AckRate {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        Self {
            required: self.required + o.required,
            acknowledged: self.acknowledged + o.acknowledged,
        }
    }
}

impl std::iter::Sum for AckRate {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::default(), |a, b| a + b)
    }
}

#[cfg(test)]
mod tests;
