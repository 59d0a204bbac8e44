//! Assessment (督查 · 考核): the indicators library and the standard's items measured by it.
//! Every indicator is a ratio of two sums kept per hall and day (numerator, denominator), so a
//! month, a year or a region adds the sums first and divides once — region figures sum
//! counts, never average rates. Scorecards, weights and rankings sit on these figures later.

pub mod idle;
#[cfg(test)]
mod idle_tests;
pub mod items;
mod library;
pub mod site_checks;
#[cfg(test)]
mod tests;

pub use items::{ConformanceItem, ITEMS, ItemGroup, Measure};
pub use library::{INDICATORS, WAIT_BINS, indicator, wait_bin_code, wait_p90_ms};

/// How an indicator's value is read against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher is better (on-time rate, satisfaction).
    Higher,
    /// Lower is better (waiting time, complaints).
    Lower,
}

impl Direction {
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Higher => "越高越好",
            Self::Lower => "越低越好",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Higher => "higher is better",
            Self::Lower => "lower is better",
        }
    }
}

/// What the value counts in, and how the kept sums become it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Mean of milliseconds kept as (sum of ms, count), shown in minutes.
    Minutes,
    /// A share (count ÷ count), shown in percent.
    Percent,
    /// Per 10,000 of the denominator (complaints per 10,000 visits).
    Per10k,
    /// A mean score kept in tenths of a point, shown in points of 100.
    Score,
    /// A plain count: the numerator alone (the denominator counts the days with data).
    Count,
    /// A count of checks (the numerator alone, as `Count`).
    Checks,
}

impl Unit {
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Minutes => "分钟",
            Self::Percent => "%",
            Self::Per10k => "件/万人次",
            Self::Score => "分",
            Self::Count => "人次",
            Self::Checks => "次",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Minutes => "min",
            Self::Percent => "%",
            Self::Per10k => "per 10,000 visits",
            Self::Score => "points",
            Self::Count => "visits",
            Self::Checks => "checks",
        }
    }

    /// The value of kept sums; `None` when nothing was counted (no data, not zero).
    pub fn value(self, num: i64, den: i64) -> Option<f64> {
        if den <= 0 {
            return None;
        }
        let (n, d) = (num as f64, den as f64);
        Some(match self {
            Self::Minutes => n / d / 60_000.0,
            Self::Percent => n * 100.0 / d,
            Self::Per10k => n * 10_000.0 / d,
            Self::Score => n / d / 10.0,
            Self::Count | Self::Checks => n,
        })
    }
}

/// One indicator of the library: what it means, where it comes from and where to look.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Indicator {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub definition_zh: &'static str,
    pub definition_en: &'static str,
    pub unit: Unit,
    pub direction: Direction,
    /// The log tables the figure is counted from.
    pub sources: &'static str,
    /// The page listing the source records; `{hall}`, `{from}`, `{to}` (YYYY-MM-DD) filled in.
    pub drill: &'static str,
}

impl Indicator {
    /// The drill-down link for a hall (by code) and a period of local dates `[from, to]`.
    pub fn drill_link(&self, hall_code: &str, from: &str, to: &str) -> String {
        self.drill
            .replace("{hall}", hall_code)
            .replace("{from}", from)
            .replace("{to}", to)
    }
}

/// Kept sums of one indicator over a period and scope.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figure {
    pub num: i64,
    pub den: i64,
}

impl Figure {
    pub fn add(&mut self, num: i64, den: i64) {
        self.num += num;
        self.den += den;
    }
}

/// Where a measured item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    NotMet,
    /// No indicator measures the item yet, or nothing was counted in the period.
    NoData,
}

impl Status {
    /// Judges a value against its target in the indicator's direction.
    pub fn judge(value: Option<f64>, target: f64, direction: Direction) -> Self {
        match value {
            None => Self::NoData,
            Some(v) if v.is_nan() => Self::NoData,
            Some(v) => {
                // Compare at the precision shown (two decimals), so 95.00 % meets 95 %.
                let (v, t) = ((v * 100.0).round(), (target * 100.0).round());
                let met = match direction {
                    Direction::Higher => v >= t,
                    Direction::Lower => v <= t,
                };
                if met { Self::Met } else { Self::NotMet }
            }
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::NotMet => "not_met",
            Self::NoData => "no_data",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Met => "达标",
            Self::NotMet => "未达标",
            Self::NoData => "暂无数据",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Met => "Met",
            Self::NotMet => "Not met",
            Self::NoData => "No data",
        }
    }
}

/// A calendar month `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// Reads `YYYY-MM`; the error says what to write.
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "月份应写作 YYYY-MM（如 2026-03） · month must read YYYY-MM, e.g. 2026-03 (got {s:?})"
            )
        };
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        let (year, month): (i32, u32) =
            (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if y.len() != 4
            || m.len() != 2
            || !(1..=12).contains(&month)
            || !(2000..=2100).contains(&year)
        {
            return Err(bad());
        }
        Ok(Self { year, month })
    }
    pub fn of(date: chrono::NaiveDate) -> Self {
        use chrono::Datelike;
        Self {
            year: date.year(),
            month: date.month(),
        }
    }
    pub fn first_day(self) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("month is valid")
    }
    /// The month `n` months before (negative: after).
    pub fn back(self, n: i32) -> Self {
        let idx = self.year * 12 + self.month as i32 - 1 - n;
        Self {
            year: idx.div_euclid(12),
            month: (idx.rem_euclid(12) + 1) as u32,
        }
    }
    /// The first day of the next month.
    pub fn end(self) -> chrono::NaiveDate {
        self.back(-1).first_day()
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Roll-up days are China Standard Time days, numbered from 1970-01-01 (as the ratings'
/// roll-up): day `d` is the local date 1970-01-01 + d.
pub fn day_date(day: i64) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")
        + chrono::Days::new(day.max(0) as u64)
}

/// The roll-up day number of a local date.
pub fn date_day(date: chrono::NaiveDate) -> i64 {
    (date - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days()
}
