//! Deadline clocks, folded from their events and measured on a [`WorkClock`].
//!
//! A clock starts, may pause (waiting for the customer's documents or their requested
//! date) and resume, and stops when its step completes. Conventions:
//! - Paused time does not count, up to [`ClockPolicy::pause_cap_ms`] of elapsed pause time
//!   per clock (default 30 calendar days); beyond the cap, time counts again even while the
//!   clock stays paused, so a pause cannot hide a case forever.
//! - The limit is measured in the clock's own measure: working time for working days and
//!   hours (so a working-days limit is the working time from the start to the close of
//!   business of its last day), elapsed time for calendar days and hours.
//! - A paused clock's deadline is the one it would have if resumed now.
//! - A warning level at a share below 1 is reached when the share is at least that much;
//!   a level at 1 or more (the breach) only once the time is exceeded.

use super::limits::{Amount, WorkClock};
use serde::{Deserialize, Serialize};

/// One event of one clock, as rebuilt from a case's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ClockEvent {
    Started {
        at: i64,
    },
    Paused {
        at: i64,
        reason: String,
        by: Option<i64>,
    },
    Resumed {
        at: i64,
    },
    Stopped {
        at: i64,
    },
}

impl ClockEvent {
    pub fn at(&self) -> i64 {
        match self {
            Self::Started { at }
            | Self::Paused { at, .. }
            | Self::Resumed { at }
            | Self::Stopped { at } => *at,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    NotStarted,
    Running,
    Paused,
    Stopped,
}

impl ClockState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::Running => "running",
            Self::Paused => "paused",
            Self::Stopped => "stopped",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::NotStarted => "未开始",
            Self::Running => "计时中",
            Self::Paused => "已暂停",
            Self::Stopped => "已结束",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error("该时限当前{label}，只有计时中的时限才能暂停 clock {key} is {state} ({label}); only a running clock can be paused", state = .state.as_str(), label = .state.label_zh())]
    PauseNotRunning { key: String, state: ClockState },
    #[error("该时限当前{label}，只有已暂停的时限才能恢复计时 clock {key} is {state} ({label}); only a paused clock can be resumed", state = .state.as_str(), label = .state.label_zh())]
    ResumeNotPaused { key: String, state: ClockState },
    #[error("该时限已结束，不能再次结束 clock {key} has already stopped; it cannot stop again")]
    StoppedTwice { key: String },
    #[error("该时限尚未开始计时，不能结束 clock {key} has not started yet; it cannot stop")]
    StopNotStarted { key: String },
    #[error("该时限已开始计时 clock {key} has already started")]
    StartedTwice { key: String },
    #[error(
        "计时记录的时间早于上一条记录，请按时间顺序记录 clock {key}: an event at {at} comes before the previous one at {last}"
    )]
    OutOfOrder { key: String, at: i64, last: i64 },
    #[error(
        "暂停计时须填写原因，例如“等待客户补充资料” a pause needs a reason, e.g. 等待客户补充资料 / waiting for the customer's documents"
    )]
    PauseWithoutReason,
}

/// A clock's history so far: when it started and stopped, and its pauses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockLog {
    pub key: String,
    pub state: ClockState,
    pub started_at: Option<i64>,
    pub stopped_at: Option<i64>,
    /// (start, end) of each pause; the end is `None` while it lasts.
    pub pauses: Vec<(i64, Option<i64>)>,
    /// Why the clock is paused now (empty otherwise).
    pub pause_reason: String,
    last_at: i64,
}

impl ClockLog {
    pub fn new(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            state: ClockState::NotStarted,
            started_at: None,
            stopped_at: None,
            pauses: Vec::new(),
            pause_reason: String::new(),
            last_at: i64::MIN,
        }
    }

    /// Rebuilds a clock from its events in order.
    pub fn from_events<'a>(
        key: impl Into<String>,
        events: impl IntoIterator<Item = &'a ClockEvent>,
    ) -> Result<Self, ClockError> {
        let mut log = Self::new(key);
        for e in events {
            log.apply(e)?;
        }
        Ok(log)
    }

    /// Applies one event, refusing what the clock's state does not allow.
    pub fn apply(&mut self, e: &ClockEvent) -> Result<(), ClockError> {
        let key = || self.key.clone();
        if e.at() < self.last_at {
            return Err(ClockError::OutOfOrder {
                key: key(),
                at: e.at(),
                last: self.last_at,
            });
        }
        match (e, self.state) {
            (ClockEvent::Started { at }, ClockState::NotStarted) => {
                self.started_at = Some(*at);
                self.state = ClockState::Running;
            }
            (ClockEvent::Started { .. }, _) => return Err(ClockError::StartedTwice { key: key() }),
            (ClockEvent::Paused { reason, .. }, _) if reason.trim().is_empty() => {
                return Err(ClockError::PauseWithoutReason);
            }
            (ClockEvent::Paused { at, reason, .. }, ClockState::Running) => {
                self.pauses.push((*at, None));
                self.pause_reason = reason.trim().to_string();
                self.state = ClockState::Paused;
            }
            (ClockEvent::Paused { .. }, state) => {
                return Err(ClockError::PauseNotRunning { key: key(), state });
            }
            (ClockEvent::Resumed { at }, ClockState::Paused) => {
                self.end_pause(*at);
                self.state = ClockState::Running;
            }
            (ClockEvent::Resumed { .. }, state) => {
                return Err(ClockError::ResumeNotPaused { key: key(), state });
            }
            (ClockEvent::Stopped { at }, ClockState::Running | ClockState::Paused) => {
                self.end_pause(*at);
                self.stopped_at = Some(*at);
                self.state = ClockState::Stopped;
            }
            (ClockEvent::Stopped { .. }, ClockState::Stopped) => {
                return Err(ClockError::StoppedTwice { key: key() });
            }
            (ClockEvent::Stopped { .. }, ClockState::NotStarted) => {
                return Err(ClockError::StopNotStarted { key: key() });
            }
        }
        self.last_at = e.at();
        Ok(())
    }

    fn end_pause(&mut self, at: i64) {
        if let Some(last) = self.pauses.last_mut().filter(|p| p.1.is_none()) {
            last.1 = Some(at);
        }
        self.pause_reason.clear();
    }
}

/// Who hears about a clock as it runs out: owner → hall manager → city supervisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningLevel {
    Owner,
    HallManager,
    Supervisor,
}

impl WarningLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::HallManager => "hall_manager",
            Self::Supervisor => "supervisor",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Owner => "提醒责任人",
            Self::HallManager => "预警值班长",
            Self::Supervisor => "超时督办（市公司）",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "owner" => Some(Self::Owner),
            "hall_manager" => Some(Self::HallManager),
            "supervisor" => Some(Self::Supervisor),
            _ => None,
        }
    }
}

/// How clocks are judged: the pause cap and the warning thresholds (share of the limit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClockPolicy {
    pub pause_cap_ms: i64,
    /// Ascending shares with the level each reaches; 1.0 is the breach.
    pub thresholds: Vec<(f64, WarningLevel)>,
}

impl Default for ClockPolicy {
    fn default() -> Self {
        Self {
            pause_cap_ms: 30 * 24 * 3_600_000,
            thresholds: vec![
                (0.5, WarningLevel::Owner),
                (0.8, WarningLevel::HallManager),
                (1.0, WarningLevel::Supervisor),
            ],
        }
    }
}

/// What a screen or a figure needs of one clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    /// Not started yet (a later step's clock).
    Pending,
    Running,
    Paused,
    /// Stopped within the limit.
    Met,
    /// Stopped after the limit.
    Breached,
}

impl ClockStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Running => "running",
            Self::Paused => "paused",
            Self::Met => "met",
            Self::Breached => "breached",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Pending => "未开始",
            Self::Running => "计时中",
            Self::Paused => "已暂停",
            Self::Met => "按时完成",
            Self::Breached => "超时完成",
        }
    }
}

/// A clock evaluated at an instant. Times are ms in the clock's measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClockView {
    pub status: ClockStatus,
    pub started_at: Option<i64>,
    pub stopped_at: Option<i64>,
    pub limit_ms: i64,
    pub elapsed_ms: i64,
    /// Negative once overdue (by that much).
    pub remaining_ms: i64,
    /// Elapsed ÷ limit.
    pub share: f64,
    /// When the limit is (or was) reached; for a paused clock, if resumed now.
    pub deadline: Option<i64>,
    pub overdue: bool,
    /// Elapsed pause time that did not count (within the cap).
    pub excused_ms: i64,
    /// The highest warning level reached, if any.
    pub level: Option<WarningLevel>,
    /// Every level reached, in order.
    pub levels: Vec<WarningLevel>,
}

/// Evaluates a clock with limit `amount` from its log, at `now`.
pub fn evaluate(
    amount: Amount,
    log: &ClockLog,
    now: i64,
    policy: &ClockPolicy,
    wc: &dyn WorkClock,
) -> ClockView {
    let Some(start) = log.started_at else {
        return ClockView {
            status: ClockStatus::Pending,
            started_at: None,
            stopped_at: None,
            limit_ms: 0,
            elapsed_ms: 0,
            remaining_ms: 0,
            share: 0.0,
            deadline: None,
            overdue: false,
            excused_ms: 0,
            level: None,
            levels: Vec::new(),
        };
    };
    let m = amount.measure();
    let end = log.stopped_at.unwrap_or(now).max(start);
    // Excused stretches: each pause up to the cap left, ending at `end` at the latest.
    let mut cap_left = policy.pause_cap_ms.max(0);
    let mut excused = Vec::new();
    let mut excused_ms = 0;
    for &(p, r) in &log.pauses {
        let p = p.clamp(start, end);
        let r = r.unwrap_or(end).clamp(p, end);
        let take = (r - p).min(cap_left);
        cap_left -= take;
        excused_ms += take;
        if take > 0 {
            excused.push((p, p + take));
        }
    }
    let limit = wc.between(start, wc.deadline(start, amount), m);
    let elapsed = wc.between(start, end, m)
        - excused
            .iter()
            .map(|&(a, b)| wc.between(a, b, m))
            .sum::<i64>();
    // Walk the running stretches until the limit is used up.
    let mut cursor = start;
    let mut left = limit;
    let mut deadline = None;
    for &(a, b) in &excused {
        let used = wc.between(cursor, a, m);
        if used >= left {
            deadline = Some(wc.advance(cursor, left, m));
            break;
        }
        left -= used;
        cursor = b.max(cursor);
    }
    let deadline = deadline.unwrap_or_else(|| wc.advance(cursor, left, m));
    let share = elapsed as f64 / limit.max(1) as f64;
    let levels: Vec<WarningLevel> = policy
        .thresholds
        .iter()
        .filter(|(t, _)| {
            let bar = t * limit as f64;
            if *t < 1.0 {
                elapsed as f64 >= bar
            } else {
                elapsed as f64 > bar
            }
        })
        .map(|(_, l)| *l)
        .collect();
    // A limit used up exactly at the end of a working day is overdue once that instant
    // has passed, although no further working time accrues over the night or weekend.
    let overdue = elapsed > limit || (elapsed >= limit && end > deadline);
    let status = match log.state {
        ClockState::NotStarted => ClockStatus::Pending,
        ClockState::Running => ClockStatus::Running,
        ClockState::Paused => ClockStatus::Paused,
        ClockState::Stopped if overdue => ClockStatus::Breached,
        ClockState::Stopped => ClockStatus::Met,
    };
    ClockView {
        status,
        started_at: Some(start),
        stopped_at: log.stopped_at,
        limit_ms: limit,
        elapsed_ms: elapsed,
        remaining_ms: limit - elapsed,
        share,
        deadline: Some(deadline),
        overdue,
        excused_ms,
        level: levels.iter().copied().max(),
        levels,
    }
}
