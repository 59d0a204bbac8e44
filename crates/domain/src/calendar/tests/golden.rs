//! Golden values on the State Council schedules, each worked out by hand in its comment.

use super::*;
use crate::calendar::{DayKind, Pause, Period};

#[test]
fn national_day_2024_four_working_hours() {
    // Mon 2024-09-30 16:00: 16:00–17:30 is 1 h 30 m. 10-01..10-07 are holidays. Tue 10-08
    // opens 08:30; the remaining 2 h 30 m end at 11:00.
    let d = cal()
        .add_working_hours(bj(2024, 9, 30, 16, 0), 4 * H)
        .unwrap();
    assert_eq!(show(d.value), "2024-10-08T11:00:00+08:00");
    assert!(d.uncovered_years.is_empty());
    let back = cal().working_time_between(bj(2024, 9, 30, 16, 0), d.value);
    assert_eq!(back.unwrap().value, 4 * H);
}

#[test]
fn national_day_2024_five_working_days_end_on_the_make_up_saturday() {
    // Accepted Mon 09-30 (not counted). 10-01..10-07 holidays; 10-08 (1), 10-09 (2),
    // 10-10 (3), 10-11 (4), Sat 10-12 is a make-up working day (5): close of business 17:30.
    let d = cal().add_working_days(bj(2024, 9, 30, 9, 0), 5).unwrap();
    assert_eq!(show(d.value), "2024-10-12T17:30:00+08:00");
}

#[test]
fn spring_festival_2025_with_its_make_up_days() {
    // Accepted Fri 2025-01-24. Sat 01-25 is a weekend; Sun 01-26 is a make-up day (1);
    // Mon 01-27 (2); 01-28..02-04 holiday; Wed 02-05 (3); 02-06 (4); 02-07 (5);
    // Sat 02-08 make-up (6).
    let from = bj(2025, 1, 24, 10, 0);
    let days = |n| show(cal().add_working_days(from, n).unwrap().value);
    assert_eq!(days(1), "2025-01-26T17:30:00+08:00");
    assert_eq!(days(2), "2025-01-27T17:30:00+08:00");
    assert_eq!(days(3), "2025-02-05T17:30:00+08:00");
    assert_eq!(days(5), "2025-02-07T17:30:00+08:00");
    assert_eq!(days(6), "2025-02-08T17:30:00+08:00");
}

#[test]
fn spring_festival_2026_accepted_friday_13_february() {
    // Accepted Fri 2026-02-13. Sat 02-14 make-up (1); 02-15..02-23 holiday (nine days);
    // Tue 02-24 (2); Wed 02-25 (3).
    let d = cal().add_working_days(bj(2026, 2, 13, 15, 0), 3).unwrap();
    assert_eq!(show(d.value), "2026-02-25T17:30:00+08:00");
    // 02-26 (4), 02-27 (5), Sat 02-28 make-up (6).
    let d = cal().add_working_days(bj(2026, 2, 13, 15, 0), 6).unwrap();
    assert_eq!(show(d.value), "2026-02-28T17:30:00+08:00");
}

#[test]
fn after_hours_counts_from_the_next_opening() {
    // Mon 2024-09-30 18:00 is after hours; the holiday follows; the hour runs 10-08 08:30–09:30.
    let d = cal().add_working_hours(bj(2024, 9, 30, 18, 0), H).unwrap();
    assert_eq!(show(d.value), "2024-10-08T09:30:00+08:00");
    // Working days ignore the hour of acceptance: 18:00 on 09-30 is still day 0.
    let d = cal().add_working_days(bj(2024, 9, 30, 18, 0), 1).unwrap();
    assert_eq!(show(d.value), "2024-10-08T17:30:00+08:00");
}

#[test]
fn working_hours_skip_lunch_and_end_at_noon_exactly() {
    // Mon 2025-03-03 11:00: 11:00–12:00 (1 h), lunch, 13:30–14:30 (1 h).
    let d = cal()
        .add_working_hours(bj(2025, 3, 3, 11, 0), 2 * H)
        .unwrap();
    assert_eq!(show(d.value), "2025-03-03T14:30:00+08:00");
    // Exactly one hour ends at 12:00, not at the 13:30 reopening.
    let d = cal().add_working_hours(bj(2025, 3, 3, 11, 0), H).unwrap();
    assert_eq!(show(d.value), "2025-03-03T12:00:00+08:00");
    // Accepted during lunch: counts from 13:30.
    let d = cal()
        .add_working_hours(bj(2025, 3, 3, 12, 30), 30 * M)
        .unwrap();
    assert_eq!(show(d.value), "2025-03-03T14:00:00+08:00");
}

#[test]
fn calendar_days_ending_on_a_holiday_move_to_the_next_working_day() {
    // Accepted Sun 2025-09-28; 3 calendar days end 10-01, a holiday (10-01..10-08), so the
    // deadline is the close of business of Thu 10-09.
    let d = cal().add_calendar_days(bj(2025, 9, 28, 10, 0), 3).unwrap();
    assert_eq!(show(d.value), "2025-10-09T17:30:00+08:00");
    // Ending on an ordinary weekday: Mon 2025-03-03 + 2 = Wed 03-05 17:30.
    let d = cal().add_calendar_days(bj(2025, 3, 3, 10, 0), 2).unwrap();
    assert_eq!(show(d.value), "2025-03-05T17:30:00+08:00");
    // Ending on a make-up Saturday stays there: Thu 2025-10-09 + 2 = Sat 10-11 (调休上班).
    let d = cal().add_calendar_days(bj(2025, 10, 9, 10, 0), 2).unwrap();
    assert_eq!(show(d.value), "2025-10-11T17:30:00+08:00");
}

#[test]
fn hours_are_plain_elapsed_time() {
    let d = cal().add_hours(bj(2024, 9, 30, 16, 0), 24 * H).unwrap();
    assert_eq!(show(d.value), "2024-10-01T16:00:00+08:00");
}

#[test]
fn a_pause_over_a_holiday_costs_only_the_working_time_it_covers() {
    // As in the 4-hour example, paused from Mon 2024-09-30 17:00 to Tue 10-08 09:00: it
    // covers 17:00–17:30 and 08:30–09:00 = 1 h of working time, so the deadline moves from
    // 11:00 to 12:00 on 10-08 (exactly the end of the morning).
    let pause = Pause {
        start_ms: bj(2024, 9, 30, 17, 0),
        end_ms: bj(2024, 10, 8, 9, 0),
    };
    let from = bj(2024, 9, 30, 16, 0);
    let d = cal()
        .deadline_paused(from, Period::WorkingHours(4 * H), &[pause])
        .unwrap();
    assert_eq!(show(d.value), "2024-10-08T12:00:00+08:00");
    let left = cal().working_time_between_paused(from, d.value, &[pause]);
    assert_eq!(left.unwrap().value, 4 * H);
}

#[test]
fn the_built_in_calendar_knows_its_days() {
    let c = cal();
    assert_eq!(c.covered_years(), (2020..=2026).collect::<Vec<_>>());
    assert!(!c.is_working_day(date(2026, 2, 16)).value);
    assert!(c.is_working_day(date(2026, 2, 14)).value);
    assert_eq!(c.day(date(2026, 2, 14)).kind, DayKind::MakeUpWorkday);
    assert_eq!(c.day(date(2026, 2, 16)).name, "春节");
    assert_eq!(c.day(date(2026, 3, 7)).kind, DayKind::Weekend);
    assert!(c.is_working_day(date(2020, 2, 3)).value);
    assert!(
        !c.is_working_day(date(2020, 2, 1)).value,
        "the 2020 extension"
    );
    assert!(
        !c.is_working_day(date(2022, 12, 31)).value,
        "元旦 2023 begins"
    );
    // Working days per year: days − weekend days − statutory holiday days, e.g. 2024:
    // 366 − 104 − 11 = 251; 2025 and 2026 (13 statutory days since the 2025 reform):
    // 365 − 104 − 13 = 248. Make-up days give back the weekend days a holiday borrowed.
    let expected = [249, 250, 249, 249, 251, 248, 248];
    for (y, want) in (2020..=2026).zip(expected) {
        let n = date(y, 1, 1)
            .iter_days()
            .take_while(|d| *d < date(y + 1, 1, 1))
            .filter(|d| c.is_working_day(*d).value)
            .count();
        assert_eq!(n, want, "{y}");
    }
}

#[test]
fn a_year_without_a_schedule_is_counted_provisionally_and_says_so() {
    // Wed 2026-12-30 + 5 working days: Thu 12-31 (1); Fri 2027-01-01 is 元旦 by the
    // statutory rules (2027 has no imported schedule); Mon 01-04 (2), 01-05 (3), 01-06 (4),
    // Thu 01-07 (5).
    let d = cal().add_working_days(bj(2026, 12, 30, 10, 0), 5).unwrap();
    assert_eq!(show(d.value), "2027-01-07T17:30:00+08:00");
    assert_eq!(d.uncovered_years, vec![2027]);
    assert!(d.provisional());
    assert!(d.warnings()[0].contains("2027 年节假日安排尚未导入，暂按法定节假日推算"));
    let day = cal().is_working_day(date(2027, 1, 1));
    assert!(!day.value && day.provisional());
    assert!(cal().day(date(2019, 6, 1)).provisional());
    let inside = cal().add_working_days(bj(2026, 3, 2, 10, 0), 5).unwrap();
    assert!(inside.uncovered_years.is_empty() && !inside.provisional());
}

#[test]
fn nonsense_is_refused_not_guessed() {
    use crate::calendar::CalendarError;
    assert_eq!(
        cal().add_working_hours(bj(2025, 1, 2, 9, 0), -H),
        Err(CalendarError::Negative)
    );
    assert_eq!(
        cal().add_working_days(bj(2025, 1, 2, 9, 0), u32::MAX),
        Err(CalendarError::OutOfRange)
    );
    let bad = Pause {
        start_ms: 10,
        end_ms: 5,
    };
    assert_eq!(
        cal().deadline_paused(bj(2025, 1, 2, 9, 0), Period::Hours(H), &[bad]),
        Err(CalendarError::BadPause)
    );
}
