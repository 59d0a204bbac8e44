//! Clocks that pause (waiting for the customer's documents or their requested date).
//!
//! Conventions:
//! - A pause stops the clock from its start to its end; overlapping pauses count once.
//! - A working-time clock loses only the *working* time a pause covers: a pause from Monday
//!   17:00 over a week-long holiday to the next working day 09:00 pushes the deadline back by
//!   1 h (17:00–17:30 and 08:30–09:00), not by the holiday, which never counted anyway.
//! - A working-days clock is extended by the working time paused from the start of its
//!   period (the day after acceptance) on; the deadline may then fall within a day.
//! - An elapsed-hours clock is extended by the elapsed time paused.
//! - A calendar-days clock is extended by whole days: each pause costs its length in days,
//!   rounded up, and the close-of-business and next-working-day rules still apply.
//! - Pauses starting at or after the deadline do not move it; a pause still running is
//!   passed with `end_ms` = now.

use super::arith::{CalendarError, Period, Res};
use super::hours::DAY_MS;
use super::{Calendar, Counted};
use serde::{Deserialize, Serialize};

/// A stretch of time during which a clock does not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub start_ms: i64,
    pub end_ms: i64,
}

/// Sorted, with overlapping or touching pauses merged.
fn merged(pauses: &[Pause]) -> Res<Vec<Pause>> {
    if pauses.iter().any(|p| p.end_ms < p.start_ms) {
        return Err(CalendarError::BadPause);
    }
    let mut v: Vec<Pause> = pauses.to_vec();
    v.sort_by_key(|p| p.start_ms);
    let mut out: Vec<Pause> = Vec::with_capacity(v.len());
    for p in v {
        match out.last_mut() {
            Some(last) if p.start_ms <= last.end_ms => last.end_ms = last.end_ms.max(p.end_ms),
            _ => out.push(p),
        }
    }
    Ok(out)
}

impl Calendar {
    /// The deadline of a time limit started at `from_ms`, pushed back by its pauses.
    pub fn deadline_paused(
        &self,
        from_ms: i64,
        period: Period,
        pauses: &[Pause],
    ) -> Res<Counted<i64>> {
        let pauses = merged(pauses)?;
        let base = self.deadline(from_ms, period)?;
        if pauses.is_empty() || base.value == from_ms {
            return Ok(base);
        }
        let from_year = self.local(from_ms)?.year;
        match period {
            Period::WorkingHours(_) | Period::WorkingDays(_) => {
                let floor = match period {
                    Period::WorkingDays(n) if n > 0 => {
                        let l = self.local(from_ms)?;
                        self.table.ordinal(l.day + 1) * self.hours.per_day_ms()
                    }
                    _ => self.wt(from_ms)?,
                };
                let mut target = self.wt(base.value)?;
                let mut at = base.value;
                let mut year = self.local(at)?.year;
                for p in &pauses {
                    if p.start_ms >= at {
                        break;
                    }
                    let lost = self.wt(p.end_ms)? - self.wt(p.start_ms)?.max(floor);
                    if lost > 0 {
                        target = target.checked_add(lost).ok_or(CalendarError::OutOfRange)?;
                        (at, year) = self.instant_at_wt(target)?;
                    }
                }
                Ok(Counted {
                    value: at,
                    uncovered_years: self.uncovered(from_year, year),
                })
            }
            Period::Hours(_) => {
                let mut at = base.value;
                for p in &pauses {
                    if p.start_ms >= at {
                        break;
                    }
                    at += (p.end_ms - p.start_ms.max(from_ms)).max(0);
                }
                self.add_hours(from_ms, at - from_ms)
            }
            Period::CalendarDays(n) => {
                let l = self.local(from_ms)?;
                let floor = self.instant(l.day + 1, 0)?.0;
                let (mut extra, mut at) = (0u32, base);
                for p in &pauses {
                    if p.start_ms >= at.value {
                        break;
                    }
                    let lost = p.end_ms - p.start_ms.max(floor);
                    if lost > 0 {
                        let days = u32::try_from((lost + DAY_MS - 1) / DAY_MS)
                            .map_err(|_| CalendarError::OutOfRange)?;
                        extra = extra.saturating_add(days);
                        at = self.add_calendar_days(from_ms, n.saturating_add(extra))?;
                    }
                }
                Ok(at)
            }
        }
    }

    /// Working time from `a` to `b` less the working time the pauses cover.
    pub fn working_time_between_paused(
        &self,
        a_ms: i64,
        b_ms: i64,
        pauses: &[Pause],
    ) -> Res<Counted<i64>> {
        if b_ms < a_ms {
            let mut c = self.working_time_between_paused(b_ms, a_ms, pauses)?;
            c.value = -c.value;
            return Ok(c);
        }
        let mut c = self.working_time_between(a_ms, b_ms)?;
        for p in merged(pauses)? {
            let (s, e) = (p.start_ms.max(a_ms), p.end_ms.min(b_ms));
            if e > s {
                c.value -= self.wt(e)? - self.wt(s)?;
            }
        }
        Ok(c)
    }

    /// Elapsed time from `a` to `b` less the pauses (for hours clocks).
    pub fn elapsed_between_paused(a_ms: i64, b_ms: i64, pauses: &[Pause]) -> Res<i64> {
        if b_ms < a_ms {
            return Ok(-Self::elapsed_between_paused(b_ms, a_ms, pauses)?);
        }
        let mut total = b_ms - a_ms;
        for p in merged(pauses)? {
            total -= (p.end_ms.min(b_ms) - p.start_ms.max(a_ms)).max(0);
        }
        Ok(total)
    }
}
