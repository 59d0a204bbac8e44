//! 漏检现场检查 · the missed-site-checks KRI's daily count: the hall checks (opening, midday,
//! closing) and the clerks' pre-shift checks that ended the day missed, by the same state
//! functions as the site-check list (`inspections::schedule`), so the KRI and the list agree.

use crate::inspections::schedule::{CheckState, Schedule, Slot, clerk_check, hall_check};

/// A submitted check of the day: its checklist's slot, whom it checked (pre-shift) and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoneCheck {
    pub slot: Slot,
    pub subject: Option<i64>,
    pub at: i64,
}

/// What one hall-local day's count is made from.
#[derive(Debug, Clone, Copy)]
pub struct CheckDay<'a> {
    pub schedule: &'a Schedule,
    /// Hall-local midnight of the day, unix ms.
    pub midnight_ms: i64,
    pub checks: &'a [DoneCheck],
    /// (clerk, when a counter was opened) that day.
    pub openings: &'a [(i64, i64)],
    /// The hall's active clerks.
    pub clerks: &'a [i64],
}

/// The checks of the day missed as of `now` (a past day: pass a time after its end). A
/// check still due or in its grace is not missed yet.
pub fn missed_checks(d: &CheckDay<'_>, now: i64) -> i64 {
    day_states(d, now)
        .iter()
        .filter(|s| **s == CheckState::Missed)
        .count() as i64
}

/// The state of each check the day owed, as of `now`: the hall's checks, then each clerk's
/// pre-shift check. A day with no counter opened and no check recorded is a day the hall did
/// not open (a weekend, a holiday): it owed nothing, as in the site-check list and the
/// figures. A clerk who neither opened a counter nor was checked was off duty and owes no
/// pre-shift check.
pub fn day_states(d: &CheckDay<'_>, now: i64) -> Vec<CheckState> {
    if d.checks.is_empty() && d.openings.is_empty() {
        return Vec::new();
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
    states
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;
    const DAY: i64 = 1_000 * 86_400 * 1_000;

    fn at(h: i64, m: i64) -> i64 {
        DAY + (h * 60 + m) * MIN
    }

    fn done(slot: Slot, subject: Option<i64>, at: i64) -> DoneCheck {
        DoneCheck { slot, subject, at }
    }

    #[test]
    fn a_closed_day_misses_nothing() {
        let s = Schedule::default();
        let d = CheckDay {
            schedule: &s,
            midnight_ms: DAY,
            checks: &[],
            openings: &[],
            clerks: &[1, 2],
        };
        assert_eq!(missed_checks(&d, at(23, 0)), 0);
    }

    #[test]
    fn counts_hall_checks_and_pre_shift_checks_missed_by_the_end_of_the_day() {
        let s = Schedule::default();
        // Opening done on time, midday done late within grace, closing never done;
        // clerk 1 checked then opened, clerk 2 opened unchecked, clerk 3 off duty.
        let checks = [
            done(Slot::Opening, None, at(8, 20)),
            done(Slot::Midday, None, at(13, 50)),
            done(Slot::PreShift, Some(1), at(8, 5)),
        ];
        let openings = [(1, at(8, 30)), (2, at(8, 35))];
        let d = CheckDay {
            schedule: &s,
            midnight_ms: DAY,
            checks: &checks,
            openings: &openings,
            clerks: &[1, 2, 3],
        };
        // Closing (17:30–18:30, grace 30 min) and clerk 2's pre-shift check.
        assert_eq!(missed_checks(&d, at(23, 59)), 2);
        // At 15:00 the closing is still upcoming: only clerk 2 is missed.
        assert_eq!(missed_checks(&d, at(15, 0)), 1);
        // At 08:45 clerk 2 is late, not yet missed (grace runs to 09:00).
        assert_eq!(missed_checks(&d, at(8, 45)), 0);
    }

    #[test]
    fn a_check_outside_its_window_and_grace_does_not_count() {
        let s = Schedule::default();
        let checks = [done(Slot::Opening, None, at(11, 0))];
        let d = CheckDay {
            schedule: &s,
            midnight_ms: DAY,
            checks: &checks,
            openings: &[],
            clerks: &[],
        };
        // Opening submitted at 11:00 is past its grace: opening, midday and closing missed.
        assert_eq!(missed_checks(&d, at(23, 0)), 3);
    }
}
