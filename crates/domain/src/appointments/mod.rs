//! Appointments (预约): half-hour slots per hall, business type and day; who may book;
//! booking codes; when a check-in counts as on time; no-shows; reminders.
//!
//! Pure rules only. The store keeps the bookings and makes "capacity is never exceeded"
//! atomic (a conditional increment of the slot's count); the web draws the random bytes
//! the codes are made of and asks these functions what they mean.

mod codes;
mod slots;
#[cfg(test)]
mod tests;

pub use codes::*;
pub use slots::*;

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A slot is half an hour, the staffing plan's step.
pub const SLOT_MS: i64 = 30 * 60_000;
/// Half-hours in a day (the staffing plan's slot numbers 0..48).
pub const SLOTS_PER_DAY: i64 = 48;

/// A hall's appointment policy, set by its manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentPolicy {
    /// Bookings on or off for the hall.
    pub enabled: bool,
    /// Share of a slot's planned capacity offered for booking, in percent (the rest is
    /// kept for walk-ins).
    pub bookable_share_pct: u32,
    /// A fixed capacity per slot and business type, instead of the plan's share.
    pub manual_capacity: Option<u32>,
    /// Minutes around the slot's start in which a check-in is called ahead of walk-ins.
    pub grace_min: u32,
    /// No-shows within [`NO_SHOW_WINDOW_DAYS`] after which a phone books at the guide desk.
    pub no_show_limit: u32,
    /// How many days ahead the public page offers (today included).
    pub days_ahead: u32,
}

/// No-shows are counted over the last 90 days.
pub const NO_SHOW_WINDOW_DAYS: i64 = 90;

impl Default for AppointmentPolicy {
    fn default() -> Self {
        Self {
            enabled: true,
            bookable_share_pct: 30,
            manual_capacity: None,
            grace_min: 10,
            no_show_limit: 3,
            days_ahead: 7,
        }
    }
}

impl AppointmentPolicy {
    /// Refuses settings a hall cannot run with, naming the field.
    pub fn validate(&self) -> Result<(), String> {
        if self.bookable_share_pct > 100 {
            return Err(format!(
                "可预约比例须在 0 至 100 之间 · the bookable share must be 0 to 100 %, not {}",
                self.bookable_share_pct
            ));
        }
        if self.manual_capacity.is_some_and(|c| c > 200) {
            return Err("每时段名额最多 200 · a slot holds at most 200 bookings".into());
        }
        if self.grace_min > 60 {
            return Err("签到宽限最多 60 分钟 · the check-in grace is at most 60 minutes".into());
        }
        if !(1..=20).contains(&self.no_show_limit) {
            return Err("爽约次数上限须在 1 至 20 之间 · the no-show limit must be 1 to 20".into());
        }
        if !(1..=30).contains(&self.days_ahead) {
            return Err("可预约天数须在 1 至 30 之间 · bookings open 1 to 30 days ahead".into());
        }
        Ok(())
    }

    pub fn grace_ms(&self) -> i64 {
        i64::from(self.grace_min) * 60_000
    }
}

/// What changed between two policies, field by field: (setting, old, new), for the
/// settings' audit trail. An unchanged policy gives nothing to record.
pub fn policy_changes(
    old: &AppointmentPolicy,
    new: &AppointmentPolicy,
) -> Vec<(&'static str, String, String)> {
    let cap = |c: Option<u32>| c.map_or_else(|| "按排班 · plan".to_string(), |c| c.to_string());
    let fields = [
        ("enabled", old.enabled.to_string(), new.enabled.to_string()),
        (
            "bookable_share_pct",
            old.bookable_share_pct.to_string(),
            new.bookable_share_pct.to_string(),
        ),
        (
            "manual_capacity",
            cap(old.manual_capacity),
            cap(new.manual_capacity),
        ),
        (
            "grace_min",
            old.grace_min.to_string(),
            new.grace_min.to_string(),
        ),
        (
            "no_show_limit",
            old.no_show_limit.to_string(),
            new.no_show_limit.to_string(),
        ),
        (
            "days_ahead",
            old.days_ahead.to_string(),
            new.days_ahead.to_string(),
        ),
    ];
    fields.into_iter().filter(|(_, o, n)| o != n).collect()
}

/// The Chinese name of a policy field, as the settings form labels it.
pub fn policy_field_zh(field: &str) -> &'static str {
    match field {
        "enabled" => "开放预约",
        "bookable_share_pct" => "可预约比例 %",
        "manual_capacity" => "固定名额",
        "grace_min" => "签到宽限（分钟）",
        "no_show_limit" => "爽约上限",
        "days_ahead" => "可预约天数",
        _ => "预约规则",
    }
}

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentState {
    Booked,
    CheckedIn,
    Cancelled,
    NoShow,
}

impl AppointmentState {
    pub const ALL: [Self; 4] = [Self::Booked, Self::CheckedIn, Self::Cancelled, Self::NoShow];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::CheckedIn => "checked_in",
            Self::Cancelled => "cancelled",
            Self::NoShow => "no_show",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Booked => "已预约",
            Self::CheckedIn => "已签到",
            Self::Cancelled => "已取消",
            Self::NoShow => "爽约",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Booked => "Booked",
            Self::CheckedIn => "Checked in",
            Self::Cancelled => "Cancelled",
            Self::NoShow => "No-show",
        }
    }
}

impl fmt::Display for AppointmentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AppointmentState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| format!("没有这种预约状态 · unknown appointment state {s:?}"))
    }
}

/// How a check-in at `now_ms` relates to a slot starting at `slot_start_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// Before the window opens: the kiosk asks to come back at `opens_ms`.
    Early { opens_ms: i64 },
    /// Within [start − grace, start + grace]: called ahead of walk-ins.
    OnTime,
    /// After the window: a ticket in walk-in order.
    Late,
}

/// Classifies a check-in (the grace window is closed at both ends).
pub fn arrival(slot_start_ms: i64, now_ms: i64, grace_ms: i64) -> Arrival {
    if now_ms < slot_start_ms - grace_ms {
        Arrival::Early {
            opens_ms: slot_start_ms - grace_ms,
        }
    } else if now_ms <= slot_start_ms + grace_ms {
        Arrival::OnTime
    } else {
        Arrival::Late
    }
}

/// A booking not checked in by the end of its slot plus the grace is a no-show.
pub fn no_show_after(slot_start_ms: i64, grace_ms: i64) -> i64 {
    slot_start_ms + SLOT_MS + grace_ms
}

/// True when a phone with `recent_no_shows` must book at the guide desk instead.
pub fn needs_guide_desk(recent_no_shows: i64, policy: &AppointmentPolicy) -> bool {
    recent_no_shows >= i64::from(policy.no_show_limit)
}

/// The public page's refusal for a phone over the no-show limit.
pub fn guide_desk_message(limit: u32) -> String {
    format!(
        "您近 90 天内已有 {limit} 次预约未到，请到营业厅引导台预约 · \
         {limit} missed bookings in the last 90 days: please book at the hall's guide desk"
    )
}

/// Which reminder is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reminder {
    /// The day before, 24 h ahead of the slot.
    DayBefore,
    /// One hour ahead.
    HourBefore,
}

impl Reminder {
    pub fn lead_ms(self) -> i64 {
        match self {
            Self::DayBefore => 24 * 3_600_000,
            Self::HourBefore => 3_600_000,
        }
    }
}

/// The reminders a booking made at `booked_at_ms` for a slot at `slot_start_ms` still
/// needs: one whose time had passed when the customer booked is not sent (booking at 9:30
/// for 10:00 needs no "in one hour").
pub fn reminders_needed(booked_at_ms: i64, slot_start_ms: i64) -> Vec<Reminder> {
    [Reminder::DayBefore, Reminder::HourBefore]
        .into_iter()
        .filter(|r| slot_start_ms - r.lead_ms() > booked_at_ms)
        .collect()
}

/// True when `r` should be sent now.
pub fn reminder_due(r: Reminder, slot_start_ms: i64, now_ms: i64) -> bool {
    now_ms >= slot_start_ms - r.lead_ms() && now_ms < slot_start_ms
}
