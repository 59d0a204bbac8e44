//! Nodes: which node leads each background job (the case warning scan, KRI counts, the
//! webhook outbox, the audit sealer …). On PostgreSQL the leader holds a session advisory
//! lock on a connection of its own, for as long as it runs the job; when the node dies its
//! connection closes, the lock goes with it, and the next node that asks takes over. On
//! SQLite there is one node: it always leads. And the time a hall's last ticket was issued,
//! which keeps queue order monotonic when a clock steps back (web's nodes.rs).

mod model;
mod sql;

pub use model::*;

use crate::Result;
use async_trait::async_trait;

#[async_trait]
pub trait NodeStore: Send + Sync + 'static {
    /// Takes the lead of `job` if no other node holds it: `Some` while held (keep it and
    /// check [`Leadership::still_held`] before each pass), `None` when another node leads.
    async fn try_lead(&self, job: &str) -> Result<Option<Leadership>>;
    /// When the hall's latest ticket was issued (ms; 0 when none): where a node's issue
    /// clock starts, so that a clock stepped back cannot queue a new ticket ahead of it.
    async fn last_issue_at(&self, hall_id: i64) -> Result<i64>;
    /// Whether the database server accepts connections at all (PostgreSQL: a TCP connect
    /// within 0.5 s; SQLite: always). Tells a slow request from a database that is away.
    async fn database_reachable(&self) -> bool;
}
