//! Time limits and the arithmetic they need. Clocks never do date arithmetic themselves:
//! they ask a [`WorkClock`], so the same evaluation runs on the official working-day
//! calendar in production ([`super::calendar_clock`]) and on [`WeekdayClock`] in tests.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The three kinds of limit in the seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    /// 规定时限: set by regulation.
    Statutory,
    /// 承诺时限: promised by the company (十项承诺).
    Promised,
    /// 预约时限: agreed with the customer.
    Appointment,
}

impl LimitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Statutory => "statutory",
            Self::Promised => "promised",
            Self::Appointment => "appointment",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Statutory => "规定时限",
            Self::Promised => "承诺时限",
            Self::Appointment => "预约时限",
        }
    }
}

impl FromStr for LimitKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "statutory" => Ok(Self::Statutory),
            "promised" => Ok(Self::Promised),
            "appointment" => Ok(Self::Appointment),
            other => Err(format!(
                "没有这种时限类型，应为规定时限、承诺时限或预约时限 unknown limit kind {other:?}; expected statutory, promised or appointment"
            )),
        }
    }
}

/// A time limit's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "unit", content = "n", rename_all = "snake_case")]
pub enum Amount {
    WorkingDays(u32),
    WorkingHours(u32),
    CalendarDays(u32),
    Hours(u32),
}

/// How time is counted against a limit: working time only, or all elapsed time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Working,
    Elapsed,
}

impl Amount {
    pub fn measure(self) -> Measure {
        match self {
            Self::WorkingDays(_) | Self::WorkingHours(_) => Measure::Working,
            Self::CalendarDays(_) | Self::Hours(_) => Measure::Elapsed,
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Self::WorkingDays(_) => "working_days",
            Self::WorkingHours(_) => "working_hours",
            Self::CalendarDays(_) => "calendar_days",
            Self::Hours(_) => "hours",
        }
    }

    pub fn n(self) -> u32 {
        match self {
            Self::WorkingDays(n)
            | Self::WorkingHours(n)
            | Self::CalendarDays(n)
            | Self::Hours(n) => n,
        }
    }

    /// Builds from the stored unit name and count.
    pub fn from_parts(unit: &str, n: i64) -> Result<Self, String> {
        let n = u32::try_from(n)
            .map_err(|_| format!("时限不能为负数 a time limit must be 0 or more (got {n})"))?;
        match unit {
            "working_days" => Ok(Self::WorkingDays(n)),
            "working_hours" => Ok(Self::WorkingHours(n)),
            "calendar_days" => Ok(Self::CalendarDays(n)),
            "hours" => Ok(Self::Hours(n)),
            other => Err(format!(
                "没有这种时限单位，应为工作日、工作小时、自然日或小时 unknown time unit {other:?}; expected working_days, working_hours, calendar_days or hours"
            )),
        }
    }

    /// `3 个工作日`, `24 小时` …
    pub fn label_zh(self) -> String {
        match self {
            Self::WorkingDays(n) => format!("{n} 个工作日"),
            Self::WorkingHours(n) => format!("{n} 个工作小时"),
            Self::CalendarDays(n) => format!("{n} 天"),
            Self::Hours(n) => format!("{n} 小时"),
        }
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.n(), self.unit())
    }
}

/// Deadline arithmetic a clock needs. Instants are unix ms; amounts of time are ms.
pub trait WorkClock {
    /// The deadline of `amount` started at `from_ms`, by the calendar's counting rules
    /// (e.g. working days end at the close of business of the N-th working day).
    fn deadline(&self, from_ms: i64, amount: Amount) -> i64;
    /// Time from `from_ms` to `to_ms` that counts under `measure` (0 when `to` ≤ `from`).
    fn between(&self, from_ms: i64, to_ms: i64, measure: Measure) -> i64;
    /// The earliest instant by which `ms` of `measure` time has passed after `from_ms`.
    fn advance(&self, from_ms: i64, ms: i64, measure: Measure) -> i64;
    /// Whether counting from `from_ms` to `to_ms` reaches a year the calendar only counts
    /// provisionally (its official holiday schedule is not imported).
    fn provisional(&self, _from_ms: i64, _to_ms: i64) -> bool {
        false
    }
}

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
/// Working spans of a day in ms since local midnight: 08:30–12:00, 13:30–17:30.
const SPANS: [(i64, i64); 2] = [
    (8 * HOUR + 30 * 60_000, 12 * HOUR),
    (13 * HOUR + 30 * 60_000, 17 * HOUR + 30 * 60_000),
];
const CLOSE: i64 = SPANS[1].1;

/// A weekends-only calendar: Monday to Friday, 08:30–12:00 and 13:30–17:30, UTC+8
/// (Asia/Shanghai has no daylight saving). No holidays — for tests and as a fallback.
/// Counting follows the same conventions as [`crate::calendar`].
#[derive(Debug, Clone, Copy, Default)]
pub struct WeekdayClock;

impl WeekdayClock {
    const OFFSET: i64 = 8 * HOUR;

    fn day(at: i64) -> i64 {
        (at + Self::OFFSET).div_euclid(DAY)
    }

    fn start_of(day: i64) -> i64 {
        day * DAY - Self::OFFSET
    }

    /// 1970-01-01 was a Thursday.
    fn working(day: i64) -> bool {
        (day + 3).rem_euclid(7) < 5
    }

    fn working_ms(a: i64, b: i64) -> i64 {
        if b <= a {
            return 0;
        }
        let mut total = 0;
        for d in Self::day(a)..=Self::day(b) {
            if !Self::working(d) {
                continue;
            }
            let s = Self::start_of(d);
            for (x, y) in SPANS {
                let lo = a.max(s + x);
                let hi = b.min(s + y);
                total += (hi - lo).max(0);
            }
        }
        total
    }
}

impl WorkClock for WeekdayClock {
    fn deadline(&self, from_ms: i64, amount: Amount) -> i64 {
        let d0 = Self::day(from_ms);
        match amount {
            Amount::WorkingDays(0) => {
                let mut d = d0;
                while !Self::working(d) {
                    d += 1;
                }
                Self::start_of(d) + CLOSE
            }
            Amount::WorkingDays(n) => {
                let (mut d, mut left) = (d0, n);
                while left > 0 {
                    d += 1;
                    if Self::working(d) {
                        left -= 1;
                    }
                }
                Self::start_of(d) + CLOSE
            }
            Amount::WorkingHours(n) => self.advance(from_ms, i64::from(n) * HOUR, Measure::Working),
            Amount::CalendarDays(n) => {
                let mut d = d0 + i64::from(n);
                while !Self::working(d) {
                    d += 1;
                }
                Self::start_of(d) + CLOSE
            }
            Amount::Hours(n) => from_ms + i64::from(n) * HOUR,
        }
    }

    fn between(&self, from_ms: i64, to_ms: i64, measure: Measure) -> i64 {
        match measure {
            Measure::Elapsed => (to_ms - from_ms).max(0),
            Measure::Working => Self::working_ms(from_ms, to_ms),
        }
    }

    fn advance(&self, from_ms: i64, ms: i64, measure: Measure) -> i64 {
        if ms <= 0 {
            return from_ms;
        }
        if measure == Measure::Elapsed {
            return from_ms + ms;
        }
        let mut left = ms;
        let mut d = Self::day(from_ms);
        loop {
            if Self::working(d) {
                let s = Self::start_of(d);
                for (x, y) in SPANS {
                    let lo = from_ms.max(s + x);
                    let avail = (s + y - lo).max(0);
                    if avail >= left {
                        return lo + left;
                    }
                    left -= avail;
                }
            }
            d += 1;
        }
    }
}
