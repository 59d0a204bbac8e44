//! Text in and out for scripts and the API: instants, amounts of hours, working time.

use super::arith::Period;
use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone};
use chrono_tz::Tz;

/// Parses an instant: RFC 3339 with an offset (`2024-09-30T16:00:00+08:00`), or a hall-local
/// `2024-09-30T16:00`, `2024-09-30 16:00[:00]`, or a bare date (its local midnight).
pub fn parse_instant(s: &str, tz: Tz) -> Result<i64, String> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp_millis());
    }
    let local = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })
    .ok_or_else(|| {
        format!(
            "时间格式有误，请按 2024-09-30T16:00:00+08:00 或 2024-09-30T16:00 填写 {s:?} is not an instant; write RFC 3339 such as 2024-09-30T16:00:00+08:00 \
                 (or a local 2024-09-30T16:00)"
        )
    })?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.timestamp_millis())
        .ok_or_else(|| format!("该时刻因时钟调整在本时区不存在 {s} does not exist in {tz} (a clock change skips it)"))
}

/// RFC 3339 in the calendar's zone with its offset, to the second: `2024-10-08T11:00:00+08:00`.
pub fn format_instant(ms: i64, tz: Tz) -> String {
    DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&tz)
                .to_rfc3339_opts(SecondsFormat::Secs, false)
        })
        .unwrap_or_default()
}

/// Parses an amount of hours: a decimal number of hours (`4`, `1.5`) or `4h30m`, `90m`,
/// `2h`; returns milliseconds, rounded to the second.
pub fn parse_hours(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let bad = || {
        format!(
            "小时数格式有误，例如 4、1.5、4h30m 或 90m {s:?} is not an amount of hours; write e.g. 4, 1.5, 4h30m or 90m"
        )
    };
    if let Ok(h) = s.parse::<f64>() {
        if !h.is_finite() || !(0.0..=1_000_000.0).contains(&h) {
            return Err(format!(
                "小时数超出范围（0–1000000） {s} hours is out of range (0 to 1000000)"
            ));
        }
        return Ok((h * 3600.0).round() as i64 * 1000);
    }
    let (mut total, mut num, mut seen) = (0i64, String::new(), false);
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3_600_000,
            'm' => 60_000,
            's' => 1000,
            _ => return Err(bad()),
        };
        let n: i64 = num.parse().map_err(|_| bad())?;
        if n > 1_000_000_000 {
            return Err(bad());
        }
        total += n * unit;
        num.clear();
        seen = true;
    }
    if !seen || !num.is_empty() {
        return Err(bad());
    }
    Ok(total)
}

/// `4h30m`, `45m`, `2h`, `0m`, `-1h15m`, with seconds only when present (`1m30s`).
pub fn format_duration(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let secs = (ms / 1000).abs();
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::from(sign);
    if h > 0 {
        out += &format!("{h}h");
    }
    if m > 0 || (h == 0 && s == 0) {
        out += &format!("{m}m");
    }
    if s > 0 {
        out += &format!("{s}s");
    }
    out
}

/// Builds a period from exactly one of the four amounts, as the CLI and the API take them.
pub fn period_from(
    working_days: Option<u32>,
    working_hours: Option<&str>,
    days: Option<u32>,
    hours: Option<&str>,
) -> Result<Period, String> {
    let given = [
        working_days.is_some(),
        working_hours.is_some(),
        days.is_some(),
        hours.is_some(),
    ];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err("请只填写一种时长：工作日、工作小时、自然日或小时 give exactly one of working_days, working_hours, days or hours".into());
    }
    Ok(match (working_days, working_hours, days, hours) {
        (Some(n), ..) => Period::WorkingDays(n),
        (_, Some(h), ..) => Period::WorkingHours(parse_hours(h)?),
        (_, _, Some(n), _) => Period::CalendarDays(n),
        (.., Some(h)) => Period::Hours(parse_hours(h)?),
        _ => unreachable!("exactly one amount is given"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Shanghai;

    #[test]
    fn instants_in_and_out() {
        let a = parse_instant("2024-09-30T16:00:00+08:00", Shanghai).unwrap();
        assert_eq!(parse_instant("2024-09-30T16:00", Shanghai).unwrap(), a);
        assert_eq!(parse_instant("2024-09-30 16:00:00", Shanghai).unwrap(), a);
        assert_eq!(parse_instant("2024-09-30T08:00:00Z", Shanghai).unwrap(), a);
        assert_eq!(format_instant(a, Shanghai), "2024-09-30T16:00:00+08:00");
        assert!(
            parse_instant("30/09/2024", Shanghai)
                .unwrap_err()
                .contains("RFC 3339")
        );
    }

    #[test]
    fn hours_in_and_out() {
        assert_eq!(parse_hours("4").unwrap(), 4 * 3_600_000);
        assert_eq!(parse_hours("1.5").unwrap(), 5_400_000);
        assert_eq!(parse_hours("4h30m").unwrap(), 16_200_000);
        assert_eq!(parse_hours("90m").unwrap(), 5_400_000);
        for bad in ["", "-1", "h", "4x", "4h30", "nan"] {
            assert!(parse_hours(bad).is_err(), "{bad}");
        }
        assert_eq!(format_duration(16_200_000), "4h30m");
        assert_eq!(format_duration(0), "0m");
        assert_eq!(format_duration(-4_500_000), "-1h15m");
        assert_eq!(format_duration(90_000), "1m30s");
        assert_eq!(format_duration(7_200_000), "2h");
    }

    #[test]
    fn exactly_one_amount() {
        assert_eq!(
            period_from(Some(3), None, None, None),
            Ok(Period::WorkingDays(3))
        );
        assert!(period_from(Some(3), Some("4"), None, None).is_err());
        assert!(period_from(None, None, None, None).is_err());
        assert_eq!(
            period_from(None, None, None, Some("24")),
            Ok(Period::Hours(86_400_000))
        );
    }
}
