//! The webhook outbox worker: claims due case-warning deliveries (the store hands each to
//! one worker at a time, across nodes), posts them to the configured webhook with the
//! people to notify, and records the outcome; a failure is retried with exponential
//! backoff (`servicehall_domain::cases::outbox`). Deliveries survive a restart because they
//! live in the database, not in this process.

use super::escalation::webhook_payload;
use crate::AppState;
use servicehall_store::{Delivery, StoreError};
use std::time::Duration;

/// Deliveries one pass claims at most.
const BATCH: i64 = 50;

/// What a pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    pub delivered: usize,
    pub failed: usize,
    pub skipped: usize,
}

/// This process's name in the outbox's claims.
pub fn worker_name() -> String {
    format!("node-{}-{}", std::process::id(), crate::auth::random_hex(4))
}

async fn post(
    state: &AppState,
    client: &reqwest::Client,
    url: &str,
    d: &Delivery,
) -> Result<(), String> {
    let notify = super::recipients::recipients(state, &d.warning)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(case = %d.warning.case_number, error = %e.detail, "could not resolve who to notify");
            Vec::new()
        });
    match client
        .post(url)
        .json(&webhook_payload(&d.warning, &notify))
        .send()
        .await
    {
        Ok(r) if r.status().is_success() => Ok(()),
        Ok(r) => Err(format!("HTTP {}", r.status().as_u16())),
        Err(e) => Err(format!("无法连接 · unreachable: {e}")),
    }
}

/// One pass: claims the deliveries due at `now` and posts them (or, with no webhook
/// configured, closes them as skipped).
use std::sync::atomic::Ordering::Relaxed;

pub async fn deliver_once(
    state: &AppState,
    worker: &str,
    now: i64,
) -> Result<DeliveryReport, StoreError> {
    let mut report = DeliveryReport::default();
    let due = state.store.claim_deliveries(worker, now, BATCH).await?;
    if due.is_empty() {
        return Ok(report);
    }
    let Some(url) = &state.config.webhook_url else {
        for d in &due {
            state.store.delivery_skipped(d.id, worker, now).await?;
            report.skipped += 1;
        }
        return Ok(report);
    };
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| {
            StoreError::Invalid(format!(
                "无法建立升级通知的 Webhook 客户端：{e} · webhook client: {e}"
            ))
        })?;
    for d in &due {
        let w = &d.warning;
        match post(state, &client, url, d).await {
            Ok(()) => {
                state.store.delivery_succeeded(d.id, worker, now).await?;
                report.delivered += 1;
                state.metrics.warnings_sent.fetch_add(1, Relaxed);
                tracing::info!(case = %w.case_number, level = w.level.as_str(), attempt = d.attempts + 1, "warning delivered to webhook");
            }
            Err(e) => {
                state.store.delivery_failed(d.id, worker, &e, now).await?;
                report.failed += 1;
                state.metrics.warnings_failed.fetch_add(1, Relaxed);
                tracing::warn!(case = %w.case_number, level = w.level.as_str(), attempt = d.attempts + 1, error = %e, "webhook delivery failed; will retry");
            }
        }
    }
    Ok(report)
}

/// Runs [`deliver_once`] every `every` until the process ends.
pub fn spawn_outbox(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let worker = worker_name();
        let mut tick = tokio::time::interval(every);
        // One node runs it (crate::nodes); the others ask again each tick.
        let mut lead = crate::nodes::Lead::new(&state, crate::nodes::WEBHOOK_OUTBOX);
        loop {
            tick.tick().await;
            if !lead.ensure().await {
                continue;
            }
            if let Err(e) = deliver_once(&state, &worker, state.now()).await {
                tracing::error!(error = %e, "webhook outbox pass failed");
            }
        }
    })
}
