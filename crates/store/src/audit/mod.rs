//! The tamper-evident record (防篡改记录): the trait, its rows (model.rs), the append every
//! audited write calls inside its own transaction (append.rs), the sealer that chains the
//! hall event log (seal.rs), the source tables' digests (sources.rs) and the walk (sql.rs).
//!
//! Who and from where: the web runs each request inside [`with_origin`], so an append deep
//! in a store write knows the signed-in caller and the client's address without every
//! write's signature carrying them. Outside a request (CLI, demo, background steps) the
//! record says `system`.

pub(crate) mod append;
mod model;
pub(crate) mod seal;
mod sources;
mod sql;
pub(crate) mod staff;

pub use model::*;

use crate::Result;
use async_trait::async_trait;
use std::future::Future;
use std::sync::Arc;

/// Who is writing and from where, for the records appended while a request runs.
#[derive(Clone)]
pub struct AuditOrigin {
    /// Where the write came from: the client's address and the route, e.g.
    /// `10.1.2.3 POST /api/v1/tickets/{id}/rate`.
    pub origin: String,
    /// Called at append time: the caller is known only once the request is authenticated.
    pub actor: Arc<dyn Fn() -> String + Send + Sync>,
}

tokio::task_local! {
    static ORIGIN: AuditOrigin;
}

/// Runs `f` with `origin` as the who and where of every record it appends.
pub async fn with_origin<F: Future>(origin: AuditOrigin, f: F) -> F::Output {
    ORIGIN.scope(origin, f).await
}

/// (actor, origin) of the current task, or `system` outside a request.
pub(crate) fn current_origin() -> (String, String) {
    ORIGIN
        .try_with(|o| ((o.actor)(), o.origin.clone()))
        .unwrap_or_else(|_| ("system".to_string(), "system".to_string()))
}

#[async_trait]
pub trait AuditStore: Send + Sync + 'static {
    /// The heads of the chains: `hall` Some(h) gives that hall's chain only; None gives the
    /// deployment chain (0) and every hall's.
    async fn audit_heads(&self, hall: Option<i64>) -> Result<Vec<AuditHead>>;
    /// The newest records of one chain (`Some(hall)`, 0 = deployment) or of all, newest
    /// first.
    async fn audit_records(&self, chain: Option<i64>, limit: i64) -> Result<Vec<AuditRecord>>;
    /// The record at `seq` of a chain, if there is one (to check a printed head).
    async fn audit_record(&self, chain: i64, seq: i64) -> Result<Option<AuditRecord>>;
    /// Appends one record outside any other write (e.g. a CLI step that is itself the
    /// thing recorded). Audited writes call `audit::append::append` in their own
    /// transaction instead.
    async fn append_audit(&self, input: &AuditInput, now: i64) -> Result<AuditRecord>;
    /// Seals every hall event not yet chained, in id order, one record per batch of up to
    /// `batch` events. Returns how many events were sealed.
    async fn seal_hall_events(&self, batch: i64, now: i64) -> Result<i64>;
    /// Walks every chain, re-hashing the records and their source rows, and keeps the
    /// outcome as the last verification (`by`: who asked).
    async fn verify_audit(&self, by: &str, now: i64) -> Result<AuditReport>;
    /// The last verification kept by [`AuditStore::verify_audit`].
    async fn last_audit_verification(&self) -> Result<Option<AuditVerification>>;
}
