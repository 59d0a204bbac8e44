//! 好差评: the five-level rating a customer gives at the evaluator pad.

use serde::{Deserialize, Serialize};

/// Five levels, 5 = 非常满意 … 1 = 非常不满意.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct RatingLevel(u8);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    #[error(
        "评价等级须为 1（非常不满意）至 5（非常满意） rating level must be 1 (非常不满意) to 5 (非常满意), got {0}"
    )]
    OutOfRange(i64),
    #[error(
        "选择“不满意”或“非常不满意”时请至少选一个原因 a rating of 不满意 or 非常不满意 needs at least one reason"
    )]
    ReasonRequired,
    #[error(
        "没有这个原因，请从列出的原因中选择 unknown reason {0:?}; choose from the listed reasons"
    )]
    UnknownReason(String),
}

/// Reasons a customer can tick on the two bad levels: (code, 中文, English).
pub const BAD_REASONS: [(&str, &str, &str); 6] = [
    ("long_wait", "等候时间长", "Waited too long"),
    ("attitude", "服务态度差", "Unfriendly service"),
    ("slow", "办理速度慢", "Slow handling"),
    ("unclear", "告知不清楚", "Unclear information"),
    ("repeat_trip", "需要多次跑", "Had to come back"),
    ("environment", "环境设施差", "Poor environment"),
];

impl RatingLevel {
    pub fn new(level: i64) -> Result<Self, RatingError> {
        if (1..=5).contains(&level) {
            Ok(Self(level as u8))
        } else {
            Err(RatingError::OutOfRange(level))
        }
    }

    pub fn value(self) -> u8 {
        self.0
    }

    /// 不满意 and 非常不满意 are bad ratings: they need reasons and a follow-up.
    pub fn is_bad(self) -> bool {
        self.0 <= 2
    }

    pub fn label_zh(self) -> &'static str {
        ["非常不满意", "不满意", "基本满意", "满意", "非常满意"][self.0 as usize - 1]
    }

    pub fn label_en(self) -> &'static str {
        [
            "Very dissatisfied",
            "Dissatisfied",
            "Neutral",
            "Satisfied",
            "Very satisfied",
        ][self.0 as usize - 1]
    }

    /// Checks the reasons that come with this level: required when bad, known codes only.
    pub fn validate_reasons(self, reasons: &[String]) -> Result<(), RatingError> {
        if let Some(bad) = reasons
            .iter()
            .find(|r| !BAD_REASONS.iter().any(|(code, _, _)| code == r))
        {
            return Err(RatingError::UnknownReason(bad.clone()));
        }
        if self.is_bad() && reasons.is_empty() {
            return Err(RatingError::ReasonRequired);
        }
        Ok(())
    }
}

impl TryFrom<i64> for RatingLevel {
    type Error = RatingError;
    fn try_from(v: i64) -> Result<Self, Self::Error> {
        Self::new(v)
    }
}

impl From<RatingLevel> for i64 {
    fn from(l: RatingLevel) -> i64 {
        l.0 as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_one_to_five_only() {
        assert!(RatingLevel::new(0).is_err());
        assert!(RatingLevel::new(6).is_err());
        assert_eq!(RatingLevel::new(5).unwrap().label_zh(), "非常满意");
        assert_eq!(RatingLevel::new(1).unwrap().label_zh(), "非常不满意");
    }

    #[test]
    fn bad_levels_need_known_reasons() {
        let bad = RatingLevel::new(2).unwrap();
        assert_eq!(bad.validate_reasons(&[]), Err(RatingError::ReasonRequired));
        assert!(bad.validate_reasons(&["long_wait".into()]).is_ok());
        let good = RatingLevel::new(4).unwrap();
        assert!(good.validate_reasons(&[]).is_ok());
        assert!(matches!(
            good.validate_reasons(&["nonsense".into()]),
            Err(RatingError::UnknownReason(_))
        ));
    }
}
