//! The import format: what it accepts, and every error with its line number.

use super::*;
use crate::calendar::{CN_HOLIDAYS, parse};

#[test]
fn the_built_in_file_parses() {
    let c = parse(CN_HOLIDAYS).unwrap();
    assert_eq!(c.covered_years(), (2020..=2026).collect::<Vec<_>>());
    assert_eq!(c.tz(), chrono_tz::Asia::Shanghai);
    assert_eq!(c.hours().to_string(), "08:30-12:00 13:30-17:30");
    assert!(c.schedule(2024).unwrap().source.contains("国办发明电"));
}

#[test]
fn a_small_file_with_defaults() {
    let c =
        parse("# only 2027\nyear 2027 test\nholiday 2027-01-01 元旦\nworkday 2027-01-02 调休\n")
            .unwrap();
    assert_eq!(c.covered_years(), vec![2027]);
    assert!(!c.is_working_day(date(2027, 1, 1)).value);
    assert!(c.is_working_day(date(2027, 1, 2)).value);
    assert_eq!(c.hours().to_string(), "08:30-12:00 13:30-17:30");
    // An empty file is a weekends-only calendar with every year uncovered.
    let empty = parse("").unwrap();
    assert!(empty.covered_years().is_empty());
    assert!(!empty.is_working_day(date(2026, 2, 14)).value);
}

fn errors(text: &str) -> Vec<(usize, String)> {
    parse(text)
        .unwrap_err()
        .errors
        .into_iter()
        .map(|e| (e.line, e.reason))
        .collect()
}

fn first(text: &str) -> (usize, String) {
    errors(text).remove(0)
}

#[test]
fn each_mistake_names_its_line_and_reason() {
    let cases: &[(&str, usize, &str)] = &[
        ("year 2026\nholiday 2026-02-30 x", 2, "not a date"),
        (
            "year 2026\nholiday 2026-02-23..2026-02-15 春节",
            2,
            "reversed",
        ),
        ("year 2026\nholiday 2027-01-01 元旦", 2, "outside year 2026"),
        ("year 2026\nworkday 2025-12-27 x", 2, "outside year 2026"),
        (
            "year 2026\nholiday 2024-12-31..2026-01-01 x",
            2,
            "outside year 2026",
        ),
        (
            "year 2026\nholiday 2026-02-14\nworkday 2026-02-14",
            3,
            "both a holiday",
        ),
        (
            "year 2026\nworkday 2026-02-16 x",
            2,
            "must be a Saturday or Sunday",
        ),
        (
            "year 2026\n\nyear 2026",
            3,
            "already has a section on line 1",
        ),
        ("holiday 2026-01-01", 1, "before any `year`"),
        (
            "year 2026\nholiday 2026-01-01\nholiday 2026-01-01",
            3,
            "already listed",
        ),
        ("# x\nvacation 2026-01-01", 2, "unknown keyword"),
        ("hours 13:30-17:30 08:30-12:00", 1, "in order"),
        (
            "hours 08:30-12:00\nhours 08:30-12:00",
            2,
            "already set on line 1",
        ),
        ("tz Mars/Olympus", 1, "IANA"),
        ("year twenty", 1, "needs a year"),
        ("year 1492", 1, "outside"),
        (
            "year 2026\nworkday 2026-02-14..2026-02-15",
            2,
            "single date",
        ),
    ];
    for (text, line, reason) in cases {
        let (l, r) = first(text);
        assert_eq!(
            (l, r.contains(reason)),
            (*line, true),
            "{text:?} → line {l}: {r}"
        );
    }
}

#[test]
fn all_errors_are_reported_and_nothing_is_built() {
    let errs = errors("year 2026\nholiday 2026-13-01\nworkday 2026-02-16\nfoo\n");
    assert_eq!(errs.iter().map(|e| e.0).collect::<Vec<_>>(), vec![2, 3, 4]);
    let text = parse("year 2026\nfoo").unwrap_err().to_string();
    assert!(text.starts_with("第 2 行 line 2: "), "{text}");
}

#[test]
fn new_year_may_start_in_the_previous_year() {
    let c = parse("year 2023\nholiday 2022-12-31..2023-01-02 元旦").unwrap();
    assert!(!c.is_working_day(date(2022, 12, 31)).value);
    assert_eq!(c.covered_years(), vec![2023]);
    assert!(!c.day(date(2022, 12, 31)).covered);
}

#[test]
fn other_hours_and_zones_shift_the_answers() {
    let c = parse("tz Asia/Urumqi\nhours 10:00-14:00\nyear 2025").unwrap();
    // Mon 2025-03-03 13:00 Urumqi (UTC+6) + 2 working hours: 13:00–14:00, next day 10:00–11:00.
    let start = chrono_tz::Asia::Urumqi
        .with_ymd_and_hms(2025, 3, 3, 13, 0, 0)
        .unwrap()
        .timestamp_millis();
    let d = c.add_working_hours(start, 2 * H).unwrap().value;
    let shown = DateTime::from_timestamp_millis(d)
        .unwrap()
        .with_timezone(&chrono_tz::Asia::Urumqi)
        .to_rfc3339();
    assert_eq!(shown, "2025-03-04T11:00:00+06:00");
}
