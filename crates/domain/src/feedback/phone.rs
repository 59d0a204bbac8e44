//! 一事一评: the customer rates a finished visit on their phone, overall and per
//! touchpoint, once, within the hall's window, without an account.

use crate::insight::touchpoint::touchpoint;
use crate::queue::rating::{RatingError, RatingLevel};

/// What the customer sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PhoneRatingInput {
    /// Overall level 1–5.
    pub level: i64,
    /// Touchpoint id → level 1–5; touchpoints the customer skipped are absent.
    #[serde(default)]
    pub touchpoints: Vec<TouchpointLevel>,
    /// Reason codes from [`crate::queue::rating::BAD_REASONS`]; required on a bad overall level.
    #[serde(default)]
    pub reasons: Vec<String>,
    #[serde(default)]
    pub comment: String,
    /// Optional: a phone number to be called back on (makes a bad rating real-name).
    #[serde(default)]
    pub contact_phone: String,
    /// Optional: how to address the customer.
    #[serde(default)]
    pub contact_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TouchpointLevel {
    pub touchpoint: String,
    pub level: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneRatingError {
    #[error(transparent)]
    Level(#[from] RatingError),
    #[error(
        "没有这个服务环节，请按本次业务的环节评价 unknown touchpoint {0:?}; use the ids of the visit's touchpoints (welcome, triage, waiting, call, counter, payment, farewell, follow_up)"
    )]
    UnknownTouchpoint(String),
    #[error("“{zh}”评价了两次，每个环节只评一次 touchpoint {0} is rated twice; rate each touchpoint once", zh = touchpoint_zh(.0))]
    TouchpointTwice(String),
    #[error("“{zh}”的评价有误 touchpoint {touchpoint}: {source}", zh = touchpoint_zh(.touchpoint))]
    TouchpointLevel {
        touchpoint: String,
        source: RatingError,
    },
    #[error("留言最多 500 字（现为 {0} 字） the comment is limited to 500 characters (got {0})")]
    CommentTooLong(usize),
    #[error(
        "联系电话须为 7–20 位数字（可含空格和“-”），也可不填 contact phone must be 7–20 digits (spaces and dashes allowed), or left empty"
    )]
    BadPhone,
    #[error("称呼最多 32 个字 the name is limited to 32 characters")]
    NameTooLong,
    /// Ratings exist for system-finished visits only.
    #[error(
        "号票 {0} 的业务尚未办结，请办结后再评价 ticket {0} is not finished yet; rate the visit after it is done"
    )]
    NotFinished(String),
    #[error(
        "号票 {number} 已超过评价时限（办结后 {hours} 小时内可评价） the rating window for ticket {number} closed {hours} hours after the visit"
    )]
    WindowClosed { number: String, hours: u32 },
}

/// A touchpoint's Chinese name for a message; an unknown id is not named.
fn touchpoint_zh(id: &str) -> &'static str {
    touchpoint(id).map_or("该环节", |t| t.zh)
}

/// Checks the input; returns the overall level. The visit checks (finished, window) are
/// [`check_visit`].
pub fn validate(input: &PhoneRatingInput) -> Result<RatingLevel, PhoneRatingError> {
    let level = RatingLevel::new(input.level)?;
    level.validate_reasons(&input.reasons)?;
    let mut seen = Vec::new();
    for t in &input.touchpoints {
        if touchpoint(&t.touchpoint).is_none() {
            return Err(PhoneRatingError::UnknownTouchpoint(t.touchpoint.clone()));
        }
        if seen.contains(&t.touchpoint.as_str()) {
            return Err(PhoneRatingError::TouchpointTwice(t.touchpoint.clone()));
        }
        seen.push(&t.touchpoint);
        RatingLevel::new(t.level).map_err(|source| PhoneRatingError::TouchpointLevel {
            touchpoint: t.touchpoint.clone(),
            source,
        })?;
    }
    let chars = input.comment.chars().count();
    if chars > 500 {
        return Err(PhoneRatingError::CommentTooLong(chars));
    }
    if input.contact_name.chars().count() > 32 {
        return Err(PhoneRatingError::NameTooLong);
    }
    let phone = input.contact_phone.trim();
    if !phone.is_empty() {
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let allowed = phone
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-' || c == '+');
        if !allowed || !(7..=20).contains(&digits) {
            return Err(PhoneRatingError::BadPhone);
        }
    }
    Ok(level)
}

/// The visit may be rated now: finished by the system, and within the window after it.
pub fn check_visit(
    number: &str,
    finished_at: Option<i64>,
    now: i64,
    window_hours: u32,
) -> Result<(), PhoneRatingError> {
    let Some(done) = finished_at else {
        return Err(PhoneRatingError::NotFinished(number.into()));
    };
    if now - done > i64::from(window_hours) * 3_600_000 {
        return Err(PhoneRatingError::WindowClosed {
            number: number.into(),
            hours: window_hours,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(level: i64) -> PhoneRatingInput {
        PhoneRatingInput {
            level,
            ..Default::default()
        }
    }

    #[test]
    fn overall_and_touchpoint_levels_are_checked() {
        assert!(validate(&input(5)).is_ok());
        assert!(matches!(
            validate(&input(6)),
            Err(PhoneRatingError::Level(RatingError::OutOfRange(6)))
        ));
        assert!(matches!(
            validate(&input(1)),
            Err(PhoneRatingError::Level(RatingError::ReasonRequired))
        ));
        let mut i = input(4);
        i.touchpoints = vec![TouchpointLevel {
            touchpoint: "waiting".into(),
            level: 0,
        }];
        assert!(matches!(
            validate(&i),
            Err(PhoneRatingError::TouchpointLevel { .. })
        ));
        i.touchpoints = vec![TouchpointLevel {
            touchpoint: "parking".into(),
            level: 3,
        }];
        assert!(matches!(
            validate(&i),
            Err(PhoneRatingError::UnknownTouchpoint(_))
        ));
        let tp = |t: &str| TouchpointLevel {
            touchpoint: t.into(),
            level: 4,
        };
        i.touchpoints = vec![tp("waiting"), tp("waiting")];
        assert!(matches!(
            validate(&i),
            Err(PhoneRatingError::TouchpointTwice(_))
        ));
        i.touchpoints = vec![tp("waiting"), tp("counter")];
        assert!(validate(&i).is_ok());
    }

    #[test]
    fn contact_phone_is_optional_but_checked() {
        let mut i = input(5);
        i.contact_phone = "138-0000-1234".into();
        assert!(validate(&i).is_ok());
        i.contact_phone = "call me".into();
        assert_eq!(validate(&i), Err(PhoneRatingError::BadPhone));
    }

    #[test]
    fn only_finished_visits_within_the_window() {
        let h = 3_600_000;
        assert!(matches!(
            check_visit("A001", None, 0, 72),
            Err(PhoneRatingError::NotFinished(_))
        ));
        assert!(check_visit("A001", Some(0), 72 * h, 72).is_ok());
        assert!(matches!(
            check_visit("A001", Some(0), 72 * h + 1, 72),
            Err(PhoneRatingError::WindowClosed { hours: 72, .. })
        ));
    }
}
