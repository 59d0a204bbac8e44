//! The notifier's rules (通知): the events a customer is told about, their bilingual
//! templates, how a recipient is shown in the delivery log, and when a failed delivery is
//! tried again. Channels (SMS gateway, WeChat template message, the log-only default) live
//! in the web crate; the store keeps the delivery log.

pub mod cases;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// What happened that a customer is told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotifyEvent {
    /// The phone check's six-digit code.
    PhoneCode,
    /// A booking was made (or changed): its code and time.
    BookingCode,
    /// The day before or an hour before the slot.
    Reminder,
    /// Few tickets are ahead of a booked customer's ticket.
    Ahead,
    /// The ticket was called to a counter.
    Called,
    /// A step of the customer's case was done.
    CaseStepDone,
    /// A call-back was scheduled.
    CallbackScheduled,
}

impl NotifyEvent {
    pub const ALL: [Self; 7] = [
        Self::PhoneCode,
        Self::BookingCode,
        Self::Reminder,
        Self::Ahead,
        Self::Called,
        Self::CaseStepDone,
        Self::CallbackScheduled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PhoneCode => "phone_code",
            Self::BookingCode => "booking_code",
            Self::Reminder => "reminder",
            Self::Ahead => "ahead",
            Self::Called => "called",
            Self::CaseStepDone => "case_step_done",
            Self::CallbackScheduled => "callback_scheduled",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::PhoneCode => "手机验证码",
            Self::BookingCode => "预约成功",
            Self::Reminder => "预约提醒",
            Self::Ahead => "即将叫号",
            Self::Called => "已叫号",
            Self::CaseStepDone => "工单进展",
            Self::CallbackScheduled => "回访预约",
        }
    }

    /// The template: `{name}` placeholders filled from the delivery's values.
    pub fn template(self) -> &'static str {
        match self {
            Self::PhoneCode => {
                "【{hall}】验证码 {code}，5 分钟内有效，请勿告诉他人。 · Your code is {code}, valid for 5 minutes."
            }
            Self::BookingCode => {
                "【{hall}】预约成功：{date} {time} 办理{business}，预约码 {code}。到厅后在取号机扫码或输入预约码签到。 · Booked: {business} on {date} at {time}, code {code}. Check in at the kiosk."
            }
            Self::Reminder => {
                "【{hall}】提醒：您预约了 {date} {time} 办理{business}，预约码 {code}，请准时到厅签到。 · Reminder: {business} on {date} at {time}, code {code}."
            }
            Self::Ahead => {
                "【{hall}】您的号 {number} 前面还有 {n} 位，请留意叫号。 · {n} ahead of your number {number}; please stay close."
            }
            Self::Called => {
                "【{hall}】请 {number} 号到 {counter} 号窗口办理。 · Number {number}, please go to counter {counter}."
            }
            Self::CaseStepDone => {
                "【{hall}】您的工单 {case} 已完成“{step}”。 · Your case {case}: {step} is done."
            }
            Self::CallbackScheduled => {
                "【{hall}】我们将于 {time} 就工单 {case} 回访您。 · We will call you about case {case} at {time}."
            }
        }
    }
}

impl fmt::Display for NotifyEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for NotifyEvent {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| format!("没有这种通知事件 · unknown notification event {s:?}"))
    }
}

/// Fills `event`'s template. A placeholder without a value is left visible rather than
/// silently dropped, so a missing value shows in the delivery log.
pub fn render(event: NotifyEvent, values: &BTreeMap<&str, String>) -> String {
    let mut text = event.template().to_string();
    for (k, v) in values {
        text = text.replace(&format!("{{{k}}}"), v);
    }
    text
}

/// A delivery's state in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Pending,
    Sent,
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Pending => "待发送",
            Self::Sent => "已发送",
            Self::Failed => "发送失败",
        }
    }
}

impl FromStr for DeliveryStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::Pending, Self::Sent, Self::Failed]
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| format!("没有这种发送状态 · unknown delivery status {s:?}"))
    }
}

/// Attempts before a delivery is marked failed. A customer's message is only worth
/// sending while it is current, so the notifier gives up within about half an hour.
pub const MAX_ATTEMPTS: i64 = 6;

/// When to try again after `attempts` failed attempts, or `None` to give up: the case
/// webhooks' doubling from 30 s ([`crate::cases::outbox::next_attempt`]), cut short at
/// [`MAX_ATTEMPTS`].
pub fn next_try(now: i64, attempts: i64) -> Option<i64> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    crate::cases::outbox::next_attempt(now, attempts)
}

/// How a recipient is shown in the log: a phone as 138****1234, anything else (an e-mail
/// address, a WeChat openid) by its first and last two characters.
pub fn mask_recipient(r: &str) -> String {
    let chars: Vec<char> = r.chars().collect();
    if chars.len() == 11 && chars.iter().all(char::is_ascii_digit) {
        return crate::cases::mask::phone(r);
    }
    if chars.len() <= 4 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}***{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_has_a_bilingual_template_that_fills() {
        for e in NotifyEvent::ALL {
            let t = e.template();
            assert!(t.starts_with("【{hall}】"), "{e}: {t}");
            assert!(t.contains(" · "), "{e}: Chinese first, then English");
            assert_eq!(e.as_str().parse::<NotifyEvent>(), Ok(e));
        }
        let v = BTreeMap::from([
            ("hall", "西岗营业厅".to_string()),
            ("number", "A012".to_string()),
            ("counter", "3".to_string()),
        ]);
        assert_eq!(
            render(NotifyEvent::Called, &v),
            "【西岗营业厅】请 A012 号到 3 号窗口办理。 · Number A012, please go to counter 3."
        );
        let missing = render(NotifyEvent::Ahead, &v);
        assert!(
            missing.contains("{n}"),
            "a missing value stays visible: {missing}"
        );
    }

    #[test]
    fn retries_back_off_and_stop_after_six() {
        assert_eq!(next_try(0, 1), Some(30_000));
        assert_eq!(next_try(0, 2), Some(60_000));
        assert_eq!(next_try(0, 5), Some(480_000));
        assert_eq!(next_try(0, MAX_ATTEMPTS), None);
    }

    #[test]
    fn recipients_are_masked() {
        assert_eq!(mask_recipient("13800001234"), "138****1234");
        assert_eq!(mask_recipient("oAbCdEf123"), "oA***23");
        assert_eq!(mask_recipient("abc"), "***");
    }
}
