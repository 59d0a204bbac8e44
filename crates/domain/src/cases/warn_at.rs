//! When a running or paused clock will reach each warning level if nothing else happens —
//! the instants the store indexes so its warning scan reads only the clocks that are due.
//!
//! Same conventions as [`super::clock::evaluate`]: an open pause keeps excusing time until
//! the pause cap is used up, then time counts again; a share below 1 is reached when the
//! elapsed time is at least that share of the limit, the breach (share ≥ 1) once it is more.
//! A pause, resume or stop changes the answer, so the store recomputes it on every clock
//! transition; [`super::clock::evaluate`] stays the authority on what has been reached.

use super::clock::{ClockLog, ClockPolicy, ClockState, WarningLevel};
use super::limits::{Amount, WorkClock};

/// Each warning level of `policy` with the instant it is reached; empty unless the clock is
/// running or paused.
pub fn warning_instants(
    amount: Amount,
    log: &ClockLog,
    policy: &ClockPolicy,
    wc: &dyn WorkClock,
) -> Vec<(WarningLevel, i64)> {
    let Some(start) = log.started_at else {
        return Vec::new();
    };
    if !matches!(log.state, ClockState::Running | ClockState::Paused) {
        return Vec::new();
    }
    let m = amount.measure();
    // Excused stretches as `evaluate` will see them at any later instant: closed pauses as
    // they were, an open one up to the cap left.
    let mut cap_left = policy.pause_cap_ms.max(0);
    let mut excused = Vec::new();
    for &(p, r) in &log.pauses {
        let p = p.max(start);
        let r = r.unwrap_or(i64::MAX).max(p);
        let take = (r - p).min(cap_left);
        cap_left -= take;
        if take > 0 {
            excused.push((p, p + take));
        }
    }
    let limit = wc.between(start, wc.deadline(start, amount), m);
    let reach = |target: i64| {
        let mut cursor = start;
        let mut left = target;
        for &(a, b) in &excused {
            let used = wc.between(cursor, a, m);
            if used >= left {
                return wc.advance(cursor, left, m);
            }
            left -= used;
            cursor = b.max(cursor);
        }
        wc.advance(cursor, left, m)
    };
    policy
        .thresholds
        .iter()
        .map(|&(t, level)| {
            let bar = t * limit as f64;
            let target = if t < 1.0 {
                bar.ceil() as i64
            } else {
                bar.floor() as i64 + 1
            };
            (level, reach(target.max(0)))
        })
        .collect()
}

/// The earliest instant among levels not yet recorded.
pub fn next_warning_at(instants: &[(WarningLevel, i64)], recorded: &[WarningLevel]) -> Option<i64> {
    instants
        .iter()
        .filter(|(l, _)| !recorded.contains(l))
        .map(|(_, at)| *at)
        .min()
}
