//! Working hours of one day: a few hall-local intervals, e.g. 08:30–12:00 and 13:30–17:30.
//!
//! Positions inside a day are milliseconds since local midnight; `24:00` is allowed as an
//! end so a hall that works until midnight can say so.

use std::fmt;

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// Sorted, non-overlapping working intervals of a day (ms since local midnight).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingHours {
    spans: Vec<(i64, i64)>,
    per_day: i64,
}

impl Default for WorkingHours {
    /// 08:30–12:00 and 13:30–17:30, the usual hours of a State Grid service hall.
    fn default() -> Self {
        Self::new(vec![(hm(8, 30), hm(12, 0)), (hm(13, 30), hm(17, 30))])
            .unwrap_or_else(|_| unreachable!("the default hours are valid"))
    }
}

const fn hm(h: i64, m: i64) -> i64 {
    (h * 60 + m) * 60_000
}

impl WorkingHours {
    /// Checks that every span is non-empty, within the day, and after the previous one.
    pub fn new(spans: Vec<(i64, i64)>) -> Result<Self, String> {
        if spans.is_empty() {
            return Err("工作时间至少须有一个时段，例如 08:30-17:30 working hours need at least one interval, e.g. 08:30-17:30".into());
        }
        let mut prev_end = 0;
        for &(s, e) in &spans {
            if !(0..DAY_MS).contains(&s) || e > DAY_MS {
                return Err(
                    "工作时间须在 00:00-24:00 之内 working hours must lie within 00:00-24:00"
                        .into(),
                );
            }
            if e <= s {
                return Err(format!(
                    "时段的结束时间早于开始时间 interval {} ends before it starts",
                    span_text(s, e)
                ));
            }
            if s < prev_end {
                return Err(format!(
                    "时段与前一时段重叠或在其之前，请按时间顺序填写 interval {} overlaps or precedes the one before it; list intervals in order",
                    span_text(s, e)
                ));
            }
            prev_end = e;
        }
        let per_day = spans.iter().map(|(s, e)| e - s).sum();
        Ok(Self { spans, per_day })
    }

    /// Parses `08:30-12:00 13:30-17:30` (spaces between intervals).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut spans = Vec::new();
        for part in text.split_whitespace() {
            let (a, b) = part.split_once('-').ok_or_else(|| {
                format!("时段格式应为 08:30-12:00 interval {part:?} must look like 08:30-12:00")
            })?;
            spans.push((parse_clock(a)?, parse_clock(b)?));
        }
        Self::new(spans)
    }

    pub fn spans(&self) -> &[(i64, i64)] {
        &self.spans
    }

    /// Working milliseconds in one working day (7.5 h by default).
    pub fn per_day_ms(&self) -> i64 {
        self.per_day
    }

    /// When the day's work starts.
    pub fn opening_ms(&self) -> i64 {
        self.spans[0].0
    }

    /// Close of business: the end of the last interval; deadlines counted in days end here.
    pub fn closing_ms(&self) -> i64 {
        self.spans[self.spans.len() - 1].1
    }

    /// Working milliseconds of the day before local time `tod`.
    pub fn worked_before(&self, tod: i64) -> i64 {
        let mut sum = 0;
        for &(s, e) in &self.spans {
            if tod <= s {
                break;
            }
            sum += tod.min(e) - s;
        }
        sum
    }

    /// The earliest local time by which `worked` ms of the day have been worked
    /// (`0 < worked <= per_day`): an amount used up exactly at 12:00 ends at 12:00, not 13:30.
    pub fn time_at(&self, worked: i64) -> i64 {
        let mut left = worked;
        for &(s, e) in &self.spans {
            if left <= e - s {
                return s + left;
            }
            left -= e - s;
        }
        self.closing_ms()
    }
}

fn parse_clock(s: &str) -> Result<i64, String> {
    let bad =
        || format!("时间格式须为 HH:MM（00:00-24:00） time must be HH:MM (00:00-24:00), got {s:?}");
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: i64 = h.parse().map_err(|_| bad())?;
    let m: i64 = m.parse().map_err(|_| bad())?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(hm(h, m))
}

fn clock_text(ms: i64) -> String {
    format!("{:02}:{:02}", ms / 3_600_000, ms % 3_600_000 / 60_000)
}

fn span_text(s: i64, e: i64) -> String {
    format!("{}-{}", clock_text(s), clock_text(e))
}

impl fmt::Display for WorkingHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.spans.iter().map(|&(s, e)| span_text(s, e)).collect();
        f.write_str(&parts.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_seven_and_a_half_hours_with_lunch() {
        let h = WorkingHours::default();
        assert_eq!(h.per_day_ms(), hm(7, 30));
        assert_eq!(h.to_string(), "08:30-12:00 13:30-17:30");
        assert_eq!(h.worked_before(hm(12, 45)), hm(3, 30));
        assert_eq!(h.worked_before(hm(14, 0)), hm(4, 0));
        assert_eq!(h.time_at(hm(3, 30)), hm(12, 0), "earliest, not 13:30");
        assert_eq!(h.time_at(hm(3, 31)), hm(13, 31));
        assert_eq!(h.time_at(hm(7, 30)), hm(17, 30));
    }

    #[test]
    fn bad_hours_are_explained() {
        assert!(WorkingHours::parse("13:30-17:30 08:30-12:00").is_err());
        assert!(WorkingHours::parse("12:00-08:30").is_err());
        assert!(WorkingHours::parse("8:30-12:00").is_err());
        assert!(WorkingHours::parse("").is_err());
        assert!(WorkingHours::parse("24:30-25:00").is_err());
        assert_eq!(
            WorkingHours::parse("00:00-24:00").unwrap().per_day_ms(),
            DAY_MS
        );
    }
}
