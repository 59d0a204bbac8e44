//! The webhook outbox as stored.

use crate::CaseWarning;
use serde::Serialize;

/// A claimed delivery: the warning to post, and how many attempts came before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    pub id: i64,
    pub warning: CaseWarning,
    pub attempts: i64,
}

/// One outbox row, as inspection and tests read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryRow {
    pub id: i64,
    pub case_id: i64,
    pub clock_key: String,
    pub level: String,
    /// `pending`, `delivered`, `failed` (gave up) or `skipped` (no webhook configured).
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: String,
    pub delivered_at: Option<i64>,
}

/// Outbox totals, for the metrics endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OutboxCounts {
    pub pending: i64,
    pub delivered: i64,
    pub failed: i64,
    pub skipped: i64,
    /// Attempts that failed (a delivery retried twice then delivered counts 2).
    pub failed_attempts: i64,
}
