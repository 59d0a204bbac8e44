//! Calendar tests: golden values on the official schedules, properties over random
//! instants (a seeded splitmix64), and the import format's errors.

mod golden;
mod import;
mod props;
mod provisional;

use super::Calendar;
use chrono::{DateTime, NaiveDate, TimeZone};

const H: i64 = 3_600_000;
const M: i64 = 60_000;

fn cal() -> &'static Calendar {
    Calendar::china()
}

/// Unix ms of a Beijing-time wall clock.
fn bj(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .unwrap()
        .timestamp_millis()
}

/// RFC 3339 in Beijing time, as the CLI prints it.
fn show(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .unwrap()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .to_rfc3339()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}
