//! `site_checks_done_rate` and `site_checks_missed` (现场检查完成率 · 漏检次数): a day's
//! scheduled site checks (the hall's opening, midday and closing checks and each clerk's
//! pre-shift check) settled as done or missed, by the same state functions as the site-check
//! list and the missed-checks KRI (`inspections::schedule`, `risks::missed`), so the three
//! never disagree. A check still upcoming, due or in its grace is neither yet.

use crate::inspections::schedule::{CheckState, Slot, clerk_check, hall_check};
use crate::risks::missed::CheckDay;

/// (done, missed) of one day as of `now` (a past day: a time after its end). A day with no
/// counter opened and no check recorded is a day the hall did not open: nothing is owed.
pub fn check_tally(d: &CheckDay<'_>, now: i64) -> (i64, i64) {
    if d.checks.is_empty() && d.openings.is_empty() {
        return (0, 0);
    }
    let grace = d.schedule.grace_ms();
    let mut states = Vec::new();
    for slot in Slot::HALL {
        let times: Vec<i64> = d
            .checks
            .iter()
            .filter(|c| c.slot == slot)
            .map(|c| c.at)
            .collect();
        states.push(hall_check(d.schedule.window(slot), grace, d.midnight_ms, &times, now).state);
    }
    for &clerk in d.clerks {
        let times: Vec<i64> = d
            .checks
            .iter()
            .filter(|c| c.slot == Slot::PreShift && c.subject == Some(clerk))
            .map(|c| c.at)
            .collect();
        let first_open = d
            .openings
            .iter()
            .filter(|(s, _)| *s == clerk)
            .map(|(_, at)| *at)
            .min();
        let pre = d.schedule.pre_shift;
        if let Some(st) = clerk_check(pre, grace, d.midnight_ms, &times, first_open, now) {
            states.push(st.state);
        }
    }
    let count = |s: CheckState| states.iter().filter(|x| **x == s).count() as i64;
    (count(CheckState::Done), count(CheckState::Missed))
}
