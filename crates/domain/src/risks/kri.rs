//! Key risk indicators (关键风险指标): what the system already records, counted per day over
//! a rolling window, with amber and red thresholds. The store counts; this decides.

use serde::{Deserialize, Serialize};

/// What a KRI counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Case clocks that reached their deadline (超时限).
    DeadlineBreaches,
    /// Complaint cases opened (投诉).
    Complaints,
    /// 不满意 / 非常不满意 on the pad.
    BadRatings,
    /// Customers who came back for the same business (重复往返).
    RepeatTrips,
    /// Tickets called after waiting longer than the target.
    LongWaits,
    /// Tickets that were called and never came (过号).
    NoShows,
    /// Anti-gaming flags raised on the pads (评价异常).
    GamingFlags,
    /// Scheduled site checks (pre-shift per clerk, opening, midday, closing) missed (漏检).
    MissedChecks,
}

impl Measure {
    pub const ALL: [Measure; 8] = [
        Self::DeadlineBreaches,
        Self::Complaints,
        Self::BadRatings,
        Self::RepeatTrips,
        Self::LongWaits,
        Self::NoShows,
        Self::GamingFlags,
        Self::MissedChecks,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::DeadlineBreaches => "deadline_breaches",
            Self::Complaints => "complaints",
            Self::BadRatings => "bad_ratings",
            Self::RepeatTrips => "repeat_trips",
            Self::LongWaits => "long_waits",
            Self::NoShows => "no_shows",
            Self::GamingFlags => "gaming_flags",
            Self::MissedChecks => "missed_checks",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::DeadlineBreaches => "工单超时限",
            Self::Complaints => "投诉工单",
            Self::BadRatings => "差评",
            Self::RepeatTrips => "重复往返",
            Self::LongWaits => "等候超时",
            Self::NoShows => "过号",
            Self::GamingFlags => "评价异常",
            Self::MissedChecks => "漏检现场检查",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::DeadlineBreaches => "Deadline breaches",
            Self::Complaints => "Complaints",
            Self::BadRatings => "Bad ratings",
            Self::RepeatTrips => "Repeat trips",
            Self::LongWaits => "Waits over target",
            Self::NoShows => "No-shows",
            Self::GamingFlags => "Pad anti-gaming flags",
            Self::MissedChecks => "Missed site checks",
        }
    }
}

/// Which way is worse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsWorse,
    LowerIsWorse,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HigherIsWorse => "higher_is_worse",
            Self::LowerIsWorse => "lower_is_worse",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::HigherIsWorse, Self::LowerIsWorse]
            .into_iter()
            .find(|d| d.as_str() == s)
    }
}

/// Green, amber or red.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KriState {
    Green,
    Amber,
    Red,
}

impl KriState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Green => "green",
            Self::Amber => "amber",
            Self::Red => "red",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Green, Self::Amber, Self::Red]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Green => "正常",
            Self::Amber => "预警",
            Self::Red => "超限",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Green => "Normal",
            Self::Amber => "Amber",
            Self::Red => "Red",
        }
    }
}

/// The thresholds of one KRI and the window its value is counted over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    pub amber: i64,
    pub red: i64,
    pub direction: Direction,
    /// Days counted into each day's value (rolling), 1–90.
    pub window_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KriError {
    #[error(
        "预警值须不超过超限值（越高越差时） · amber ({amber}) must not be beyond red ({red}) in the worse direction"
    )]
    Order { amber: i64, red: i64 },
    #[error("阈值不能为负 · thresholds cannot be negative")]
    Negative,
    #[error("统计窗口须为 1–90 天 · the window must be 1–90 days, got {0}")]
    Window(u32),
}

impl Thresholds {
    pub fn validate(&self) -> Result<(), KriError> {
        if self.amber < 0 || self.red < 0 {
            return Err(KriError::Negative);
        }
        let ordered = match self.direction {
            Direction::HigherIsWorse => self.amber <= self.red,
            Direction::LowerIsWorse => self.amber >= self.red,
        };
        if !ordered {
            return Err(KriError::Order {
                amber: self.amber,
                red: self.red,
            });
        }
        if !(1..=90).contains(&self.window_days) {
            return Err(KriError::Window(self.window_days));
        }
        Ok(())
    }

    /// The state of a value: reaching a threshold (in the worse direction) enters it.
    pub fn state(&self, value: i64) -> KriState {
        let reached = |t: i64| match self.direction {
            Direction::HigherIsWorse => value >= t,
            Direction::LowerIsWorse => value <= t,
        };
        if reached(self.red) {
            KriState::Red
        } else if reached(self.amber) {
            KriState::Amber
        } else {
            KriState::Green
        }
    }
}

/// True when a new state is worse than the one before and not green: the moment the linked
/// risk is raised for review and its owner told. Staying red is not a new crossing.
pub fn crossed(before: KriState, now: KriState) -> bool {
    now > before
}

/// Which way the value moved since the day before, judged by the direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Worsening,
    Improving,
    Steady,
}

impl Trend {
    pub fn of(before: Option<i64>, now: i64, direction: Direction) -> Self {
        let Some(b) = before else {
            return Self::Steady;
        };
        let worse = match direction {
            Direction::HigherIsWorse => now > b,
            Direction::LowerIsWorse => now < b,
        };
        if now == b {
            Self::Steady
        } else if worse {
            Self::Worsening
        } else {
            Self::Improving
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Worsening => "worsening",
            Self::Improving => "improving",
            Self::Steady => "steady",
        }
    }

    /// An arrow and its words, for screens.
    pub fn label(self) -> &'static str {
        match self {
            Self::Worsening => "↑ 变差 worsening",
            Self::Improving => "↓ 好转 improving",
            Self::Steady => "→ 持平 steady",
        }
    }
}

/// A day's rolling value: the sum of the daily counts of the last `window` days, given the
/// counts oldest first ending on the day.
pub fn rolling(daily: &[i64], window: u32) -> i64 {
    let w = (window as usize).min(daily.len());
    daily[daily.len() - w..].iter().sum()
}
