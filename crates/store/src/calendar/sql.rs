//! The working-day calendar in use: the schedules shipped with the binary plus the years an
//! administrator imported (table calendar_years), which add to or replace them.
//!
//! Parsed calendars are kept by the text they were built from, so every store over the same
//! imported years shares one, and an import is seen by the next read — on every node.

use crate::calendar::ImportedYear;
use crate::sql::SqlStore;
use crate::{CalendarStore, Result, StoreError};
use async_trait::async_trait;
use servicehall_domain::calendar::{Calendar, YearSchedule, parse_years};
use sqlx::{AnyConnection, Row};
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
                "imported calendar years do not parse ({e}); using the shipped schedules"
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

fn imported(r: &sqlx::any::AnyRow) -> Result<ImportedYear> {
    Ok(ImportedYear {
        year: r.try_get::<i64, _>("year")? as i32,
        source: r.try_get("source")?,
        text: r.try_get("text")?,
        imported_at: r.try_get("imported_at")?,
        imported_by: r.try_get("imported_by")?,
    })
}

#[async_trait]
impl CalendarStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.calendar.calendar")]
    async fn calendar(&self) -> Result<Arc<Calendar>> {
        let mut conn = self.pool.acquire().await?;
        effective(&mut conn).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.calendar.imported_years")]
    async fn imported_years(&self) -> Result<Vec<ImportedYear>> {
        let rows = sqlx::query(
            "SELECT year, source, text, imported_at, imported_by FROM calendar_years ORDER BY year",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(imported).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.calendar.import_years")]
    async fn import_years(&self, text: &str, by: Option<i64>, now: i64) -> Result<Vec<i32>> {
        let years = parse_years(text).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let numbers: Vec<i32> = years.iter().map(|y| y.year).collect();
        let mut w = self.begin().await?;
        let before = super::recompute::before(&mut w, &numbers, now).await?;
        for y in &years {
            sqlx::query("DELETE FROM calendar_years WHERE year = $1")
                .bind(i64::from(y.year))
                .execute(&mut *w.tx)
                .await?;
            sqlx::query(
                "INSERT INTO calendar_years (year, source, text, imported_at, imported_by) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(i64::from(y.year))
            .bind(&y.source)
            .bind(y.to_text())
            .bind(now)
            .bind(by)
            .execute(&mut *w.tx)
            .await?;
        }
        let moved = super::recompute::after(&mut w, before, &numbers, by, now).await?;
        self.commit(w).await?;
        tracing::info!(years = ?numbers, moved, "calendar years imported; open deadlines recomputed");
        Ok(numbers)
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.calendar.remove_imported_year"
    )]
    async fn remove_imported_year(&self, year: i32, by: Option<i64>, now: i64) -> Result<()> {
        let mut w = self.begin().await?;
        let before = super::recompute::before(&mut w, &[year], now).await?;
        let n = sqlx::query("DELETE FROM calendar_years WHERE year = $1")
            .bind(i64::from(year))
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::not_found("imported calendar year", year));
        }
        super::recompute::after(&mut w, before, &[year], by, now).await?;
        self.commit(w).await
    }
}
