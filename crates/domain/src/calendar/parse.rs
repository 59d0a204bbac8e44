//! The plain-text calendar format (documented in docs/deadlines.md):
//!
//! ```text
//! # comment (from `#` to the end of the line)
//! tz Asia/Shanghai                      # optional, default Asia/Shanghai
//! hours 08:30-12:00 13:30-17:30         # optional, default as shown
//! year 2026 国务院办公厅关于2026年部分节假日安排的通知   # opens a year's section
//! holiday 2026-02-15..2026-02-23 春节   # a day or a range, then a name
//! workday 2026-02-14 春节调休            # a make-up working day (a Saturday or Sunday)
//! ```
//!
//! A year listed with `year` is *covered*: its weekends, holidays and make-up days are
//! exactly as written. A holiday range may start in the previous year when it ends in the
//! section's year (元旦 2023 ran from 2022-12-31); every other date must lie in its year.
//! Every problem is reported with its line number, and nothing is built unless all is well.

use super::hours::WorkingHours;
use super::table::is_weekend;
use super::{Calendar, Entry, MAX_YEAR, MIN_YEAR, YearSchedule};
use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::fmt;

/// One problem in a calendar file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number.
    pub line: usize,
    pub reason: String,
}

/// Every problem found in a calendar file, in line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub errors: Vec<LineError>,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第 {} 行 line {}: {}", self.line, self.line, self.reason)
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.errors.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("; "))
    }
}

impl std::error::Error for ImportError {}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Holiday,
    Workday,
}

#[derive(Default)]
struct Parser {
    tz: Option<(Tz, usize)>,
    hours: Option<(WorkingHours, usize)>,
    years: Vec<YearSchedule>,
    year_lines: HashMap<i32, usize>,
    /// Every listed day (num_days_from_ce) → where and as what it was listed.
    days: HashMap<i32, (usize, Mark)>,
    errors: Vec<LineError>,
}

/// Parses a calendar file; see the module documentation for the format.
pub fn parse(text: &str) -> Result<Calendar, ImportError> {
    let mut p = Parser::default();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let content = raw.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        let (word, rest) = content
            .split_once(char::is_whitespace)
            .map_or((content, ""), |(w, r)| (w, r.trim()));
        if let Err(reason) = p.line(line, word, rest) {
            p.errors.push(LineError { line, reason });
        }
    }
    if !p.errors.is_empty() {
        return Err(ImportError { errors: p.errors });
    }
    let tz = p.tz.map_or(chrono_tz::Asia::Shanghai, |(tz, _)| tz);
    let hours = p.hours.map(|(h, _)| h).unwrap_or_default();
    Ok(Calendar::build(tz, hours, p.years))
}

impl Parser {
    fn line(&mut self, line: usize, word: &str, rest: &str) -> Result<(), String> {
        match word {
            "tz" => {
                if let Some((_, first)) = self.tz {
                    return Err(format!(
                        "时区已在第 {first} 行设置 the time zone is already set on line {first}"
                    ));
                }
                let tz = crate::time::parse_tz(rest)?;
                self.tz = Some((tz, line));
            }
            "hours" => {
                if let Some((_, first)) = self.hours {
                    return Err(format!(
                        "工作时间已在第 {first} 行设置 working hours are already set on line {first}"
                    ));
                }
                self.hours = Some((WorkingHours::parse(rest)?, line));
            }
            "year" => self.year(line, rest)?,
            "holiday" | "workday" => self.entry(line, word == "holiday", rest)?,
            other => {
                return Err(format!(
                    "无法识别的关键字，请使用 tz、hours、year、holiday 或 workday unknown keyword {other:?}; use tz, hours, year, holiday or workday"
                ));
            }
        }
        Ok(())
    }

    fn year(&mut self, line: usize, rest: &str) -> Result<(), String> {
        let (y, source) = rest
            .split_once(char::is_whitespace)
            .map_or((rest, ""), |(y, s)| (y, s.trim()));
        let year: i32 = y.parse().map_err(|_| {
            format!("请在“year”后填写年份，例如 2026 `year` needs a year such as 2026, got {y:?}")
        })?;
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(format!(
                "年份 {year} 超出可用范围（{MIN_YEAR}–{MAX_YEAR}） year {year} is outside {MIN_YEAR}-{MAX_YEAR}"
            ));
        }
        if let Some(first) = self.year_lines.get(&year) {
            return Err(format!(
                "年份 {year} 已在第 {first} 行有一节，请合并为一节 year {year} already has a section on line {first}; merge the two"
            ));
        }
        self.year_lines.insert(year, line);
        self.years.push(YearSchedule {
            year,
            source: source.to_string(),
            holidays: Vec::new(),
            workdays: Vec::new(),
        });
        Ok(())
    }

    fn entry(&mut self, line: usize, holiday: bool, rest: &str) -> Result<(), String> {
        let kw = if holiday { "holiday" } else { "workday" };
        let Some(section) = self.years.last() else {
            return Err(format!(
                "请先写“year”行再写“{kw}”，例如以“year 2026”开始一节 `{kw}` before any `year` line; start the section with e.g. `year 2026`"
            ));
        };
        let year = section.year;
        let (dates, name) = rest
            .split_once(char::is_whitespace)
            .map_or((rest, ""), |(d, n)| (d, n.trim()));
        let (first, last) = match dates.split_once("..") {
            Some((a, b)) => (date(a)?, date(b)?),
            None => (date(dates)?, date(dates)?),
        };
        if last < first {
            return Err(format!(
                "日期范围 {dates} 前后颠倒，请先写较早的日期 range {dates} is reversed; write the earlier date first"
            ));
        }
        if last.year() != year || first.year() < year - 1 || (!holiday && first.year() != year) {
            return Err(format!(
                "日期 {dates} 不在 {year} 年内（只有节假日可以从上一年开始，例如从 12 月 31 日开始的元旦） {dates} is outside year {year} (only a holiday range may start in the previous year, \
                 as 元旦 does when it begins on 31 December)"
            ));
        }
        if !holiday && first != last {
            return Err("调休上班日只能是单个日期，每行一个“workday” a make-up working day is a single date, one `workday` line each".into());
        }
        if !holiday && !is_weekend(i64::from(first.num_days_from_ce())) {
            return Err(format!(
                "调休上班日须为周六或周日，{first} 是{} {first} is a {}; a make-up working day (调休上班) must be a Saturday or Sunday",
                ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
                    [first.weekday().num_days_from_monday() as usize],
                first.weekday()
            ));
        }
        let mark = if holiday {
            Mark::Holiday
        } else {
            Mark::Workday
        };
        for d in first.iter_days().take_while(|d| *d <= last) {
            let n = d.num_days_from_ce();
            if let Some(&(at, was)) = self.days.get(&n) {
                return Err(if was == mark {
                    format!(
                        "日期 {d} 已在第 {at} 行列出 {d} is already listed as a {kw} on line {at}"
                    )
                } else {
                    format!(
                        "日期 {d} 不能既是节假日又是调休上班日（见第 {at} 行） {d} is both a holiday and a make-up working day (see line {at})"
                    )
                });
            }
            self.days.insert(n, (line, mark));
        }
        let entry = Entry {
            first,
            last,
            name: name.to_string(),
        };
        if let Some(s) = self.years.last_mut() {
            if holiday {
                s.holidays.push(entry);
            } else {
                s.workdays.push(entry);
            }
        }
        Ok(())
    }
}

fn date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("日期格式有误，请按 YYYY-MM-DD 填写，例如 2026-02-15 {s:?} is not a date; write YYYY-MM-DD, e.g. 2026-02-15"))
}
