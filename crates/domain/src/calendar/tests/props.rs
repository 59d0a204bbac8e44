//! Properties over thousands of random instants from 2019 to 2027 (covered years and the
//! uncovered ones on both sides), drawn from a seeded splitmix64 so failures repeat.

use super::*;
use crate::calendar::{DayKind, Pause, Period};
use chrono::{Datelike, Duration};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> i64 {
        (self.next() % n) as i64
    }
    /// A random instant on a whole minute between 2019-01-01 and 2027-12-31.
    fn instant(&mut self) -> i64 {
        bj(2019, 1, 1, 0, 0) + self.below(9 * 365 * 1440) * M
    }
}

const CASES: usize = 4000;

/// Working or not, decided from the day's kind (holiday list and weekday), not the table.
fn working(d: chrono::NaiveDate) -> bool {
    matches!(cal().day(d).kind, DayKind::Workday | DayKind::MakeUpWorkday)
}

fn local(ms: i64) -> chrono::NaiveDateTime {
    DateTime::from_timestamp_millis(ms)
        .unwrap()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .naive_local()
}

fn tod(ms: i64) -> i64 {
    let t = local(ms).time();
    i64::from(chrono::Timelike::num_seconds_from_midnight(&t)) * 1000
}

#[test]
fn working_hours_round_trip_and_land_inside_working_hours() {
    let hours = cal().hours().clone();
    let mut r = Rng(1);
    for _ in 0..CASES {
        let from = r.instant();
        let dur = (1 + r.below(200 * 60)) * M;
        let d = cal().add_working_hours(from, dur).unwrap().value;
        assert_eq!(
            cal().working_time_between(from, d).unwrap().value,
            dur,
            "{} + {dur}",
            show(from)
        );
        assert!(working(local(d).date()), "{} on a day off", show(d));
        let t = tod(d);
        assert!(
            hours.spans().iter().any(|&(s, e)| s < t && t <= e),
            "{} outside working hours",
            show(d)
        );
        let longer = cal().add_working_hours(from, dur + M).unwrap().value;
        assert!(longer > d, "monotone");
        assert_eq!(
            cal().working_time_between(d, from).unwrap().value,
            -dur,
            "antisymmetric"
        );
    }
}

#[test]
fn working_days_match_a_day_by_day_count() {
    let close = cal().hours().closing_ms();
    let mut r = Rng(2);
    for _ in 0..CASES {
        let from = r.instant();
        let n = r.below(120) as u32;
        let d = cal().add_working_days(from, n).unwrap().value;
        // Reference: walk forward from the day after acceptance.
        let mut day = local(from).date();
        let mut left = n;
        if n == 0 {
            while !working(day) {
                day += Duration::days(1);
            }
        }
        while left > 0 {
            day += Duration::days(1);
            if working(day) {
                left -= 1;
            }
        }
        assert_eq!(local(d).date(), day, "{} + {n} working days", show(from));
        assert_eq!(tod(d), close, "close of business");
        if n > 0 {
            assert_eq!(
                cal().working_days_between(from, d).unwrap().value,
                i64::from(n)
            );
        }
        let next = cal().add_working_days(from, n + 1).unwrap().value;
        // Strictly, except 0 → 1 when accepted on a day off (both are the next working day).
        assert!(next > d || (n == 0 && next == d), "monotone in N");
    }
}

#[test]
fn calendar_days_end_on_the_first_working_day_from_day_n() {
    let mut r = Rng(3);
    for _ in 0..CASES {
        let from = r.instant();
        let n = r.below(60) as u32;
        let d = cal().add_calendar_days(from, n).unwrap().value;
        let mut day = local(from).date() + Duration::days(i64::from(n));
        while !working(day) {
            day += Duration::days(1);
        }
        assert_eq!(local(d).date(), day, "{} + {n} days", show(from));
        let next = cal().add_calendar_days(from, n + 1).unwrap().value;
        assert!(next >= d, "monotone in N");
    }
}

#[test]
fn pauses_are_given_back_exactly() {
    let mut r = Rng(4);
    for _ in 0..CASES {
        let from = r.instant();
        let dur = (1 + r.below(80 * 60)) * M;
        let pauses: Vec<Pause> = (0..r.below(4))
            .map(|_| {
                let start = from + (r.below(30 * 1440) - 1440) * M;
                Pause {
                    start_ms: start,
                    end_ms: start + r.below(10 * 1440) * M,
                }
            })
            .collect();
        let d = cal()
            .deadline_paused(from, Period::WorkingHours(dur), &pauses)
            .unwrap()
            .value;
        assert_eq!(
            cal()
                .working_time_between_paused(from, d, &pauses)
                .unwrap()
                .value,
            dur,
            "{} + {dur} with {pauses:?}",
            show(from)
        );
        let plain = cal().add_working_hours(from, dur).unwrap().value;
        assert!(d >= plain, "a pause never brings a deadline forward");
        let h = cal()
            .deadline_paused(from, Period::Hours(dur), &pauses)
            .unwrap()
            .value;
        assert_eq!(
            Calendar::elapsed_between_paused(from, h, &pauses).unwrap(),
            dur
        );
        let wd = cal()
            .deadline_paused(from, Period::WorkingDays(1 + r.below(20) as u32), &pauses)
            .unwrap()
            .value;
        assert!(working(local(wd).date()), "{}", show(wd));
    }
}

#[test]
fn uncovered_years_are_reported_exactly_when_reached() {
    let mut r = Rng(5);
    for _ in 0..CASES {
        let from = r.instant();
        let n = r.below(400) as u32;
        let c = cal().add_working_days(from, n).unwrap();
        let (y0, y1) = (local(from).year(), local(c.value).year());
        let expected: Vec<i32> = (y0..=y1).filter(|y| !(2020..=2026).contains(y)).collect();
        assert_eq!(c.uncovered_years, expected);
    }
}
