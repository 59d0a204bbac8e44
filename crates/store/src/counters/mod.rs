//! Counters at work (挂牌上岗 · 唱收唱付): the trait, its rows (model.rs) and its SQL (sql.rs).

mod model;
mod moves;
pub(crate) mod sql;

pub use model::*;

use crate::Result;
use crate::Ticket;
use async_trait::async_trait;

/// Counters at work: opening, pausing and closing (挂牌上岗), the clerk on duty, the
/// ticket a counter works on and the read-back on its receipt (唱收唱付).
#[async_trait]
pub trait CounterStore: Send + Sync + 'static {
    async fn open_counter(&self, counter_id: i64, staff_id: i64, now: i64) -> Result<Counter>;
    async fn pause_counter(&self, counter_id: i64, reason: &str, now: i64) -> Result<Counter>;
    async fn close_counter(&self, counter_id: i64, now: i64) -> Result<Counter>;
    /// Moves the clerk on duty at `from_id` to the closed counter `to_id` (调岗) in one
    /// transaction; returns the counter they now staff.
    async fn move_clerk(&self, from_id: i64, to_id: i64, now: i64) -> Result<Counter>;
    /// The counter of the hall where the staff member is signed on (挂牌) and which is not
    /// closed: one row, where every clerk action used to read all the hall's counters.
    async fn counter_on_duty(&self, hall_id: i64, staff_id: i64) -> Result<Option<Counter>>;
    /// The ticket a counter is working on (called, serving or held), if any.
    async fn current_at_counter(&self, counter_id: i64) -> Result<Option<Ticket>>;
    async fn read_back(&self, ticket_id: i64) -> Result<Option<StoredReadBack>>;
}
