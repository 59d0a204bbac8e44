//! The arrival forecast: what the same kind of day brought in the past, half-hour by
//! half-hour. A working day is forecast from the same weekday's working days, a weekend day
//! from the same weekday's weekends, a holiday from past holidays (or, with none on record,
//! from weekends), a make-up working day (调休上班) from all working days. Holidays never
//! count towards an ordinary weekday, so 国庆 does not drag October's Mondays down.

use crate::calendar::DayKind;
use chrono::{Datelike, NaiveDate};

/// Half-hours in a day.
pub const SLOTS_PER_DAY: usize = 48;
/// Seconds in a slot.
pub const SLOT_S: f64 = 1800.0;

/// One past day: its kind in the calendar and its arrivals per half-hour (48 values).
#[derive(Debug, Clone, PartialEq)]
pub struct PastDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub arrivals: Vec<f64>,
}

/// Which past days a forecast stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    SameWeekday,
    PastHolidays,
    WeekendsForHoliday,
    WorkingDays,
    NoHistory,
}

impl Basis {
    pub fn code(self) -> &'static str {
        match self {
            Self::SameWeekday => "same_weekday",
            Self::PastHolidays => "past_holidays",
            Self::WeekendsForHoliday => "weekends_for_holiday",
            Self::WorkingDays => "working_days",
            Self::NoHistory => "no_history",
        }
    }

    /// What a person reads under the chart.
    pub fn label(self) -> &'static str {
        match self {
            Self::SameWeekday => "按近几周同一星期几预测 · from the same weekday of recent weeks",
            Self::PastHolidays => "按以往节假日预测 · from past holidays",
            Self::WeekendsForHoliday => {
                "无节假日记录，按周末预测 · no past holiday on record, from weekends"
            }
            Self::WorkingDays => {
                "调休上班日，按近期工作日预测 · make-up working day, from recent working days"
            }
            Self::NoHistory => "暂无历史数据，无法预测 · no history yet, nothing to forecast from",
        }
    }
}

/// Forecast arrivals per half-hour for one date.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub date: NaiveDate,
    pub basis: Basis,
    /// The past days averaged.
    pub days_used: usize,
    pub arrivals: Vec<f64>,
}

impl Forecast {
    pub fn total(&self) -> f64 {
        self.arrivals.iter().sum()
    }
}

/// Forecasts `date` (of calendar kind `kind`) from `history`, averaging at most the `weeks`
/// most recent matching days before `date`.
pub fn forecast(date: NaiveDate, kind: DayKind, history: &[PastDay], weeks: usize) -> Forecast {
    let before = |d: &&PastDay| d.date < date;
    let same_weekday = |d: &&PastDay| d.date.weekday() == date.weekday();
    let pick = |f: &dyn Fn(&&PastDay) -> bool| -> Vec<&PastDay> {
        let mut v: Vec<&PastDay> = history.iter().filter(before).filter(|d| f(d)).collect();
        v.sort_by_key(|d| std::cmp::Reverse(d.date));
        v.truncate(weeks.max(1));
        v
    };
    let (basis, days) = match kind {
        DayKind::Workday => (
            Basis::SameWeekday,
            pick(&|d| same_weekday(d) && d.kind == DayKind::Workday),
        ),
        DayKind::Weekend => (
            Basis::SameWeekday,
            pick(&|d| same_weekday(d) && d.kind == DayKind::Weekend),
        ),
        DayKind::MakeUpWorkday => (
            Basis::WorkingDays,
            pick(&|d| matches!(d.kind, DayKind::Workday | DayKind::MakeUpWorkday)),
        ),
        DayKind::Holiday => {
            let past = pick(&|d| d.kind == DayKind::Holiday);
            if past.is_empty() {
                (
                    Basis::WeekendsForHoliday,
                    pick(&|d| d.kind == DayKind::Weekend),
                )
            } else {
                (Basis::PastHolidays, past)
            }
        }
    };
    let mut arrivals = vec![0.0; SLOTS_PER_DAY];
    for d in &days {
        for (s, a) in d.arrivals.iter().take(SLOTS_PER_DAY).enumerate() {
            arrivals[s] += a / days.len() as f64;
        }
    }
    Forecast {
        date,
        basis: if days.is_empty() {
            Basis::NoHistory
        } else {
            basis
        },
        days_used: days.len(),
        arrivals,
    }
}

/// A service-time distribution summarised from past handling times.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServiceStats {
    pub count: usize,
    pub mean_s: f64,
    /// Coefficient of variation (sd / mean): 1 for exponential, less for steadier work.
    pub cv: f64,
    pub p50_s: f64,
    pub p90_s: f64,
}

impl ServiceStats {
    /// None without samples.
    pub fn from_samples(samples: &[f64]) -> Option<Self> {
        let mut v: Vec<f64> = samples
            .iter()
            .copied()
            .filter(|x| x.is_finite() && *x > 0.0)
            .collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        let q = |p: f64| v[((n - 1.0) * p).round() as usize];
        Some(Self {
            count: v.len(),
            mean_s: mean,
            cv: var.sqrt() / mean,
            p50_s: q(0.5),
            p90_s: q(0.9),
        })
    }
}
