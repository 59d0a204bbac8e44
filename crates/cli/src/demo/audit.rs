//! The tamper-evident record in the demo: the simulated history's ratings, case events,
//! checks and inspections were chained as they were written; here the ticket events are
//! sealed and one verification is kept, so `/audit` opens with heads, counts, a held
//! verification and recent records.

use crate::CliResult;
use servicehall_store::{AuditStore, SqlStore};

/// Returns (events sealed, records verified).
pub async fn seed(store: &SqlStore, now: i64) -> CliResult<(i64, i64)> {
    let sealed = store.seal_hall_events(1_000, now).await?;
    let report = store.verify_audit("supervisor", now).await?;
    Ok((sealed, report.records))
}
