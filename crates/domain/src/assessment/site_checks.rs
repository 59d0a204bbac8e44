//! `site_checks_done_rate` and `site_checks_missed` (现场检查完成率 · 漏检次数): a day's
//! scheduled site checks (the hall's opening, midday and closing checks and each clerk's
//! pre-shift check) settled as done or missed, by the same state functions as the site-check
//! list and the missed-checks KRI (`inspections::schedule`, `risks::missed`), so the three
//! never disagree. A check still upcoming, due or in its grace is neither yet.

use crate::inspections::schedule::CheckState;
use crate::risks::missed::{CheckDay, day_states};

/// (done, missed) of one day as of `now` (a past day: a time after its end). A day with no
/// counter opened and no check recorded is a day the hall did not open: nothing is owed.
pub fn check_tally(d: &CheckDay<'_>, now: i64) -> (i64, i64) {
    let states = day_states(d, now);
    let count = |s: CheckState| states.iter().filter(|x| **x == s).count() as i64;
    (count(CheckState::Done), count(CheckState::Missed))
}
