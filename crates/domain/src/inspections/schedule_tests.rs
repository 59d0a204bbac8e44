//! The schedule states at the edges of their windows.

use super::schedule::*;

const MIN: i64 = 60_000;
/// Hall-local midnight of the day under test (any instant works: windows are offsets).
const DAY: i64 = 1_780_000_000_000;

fn at(h: i64, m: i64) -> i64 {
    DAY + (h * 60 + m) * MIN
}

fn opening() -> Window {
    Window::new(8 * 60, 8 * 60 + 30)
}

const GRACE: i64 = 30 * MIN;

#[test]
fn a_hall_check_goes_upcoming_due_late_missed_by_the_clock() {
    let w = opening();
    let state = |now| hall_check(w, GRACE, DAY, &[], now).state;
    assert_eq!(state(at(7, 59)), CheckState::Upcoming);
    assert_eq!(state(at(8, 0)), CheckState::Due);
    assert_eq!(state(at(8, 30)), CheckState::Due);
    assert_eq!(state(at(8, 31)), CheckState::Late);
    assert_eq!(state(at(9, 0)), CheckState::Late);
    assert_eq!(state(at(9, 1)), CheckState::Missed);
}

#[test]
fn a_hall_check_is_done_on_time_or_late_and_only_inside_window_and_grace() {
    let w = opening();
    let on_time = hall_check(w, GRACE, DAY, &[at(8, 40), at(8, 20)], at(15, 0));
    assert_eq!(on_time.state, CheckState::Done);
    assert_eq!(on_time.done_at, Some(at(8, 20)));
    assert!(!on_time.done_late);
    let late = hall_check(w, GRACE, DAY, &[at(8, 45)], at(15, 0));
    assert_eq!((late.state, late.done_late), (CheckState::Done, true));
    // Before the window, or after the grace, a submission is not this window's check.
    let outside = hall_check(w, GRACE, DAY, &[at(7, 0), at(11, 0)], at(15, 0));
    assert_eq!(outside.state, CheckState::Missed);
    assert_eq!(outside.done_at, None);
}

#[test]
fn a_clerk_who_opened_without_the_check_is_late_then_missed() {
    let w = opening();
    let s = |now| clerk_check(w, GRACE, DAY, &[], Some(at(8, 10)), now).map(|s| s.state);
    assert_eq!(s(at(8, 15)), Some(CheckState::Late));
    assert_eq!(s(at(9, 0)), Some(CheckState::Late));
    assert_eq!(s(at(9, 1)), Some(CheckState::Missed));
}

#[test]
fn a_clerk_not_yet_at_a_counter_is_due_then_off_duty() {
    let w = opening();
    let s = |now| clerk_check(w, GRACE, DAY, &[], None, now).map(|s| s.state);
    assert_eq!(s(at(7, 0)), Some(CheckState::Upcoming));
    assert_eq!(s(at(8, 5)), Some(CheckState::Due));
    assert_eq!(s(at(8, 50)), Some(CheckState::Late));
    // Never came in and never checked: not on duty, so nothing is missed.
    assert_eq!(s(at(10, 0)), None);
}

#[test]
fn a_clerk_check_after_the_counter_opened_is_done_late() {
    let w = opening();
    let before = clerk_check(w, GRACE, DAY, &[at(8, 5)], Some(at(8, 10)), at(12, 0)).unwrap();
    assert_eq!((before.state, before.done_late), (CheckState::Done, false));
    let after = clerk_check(w, GRACE, DAY, &[at(8, 15)], Some(at(8, 10)), at(12, 0)).unwrap();
    assert_eq!((after.state, after.done_late), (CheckState::Done, true));
    // A later shift checked in the afternoon before opening is done, but after the window.
    let pm = clerk_check(w, GRACE, DAY, &[at(13, 0)], Some(at(13, 5)), at(14, 0)).unwrap();
    assert_eq!((pm.state, pm.done_late), (CheckState::Done, true));
}

#[test]
fn the_gate_blocks_or_warns_only_without_a_check() {
    assert_eq!(
        pre_shift_gate(PreShiftMode::Block, true, "王芳"),
        Gate::Open
    );
    match pre_shift_gate(PreShiftMode::Block, false, "王芳") {
        Gate::Block(m) => assert!(m.starts_with("王芳今天") && m.contains(" · ")),
        other => panic!("expected a block, got {other:?}"),
    }
    assert!(matches!(
        pre_shift_gate(PreShiftMode::Warn, false, "王芳"),
        Gate::Warn(_)
    ));
}

#[test]
fn a_schedule_reads_and_checks_its_windows() {
    let s: Schedule = serde_norway::from_str(
        "pre_shift_mode: block\npre_shift: ['07:45', '08:25']\nopening: ['08:00', '08:30']\n\
         midday: ['12:00', '13:00']\nclosing: ['17:30', '18:00']\ngrace_min: 20\n",
    )
    .unwrap();
    assert_eq!(s.pre_shift, Window::new(7 * 60 + 45, 8 * 60 + 25));
    assert_eq!(s.pre_shift_mode, PreShiftMode::Block);
    assert!(s.validate().is_ok());
    // A schedule kept before the rectification limits existed reads our defaults.
    assert_eq!((s.rect_critical_days, s.rect_other_days), (1, 3));
    let long = Schedule {
        rect_other_days: 31,
        ..s.clone()
    };
    assert!(long.validate().unwrap_err().contains("1–30"));
    let back: Schedule = serde_norway::from_str(&serde_norway::to_string(&s).unwrap()).unwrap();
    assert_eq!(back, s);
    let bad = Schedule {
        midday: Window::new(13 * 60, 12 * 60),
        ..Schedule::default()
    };
    let e = bad.validate().unwrap_err();
    assert!(e.starts_with("午间巡查") && e.contains("midday"), "{e}");
    assert!(serde_norway::from_str::<Window>("['8:00', '09:00']").is_err());
    assert!(serde_norway::from_str::<Window>("['24:00', '09:00']").is_err());
}
