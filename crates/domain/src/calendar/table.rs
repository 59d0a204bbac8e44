//! Working-day ordinals in O(log n): how many working days lie before a day, and which day
//! carries a given ordinal.
//!
//! Days are numbered as chrono's `num_days_from_ce` (0001-01-01 = 1, a Monday). Inside the
//! table (the covered years, and any gap between them) a prefix sum of working days answers
//! by index and binary search; outside it, Monday–Friday are counted arithmetically.

/// Cumulative working days over `[start, start + cum.len() - 1)`.
#[derive(Debug, Clone)]
pub(crate) struct DayTable {
    start: i64,
    /// `cum[i]` = working days in `[start, start + i)`; `cum.len()` = days + 1.
    cum: Vec<u32>,
}

/// Monday–Friday days in `[1, n)`.
pub(crate) fn weekdays_before(n: i64) -> i64 {
    let m = n - 1;
    5 * m.div_euclid(7) + m.rem_euclid(7).min(5)
}

/// The day `n` that is a weekday with `weekdays_before(n) == j`.
pub(crate) fn nth_weekday(j: i64) -> i64 {
    1 + 7 * j.div_euclid(5) + j.rem_euclid(5)
}

/// Whether day `n` is Saturday or Sunday.
pub(crate) fn is_weekend(n: i64) -> bool {
    (n - 1).rem_euclid(7) >= 5
}

impl DayTable {
    /// A table from `start` over `working.len()` days.
    pub(crate) fn new(start: i64, working: &[bool]) -> Self {
        let mut cum = Vec::with_capacity(working.len() + 1);
        let mut sum = 0u32;
        cum.push(0);
        for &w in working {
            sum += u32::from(w);
            cum.push(sum);
        }
        Self { start, cum }
    }

    fn end(&self) -> i64 {
        self.start + self.cum.len() as i64 - 1
    }

    fn total(&self) -> i64 {
        i64::from(self.cum[self.cum.len() - 1])
    }

    /// Working days in `[start, n)`; negative before the table.
    pub(crate) fn ordinal(&self, n: i64) -> i64 {
        if n < self.start {
            weekdays_before(n) - weekdays_before(self.start)
        } else if n <= self.end() {
            i64::from(self.cum[(n - self.start) as usize])
        } else {
            self.total() + weekdays_before(n) - weekdays_before(self.end())
        }
    }

    pub(crate) fn is_working(&self, n: i64) -> bool {
        self.ordinal(n + 1) > self.ordinal(n)
    }

    /// The working day whose ordinal is `k`: the first working day on or after a day `n`
    /// is `day_of(ordinal(n))`.
    pub(crate) fn day_of(&self, k: i64) -> i64 {
        if k < 0 {
            nth_weekday(weekdays_before(self.start) + k)
        } else if k < self.total() {
            let k = k as u32;
            self.start + self.cum[1..].partition_point(|&c| c <= k) as i64
        } else {
            nth_weekday(weekdays_before(self.end()) + k - self.total())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDate, Weekday};

    #[test]
    fn day_one_is_a_monday_so_the_arithmetic_holds() {
        let d = NaiveDate::from_num_days_from_ce_opt(1).unwrap();
        assert_eq!(d.weekday(), Weekday::Mon);
        for n in -30..3000 {
            let d = NaiveDate::from_num_days_from_ce_opt(n as i32).unwrap();
            let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            assert_eq!(is_weekend(n), weekend, "{d}");
            assert_eq!(
                weekdays_before(n + 1) - weekdays_before(n),
                i64::from(!weekend)
            );
            if !weekend {
                assert_eq!(nth_weekday(weekdays_before(n)), n);
            }
        }
    }

    #[test]
    fn ordinals_match_a_day_by_day_count_inside_and_outside() {
        // 40 days from day 1000, every 3rd day flipped from the weekend rule.
        let working: Vec<bool> = (0..40)
            .map(|i| (i % 3 == 0) == is_weekend(1000 + i))
            .collect();
        let t = DayTable::new(1000, &working);
        let mut k = t.ordinal(900);
        for n in 900..1200 {
            assert_eq!(t.ordinal(n), k, "day {n}");
            if t.is_working(n) {
                assert_eq!(t.day_of(k), n);
                k += 1;
            }
        }
    }
}
