//! The site in the sister hall (DL-ZS), so the supervisor's halls side by side compare two
//! halls: its own 30 days of checks (a different draw of the same realistic misses), the
//! rectification cases they opened left to run (the hall is behind on them), and its own
//! limits — 2 working days for critical items, 5 for others — changed by its manager today.

use super::hall::DemoHall;
use crate::{CliError, CliResult};
use chrono::NaiveDate;
use servicehall_domain::Role;
use servicehall_store::Store;

/// Seeds the sister hall's checks and sets its limits. Returns (checks, failed ones).
pub async fn seed_sister(
    store: &dyn Store,
    sister: &DemoHall,
    today: NaiveDate,
    now: i64,
) -> CliResult<(usize, usize)> {
    let done = super::inspections::seed(store, sister, super::SEED ^ 0x2A, today, 30, now).await?;
    let manager = store
        .staff_list(Some(sister.hall.id))
        .await?
        .into_iter()
        .find(|s| s.role == Role::HallManager)
        .map(|s| s.id);
    let mut schedule = store.inspection_schedule(sister.hall.id).await?;
    schedule.rect_critical_days = 2;
    schedule.rect_other_days = 5;
    store
        .change_inspection_schedule(sister.hall.id, &schedule, manager, now)
        .await
        .map_err(|e| CliError::failed(format!("整改期限 · rectification limits: {e}")))?;
    Ok(done)
}
