//! Rebuilding the kept figures from the logs, or proving they equal a recount.

use super::figures::{self, Span};
use super::sql::{day_of, insert, set_mark};
use super::{DayFigure, RebuildReport};
use crate::Result;
use crate::sql::SqlStore;
use sqlx::Row;
use std::collections::BTreeMap;

type Key = (i64, i64, String);

fn keyed(rows: Vec<DayFigure>) -> BTreeMap<Key, DayFigure> {
    rows.into_iter()
        .map(|f| ((f.hall_id, f.day, f.indicator.clone()), f))
        .collect()
}

impl SqlStore {
    pub(crate) async fn rebuild(&self, check: bool, now: i64) -> Result<RebuildReport> {
        let halls: Vec<i64> = sqlx::query_scalar("SELECT id FROM halls ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        let mut w = self.begin().await?;
        if check {
            // Keep up first, as reading a page would, so the comparison covers today too.
            for &h in &halls {
                self.refresh_hall(&mut w, h, now).await?;
            }
        }
        let all = Span {
            halls: None,
            from_day: 0,
            to_day: None,
        };
        let rebuilt = figures::count(&mut w.tx, &all).await?;
        let rows = rebuilt.len();
        if !check {
            sqlx::query("DELETE FROM assessment_days")
                .execute(&mut *w.tx)
                .await?;
            insert(&mut w.tx, &rebuilt).await?;
            for &h in &halls {
                set_mark(&mut w.tx, h, day_of(now)).await?;
            }
            self.commit(w).await?;
            return Ok(RebuildReport {
                rows,
                ..RebuildReport::default()
            });
        }
        let kept_rows =
            sqlx::query("SELECT hall_id, day, indicator, num, den FROM assessment_days")
                .fetch_all(&mut *w.tx)
                .await?;
        self.commit(w).await?;
        let kept = kept_rows
            .iter()
            .map(|r| {
                Ok(DayFigure {
                    hall_id: r.try_get("hall_id")?,
                    day: r.try_get("day")?,
                    indicator: r.try_get("indicator")?,
                    num: r.try_get("num")?,
                    den: r.try_get("den")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let (kept, rebuilt) = (keyed(kept), keyed(rebuilt));
        let mut report = RebuildReport {
            rows,
            ..RebuildReport::default()
        };
        let keys: std::collections::BTreeSet<&Key> = kept.keys().chain(rebuilt.keys()).collect();
        for k in keys {
            let (a, b) = (kept.get(k), rebuilt.get(k));
            if a != b {
                report.differences += 1;
                if report.examples.len() < 10 {
                    report.examples.push((a.cloned(), b.cloned()));
                }
            }
        }
        Ok(report)
    }
}
