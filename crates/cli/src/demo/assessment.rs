//! The demo's indicators (督查 · 考核): the daily figures kept from the history just seeded,
//! so `/conformance` opens on counted months, and the check that they equal the recount.

use crate::CliResult;
use servicehall_store::{AssessmentStore, HallStore, SqlStore};

/// Keeps every hall's figures up to `now` and proves them against a recount.
pub async fn keep(store: &SqlStore, now: i64) -> CliResult<()> {
    let halls: Vec<i64> = store.halls().await?.iter().map(|h| h.id).collect();
    store.refresh_assessment(&halls, now).await?;
    let r = store.rebuild_assessment(true, now).await?;
    println!(
        "指标日汇总 · indicators: {} daily figures kept for {} halls, {} differ from the recount, {} month sums from their days (/conformance, /indicators)",
        r.rows,
        halls.len(),
        r.differences,
        r.month_differences
    );
    Ok(())
}
