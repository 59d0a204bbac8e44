//! Hall events, the live feed (SSE) and the day's tickets behind the figures: the trait, its
//! rows (model.rs) and its SQL (sql.rs). Events are written by `WriteTx::push_event`
//! (`sql/mod.rs`) in the transaction of the change they record.

pub(crate) mod fanout;
mod listener;
mod model;
mod sql;

pub(crate) use listener::{CHANNEL as NOTIFY_CHANNEL, payloads as notify_payloads};

pub use model::*;

use crate::Rating;
use crate::Result;
use async_trait::async_trait;
use tokio::sync::broadcast;

/// Hall events (the live feed) and the day's tickets and ratings behind the figures.
#[async_trait]
pub trait EventStore: Send + Sync + 'static {
    /// Tickets of a hall-local service day with their logs.
    async fn day_tickets(&self, hall_id: i64, service_day: &str) -> Result<Vec<TicketWithLog>>;
    /// Arrivals and summed waits by hour of one service day, computed in SQL from the ticket
    /// log: a visit arrives at its issue (a transfer's linked record is the same visit) and
    /// waits from its first `waiting` row to its first `called` row. `day_start` is the
    /// day's local midnight in ms; only hours with arrivals are returned, in order.
    async fn hourly_arrivals(
        &self,
        hall_id: i64,
        service_day: &str,
        day_start: i64,
    ) -> Result<Vec<HourFigures>>;
    async fn ratings_between(&self, hall_id: i64, from: i64, to: i64) -> Result<Vec<Rating>>;
    /// Hall events after `after_id`, oldest first, at most `limit`.
    async fn events_since(&self, hall_id: i64, after_id: i64, limit: i64)
    -> Result<Vec<HallEvent>>;
    /// The id of the hall's latest event (0 when none): where a new live screen starts.
    async fn last_event_id(&self, hall_id: i64) -> Result<i64>;
    /// The most recent events of the given kinds, newest first.
    async fn recent_events(
        &self,
        hall_id: i64,
        kinds: &[&str],
        limit: i64,
    ) -> Result<Vec<HallEvent>>;
    /// Live events of every hall, as they commit.
    fn subscribe(&self) -> broadcast::Receiver<HallEvent>;
    /// Live events of one hall, as they commit on any node (PostgreSQL: through
    /// LISTEN/NOTIFY, see listener.rs). A receiver that lags resyncs with `events_since`.
    fn subscribe_hall(&self, hall_id: i64) -> broadcast::Receiver<HallEvent>;
}
