//! Consent to be contacted (个人信息保护法: 告知-同意). Consent is per purpose and per
//! channel, given at a time and withdrawn at a time; nothing is assumed (no purpose is
//! consented by default, marketing least of all), and the history is never rewritten: the
//! state at any moment is the latest event for the purpose at or before it.

use super::labelled;
use serde::{Deserialize, Serialize};

labelled! {
    /// Why the hall would contact the customer.
    Purpose {
        AppointmentReminder = "appointment_reminder", "预约提醒", "appointment reminders";
        OutageNotice = "outage_notice", "停电通知", "outage notices";
        CaseProgress = "case_progress", "工单进展", "case progress";
        SatisfactionSurvey = "satisfaction_survey", "满意度回访", "satisfaction surveys";
        Marketing = "marketing", "营销推广", "marketing";
    }
}

labelled! {
    /// How the customer agreed to be reached.
    ContactChannel {
        Sms = "sms", "短信", "SMS";
        Call = "call", "电话", "phone call";
        Wechat = "wechat", "微信", "WeChat";
    }
}

/// One grant or withdrawal, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentEvent {
    pub purpose: Purpose,
    /// The channel agreed to; `None` on a withdrawal.
    pub channel: Option<ContactChannel>,
    pub granted: bool,
    /// Epoch milliseconds.
    pub at: i64,
}

/// A consent in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Consent {
    pub purpose: Purpose,
    pub channel: ContactChannel,
    /// Since when (epoch ms).
    pub since: i64,
}

/// The consent in force for `purpose` at `at`: the latest event at or before `at` (a later
/// event recorded at the same millisecond wins, by its place in the list), if a grant.
pub fn consent_now(events: &[ConsentEvent], purpose: Purpose, at: i64) -> Option<Consent> {
    let last = events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.purpose == purpose && e.at <= at)
        .max_by_key(|(i, e)| (e.at, *i))
        .map(|(_, e)| e)?;
    match (last.granted, last.channel) {
        (true, Some(channel)) => Some(Consent {
            purpose,
            channel,
            since: last.at,
        }),
        _ => None,
    }
}

/// Whether the hall may contact the customer for `purpose` by `channel` at `at`: only with
/// a consent in force for that purpose and channel. A withdrawal stops it from its moment.
pub fn may_contact(
    events: &[ConsentEvent],
    purpose: Purpose,
    channel: ContactChannel,
    at: i64,
) -> bool {
    consent_now(events, purpose, at).is_some_and(|c| c.channel == channel)
}

/// Checks a new event against the history: a grant names its channel; a withdrawal needs
/// a consent in force to withdraw.
pub fn check_consent(
    history: &[ConsentEvent],
    purpose: Purpose,
    channel: Option<ContactChannel>,
    granted: bool,
    at: i64,
) -> Result<(), String> {
    if granted && channel.is_none() {
        return Err(format!(
            "同意“{}”须注明联系渠道（短信、电话或微信）· consent to {} needs a channel: sms, call or wechat",
            purpose.label_zh(),
            purpose.label_en()
        ));
    }
    if !granted && consent_now(history, purpose, at).is_none() {
        return Err(format!(
            "客户未同意“{}”，无需撤回 · there is no consent to {} to withdraw",
            purpose.label_zh(),
            purpose.label_en()
        ));
    }
    Ok(())
}
