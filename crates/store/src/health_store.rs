//! Readiness: can this node store work right now? (`/readyz`)

use crate::Result;
use async_trait::async_trait;

#[async_trait]
pub trait HealthStore: Send + Sync + 'static {
    /// Commits a write that changes nothing visible, so a full disk, a read-only file or a
    /// read-only PostgreSQL (a standby after fail-over) shows here before a customer's
    /// ticket fails.
    async fn check_writable(&self) -> Result<()>;
}
