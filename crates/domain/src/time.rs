//! Hall-local time: instants are unix milliseconds in UTC; each hall has a time zone.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Parses an IANA time-zone name such as `Asia/Shanghai`.
pub fn parse_tz(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>()
        .map_err(|_| format!("无法识别的时区，请使用 Asia/Shanghai 这样的 IANA 名称 unknown time zone {name:?}; use an IANA name such as Asia/Shanghai"))
}

/// The hall-local calendar day an instant falls on; ticket numbers restart each such day.
pub fn service_day(at_ms: i64, tz: Tz) -> NaiveDate {
    local(at_ms, tz).date_naive()
}

pub fn local(at_ms: i64, tz: Tz) -> DateTime<Tz> {
    let utc = DateTime::<Utc>::from_timestamp_millis(at_ms).unwrap_or(DateTime::UNIX_EPOCH);
    utc.with_timezone(&tz)
}

/// Unix milliseconds of a hall-local date and time (earliest, if ambiguous).
pub fn at_local(day: NaiveDate, time: NaiveTime, tz: Tz) -> i64 {
    tz.from_local_datetime(&day.and_time(time))
        .earliest()
        .map(|d| d.timestamp_millis())
        .unwrap_or_else(|| day.and_time(time).and_utc().timestamp_millis())
}

/// Hall-local `HH:MM`.
pub fn hhmm(at_ms: i64, tz: Tz) -> String {
    local(at_ms, tz).format("%H:%M").to_string()
}

/// Parses `HH:MM` opening hours.
pub fn parse_hhmm(s: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(s, "%H:%M")
        .map_err(|_| format!("时间格式须为 HH:MM time must be HH:MM, got {s:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_day_follows_the_hall_zone_not_utc() {
        let tz = parse_tz("Asia/Shanghai").unwrap();
        // 2026-11-27 23:30 UTC is 2026-11-28 07:30 in Dalian.
        let ms = Utc
            .with_ymd_and_hms(2026, 11, 27, 23, 30, 0)
            .unwrap()
            .timestamp_millis();
        assert_eq!(
            service_day(ms, tz),
            NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
        );
        assert_eq!(hhmm(ms, tz), "07:30");
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert_eq!(at_local(day, parse_hhmm("07:30").unwrap(), tz), ms);
    }

    #[test]
    fn bad_names_are_explained() {
        assert!(parse_tz("Mars/Olympus").unwrap_err().contains("IANA"));
        assert!(parse_hhmm("8.30").is_err());
    }
}
