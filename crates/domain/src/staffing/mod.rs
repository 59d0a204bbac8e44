//! The staffing advisor (排班建议): Erlang C for the counters a load needs, a discrete-event
//! simulation where Erlang's assumptions fail, the arrival forecast from the hall's history,
//! the day's advice and the replay of a past day under another plan. Pure and seeded.

pub mod actual;
pub mod erlang;
pub mod forecast;
pub mod plan;
pub mod replay;
pub mod sim;
#[cfg(test)]
mod tests;

pub use erlang::{Load, Prediction, erlang_b, erlang_c, predict, recommend};
pub use forecast::{Basis, Forecast, PastDay, SLOTS_PER_DAY, ServiceStats, forecast};
pub use plan::{DayInputs, SlotAdvice, advise};
pub use sim::{Customer, Outcome, Policy, Scenario, ServiceDist, Skills};

/// Why advice cannot be given, for a person to fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StaffingError {
    #[error("{zh} · {en}")]
    Input {
        field: &'static str,
        zh: &'static str,
        en: &'static str,
    },
    #[error("{counters} 个窗口承担不了 {erlangs:.2} 爱尔兰的业务量，排队会越来越长，请至少开 {min} 个窗口 · {counters} counters cannot carry {erlangs:.2} Erlangs: the queue grows without end; open at least {min}", min = .erlangs.floor() as u64 + 1)]
    Unstable { erlangs: f64, counters: u32 },
    #[error(
        "业务量 {erlangs:.1} 爱尔兰超出可计算范围（最多 500 个窗口） · a load of {erlangs:.1} Erlangs needs more than 500 counters"
    )]
    TooMany { erlangs: f64 },
    #[error(
        "计划须为 0 至 99 个窗口，时段须在 0 至 47 之间 · a plan is 0 to 99 counters per half-hour, slots 0 to 47"
    )]
    Plan,
}

/// Checks a counter plan a manager typed: at most 48 half-hours of 0..=99 counters.
pub fn check_plan(slots: &[(usize, u32)]) -> Result<(), StaffingError> {
    if slots.iter().any(|(s, c)| *s >= SLOTS_PER_DAY || *c > 99) {
        return Err(StaffingError::Plan);
    }
    Ok(())
}

/// "08:30" for slot 17.
pub fn slot_label(slot: usize) -> String {
    format!("{:02}:{:02}", slot / 2, (slot % 2) * 30)
}
