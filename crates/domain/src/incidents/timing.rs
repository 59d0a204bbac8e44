//! When a playbook's steps fall due, and which are late.

use super::Step;
use serde::{Deserialize, Serialize};

const MINUTE: i64 = 60_000;

/// Where a step stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Pending,
    /// Not done and past its due time.
    Overdue,
    Done,
    /// Done, but after its due time.
    DoneLate,
}

impl StepStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "待办 · to do",
            Self::Overdue => "已超时 · overdue",
            Self::Done => "已完成 · done",
            Self::DoneLate => "超时完成 · done late",
        }
    }
}

/// When `step` is due for an incident declared at `declared_at` (milliseconds).
pub fn due_at(declared_at: i64, step: &Step) -> i64 {
    declared_at + i64::from(step.due_minutes) * MINUTE
}

/// The step's status at `now`, given when (if) it was done. A step due "at once" (0 min)
/// gets a minute's grace: nobody ticks a box in the same second the incident is declared.
pub fn status(declared_at: i64, step: &Step, done_at: Option<i64>, now: i64) -> StepStatus {
    let due = due_at(declared_at, step).max(declared_at + MINUTE);
    match done_at {
        Some(t) if t > due => StepStatus::DoneLate,
        Some(_) => StepStatus::Done,
        None if now > due => StepStatus::Overdue,
        None => StepStatus::Pending,
    }
}

/// Seconds left until the step is due (negative: overdue by that much).
pub fn seconds_left(declared_at: i64, step: &Step, now: i64) -> i64 {
    (due_at(declared_at, step).max(declared_at + MINUTE) - now) / 1000
}
