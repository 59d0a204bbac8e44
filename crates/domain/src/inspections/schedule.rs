//! 检查计划 · schedules: when a hall's daily checks are due and what state each is in.
//!
//! Every state is a pure function of the time, the hall's windows and the checks recorded,
//! so the dashboard, the site-check list, the counter's gate and the period figures all
//! agree. A check counts for its window when it is submitted between the window's start
//! and its end plus the grace; after the end it counts as done late.

use serde::{Deserialize, Serialize};

/// What a missing pre-shift check does to a clerk opening a counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PreShiftMode {
    /// The counter does not open until the clerk's check of the day is recorded.
    Block,
    /// The counter opens, and the console says the check is missing.
    #[default]
    Warn,
}

impl PreShiftMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Block => "block",
            Self::Warn => "warn",
        }
    }
}

/// A window of the hall-local day in minutes after midnight, written `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: u32,
    pub end: u32,
}

impl Window {
    pub const fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }

    /// `08:00–08:30`
    pub fn label(&self) -> String {
        format!("{}–{}", hm(self.start), hm(self.end))
    }

    /// Unix milliseconds of the start and end on the day beginning at `midnight_ms`
    /// (hall-local midnight; a day with a clock change is off by that hour, which halls
    /// in China never see).
    pub fn on(&self, midnight_ms: i64) -> (i64, i64) {
        (
            midnight_ms + i64::from(self.start) * 60_000,
            midnight_ms + i64::from(self.end) * 60_000,
        )
    }
}

fn hm(m: u32) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Parses `HH:MM` into minutes after midnight.
pub fn parse_hm(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && s.trim().len() == 5).then_some(h * 60 + m)
}

impl Serialize for Window {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (hm(self.start), hm(self.end)).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Window {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (a, b) = <(String, String)>::deserialize(d)?;
        let bad = |v: &str| {
            serde::de::Error::custom(format!("时间须为 HH:MM · time must be HH:MM, got {v:?}"))
        };
        Ok(Self {
            start: parse_hm(&a).ok_or_else(|| bad(&a))?,
            end: parse_hm(&b).ok_or_else(|| bad(&b))?,
        })
    }
}

/// The daily checks a schedule knows, each run with the shipped checklist of that code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    /// 班前定妆上岗: one per clerk, before the clerk's counter opens.
    PreShift,
    Opening,
    Midday,
    Closing,
}

impl Slot {
    pub const ALL: [Slot; 4] = [Slot::PreShift, Slot::Opening, Slot::Midday, Slot::Closing];
    pub const HALL: [Slot; 3] = [Slot::Opening, Slot::Midday, Slot::Closing];

    /// The checklist code an inspection of this slot runs.
    pub fn template_code(self) -> &'static str {
        match self {
            Self::PreShift => "pre_shift_grooming",
            Self::Opening => "opening",
            Self::Midday => "midday",
            Self::Closing => "closing",
        }
    }

    pub fn for_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.template_code() == code)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PreShift => "pre_shift",
            Self::Opening => "opening",
            Self::Midday => "midday",
            Self::Closing => "closing",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::PreShift => "班前定妆上岗 · Pre-shift",
            Self::Opening => "开门营业前 · Opening",
            Self::Midday => "午间巡查 · Midday",
            Self::Closing => "营业结束 · Closing",
        }
    }
}

/// A hall's schedule, set by its manager or an administrator (audited field by field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub pre_shift_mode: PreShiftMode,
    /// When the pre-shift checks are done; its end is when counters are meant to open.
    pub pre_shift: Window,
    pub opening: Window,
    pub midday: Window,
    pub closing: Window,
    /// Minutes after a window's end during which a check is late rather than missed.
    pub grace_min: u32,
    /// 整改期限: working days to put right a failed critical item, and any other item
    /// (a schedule stored before these existed reads the defaults 1 and 3).
    #[serde(default = "default_rect_critical")]
    pub rect_critical_days: u32,
    #[serde(default = "default_rect_other")]
    pub rect_other_days: u32,
}

fn default_rect_critical() -> u32 {
    crate::inspections::rectification::CRITICAL_WORKING_DAYS
}

fn default_rect_other() -> u32 {
    crate::inspections::rectification::OTHER_WORKING_DAYS
}

impl Default for Schedule {
    /// A hall opening at 08:30 and closing at 17:30.
    fn default() -> Self {
        Self {
            pre_shift_mode: PreShiftMode::Warn,
            pre_shift: Window::new(8 * 60, 8 * 60 + 30),
            opening: Window::new(8 * 60, 8 * 60 + 30),
            midday: Window::new(12 * 60, 13 * 60 + 30),
            closing: Window::new(17 * 60 + 30, 18 * 60 + 30),
            grace_min: 30,
            rect_critical_days: default_rect_critical(),
            rect_other_days: default_rect_other(),
        }
    }
}

impl Schedule {
    pub fn window(&self, slot: Slot) -> Window {
        match slot {
            Slot::PreShift => self.pre_shift,
            Slot::Opening => self.opening,
            Slot::Midday => self.midday,
            Slot::Closing => self.closing,
        }
    }

    /// The hall's rectification limits.
    pub fn rectification_limits(&self) -> crate::inspections::rectification::Limits {
        crate::inspections::rectification::Limits {
            critical_days: self.rect_critical_days,
            other_days: self.rect_other_days,
        }
    }

    pub fn grace_ms(&self) -> i64 {
        i64::from(self.grace_min) * 60_000
    }

    /// What a manager can set wrong, said in both languages.
    pub fn validate(&self) -> Result<(), String> {
        for slot in Slot::ALL {
            let w = self.window(slot);
            if w.start >= w.end {
                return Err(format!(
                    "{}的时段须先开始后结束（现为 {}） · the {} window must start before it ends (is {})",
                    slot.label().split(" · ").next().unwrap_or(""),
                    w.label(),
                    slot.as_str(),
                    w.label()
                ));
            }
        }
        if self.grace_min > 240 {
            return Err(format!(
                "宽限时间须在 0–240 分钟之间（现为 {}） · grace must be 0–240 minutes (is {})",
                self.grace_min, self.grace_min
            ));
        }
        self.rectification_limits().validate()
    }
}

/// Where a scheduled check stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckState {
    /// Its window has not opened yet.
    Upcoming,
    /// Its window is open and it is not done.
    Due,
    /// Past its window (or the counter opened without it) and not done; still in the grace.
    Late,
    /// Not done, and the grace is over.
    Missed,
    Done,
}

impl CheckState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Upcoming => "未到时间 · upcoming",
            Self::Due => "待检查 · due",
            Self::Late => "已超时 · late",
            Self::Missed => "漏检 · missed",
            Self::Done => "已完成 · done",
        }
    }
}

/// A check's state and, when done, the submission it counts and whether that was late.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotStatus {
    pub state: CheckState,
    pub done_at: Option<i64>,
    pub done_late: bool,
}

fn open_state(start: i64, end: i64, grace: i64, now: i64) -> CheckState {
    if now < start {
        CheckState::Upcoming
    } else if now <= end {
        CheckState::Due
    } else if now <= end + grace {
        CheckState::Late
    } else {
        CheckState::Missed
    }
}

/// A hall check (opening, midday, closing) on the day starting at `midnight_ms`:
/// `submitted` are the submission times of that checklist's inspections that day.
pub fn hall_check(
    window: Window,
    grace_ms: i64,
    midnight_ms: i64,
    submitted: &[i64],
    now: i64,
) -> SlotStatus {
    let (start, end) = window.on(midnight_ms);
    if let Some(&at) = submitted
        .iter()
        .filter(|&&t| t >= start && t <= end + grace_ms)
        .min()
    {
        return SlotStatus {
            state: CheckState::Done,
            done_at: Some(at),
            done_late: at > end,
        };
    }
    SlotStatus {
        state: open_state(start, end, grace_ms, now),
        done_at: None,
        done_late: false,
    }
}

/// A clerk's pre-shift check on the day starting at `midnight_ms`. `submitted` are the
/// clerk's pre-shift submissions that day, `first_open` the clerk's first counter opening.
///
/// Any submission that day counts (a clerk on a later shift is checked later), but it is
/// late when it comes after the window or after the counter opened. `None`: the clerk has
/// not been checked, has not opened a counter, and the window and its grace are over — off
/// duty today, so nothing is owed.
pub fn clerk_check(
    window: Window,
    grace_ms: i64,
    midnight_ms: i64,
    submitted: &[i64],
    first_open: Option<i64>,
    now: i64,
) -> Option<SlotStatus> {
    let (start, end) = window.on(midnight_ms);
    if let Some(&at) = submitted.iter().filter(|&&t| t >= midnight_ms).min() {
        return Some(SlotStatus {
            state: CheckState::Done,
            done_at: Some(at),
            done_late: at > end || first_open.is_some_and(|o| o < at),
        });
    }
    let state = match first_open {
        // Working without the check: late until the grace is over.
        Some(_) if now <= end + grace_ms => CheckState::Late,
        Some(_) => CheckState::Missed,
        None => match open_state(start, end, grace_ms, now) {
            CheckState::Missed => return None,
            s => s,
        },
    };
    Some(SlotStatus {
        state,
        done_at: None,
        done_late: false,
    })
}

/// What opening a counter meets when the clerk's pre-shift check is not recorded today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    Open,
    /// Opens, with this to show on the console.
    Warn(String),
    /// Refused (409) with this message.
    Block(String),
}

pub fn pre_shift_gate(mode: PreShiftMode, checked_today: bool, clerk: &str) -> Gate {
    if checked_today {
        return Gate::Open;
    }
    match mode {
        PreShiftMode::Block => Gate::Block(format!(
            "{clerk}今天的班前定妆上岗检查尚未记录，本厅要求检查后才能开窗，请值班长先完成检查 · \
             {clerk}'s pre-shift check is not recorded today; this hall opens a counter only after it — ask the hall manager to check first"
        )),
        PreShiftMode::Warn => Gate::Warn(format!(
            "{clerk}今天的班前定妆上岗检查尚未记录，请尽快请值班长检查 · \
             {clerk}'s pre-shift check is not recorded today; ask the hall manager to check soon"
        )),
    }
}
