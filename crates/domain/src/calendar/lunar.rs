//! The Chinese lunisolar calendar (农历) and the Qingming solar term, enough to place the
//! statutory holidays of a year whose official schedule is not yet published.
//!
//! Lunar months come from the widely published table of lunar years 1900–2100: one word per
//! year, bits 15…4 the lengths of months 1…12 (1 = 30 days, 0 = 29), bits 3…0 the leap
//! month (0 = none) and bit 16 the leap month's length. Lunar 1900-01-01 is 1900-01-31.
//! Qingming (清明, the sun at 15° longitude) uses the century formula
//! `⌊0.2422·Y + 4.81⌋ − ⌊Y/4⌋` (Y = year − 2000), valid for 2001–2099; tests check both
//! against the State Council's notices.

use chrono::NaiveDate;

/// The first and last Gregorian years the provisional holidays are computed for.
pub const FIRST: i32 = 2001;
pub const LAST: i32 = 2099;

#[rustfmt::skip]
const YEARS: [u32; 201] = [
    0x04bd8, 0x04ae0, 0x0a570, 0x054d5, 0x0d260, 0x0d950, 0x16554, 0x056a0, 0x09ad0, 0x055d2, // 1900
    0x04ae0, 0x0a5b6, 0x0a4d0, 0x0d250, 0x1d255, 0x0b540, 0x0d6a0, 0x0ada2, 0x095b0, 0x14977, // 1910
    0x04970, 0x0a4b0, 0x0b4b5, 0x06a50, 0x06d40, 0x1ab54, 0x02b60, 0x09570, 0x052f2, 0x04970, // 1920
    0x06566, 0x0d4a0, 0x0ea50, 0x06e95, 0x05ad0, 0x02b60, 0x186e3, 0x092e0, 0x1c8d7, 0x0c950, // 1930
    0x0d4a0, 0x1d8a6, 0x0b550, 0x056a0, 0x1a5b4, 0x025d0, 0x092d0, 0x0d2b2, 0x0a950, 0x0b557, // 1940
    0x06ca0, 0x0b550, 0x15355, 0x04da0, 0x0a5b0, 0x14573, 0x052b0, 0x0a9a8, 0x0e950, 0x06aa0, // 1950
    0x0aea6, 0x0ab50, 0x04b60, 0x0aae4, 0x0a570, 0x05260, 0x0f263, 0x0d950, 0x05b57, 0x056a0, // 1960
    0x096d0, 0x04dd5, 0x04ad0, 0x0a4d0, 0x0d4d4, 0x0d250, 0x0d558, 0x0b540, 0x0b6a0, 0x195a6, // 1970
    0x095b0, 0x049b0, 0x0a974, 0x0a4b0, 0x0b27a, 0x06a50, 0x06d40, 0x0af46, 0x0ab60, 0x09570, // 1980
    0x04af5, 0x04970, 0x064b0, 0x074a3, 0x0ea50, 0x06b58, 0x055c0, 0x0ab60, 0x096d5, 0x092e0, // 1990
    0x0c960, 0x0d954, 0x0d4a0, 0x0da50, 0x07552, 0x056a0, 0x0abb7, 0x025d0, 0x092d0, 0x0cab5, // 2000
    0x0a950, 0x0b4a0, 0x0baa4, 0x0ad50, 0x055d9, 0x04ba0, 0x0a5b0, 0x15176, 0x052b0, 0x0a930, // 2010
    0x07954, 0x06aa0, 0x0ad50, 0x05b52, 0x04b60, 0x0a6e6, 0x0a4e0, 0x0d260, 0x0ea65, 0x0d530, // 2020
    0x05aa0, 0x076a3, 0x096d0, 0x04bd7, 0x04ad0, 0x0a4d0, 0x1d0b6, 0x0d250, 0x0d520, 0x0dd45, // 2030
    0x0b5a0, 0x056d0, 0x055b2, 0x049b0, 0x0a577, 0x0a4b0, 0x0aa50, 0x1b255, 0x06d20, 0x0ada0, // 2040
    0x14b63, 0x09370, 0x049f8, 0x04970, 0x064b0, 0x168a6, 0x0ea50, 0x06b20, 0x1a6c4, 0x0aae0, // 2050
    0x092e0, 0x0d2e3, 0x0c960, 0x0d557, 0x0d4a0, 0x0da50, 0x05d55, 0x056a0, 0x0a6d0, 0x055d4, // 2060
    0x052d0, 0x0a9b8, 0x0a950, 0x0b4a0, 0x0b6a6, 0x0ad50, 0x055a0, 0x0aba4, 0x0a5b0, 0x052b0, // 2070
    0x0b273, 0x06930, 0x07337, 0x06aa0, 0x0ad50, 0x14b55, 0x04b60, 0x0a570, 0x054e4, 0x0d160, // 2080
    0x0e968, 0x0d520, 0x0daa0, 0x16aa6, 0x056d0, 0x04ae0, 0x0a9d4, 0x0a2d0, 0x0d150, 0x0f252, // 2090
    0x0d520,                                                                                  // 2100
];

fn word(year: i32) -> Option<u32> {
    YEARS.get(usize::try_from(year - 1900).ok()?).copied()
}

/// Lengths of lunar year `year`'s months in order, the leap month after its namesake:
/// (month number, leap?, days).
fn months(w: u32) -> impl Iterator<Item = (u32, bool, i64)> {
    let leap = w & 0xf;
    (1..=12u32).flat_map(move |m| {
        let days = |bit: u32| if w & bit != 0 { 30 } else { 29 };
        let own = (m, false, days(0x10000 >> m));
        let extra = (leap == m).then(|| (m, true, days(0x10000)));
        std::iter::once(own).chain(extra)
    })
}

/// The Gregorian date of lunar `month`-`day` (not a leap month) of lunar year `year`.
pub fn to_solar(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let mut offset: i64 = 0;
    for y in 1900..year {
        offset += months(word(y)?).map(|(_, _, d)| d).sum::<i64>();
    }
    let w = word(year)?;
    offset += months(w)
        .take_while(|&(m, leap, _)| m < month || (m == month && leap))
        .map(|(_, _, d)| d)
        .sum::<i64>();
    let base = NaiveDate::from_ymd_opt(1900, 1, 31)?;
    base.checked_add_days(chrono::Days::new(
        u64::try_from(offset + i64::from(day) - 1).ok()?,
    ))
}

/// 除夕: the last day of the lunar year that ends in Gregorian `year` (the eve of 春节).
pub fn new_years_eve(year: i32) -> Option<NaiveDate> {
    to_solar(year, 1, 1)?.pred_opt()
}

/// The day of the Qingming solar term in April of `year` (2001–2099).
pub fn qingming(year: i32) -> Option<NaiveDate> {
    if !(FIRST..=LAST).contains(&year) {
        return None;
    }
    let y = year - 2000;
    let day = (y * 2422 + 48_100) / 10_000 - y / 4;
    NaiveDate::from_ymd_opt(year, 4, u32::try_from(day).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn lunar_dates_match_the_state_council_notices_and_known_years() {
        // (year, 春节, 端午, 中秋, 清明): 2020–2026 from the notices in cn_holidays.txt
        // (the holiday's own day inside each published range); 2027–2030 independently known.
        let known = [
            (2020, "2020-01-25", "2020-06-25", "2020-10-01", "2020-04-04"),
            (2021, "2021-02-12", "2021-06-14", "2021-09-21", "2021-04-04"),
            (2022, "2022-02-01", "2022-06-03", "2022-09-10", "2022-04-05"),
            (2023, "2023-01-22", "2023-06-22", "2023-09-29", "2023-04-05"),
            (2024, "2024-02-10", "2024-06-10", "2024-09-17", "2024-04-04"),
            (2025, "2025-01-29", "2025-05-31", "2025-10-06", "2025-04-04"),
            (2026, "2026-02-17", "2026-06-19", "2026-09-25", "2026-04-05"),
            (2027, "2027-02-06", "2027-06-09", "2027-09-15", "2027-04-05"),
            (2028, "2028-01-26", "2028-05-28", "2028-10-03", "2028-04-04"),
            (2029, "2029-02-13", "2029-06-16", "2029-09-22", "2029-04-04"),
            (2030, "2030-02-03", "2030-06-05", "2030-09-12", "2030-04-05"),
        ];
        for (y, spring, duanwu, midautumn, qm) in known {
            assert_eq!(to_solar(y, 1, 1), Some(d(spring)), "春节 {y}");
            assert_eq!(to_solar(y, 5, 5), Some(d(duanwu)), "端午 {y}");
            assert_eq!(to_solar(y, 8, 15), Some(d(midautumn)), "中秋 {y}");
            assert_eq!(qingming(y), Some(d(qm)), "清明 {y}");
        }
        assert_eq!(new_years_eve(2027), Some(d("2027-02-05")));
        assert_eq!(new_years_eve(2028), Some(d("2028-01-25")));
    }

    #[test]
    fn every_year_in_range_has_its_feasts_in_their_seasons() {
        for y in FIRST..=LAST {
            let eve = new_years_eve(y).unwrap();
            assert!(
                eve >= d(&format!("{y}-01-20")) && eve <= d(&format!("{y}-02-19")),
                "{y}"
            );
            let duanwu = to_solar(y, 5, 5).unwrap();
            assert!(
                duanwu >= d(&format!("{y}-05-26")) && duanwu <= d(&format!("{y}-06-25")),
                "{y}: {duanwu}"
            );
            let ma = to_solar(y, 8, 15).unwrap();
            assert!(
                ma >= d(&format!("{y}-09-07")) && ma <= d(&format!("{y}-10-08")),
                "{y}"
            );
            let qm = qingming(y).unwrap();
            assert!((4..=5).contains(&chrono::Datelike::day(&qm)), "{y}");
        }
        assert_eq!(qingming(2100), None);
        assert_eq!(to_solar(2101, 1, 1), None);
    }
}
