//! The queue (有序接办 · 先接先办): issuing tickets (issue/), calling and serving them,
//! waiting and placement (ahead.rs), the wait estimates given at issue (estimates.rs), pad
//! ratings. The trait, its rows (model.rs) and its SQL (sql.rs, tickets.rs); a ticket's
//! live payload (payload.rs).

pub(crate) mod ahead;
mod candidates;
mod customer;
mod handling;
pub use handling::{DayHandling, TicketHandling};
mod handling_sums;
pub(crate) use handling_sums::keep as keep_handling;
pub use handling_sums::{HandlingSum, KeptHandling};
pub(crate) mod estimates;
pub(crate) mod issue;
mod model;
pub(crate) mod payload;
mod sql;
pub(crate) mod tickets;

pub use model::*;

use crate::Result;
use async_trait::async_trait;

/// The queue: issuing, calling and serving tickets, waiting, and the pad ratings.
#[async_trait]
pub trait QueueStore: Send + Sync + 'static {
    /// Issues a ticket; with an idempotency key already used in this hall, returns that ticket.
    async fn issue_ticket(&self, req: &IssueTicket, now: i64) -> Result<Ticket>;
    /// Issues a ticket and says where it stands when it waits — read inside the issuing
    /// transaction where the store can, so the slip's "N ahead" costs no second query.
    async fn issue_ticket_placed(&self, req: &IssueTicket, now: i64) -> Result<IssuedTicket>;
    /// Calls the best waiting ticket for the counter under the hall's calling policy.
    async fn call_next(
        &self,
        counter_id: i64,
        staff_id: Option<i64>,
        now: i64,
    ) -> Result<Option<Ticket>>;
    async fn act_on_ticket(
        &self,
        ticket_id: i64,
        cmd: &TicketCommand,
        by: Operator,
        now: i64,
    ) -> Result<Ticket>;

    /// 取消排队: the customer leaves the queue from the phone page (`waiting → left`); a
    /// ticket already called, served or closed is a conflict.
    async fn leave_queue(&self, ticket_id: i64, now: i64) -> Result<Ticket>;
    /// 我在路上: records when the customer said they are coming (first time stands) while the
    /// ticket waits or is called; later states are a conflict.
    async fn mark_on_way(&self, ticket_id: i64, now: i64) -> Result<Ticket>;

    async fn ticket(&self, id: i64) -> Result<Ticket>;
    async fn ticket_by_code(&self, code: &str) -> Result<Ticket>;
    async fn ticket_log(&self, id: i64) -> Result<Vec<TicketEvent>>;
    /// Waiting tickets of a hall, oldest first.
    async fn waiting(&self, hall_id: i64) -> Result<Vec<Ticket>>;
    /// The handling times of the hall's `day` (see [`DayHandling`]): every finished or
    /// transferred ticket's with `after_event` None, else only those closed by a ticket
    /// event after it; and the tickets on hold now. Nothing is loaded but those tickets.
    async fn day_handling(
        &self,
        hall_id: i64,
        day: &str,
        after_event: Option<i64>,
    ) -> Result<DayHandling>;
    /// The hall's kept handling sums of `day` (one row per business type, kept up as
    /// tickets finish or are transferred) and the tickets on hold now: what the wait
    /// estimates need, at a cost that does not grow with the day.
    async fn kept_handling(&self, hall_id: i64, day: &str) -> Result<KeptHandling>;
    /// Sums the hall's `day` again from its tickets into the kept rows (after data was
    /// written around the store, e.g. a bulk import or a benchmark's generator).
    async fn rebuild_handling_sums(&self, hall_id: i64, day: &str) -> Result<()>;
    /// How many of today's waiting tickets are ahead of `t` for its business type, by the
    /// rule of `servicehall_domain::queue::policy::ahead_of` (green first if `green_first`, then
    /// FIFO), counted in the database so a slip does not load the whole queue.
    async fn waiting_ahead(&self, t: &Ticket, green_first: bool) -> Result<i64>;
    /// [`waiting_ahead`](Self::waiting_ahead) and the open counters serving the ticket's type.
    async fn placement(&self, t: &Ticket, green_first: bool) -> Result<Placement>;
    /// The wait estimates given at issue in a hall on the service days `from_day` to
    /// `to_day` (`YYYY-MM-DD`, inclusive), each with its ticket's first call, by ticket id.
    async fn ticket_estimates(
        &self,
        hall_id: i64,
        from_day: &str,
        to_day: &str,
    ) -> Result<Vec<TicketEstimate>>;

    /// Records the evaluator's rating for a ticket the system finished at that counter.
    #[allow(clippy::too_many_arguments)]
    async fn rate(
        &self,
        ticket_id: i64,
        counter_id: i64,
        device_id: Option<i64>,
        level: i64,
        reasons: &[String],
        window_ms: i64,
        now: i64,
    ) -> Result<Rating>;
}
