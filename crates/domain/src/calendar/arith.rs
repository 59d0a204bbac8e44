//! Deadline arithmetic on instants (unix ms), O(log n) per answer.
//!
//! Conventions (Chinese practice for periods, 民法典 第二百零一条 and 第二百零三条):
//! - **Working days**: the day of acceptance is not counted; the period starts the next
//!   day, whatever the hour of acceptance, and ends at the close of business (end of the
//!   last working interval, 17:30 by default) of its N-th working day. Make-up Saturdays
//!   count; holidays and ordinary weekends do not. N = 0 means the close of business of the
//!   acceptance day, or of the next working day when that day is not one.
//! - **Working hours**: counted from the instant of acceptance, only inside working
//!   intervals of working days (lunch, nights, weekends and holidays skipped); accepted after
//!   hours, the clock starts at the next opening. An amount used up exactly at the end of an
//!   interval ends there (12:00 or 17:30), not at the next opening.
//! - **Calendar days**: the acceptance day is not counted; the period ends at the close of
//!   business of day N. When that day is not a working day, the deadline moves to the close
//!   of business of the next working day (期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日).
//! - **Hours**: plain elapsed time (e.g. "contact the customer within 24 hours"); no calendar.
//!
//! Internally an instant maps to a *working-time coordinate*: working days before its day
//! times the working length of a day, plus the working time of its own day so far. Working
//! time between two instants is the difference of coordinates; a deadline is the earliest
//! instant with the target coordinate.

use super::hours::DAY_MS;
use super::{Calendar, Counted, MAX_YEAR, MIN_YEAR, day_number};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use serde::Serialize;

/// A time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    WorkingDays(u32),
    /// Milliseconds of working time.
    WorkingHours(i64),
    CalendarDays(u32),
    /// Milliseconds of elapsed time.
    Hours(i64),
}

/// Why a calendar cannot answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error(
        "日期超出工作日历可计算的年份（{MIN_YEAR}–{MAX_YEAR} 年） the date is outside the years {MIN_YEAR}-{MAX_YEAR} a calendar can count"
    )]
    OutOfRange,
    #[error("时限不能为负数 a time limit cannot be negative")]
    Negative,
    #[error("暂停的结束时间须晚于开始时间 a pause must end after it starts")]
    BadPause,
}

pub(crate) type Res<T> = Result<T, CalendarError>;

/// A hall-local position: day number and milliseconds since local midnight.
pub(crate) struct Local {
    pub day: i64,
    pub tod: i64,
    pub year: i32,
}

impl Calendar {
    pub(crate) fn local(&self, at_ms: i64) -> Res<Local> {
        let utc = DateTime::<Utc>::from_timestamp_millis(at_ms).ok_or(CalendarError::OutOfRange)?;
        let t = utc.with_timezone(&self.tz).naive_local();
        let year = t.year();
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(CalendarError::OutOfRange);
        }
        let time = t.time();
        let tod = i64::from(chrono::Timelike::num_seconds_from_midnight(&time)) * 1000
            + i64::from(chrono::Timelike::nanosecond(&time) / 1_000_000).min(999);
        Ok(Local {
            day: day_number(t.date()),
            tod,
            year,
        })
    }

    /// The instant of hall-local day `n` at `tod` ms (24:00 = next midnight), and its year.
    pub(crate) fn instant(&self, n: i64, tod: i64) -> Res<(i64, i32)> {
        let (n, tod) = if tod >= DAY_MS {
            (n + 1, tod - DAY_MS)
        } else {
            (n, tod)
        };
        let date = i32::try_from(n)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .filter(|d| (MIN_YEAR..=MAX_YEAR).contains(&d.year()))
            .ok_or(CalendarError::OutOfRange)?;
        let time = NaiveTime::from_num_seconds_from_midnight_opt(
            (tod / 1000) as u32,
            (tod % 1000) as u32 * 1_000_000,
        )
        .unwrap_or(NaiveTime::MIN);
        Ok((crate::time::at_local(date, time, self.tz), date.year()))
    }

    /// The working-time coordinate of an instant (ms).
    pub(crate) fn wt(&self, at_ms: i64) -> Res<i64> {
        let l = self.local(at_ms)?;
        Ok(self.wt_local(&l))
    }

    fn wt_local(&self, l: &Local) -> i64 {
        let before = self.table.ordinal(l.day);
        let working = self.table.ordinal(l.day + 1) > before;
        let today = if working {
            self.hours.worked_before(l.tod)
        } else {
            0
        };
        before * self.hours.per_day_ms() + today
    }

    /// The earliest instant whose coordinate is `target`, and its year.
    pub(crate) fn instant_at_wt(&self, target: i64) -> Res<(i64, i32)> {
        let per_day = self.hours.per_day_ms();
        let (k, r) = (target.div_euclid(per_day), target.rem_euclid(per_day));
        if r == 0 {
            self.instant(self.table.day_of(k - 1), self.hours.closing_ms())
        } else {
            self.instant(self.table.day_of(k), self.hours.time_at(r))
        }
    }

    fn answer(&self, value: i64, from_year: i32, to_year: i32) -> Counted<i64> {
        Counted {
            value,
            uncovered_years: self.uncovered(from_year, to_year),
        }
    }

    /// The close of business of the N-th working day after the acceptance day.
    pub fn add_working_days(&self, from_ms: i64, n: u32) -> Res<Counted<i64>> {
        let l = self.local(from_ms)?;
        let k = if n == 0 {
            self.table.ordinal(l.day)
        } else {
            self.table.ordinal(l.day + 1) + i64::from(n) - 1
        };
        let (at, year) = self.instant(self.table.day_of(k), self.hours.closing_ms())?;
        Ok(self.answer(at, l.year, year))
    }

    /// `dur_ms` of working time after `from_ms` (from the next opening if after hours).
    pub fn add_working_hours(&self, from_ms: i64, dur_ms: i64) -> Res<Counted<i64>> {
        if dur_ms < 0 {
            return Err(CalendarError::Negative);
        }
        let l = self.local(from_ms)?;
        if dur_ms == 0 {
            return Ok(self.answer(from_ms, l.year, l.year));
        }
        let target = self
            .wt_local(&l)
            .checked_add(dur_ms)
            .ok_or(CalendarError::OutOfRange)?;
        let (at, year) = self.instant_at_wt(target)?;
        Ok(self.answer(at, l.year, year))
    }

    /// The close of business of calendar day N after acceptance, moved to the next working
    /// day when it is not one.
    pub fn add_calendar_days(&self, from_ms: i64, n: u32) -> Res<Counted<i64>> {
        let l = self.local(from_ms)?;
        let k = self.table.ordinal(l.day + i64::from(n));
        let (at, year) = self.instant(self.table.day_of(k), self.hours.closing_ms())?;
        Ok(self.answer(at, l.year, year))
    }

    /// `dur_ms` of elapsed time; no calendar involved.
    pub fn add_hours(&self, from_ms: i64, dur_ms: i64) -> Res<Counted<i64>> {
        if dur_ms < 0 {
            return Err(CalendarError::Negative);
        }
        let at = from_ms
            .checked_add(dur_ms)
            .ok_or(CalendarError::OutOfRange)?;
        self.local(from_ms)?;
        self.local(at)?;
        Ok(Counted {
            value: at,
            uncovered_years: Vec::new(),
        })
    }

    /// The deadline of a time limit started at `from_ms`.
    pub fn deadline(&self, from_ms: i64, period: Period) -> Res<Counted<i64>> {
        match period {
            Period::WorkingDays(n) => self.add_working_days(from_ms, n),
            Period::WorkingHours(ms) => self.add_working_hours(from_ms, ms),
            Period::CalendarDays(n) => self.add_calendar_days(from_ms, n),
            Period::Hours(ms) => self.add_hours(from_ms, ms),
        }
    }

    /// Working time (ms) from `a` to `b`; negative when `b` is before `a`, so a clock's
    /// "time left" and "overdue by" are one number.
    pub fn working_time_between(&self, a_ms: i64, b_ms: i64) -> Res<Counted<i64>> {
        let (a, b) = (self.local(a_ms)?, self.local(b_ms)?);
        Ok(self.answer(self.wt_local(&b) - self.wt_local(&a), a.year, b.year))
    }

    /// Working days after `a`'s day up to and including `b`'s day (the way a working-days
    /// period counts them): `add_working_days(a, n)` is `n` working days after `a`.
    pub fn working_days_between(&self, a_ms: i64, b_ms: i64) -> Res<Counted<i64>> {
        let (a, b) = (self.local(a_ms)?, self.local(b_ms)?);
        let days = self.table.ordinal(b.day + 1) - self.table.ordinal(a.day + 1);
        Ok(self.answer(days, a.year, b.year))
    }
}
