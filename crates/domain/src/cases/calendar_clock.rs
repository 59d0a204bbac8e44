//! The official working-day calendar ([`crate::calendar::Calendar`]: State Council holidays
//! and 调休 make-up days) as a [`WorkClock`]. This is what cases use by default.
//!
//! A date outside the calendar's range (years 1900–2199) cannot come from a real case;
//! should one arrive, the answer falls back to [`WeekdayClock`] rather than failing a write.

use super::limits::{Amount, Measure, WeekdayClock, WorkClock};
use crate::calendar::{Calendar, Period};
use std::borrow::Cow;

const HOUR: i64 = 3_600_000;

fn period(amount: Amount) -> Period {
    match amount {
        Amount::WorkingDays(n) => Period::WorkingDays(n),
        Amount::WorkingHours(n) => Period::WorkingHours(i64::from(n) * HOUR),
        Amount::CalendarDays(n) => Period::CalendarDays(n),
        Amount::Hours(n) => Period::Hours(i64::from(n) * HOUR),
    }
}

impl WorkClock for Calendar {
    fn deadline(&self, from_ms: i64, amount: Amount) -> i64 {
        Calendar::deadline(self, from_ms, period(amount))
            .map(|c| c.value)
            .unwrap_or_else(|_| WeekdayClock.deadline(from_ms, amount))
    }

    fn between(&self, from_ms: i64, to_ms: i64, measure: Measure) -> i64 {
        match measure {
            Measure::Elapsed => (to_ms - from_ms).max(0),
            Measure::Working => self
                .working_time_between(from_ms, to_ms)
                .map(|c| c.value.max(0))
                .unwrap_or_else(|_| WeekdayClock.between(from_ms, to_ms, measure)),
        }
    }

    fn advance(&self, from_ms: i64, ms: i64, measure: Measure) -> i64 {
        if ms <= 0 {
            return from_ms;
        }
        match measure {
            Measure::Elapsed => from_ms + ms,
            Measure::Working => self
                .add_working_hours(from_ms, ms)
                .map(|c| c.value)
                .unwrap_or_else(|_| WeekdayClock.advance(from_ms, ms, measure)),
        }
    }

    fn provisional(&self, from_ms: i64, to_ms: i64) -> bool {
        self.working_time_between(from_ms, to_ms)
            .is_ok_and(|c| c.provisional())
    }
}

/// The built-in China calendar in a hall's time zone (an unknown zone keeps Asia/Shanghai).
pub fn hall_clock(timezone: &str) -> Cow<'static, Calendar> {
    in_hall_zone(Calendar::china(), timezone)
}

/// `cal` in a hall's time zone: borrowed when the zone is already the calendar's (or
/// unknown), so the common case copies nothing.
pub fn in_hall_zone<'a>(cal: &'a Calendar, timezone: &str) -> Cow<'a, Calendar> {
    match crate::time::parse_tz(timezone) {
        Ok(tz) if tz != cal.tz() => Cow::Owned(cal.clone().with_tz(tz)),
        _ => Cow::Borrowed(cal),
    }
}
