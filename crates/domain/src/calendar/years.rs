//! Importing years into a calendar: the administrator's screen stores each year's section
//! of the calendar format, and the calendar in use is the built-in one with those years
//! added or replaced — no new build needed when the State Council publishes a new year.

use super::{Calendar, Entry, ImportError, LineError, YearSchedule, parse};
use std::collections::BTreeMap;
use std::fmt::Write;

impl YearSchedule {
    /// This year's section in the calendar format; [`parse`] reads it back to the same year.
    pub fn to_text(&self) -> String {
        let mut out = format!("year {} {}\n", self.year, self.source);
        for (word, entries) in [("holiday", &self.holidays), ("workday", &self.workdays)] {
            for e in entries {
                let _ = writeln!(out, "{word} {} {}", dates(e), e.name);
            }
        }
        out
    }
}

fn dates(e: &Entry) -> String {
    if e.first == e.last {
        e.first.to_string()
    } else {
        format!("{}..{}", e.first, e.last)
    }
}

/// The year sections of an import: the calendar format with at least one `year` section.
/// `tz` and `hours` lines are refused here — they belong to the calendar, not to a year.
pub fn parse_years(text: &str) -> Result<Vec<YearSchedule>, ImportError> {
    let mut errors: Vec<LineError> = text
        .lines()
        .enumerate()
        .filter_map(|(i, raw)| {
            let word = raw.split('#').next()?.split_whitespace().next()?;
            matches!(word, "tz" | "hours").then(|| LineError {
                line: i + 1,
                reason: format!(
                    "此处只导入年度部分，“{word}”行属于整个工作日历 `{word}` belongs to the whole calendar; import only year sections"
                ),
            })
        })
        .collect();
    let parsed = parse(text);
    if let Err(e) = &parsed {
        errors.extend(e.errors.iter().cloned());
    }
    if let Ok(c) = &parsed
        && c.covered_years().is_empty()
    {
        errors.push(LineError {
            line: 1,
            reason: "没有找到年度部分，请以“year 2027 国办发明电〔2026〕…”开始 no `year` section found; start with e.g. `year 2027 国办发明电〔2026〕…`"
                .into(),
        });
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(ImportError { errors });
    }
    let cal = parsed?;
    Ok(cal
        .covered_years()
        .into_iter()
        .filter_map(|y| cal.schedule(y).cloned())
        .collect())
}

impl Calendar {
    /// The same calendar with these years' schedules added, or replacing its own.
    pub fn with_years(&self, years: impl IntoIterator<Item = YearSchedule>) -> Calendar {
        let mut all: BTreeMap<i32, YearSchedule> = self.years.clone();
        for y in years {
            all.insert(y.year, y);
        }
        Calendar::build(self.tz, self.hours.clone(), all.into_values().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const Y2027: &str = "year 2027 示例 sample notice\n\
        holiday 2027-01-01 元旦\n\
        holiday 2027-02-06..2027-02-12 春节\n\
        workday 2027-02-13 春节调休\n";

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_year_renders_back_to_itself() {
        for year in Calendar::china().covered_years() {
            let y = Calendar::china().schedule(year).unwrap().clone();
            let again = parse_years(&y.to_text()).unwrap();
            assert_eq!(again, vec![y]);
        }
    }

    #[test]
    fn an_imported_year_is_counted_and_no_longer_uncovered() {
        let before = Calendar::china();
        assert!(!before.day(d("2027-02-08")).covered);
        let years = parse_years(Y2027).unwrap();
        let cal = before.with_years(years);
        let spring = cal.day(d("2027-02-08"));
        assert!(spring.covered && !spring.working, "{spring:?}");
        assert!(cal.day(d("2027-02-13")).working, "make-up Saturday");
        assert!(!cal.day(d("2027-02-14")).working, "an ordinary Sunday");
        // the shipped years are untouched
        assert_eq!(cal.schedule(2026), before.schedule(2026));
    }

    #[test]
    fn an_imported_year_replaces_the_shipped_one() {
        let edited = "year 2026 更正 corrected\nholiday 2026-01-01..2026-01-03 元旦\n";
        let cal = Calendar::china().with_years(parse_years(edited).unwrap());
        let y = cal.schedule(2026).unwrap();
        assert_eq!(y.source, "更正 corrected");
        assert_eq!(y.holidays.len(), 1);
        assert!(cal.day(d("2026-02-17")).working, "春节 no longer listed");
    }

    #[test]
    fn imports_say_which_line_is_wrong() {
        let e = parse_years("tz Asia/Shanghai\nyear 2027 x\nholiday 2027-13-01 坏\n").unwrap_err();
        let lines: Vec<usize> = e.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![1, 3], "{e}");
        let e = parse_years("# nothing here\n").unwrap_err();
        assert!(e.to_string().contains("no `year` section"), "{e}");
    }
}
