//! Rebuilding the kept figures from the logs, or proving they equal a recount: the days
//! against the recount, the month sums against their days.

use super::figures::{self, Span};
use super::sql::{day_of, insert, read_days, set_marks};
use super::{DayFigure, RebuildReport};
use crate::Result;
use crate::sql::SqlStore;
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
            self.refresh_halls(&mut w, &halls, now).await?;
        }
        let all = Span {
            halls: None,
            from_day: 0,
            to_day: None,
            until: Some(now),
        };
        let rebuilt = figures::count(&mut w.tx, &all).await?;
        let rows = rebuilt.len();
        if !check {
            sqlx::query("DELETE FROM assessment_days")
                .execute(&mut *w.tx)
                .await?;
            insert(&mut w.tx, &rebuilt).await?;
            super::months::resum(&mut w.tx).await?;
            set_marks(&mut w.tx, &halls, day_of(now)).await?;
            self.commit(w).await?;
            return Ok(RebuildReport {
                rows,
                ..RebuildReport::default()
            });
        }
        let kept = read_days(&mut w.tx, "1 = 1").await?;
        let month_differences = super::months::differences(&mut w.tx).await?;
        self.commit(w).await?;
        let (kept, rebuilt) = (keyed(kept), keyed(rebuilt));
        let mut report = RebuildReport {
            rows,
            month_differences,
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
