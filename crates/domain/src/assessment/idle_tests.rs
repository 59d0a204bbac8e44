//! The idle share's and the site checks' day figures.

use super::idle::{StatusChange, TicketStep, day_start, idle_by_day};
use super::site_checks::check_tally;
use crate::inspections::schedule::{Schedule, Slot};
use crate::risks::missed::{CheckDay, DoneCheck, missed_checks};

const MIN: i64 = 60_000;
const D: i64 = 20_000;

fn at(h: i64, m: i64) -> i64 {
    day_start(D) + (h * 60 + m) * MIN
}

fn change(counter_id: i64, open: bool, at: i64) -> StatusChange {
    StatusChange {
        counter_id,
        open,
        at,
    }
}

fn step(ticket_id: i64, state: &str, counter_id: Option<i64>, at: i64) -> TicketStep<'_> {
    TicketStep {
        ticket_id,
        state,
        counter_id,
        at,
    }
}

#[test]
fn idle_is_open_time_with_no_ticket_called_or_in_service() {
    // Counter 1 open 09:00–10:00, paused 10:00–10:30, open again to 11:00.
    let changes = [
        change(1, true, at(9, 0)),
        change(1, false, at(10, 0)),
        change(1, true, at(10, 30)),
        change(1, false, at(11, 0)),
    ];
    // A ticket called 09:10, served 09:12, finished 09:30; a no-show 09:50–09:55; a ticket
    // held at 10:40 (not in service), and one in service while paused (not open time).
    let steps = [
        step(1, "waiting", None, at(8, 50)),
        step(1, "called", Some(1), at(9, 10)),
        step(1, "serving", None, at(9, 12)),
        step(1, "finished", Some(1), at(9, 30)),
        step(2, "called", Some(1), at(9, 50)),
        step(2, "no_show", Some(1), at(9, 55)),
        step(3, "called", Some(1), at(10, 35)),
        step(3, "held", Some(1), at(10, 40)),
        step(4, "serving", Some(1), at(10, 5)),
        step(4, "finished", Some(1), at(10, 20)),
    ];
    let days = idle_by_day(&changes, &steps, D, at(23, 0));
    // Open 90 min; in service 20 + 5 + 5 = 30 min of it.
    assert_eq!(days.get(&D), Some(&(60 * MIN, 90 * MIN)));
    assert_eq!(days.len(), 1);
}

#[test]
fn a_spell_stops_at_now_and_at_the_end_of_the_next_day() {
    let changes = [change(7, true, at(9, 0))];
    // As of 09:30 today: 30 min open, all idle.
    let days = idle_by_day(&changes, &[], D, at(9, 30));
    assert_eq!(days.get(&D), Some(&(30 * MIN, 30 * MIN)));
    // Left open: it counts to the end of the next day and stops there.
    let days = idle_by_day(&changes, &[], D, at(24 * 5, 0));
    assert_eq!(days.get(&D), Some(&(15 * 60 * MIN, 15 * 60 * MIN)));
    assert_eq!(days.get(&(D + 1)), Some(&(24 * 60 * MIN, 24 * 60 * MIN)));
    assert_eq!(days.len(), 2);
    // Counting from the next day on keeps only that day: a day's figure needs only its own
    // and the day before's records.
    let days = idle_by_day(&changes, &[], D + 1, at(24 * 5, 0));
    assert_eq!(days.keys().copied().collect::<Vec<_>>(), vec![D + 1]);
}

#[test]
fn a_call_moved_to_another_counter_ends_the_first_spell() {
    let changes = [change(1, true, at(9, 0)), change(2, true, at(9, 0))];
    let steps = [
        step(5, "called", Some(1), at(9, 0)),
        step(5, "called", Some(2), at(9, 20)),
        step(5, "finished", Some(2), at(9, 40)),
    ];
    let days = idle_by_day(&changes, &steps, D, at(10, 0));
    // Two counters open an hour each; 20 min in service at each.
    assert_eq!(days.get(&D), Some(&(80 * MIN, 120 * MIN)));
}

fn done(slot: Slot, subject: Option<i64>, at: i64) -> DoneCheck {
    DoneCheck { slot, subject, at }
}

#[test]
fn site_checks_tally_done_and_missed_as_the_kri_counts_missed() {
    let s = Schedule::default();
    let midnight = day_start(D);
    let checks = [
        done(Slot::Opening, None, at(8, 20)),
        done(Slot::Midday, None, at(13, 50)),
        done(Slot::PreShift, Some(1), at(8, 5)),
    ];
    let openings = [(1, at(8, 30)), (2, at(8, 35))];
    let d = CheckDay {
        schedule: &s,
        midnight_ms: midnight,
        checks: &checks,
        openings: &openings,
        clerks: &[1, 2, 3],
    };
    // Opening, midday and clerk 1 done; closing and clerk 2 missed; clerk 3 off duty.
    assert_eq!(check_tally(&d, at(23, 59)), (3, 2));
    assert_eq!(check_tally(&d, at(23, 59)).1, missed_checks(&d, at(23, 59)));
    // At 15:00 the closing is neither yet.
    assert_eq!(check_tally(&d, at(15, 0)), (3, 1));
    // A day the hall did not open owes nothing.
    let closed = CheckDay {
        checks: &[],
        openings: &[],
        ..d
    };
    assert_eq!(check_tally(&closed, at(23, 59)), (0, 0));
}
