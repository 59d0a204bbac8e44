//! The provisional calendar (暂按法定节假日推算) of a year whose State Council schedule has
//! not been imported: the statutory holidays of 《全国年节及纪念日放假办法》 as amended in
//! 2024, on their own days, with weekends as rest days and no make-up working days (调休).
//! Every answer that reaches such a year says it is provisional.

use super::{Entry, YearSchedule, lunar};
use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;

/// Where a provisional year's holidays come from, as its `source`.
pub const PROVISIONAL_SOURCE: &str = "暂按法定节假日推算（《全国年节及纪念日放假办法》2024 年修订） · provisional: statutory holidays";

/// `2027 年节假日安排尚未导入，暂按法定节假日推算 · provisional …`
pub fn provisional_year(year: i32) -> String {
    format!(
        "{year} 年节假日安排尚未导入，暂按法定节假日推算 · provisional: the {year} holiday \
         schedule is not imported; counted by the statutory holidays, without make-up days"
    )
}

/// The statutory holidays of `year` (2001–2099), or `None` outside the lunar table, where a
/// provisional year is counted by its weekends only.
pub fn statutory_year(year: i32) -> Option<YearSchedule> {
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let eve = lunar::new_years_eve(year)?;
    let mut days: BTreeMap<NaiveDate, Vec<&str>> = BTreeMap::new();
    let mut add = |first: NaiveDate, n: u64, name: &'static str| {
        for i in 0..n {
            if let Some(d) = first.checked_add_days(Days::new(i)) {
                days.entry(d).or_default().push(name);
            }
        }
    };
    add(ymd(1, 1)?, 1, "元旦");
    add(eve, 4, "春节");
    add(lunar::qingming(year)?, 1, "清明节");
    add(ymd(5, 1)?, 2, "劳动节");
    add(lunar::to_solar(year, 5, 5)?, 1, "端午节");
    add(lunar::to_solar(year, 8, 15)?, 1, "中秋节");
    add(ymd(10, 1)?, 3, "国庆节");
    // Consecutive days of the same holiday become one range (中秋 on 国庆 is named both).
    let mut holidays: Vec<Entry> = Vec::new();
    for (date, names) in days {
        let name = names.join("、");
        match holidays.last_mut() {
            Some(e) if e.name == name && e.last.succ_opt() == Some(date) => e.last = date,
            _ => holidays.push(Entry {
                first: date,
                last: date,
                name,
            }),
        }
    }
    Some(YearSchedule {
        year,
        source: PROVISIONAL_SOURCE.into(),
        holidays,
        workdays: Vec::new(),
    })
}
