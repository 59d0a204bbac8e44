//! Calendar periods for the satisfaction views: a day, an ISO week (Monday–Sunday) or a
//! calendar month containing a date, and the period before it of the same kind — the
//! previous day, week, or calendar month (which may have a different number of days).

use chrono::{Datelike, Duration, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    Day,
    Week,
    Month,
}

impl PeriodKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "day" => Some(Self::Day),
            "week" => Some(Self::Week),
            "month" => Some(Self::Month),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
        }
    }
}

/// First and last day (inclusive) of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

fn month_of(year: i32, month: u32) -> Span {
    let from = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN);
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let next = NaiveDate::from_ymd_opt(ny, nm, 1).unwrap_or(NaiveDate::MAX);
    Span {
        from,
        to: next - Duration::days(1),
    }
}

/// The period of `kind` containing `at`.
pub fn containing(kind: PeriodKind, at: NaiveDate) -> Span {
    match kind {
        PeriodKind::Day => Span { from: at, to: at },
        PeriodKind::Week => {
            let from = at - Duration::days(i64::from(at.weekday().num_days_from_monday()));
            Span {
                from,
                to: from + Duration::days(6),
            }
        }
        PeriodKind::Month => month_of(at.year(), at.month()),
    }
}

/// The period of the same kind just before `span`.
pub fn previous(kind: PeriodKind, span: Span) -> Span {
    containing(kind, span.from - Duration::days(1))
}

/// The period of the same kind just after `span`.
pub fn next(kind: PeriodKind, span: Span) -> Span {
    containing(kind, span.to + Duration::days(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_and_their_previous_and_next() {
        // 2025-11-27 is a Thursday: its ISO week runs Monday 24th to Sunday 30th.
        let w = containing(PeriodKind::Week, d(2025, 11, 27));
        assert_eq!((w.from, w.to), (d(2025, 11, 24), d(2025, 11, 30)));
        let pw = previous(PeriodKind::Week, w);
        assert_eq!((pw.from, pw.to), (d(2025, 11, 17), d(2025, 11, 23)));
        // March against February: the previous calendar month, 28 days.
        let m = containing(PeriodKind::Month, d(2025, 3, 15));
        assert_eq!((m.from, m.to), (d(2025, 3, 1), d(2025, 3, 31)));
        let pm = previous(PeriodKind::Month, m);
        assert_eq!((pm.from, pm.to), (d(2025, 2, 1), d(2025, 2, 28)));
        // December → January across the year; a leap February.
        let dec = containing(PeriodKind::Month, d(2025, 12, 31));
        assert_eq!(next(PeriodKind::Month, dec).from, d(2026, 1, 1));
        assert_eq!(
            containing(PeriodKind::Month, d(2024, 2, 10)).to,
            d(2024, 2, 29)
        );
        let day = containing(PeriodKind::Day, d(2025, 1, 1));
        assert_eq!(previous(PeriodKind::Day, day).from, d(2024, 12, 31));
        assert_eq!(PeriodKind::parse("week"), Some(PeriodKind::Week));
        assert_eq!(PeriodKind::parse("year"), None);
    }
}
