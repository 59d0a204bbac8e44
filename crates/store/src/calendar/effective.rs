//! The working-day calendar in use: the schedules shipped with the binary plus the years an
//! administrator imported (table calendar_years), which add to or replace them. Read by the
//! calendar's store and by every case that counts a deadline (cases/rows.rs).
//!
//! Parsed calendars are kept by the text they were built from, so every store over the same
//! imported years shares one, and an import is seen by the next read — on every node.

use crate::Result;
use servicehall_domain::calendar::{Calendar, YearSchedule, parse_years};
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

/// Calendars built from imported texts, by that text.
fn built() -> &'static Mutex<HashMap<String, Arc<Calendar>>> {
    static BUILT: OnceLock<Mutex<HashMap<String, Arc<Calendar>>>> = OnceLock::new();
    BUILT.get_or_init(Mutex::default)
}

/// The calendar in use, read through `conn` (a transaction's or the pool's).
pub(crate) async fn effective(conn: &mut AnyConnection) -> Result<Arc<Calendar>> {
    let texts: Vec<String> = sqlx::query_scalar("SELECT text FROM calendar_years ORDER BY year")
        .fetch_all(conn)
        .await?;
    let key = texts.concat();
    if let Some(c) = built().lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(c);
    }
    let parsed = if key.is_empty() {
        Ok(Vec::new())
    } else {
        parse_years(&key)
    };
    let years: Vec<YearSchedule> = match parsed {
        Ok(y) => y,
        Err(e) => {
            // Stored texts were checked on import; a hand-edited table must not stop cases.
            tracing::error!(
                "已导入的节假日安排无法读取，改用内置安排 · imported calendar years do not parse ({e}); using the shipped schedules"
            );
            Vec::new()
        }
    };
    let cal = Arc::new(Calendar::china().with_years(years));
    if let Ok(mut m) = built().lock() {
        if m.len() > 64 {
            m.clear();
        }
        m.insert(key, cal.clone());
    }
    Ok(cal)
}

/// Says once per process, in the log, that a deadline reaches into a year with no schedule.
pub(crate) fn log_uncovered(years: &[i32]) {
    static SAID: OnceLock<Mutex<HashSet<i32>>> = OnceLock::new();
    let said = SAID.get_or_init(Mutex::default);
    for y in years {
        if said.lock().map(|mut s| s.insert(*y)).unwrap_or(false) {
            tracing::warn!("{}", servicehall_domain::calendar::provisional_year(*y));
        }
    }
}
