//! Working-day calendars for deadlines (限时办结): weekends, statutory holidays and make-up
//! working days (调休上班) per year, daily working hours, and a time zone.
//!
//! A calendar is data: the State Council's schedules for 2020–2026 ship in
//! `cn_holidays.txt`; a new year is imported from the same small text format ([`parse`]).
//! A year without a schedule is counted *provisionally* by the statutory holidays
//! (`provisional.rs`, lunar dates from `lunar.rs`), and every answer names such years
//! ([`Counted::uncovered_years`]) so a screen can say the answer is provisional.
//!
//! Instants are unix milliseconds (see [`crate::time`]); durations are milliseconds.
//! Deadline arithmetic lives in `arith.rs` and `pause.rs`; the conventions are written there.

mod arith;
mod hours;
mod input;
mod lunar;
mod parse;
mod pause;
mod provisional;
mod table;
#[cfg(test)]
mod tests;
mod years;

pub use arith::{CalendarError, Period};
pub use hours::{DAY_MS, WorkingHours};
pub use input::{format_duration, format_instant, parse_hours, parse_instant, period_from};
pub use parse::{ImportError, LineError, parse};
pub use pause::Pause;
pub use provisional::{PROVISIONAL_SOURCE, provisional_year, statutory_year};
pub use years::parse_years;

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use table::DayTable;

/// The earliest year a calendar accepts (dates and results outside are refused).
pub const MIN_YEAR: i32 = 1900;
/// The latest year a calendar accepts.
pub const MAX_YEAR: i32 = 2199;

/// The official schedules shipped with the binary (see the file's comments for sources).
pub const CN_HOLIDAYS: &str = include_str!("cn_holidays.txt");

/// A holiday range or a make-up working day, as listed in a calendar file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub name: String,
}

/// One covered year: its holidays and make-up working days, and where they come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearSchedule {
    pub year: i32,
    /// The notice the schedule comes from, e.g. 国务院办公厅关于2026年部分节假日安排的通知.
    pub source: String,
    pub holidays: Vec<Entry>,
    pub workdays: Vec<Entry>,
}

/// What kind of day a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    Workday,
    Weekend,
    Holiday,
    /// A Saturday or Sunday worked in exchange for a holiday (调休上班).
    MakeUpWorkday,
}

/// One date as the calendar sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayInfo {
    pub date: NaiveDate,
    pub working: bool,
    pub kind: DayKind,
    /// The holiday's or make-up day's name (春节, 春节调休), empty otherwise.
    pub name: String,
    /// False when the year has no imported schedule (provisional: statutory holidays).
    pub covered: bool,
}

impl DayInfo {
    /// Counted by the provisional calendar (the year's schedule is not imported).
    pub fn provisional(&self) -> bool {
        !self.covered
    }
}

/// An answer plus the years it reached into that have no schedule (counted provisionally).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counted<T> {
    pub value: T,
    pub uncovered_years: Vec<i32>,
}

impl<T> Counted<T> {
    /// Whether the answer reached into a provisional year.
    pub fn provisional(&self) -> bool {
        !self.uncovered_years.is_empty()
    }

    /// One bilingual sentence per provisional year, for screens and logs.
    pub fn warnings(&self) -> Vec<String> {
        self.uncovered_years
            .iter()
            .map(|y| provisional_year(*y))
            .collect()
    }
}

/// A working-day calendar of one time zone. Build it with [`parse`] or [`Calendar::china`].
#[derive(Debug, Clone)]
pub struct Calendar {
    tz: Tz,
    hours: WorkingHours,
    years: BTreeMap<i32, YearSchedule>,
    /// Holidays and make-up days by `num_days_from_ce`: (working?, name).
    special: BTreeMap<i64, (bool, String)>,
    table: DayTable,
}

impl Calendar {
    /// Builds from already validated parts (the parser checks them).
    fn build(tz: Tz, hours: WorkingHours, years: Vec<YearSchedule>) -> Self {
        let mut special = BTreeMap::new();
        // Years without a schedule first, so an official range reaching back into the
        // previous year (元旦 2022-12-31) wins over that year's provisional days.
        let provisional = (lunar::FIRST..=lunar::LAST)
            .filter(|y| !years.iter().any(|s| s.year == *y))
            .filter_map(statutory_year);
        for y in provisional {
            for e in &y.holidays {
                for d in e.first.iter_days().take_while(|d| *d <= e.last) {
                    special.insert(day_number(d), (false, e.name.clone()));
                }
            }
        }
        for y in &years {
            for (entries, working) in [(&y.holidays, false), (&y.workdays, true)] {
                for e in entries {
                    for d in e.first.iter_days().take_while(|d| *d <= e.last) {
                        special.insert(day_number(d), (working, e.name.clone()));
                    }
                }
            }
        }
        let first_year = years
            .iter()
            .map(|y| y.year)
            .chain(special.keys().next().map(|n| year_of(*n)))
            .min();
        let last_year = years
            .iter()
            .map(|y| y.year)
            .chain(special.keys().next_back().map(|n| year_of(*n)))
            .max();
        let table = match (first_year, last_year) {
            (Some(a), Some(b)) => {
                let start = day_number(jan1(a));
                let end = day_number(jan1(b + 1));
                let working: Vec<bool> = (start..end)
                    .map(|n| match special.get(&n) {
                        Some((w, _)) => *w,
                        None => !table::is_weekend(n),
                    })
                    .collect();
                DayTable::new(start, &working)
            }
            _ => DayTable::new(day_number(jan1(2000)), &[]),
        };
        Self {
            tz,
            hours,
            years: years.into_iter().map(|y| (y.year, y)).collect(),
            special,
            table,
        }
    }

    /// The built-in calendar: State Council schedules 2020–2026, Asia/Shanghai, 08:30–12:00
    /// and 13:30–17:30. Parsed once.
    pub fn china() -> &'static Calendar {
        static CAL: OnceLock<Calendar> = OnceLock::new();
        CAL.get_or_init(|| match parse(CN_HOLIDAYS) {
            Ok(c) => c,
            Err(e) => unreachable!("cn_holidays.txt is checked by tests: {e}"),
        })
    }

    /// The same schedules in another hall's time zone.
    pub fn with_tz(mut self, tz: Tz) -> Self {
        self.tz = tz;
        self
    }

    /// The same schedules with other working hours.
    pub fn with_hours(mut self, hours: WorkingHours) -> Self {
        self.hours = hours;
        self
    }

    pub fn tz(&self) -> Tz {
        self.tz
    }

    pub fn hours(&self) -> &WorkingHours {
        &self.hours
    }

    /// The years with an imported schedule, ascending.
    pub fn covered_years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    pub fn schedule(&self, year: i32) -> Option<&YearSchedule> {
        self.years.get(&year)
    }

    pub fn is_covered(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// Whether work is done on `date` (weekday or make-up day, not a holiday).
    pub fn is_working_day(&self, date: NaiveDate) -> Counted<bool> {
        Counted {
            value: self.table.is_working(day_number(date)),
            uncovered_years: self.uncovered(date.year(), date.year()),
        }
    }

    /// The kind and name of a date.
    pub fn day(&self, date: NaiveDate) -> DayInfo {
        let n = day_number(date);
        let (kind, name) = match self.special.get(&n) {
            Some((true, name)) => (DayKind::MakeUpWorkday, name.clone()),
            Some((false, name)) => (DayKind::Holiday, name.clone()),
            None if table::is_weekend(n) => (DayKind::Weekend, String::new()),
            None => (DayKind::Workday, String::new()),
        };
        DayInfo {
            date,
            working: self.table.is_working(n),
            kind,
            name,
            covered: self.is_covered(date.year()),
        }
    }

    /// Uncovered years in `a..=b`.
    fn uncovered(&self, a: i32, b: i32) -> Vec<i32> {
        let (a, b) = (a.min(b), a.max(b));
        (a..=b).filter(|y| !self.years.contains_key(y)).collect()
    }
}

pub(crate) fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

fn year_of(n: i64) -> i32 {
    i32::try_from(n)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .map_or(MIN_YEAR, |d| d.year())
}

fn jan1(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default()
}
