//! The notices a case sends its customer (工单进展): a step done, a call-back scheduled.
//! Sent only with the customer's consent for case progress by the channel the notifier
//! uses, at the moment of sending; without a consent nothing is queued.

use super::NotifyEvent;
use crate::customers::{ConsentEvent, ContactChannel, Purpose, may_contact};

/// The consent channel a notifier channel needs: the SMS gateway (and the log-only
/// channel, which stands in for it) an SMS consent, the WeChat relay a WeChat one.
pub fn consent_channel(notifier_channel: &str) -> Option<ContactChannel> {
    match notifier_channel {
        "sms" | "log" => Some(ContactChannel::Sms),
        "wechat" => Some(ContactChannel::Wechat),
        _ => None,
    }
}

/// Whether a case notice may be sent to a customer with `consents` at `at`.
pub fn case_notice_allowed(consents: &[ConsentEvent], notifier_channel: &str, at: i64) -> bool {
    consent_channel(notifier_channel)
        .is_some_and(|ch| may_contact(consents, Purpose::CaseProgress, ch, at))
}

/// The two case events.
pub fn is_case_event(e: NotifyEvent) -> bool {
    matches!(
        e,
        NotifyEvent::CaseStepDone | NotifyEvent::CallbackScheduled
    )
}

/// Largest lead of a scheduled call-back: 30 days.
pub const CALLBACK_MAX_AHEAD_MS: i64 = 30 * 24 * 3_600_000;

/// Checks a call-back time: after now, within 30 days.
pub fn check_callback_time(at: i64, now: i64) -> Result<(), String> {
    if at <= now {
        return Err("回访时间须晚于现在 · the call-back time must be in the future".into());
    }
    if at - now > CALLBACK_MAX_AHEAD_MS {
        return Err(
            "回访时间须在 30 天以内 · a call-back is scheduled at most 30 days ahead".into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(channel: ContactChannel, at: i64) -> ConsentEvent {
        ConsentEvent {
            purpose: Purpose::CaseProgress,
            channel: Some(channel),
            granted: true,
            at,
        }
    }

    #[test]
    fn only_a_consent_for_case_progress_by_the_notifiers_channel_allows_a_notice() {
        let sms = [grant(ContactChannel::Sms, 100)];
        assert!(case_notice_allowed(&sms, "log", 200));
        assert!(case_notice_allowed(&sms, "sms", 200));
        assert!(!case_notice_allowed(&sms, "wechat", 200), "not by WeChat");
        assert!(
            !case_notice_allowed(&sms, "sms", 50),
            "not before it was given"
        );
        assert!(!case_notice_allowed(&[], "sms", 200), "nothing assumed");
        let other = [ConsentEvent {
            purpose: Purpose::Marketing,
            ..grant(ContactChannel::Sms, 100)
        }];
        assert!(!case_notice_allowed(&other, "sms", 200), "another purpose");
        let withdrawn = [
            grant(ContactChannel::Sms, 100),
            ConsentEvent {
                purpose: Purpose::CaseProgress,
                channel: None,
                granted: false,
                at: 150,
            },
        ];
        assert!(!case_notice_allowed(&withdrawn, "sms", 200));
    }

    #[test]
    fn a_call_back_is_in_the_next_thirty_days() {
        assert!(check_callback_time(1_000, 1_000).is_err());
        assert!(check_callback_time(2_000, 1_000).is_ok());
        assert!(check_callback_time(1_000 + CALLBACK_MAX_AHEAD_MS + 1, 1_000).is_err());
    }
}
