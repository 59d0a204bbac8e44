//! What makes a hall's setup valid: the hall itself (code, name, time zone, opening hours,
//! calling policy), its business types and its staff, and the channels a ticket can come
//! through. The store and every import (admin screens, the API, files) ask these rules, so a
//! value refused in one place is refused everywhere with the same words.

pub mod file;

use crate::access::Role;
use crate::queue::numbering::validate_prefix;
use crate::time::{parse_hhmm, parse_tz};
use std::fmt;
use std::str::FromStr;

/// Why a hall's setup was refused; each says what to fix, Chinese first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SetupError(pub String);

fn refuse(msg: impl Into<String>) -> Result<(), SetupError> {
    Err(SetupError(msg.into()))
}

/// The most recalls a hall may allow before a ticket turns into a no-show.
pub const MAX_RECALLS: i64 = 9;

/// A hall: its code (`DL-XG`: letters, digits, `-`), a name, an IANA time zone, opening
/// hours `HH:MM` with opening before closing, and at most [`MAX_RECALLS`] recalls.
pub fn check_hall(
    code: &str,
    name: &str,
    timezone: &str,
    opens: &str,
    closes: &str,
    max_recalls: i64,
) -> Result<(), SetupError> {
    if code.trim().is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return refuse(
            "营业厅编码只能由字母、数字和“-”组成，例如 DL-XG · the hall code must be letters, digits or '-', e.g. DL-XG",
        );
    }
    if name.trim().is_empty() {
        return refuse("请填写营业厅名称 · the hall needs a name");
    }
    parse_tz(timezone).map_err(SetupError)?;
    let (o, c) = (
        parse_hhmm(opens).map_err(SetupError)?,
        parse_hhmm(closes).map_err(SetupError)?,
    );
    if o >= c {
        return refuse(format!(
            "开门时间 {opens} 须早于关门时间 {closes} · opening time {opens} must be before closing time {closes}"
        ));
    }
    if !(0..=MAX_RECALLS).contains(&max_recalls) {
        return refuse(format!(
            "过号前的重呼次数须为 0–{MAX_RECALLS} · max recalls must be 0 to {MAX_RECALLS}"
        ));
    }
    Ok(())
}

/// A business type: a code, Chinese and English names, a ticket prefix, and positive target
/// wait and handling times in seconds.
pub fn check_business_type(
    code: &str,
    name_zh: &str,
    name_en: &str,
    prefix: &str,
    target_wait_s: i64,
    target_handling_s: i64,
) -> Result<(), SetupError> {
    if code.trim().is_empty() || name_zh.trim().is_empty() || name_en.trim().is_empty() {
        return refuse(
            "业务类型需要编码、中文名称和英文名称 · a business type needs a code, a Chinese name and an English name",
        );
    }
    validate_prefix(prefix).map_err(SetupError)?;
    if target_wait_s <= 0 || target_handling_s <= 0 {
        return refuse(
            "目标等候和办理时长须为正数（秒） · target wait and target handling time must be positive (seconds)",
        );
    }
    Ok(())
}

/// A member of staff: a username, a name and a badge number; only administrators and
/// supervisors may stand above halls.
pub fn check_staff(
    username: &str,
    name: &str,
    badge_no: &str,
    role: Role,
    in_a_hall: bool,
) -> Result<(), SetupError> {
    if username.trim().is_empty() || name.trim().is_empty() || badge_no.trim().is_empty() {
        return refuse(
            "员工需要用户名、姓名和工号 · staff need a username, a name and a badge number",
        );
    }
    if !in_a_hall && !matches!(role, Role::Admin | Role::Supervisor) {
        return refuse(format!(
            "{} 必须属于一个营业厅 · a {} must belong to a hall",
            role.label_zh(),
            role.as_str()
        ));
    }
    Ok(())
}

/// Where a ticket was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// The hall's kiosk (取号机).
    Kiosk,
    /// The guide desk (导办台).
    Guide,
    /// The company's app or WeChat service.
    App,
    /// Another system, through the API.
    Api,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Self::Kiosk, Self::Guide, Self::App, Self::Api];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kiosk => "kiosk",
            Self::Guide => "guide",
            Self::App => "app",
            Self::Api => "api",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Channel {
    type Err = SetupError;
    fn from_str(s: &str) -> Result<Self, SetupError> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                SetupError(format!(
                    "取号渠道须为 kiosk、guide、app 或 api · channel must be one of kiosk, guide, app, api (got {s:?})"
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hall_is_checked_field_by_field() {
        let ok = |code, tz, o, c, r| check_hall(code, "西岗营业厅", tz, o, c, r);
        assert!(ok("DL-XG", "Asia/Shanghai", "08:30", "17:30", 3).is_ok());
        assert!(
            ok("DL XG", "Asia/Shanghai", "08:30", "17:30", 3)
                .unwrap_err()
                .0
                .contains("DL-XG")
        );
        assert!(ok("", "Asia/Shanghai", "08:30", "17:30", 3).is_err());
        assert!(ok("DL-XG", "Mars/Olympus", "08:30", "17:30", 3).is_err());
        let e = ok("DL-XG", "Asia/Shanghai", "17:30", "08:30", 3).unwrap_err();
        assert!(
            e.0.contains("开门时间") && e.0.contains("before closing"),
            "{e}"
        );
        assert!(ok("DL-XG", "Asia/Shanghai", "08:30", "17:30", 10).is_err());
        assert!(ok("DL-XG", "Asia/Shanghai", "08:30", "17:30", -1).is_err());
        assert!(check_hall("DL-XG", " ", "Asia/Shanghai", "08:30", "17:30", 3).is_err());
    }

    #[test]
    fn business_types_and_staff() {
        assert!(check_business_type("payment", "电费缴纳", "Bill payment", "A", 900, 300).is_ok());
        assert!(check_business_type("payment", "", "Bill payment", "A", 900, 300).is_err());
        assert!(check_business_type("payment", "电费缴纳", "Bill payment", "A", 0, 300).is_err());
        assert!(check_business_type("payment", "电费缴纳", "Bill payment", "", 900, 300).is_err());
        assert!(check_staff("clerk1", "刘洋", "DL0102", Role::Clerk, true).is_ok());
        assert!(check_staff("sup", "周建华", "DL0002", Role::Supervisor, false).is_ok());
        let e = check_staff("clerk1", "刘洋", "DL0102", Role::Clerk, false).unwrap_err();
        assert!(
            e.0.contains("柜员") && e.0.contains("must belong to a hall"),
            "{e}"
        );
        assert!(check_staff(" ", "刘洋", "DL0102", Role::Clerk, true).is_err());
    }

    #[test]
    fn channels_round_trip_and_unknown_ones_are_named() {
        for c in Channel::ALL {
            assert_eq!(c.as_str().parse::<Channel>(), Ok(c));
        }
        let e = "wechat".parse::<Channel>().unwrap_err();
        assert!(e.0.contains("\"wechat\""), "{e}");
    }
}
