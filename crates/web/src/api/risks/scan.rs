//! The KRI pass: counts every hall's KRIs for today beside the case warning scan, so a
//! crossing raises its risk and tells the owner without anyone opening the register.

use crate::AppState;
use servicehall_store::{RiskNotice, StoreError};
use std::time::Duration;

/// One pass over every hall; returns the new crossings.
pub async fn refresh_once(state: &AppState, now: i64) -> Result<Vec<RiskNotice>, StoreError> {
    let notices = state.store.refresh_kris(None, now).await?;
    for n in &notices {
        tracing::info!(risk = %n.risk_code, measure = n.measure.as_str(), state = n.state.as_str(), value = n.value, "KRI crossed its threshold");
    }
    Ok(notices)
}

/// Runs [`refresh_once`] every `every` until the process ends.
pub fn spawn_kri_refresh(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        // One node runs it (crate::nodes); the others ask again each tick.
        let mut lead = crate::nodes::Lead::new(&state, crate::nodes::KRI_REFRESH);
        loop {
            tick.tick().await;
            if !lead.ensure().await {
                continue;
            }
            if let Err(e) = refresh_once(&state, state.now()).await {
                tracing::error!(error = %e, "KRI pass failed");
            }
        }
    })
}
