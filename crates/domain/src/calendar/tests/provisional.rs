//! Provisional years (暂按法定节假日推算): 2027 and 2028 day by day against the statutory
//! rules of 《全国年节及纪念日放假办法》 (2024), with independently known lunar dates, and
//! the built-in official years left as published.

use super::*;
use crate::calendar::{DayKind, statutory_year};
use chrono::{Datelike, Weekday};

/// The statutory holidays of a year, written out by hand from the rules and known dates.
fn rules(
    y: i32,
    eve: (u32, u32),
    qingming: u32,
    duanwu: (u32, u32),
    ma: (u32, u32),
) -> Vec<NaiveDate> {
    let mut days = vec![date(y, 1, 1)];
    let eve = date(y, eve.0, eve.1);
    days.extend(eve.iter_days().take(4)); // 除夕 through 正月初三
    days.push(date(y, 4, qingming));
    days.extend([date(y, 5, 1), date(y, 5, 2)]);
    days.push(date(y, duanwu.0, duanwu.1));
    days.push(date(y, ma.0, ma.1));
    days.extend([date(y, 10, 1), date(y, 10, 2), date(y, 10, 3)]);
    days.sort();
    days.dedup();
    days
}

fn check_year(y: i32, holidays: &[NaiveDate]) {
    let c = cal();
    assert!(
        !c.is_covered(y),
        "{y} must not have an official schedule for this test"
    );
    let mut working = 0;
    for d in date(y, 1, 1).iter_days().take_while(|d| d.year() == y) {
        let day = c.day(d);
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        let holiday = holidays.contains(&d);
        assert_eq!(day.working, !weekend && !holiday, "{d}: {day:?}");
        assert_ne!(
            day.kind,
            DayKind::MakeUpWorkday,
            "no 调休 in a provisional year: {d}"
        );
        assert_eq!(day.kind == DayKind::Holiday, holiday, "{d}: {day:?}");
        assert!(day.provisional(), "{d}");
        let counted = c.is_working_day(d);
        assert_eq!(counted.value, day.working);
        assert_eq!(counted.uncovered_years, vec![y]);
        working += usize::from(day.working);
    }
    let weekday_holidays = holidays
        .iter()
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .count();
    let weekdays = date(y, 1, 1)
        .iter_days()
        .take_while(|d| d.year() == y)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .count();
    assert_eq!(working, weekdays - weekday_holidays, "{y}");
}

#[test]
fn provisional_2027_follows_the_statutory_rules_day_by_day() {
    // 除夕 Feb 5, 春节 Feb 6, 清明 Apr 5, 端午 Jun 9, 中秋 Sep 15.
    let h = rules(2027, (2, 5), 5, (6, 9), (9, 15));
    check_year(2027, &h);
    assert_eq!(cal().day(date(2027, 2, 8)).name, "春节");
    assert_eq!(cal().day(date(2027, 9, 15)).name, "中秋节");
    assert!(
        cal().day(date(2027, 2, 9)).working,
        "春节 is four days: 初四 is a working day"
    );
    assert!(cal().day(date(2027, 5, 3)).working, "劳动节 is two days");
    assert!(
        cal().day(date(2027, 10, 4)).working,
        "国庆 is three days: Mon 10-04 works"
    );
}

#[test]
fn provisional_2028_follows_the_statutory_rules_day_by_day() {
    // 除夕 Jan 25, 春节 Jan 26, 清明 Apr 4, 端午 May 28, 中秋 Oct 3 (on 国庆).
    let h = rules(2028, (1, 25), 4, (5, 28), (10, 3));
    check_year(2028, &h);
    assert_eq!(cal().day(date(2028, 10, 3)).name, "中秋节、国庆节");
    assert!(
        cal().day(date(2028, 10, 4)).working,
        "no extra day when 中秋 meets 国庆"
    );
}

#[test]
fn the_statutory_year_lists_each_holiday_once_in_order() {
    let y = statutory_year(2027).unwrap();
    let names: Vec<&str> = y.holidays.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "元旦",
            "春节",
            "清明节",
            "劳动节",
            "端午节",
            "中秋节",
            "国庆节"
        ]
    );
    assert_eq!(
        (y.holidays[1].first, y.holidays[1].last),
        (date(2027, 2, 5), date(2027, 2, 8))
    );
    assert!(y.workdays.is_empty());
    assert!(
        statutory_year(2100).is_none(),
        "beyond the lunar table: weekends only"
    );
}

#[test]
fn statutory_dates_fall_inside_every_published_holiday_range() {
    // The official 2020–2026 ranges contain each statutory day the provisional rules place
    // (the notices extend holidays, they do not move them), which checks the lunar table.
    for y in 2020..=2026 {
        let official = cal().schedule(y).unwrap();
        for e in &statutory_year(y).unwrap().holidays {
            for d in e.first.iter_days().take_while(|d| *d <= e.last) {
                if e.name == "春节" && d == e.first && y < 2025 {
                    continue; // before 2025 the 除夕 was not a statutory holiday
                }
                let inside = official
                    .holidays
                    .iter()
                    .any(|o| o.first <= d && d <= o.last);
                assert!(inside, "{y}: {} {d} is outside the notice", e.name);
            }
        }
    }
}

#[test]
fn importing_the_official_year_replaces_the_provisional_one() {
    let official = crate::calendar::parse_years(
        "year 2027 示例 sample\nholiday 2027-02-05..2027-02-11 春节\nworkday 2027-02-20 春节调休\n",
    )
    .unwrap();
    let c = cal().with_years(official);
    assert!(c.is_covered(2027));
    let jan1 = c.day(date(2027, 1, 1));
    assert!(
        jan1.working && !jan1.provisional(),
        "only what the sample notice lists"
    );
    assert!(c.day(date(2027, 2, 20)).working);
    assert!(!c.day(date(2028, 1, 1)).working, "2028 stays provisional");
    assert!(c.day(date(2028, 1, 1)).provisional());
}
