//! Escalation of case clocks (限时办结): a background pass records the warnings that clocks
//! have reached (50% → the owner, 80% → the hall manager, breach → the supervisors of the
//! nearest region above the hall, see `recipients`; the thresholds live in the domain) and
//! queues each new one for the configured webhook, so the utility's messaging system can
//! reach the person on duty. Recording happens once per case, clock and level, together
//! with its row in the webhook outbox; `outbox.rs` delivers them with retries.

use crate::AppState;
use servicehall_store::{CaseWarning, StoreError};
use std::time::Duration;

/// The JSON a webhook receives for one warning, with the people it is addressed to.
pub fn webhook_payload(
    w: &CaseWarning,
    notify: &[super::recipients::Recipient],
) -> serde_json::Value {
    serde_json::json!({
        "notify": notify,
        "event": "case_warning",
        "case_id": w.case_id,
        "case_number": w.case_number,
        "hall_id": w.hall_id,
        "clock": w.clock_key,
        "level": w.level.as_str(),
        "level_zh": w.level.label_zh(),
        "share_permille": w.share_permille,
        "owner_id": w.owner_id,
        "at": w.at,
    })
}

/// One pass: records the new warnings, each with its webhook delivery in the outbox (the
/// same transaction); [`super::outbox`] posts them. Returns what was recorded.
pub async fn escalate_once(state: &AppState, now: i64) -> Result<Vec<CaseWarning>, StoreError> {
    let warnings = state.store.scan_warnings(None, now).await?;
    for w in &warnings {
        tracing::info!(case = %w.case_number, clock = %w.clock_key, level = w.level.as_str(), "case clock warning recorded");
    }
    Ok(warnings)
}

/// Runs [`escalate_once`] every `every` until the process ends.
pub fn spawn_escalation(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        // One node runs it (crate::nodes); the others ask again each tick.
        let mut lead = crate::nodes::Lead::new(&state, crate::nodes::CASE_ESCALATION);
        loop {
            tick.tick().await;
            if !lead.ensure().await {
                continue;
            }
            if let Err(e) = escalate_once(&state, state.now()).await {
                tracing::error!(error = %e, "case escalation pass failed");
            }
        }
    })
}
