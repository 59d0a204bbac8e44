//! The webhook outbox (发送队列): case warnings waiting to be posted to the utility's
//! messaging webhook. A row is written in the transaction that records the warning
//! (`crates/store/src/cases/scan.rs`); workers on any node claim due rows, post them and
//! record the outcome. The trait, its rows (model.rs) and its SQL (sql.rs).

mod model;
mod sql;

pub use model::*;

use crate::Result;
use async_trait::async_trait;

#[async_trait]
pub trait OutboxStore: Send + Sync + 'static {
    /// Claims up to `limit` deliveries due at `now` for `worker` (a lease of
    /// `servicehall_domain::cases::outbox::LEASE_MS`); no other worker gets them meanwhile.
    async fn claim_deliveries(&self, worker: &str, now: i64, limit: i64) -> Result<Vec<Delivery>>;
    /// The receiver took the delivery: it is done, never posted again.
    async fn delivery_succeeded(&self, id: i64, worker: &str, now: i64) -> Result<()>;
    /// The attempt failed: tried again later with backoff, or marked failed after the last.
    async fn delivery_failed(&self, id: i64, worker: &str, error: &str, now: i64) -> Result<()>;
    /// No webhook is configured: the delivery is closed without posting.
    async fn delivery_skipped(&self, id: i64, worker: &str, now: i64) -> Result<()>;
    /// The deliveries of one case, oldest first.
    async fn case_deliveries(&self, case_id: i64) -> Result<Vec<DeliveryRow>>;
    /// Counts for metrics: pending, delivered, failed (gave up), skipped, failed attempts.
    async fn outbox_counts(&self) -> Result<OutboxCounts>;
}
