//! The hall edge (现场节点, docs/edge.md). On the edge's SQLite: triggers capture every
//! change to the shipped rows into `edge_outbox` (capture.rs), which the shipper reads and
//! forgets once the central database has them. On the central database: a batch is applied
//! in one transaction, idempotent by (hall, sequence number) (receive.rs); the hall's
//! configuration, catalogue and staff are read for the edge and applied there (flow.rs).

mod batch;
mod bookings;
mod capture;
mod flow;
mod handover;
mod model;
mod receive;
mod tables;
mod values;

pub use model::*;

use crate::Result;
use async_trait::async_trait;

/// How long a first hand-over waits after marking the hall edge-run before it reads the open
/// tickets: the other nodes' cached "not edge-run" (halls/config_cache.rs) and a write already
/// past that check are over by then, so a ticket issued at the switch is handed over too.
/// The edge allows this on top of its timeout for the call.
pub const HAND_OVER_SETTLE: std::time::Duration =
    crate::halls::config_cache::FLAG_TTL.saturating_add(std::time::Duration::from_secs(1));

#[async_trait]
pub trait EdgeStore: Send + Sync + 'static {
    // ── on the edge (SQLite) ──
    /// Installs (or renews, after a migration added columns) the triggers that capture the
    /// shipped tables' changes into the outbox. SQLite only.
    async fn edge_arm(&self) -> Result<()>;
    /// Whether this database is an edge's (its capture is armed). Bookings are made
    /// centrally, so an edge refuses to make, change or cancel one.
    async fn edge_armed(&self) -> Result<bool>;
    /// Up to `limit` captured changes not yet acknowledged, oldest first.
    async fn edge_pending(&self, limit: i64) -> Result<Vec<EdgeEntry>>;
    /// How many captured changes wait to be shipped.
    async fn edge_backlog(&self) -> Result<i64>;
    /// The central database has every change up to `seq`: forget them.
    async fn edge_forget_through(&self, seq: i64) -> Result<()>;
    /// Applies a pull from the central database (configuration, catalogue, staff) in one
    /// transaction; the hall's live counter state stays the edge's own.
    async fn edge_apply_flow_down(&self, set: &FlowDown) -> Result<()>;
    /// Takes the hall's open tickets of the day from central (a mid-day switch), each under
    /// a new local id paired with its central one, and raises the day's number sequences to
    /// central's; a ticket taken before is left as the edge has it. Returns how many were new.
    async fn edge_take_over(&self, handed: &HandOver) -> Result<usize>;

    // ── on the central database ──
    /// Applies a batch from the edge of `hall_id` in one transaction: entries at or below
    /// the hall's last applied sequence number are skipped (a batch sent again after a lost
    /// acknowledgement doubles nothing), the rest applied in order. An empty batch is a
    /// heartbeat.
    async fn edge_receive(
        &self,
        hall_id: i64,
        edge_name: &str,
        entries: &[EdgeEntry],
        now: i64,
    ) -> Result<EdgeReceipt>;
    /// Marks the hall run by the edge `edge_name` (central then refuses its queue and counter
    /// writes) and reads what the edge takes over: the day's open tickets central issued,
    /// the records they came from and the day's last numbers.
    async fn edge_hand_over(&self, hall_code: &str, edge_name: &str, now: i64) -> Result<HandOver>;
    /// The hall's configuration, catalogue and staff, for its edge, with its bookings whose
    /// slot starts at most a day before `now` (today's and the coming days').
    async fn edge_flow_down(&self, hall_code: &str, now: i64) -> Result<FlowDown>;
    /// Every hall run by an edge.
    async fn edge_halls(&self) -> Result<Vec<EdgeHall>>;
    /// The hall's edge, if an edge runs it.
    async fn edge_hall(&self, hall_id: i64) -> Result<Option<EdgeHall>>;
    /// The name of the edge running the hall, if one does: read by every queue and counter
    /// write on central, so kept a second (halls/config_cache.rs).
    async fn edge_runner(&self, hall_id: i64) -> Result<Option<String>>;
}
