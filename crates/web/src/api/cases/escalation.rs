//! Escalation of case clocks (限时办结): a background pass records the warnings that clocks
//! have reached (50% → the owner, 80% → the hall manager, breach → the supervisors of the
//! nearest region above the hall, see `recipients`; the thresholds live in the domain) and posts each new one to the configured webhook, so the
//! utility's messaging system can reach the person on duty. Recording is the store's job and
//! happens once per case, clock and level; delivery is best effort and logged.

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

/// One pass: records new warnings and delivers them; returns what was recorded.
pub async fn escalate_once(state: &AppState, now: i64) -> Result<Vec<CaseWarning>, StoreError> {
    use std::sync::atomic::Ordering::Relaxed;
    let warnings = state.store.scan_warnings(None, now).await?;
    if let Some(url) = &state.config.webhook_url {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| {
                StoreError::Invalid(format!(
                    "无法建立升级通知的 Webhook 客户端：{e} · webhook client: {e}"
                ))
            })?;
        for w in &warnings {
            let notify = super::recipients::recipients(state, w)
                .await
                .unwrap_or_else(|e| {
                    tracing::warn!(case = %w.case_number, error = %e.detail, "could not resolve who to notify");
                    Vec::new()
                });
            match client
                .post(url)
                .json(&webhook_payload(w, &notify))
                .send()
                .await
            {
                Ok(r) if r.status().is_success() => {
                    state.metrics.warnings_sent.fetch_add(1, Relaxed);
                    tracing::info!(case = %w.case_number, level = w.level.as_str(), "warning delivered to webhook")
                }
                Ok(r) => {
                    state.metrics.warnings_failed.fetch_add(1, Relaxed);
                    tracing::warn!(case = %w.case_number, status = %r.status(), "webhook refused a warning")
                }
                Err(e) => {
                    state.metrics.warnings_failed.fetch_add(1, Relaxed);
                    tracing::warn!(case = %w.case_number, error = %e, "webhook unreachable")
                }
            }
        }
    }
    for w in &warnings {
        tracing::info!(case = %w.case_number, clock = %w.clock_key, level = w.level.as_str(), "case clock warning recorded");
    }
    Ok(warnings)
}

/// Runs [`escalate_once`] every `every` until the process ends.
pub fn spawn_escalation(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Err(e) = escalate_once(&state, state.now()).await {
                tracing::error!(error = %e, "case escalation pass failed");
            }
        }
    })
}
