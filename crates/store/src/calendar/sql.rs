//! The calendar's store on SQL: the imported years (table calendar_years), importing and
//! removing them with the open deadlines recomputed (recompute.rs). The calendar in use is
//! read by effective.rs, which the cases read too.

use crate::calendar::ImportedYear;
use crate::calendar::effective::effective;
use crate::sql::SqlStore;
use crate::{CalendarStore, Result, StoreError};
use async_trait::async_trait;
use servicehall_domain::calendar::{Calendar, parse_years};
use sqlx::Row;
use std::sync::Arc;

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
