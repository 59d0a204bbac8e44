//! What the two ticket issuers pass around: an issue as a job (`LiteJob`, `IssueJob` with its
//! answer), what it did (`Issued`) and what it produced (`LiteIssued`). Shared by the
//! SQLite issuer (sqlite_issuer.rs), the PostgreSQL one (pg_issuer.rs, pg_batch.rs) and the
//! issuing entry (mod.rs), below all of them; and `Issuers`, the PostgreSQL issuer
//! tasks' channels the store keeps.

use crate::{HallEvent, IssueTicket, Placement, Result, StoreError, Ticket, TicketEvent};
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::{mpsc, oneshot};

/// The answer when an issuer (SQLite's thread or a hall's PostgreSQL task) is gone: logged,
/// and a bilingual 503 for the caller.
pub(crate) fn stopped() -> StoreError {
    tracing::error!("取号服务已停止 · the ticket issuer has stopped");
    StoreError::Unavailable(crate::WRITE_FAILED.into())
}

/// What one issue did inside a transaction.
pub(crate) enum Issued {
    /// A new ticket; on the sqlx path with its placement and kept estimate, read in the
    /// issuing transaction (the SQLite issuer carries them in `LiteIssued`).
    New(Box<Ticket>, Option<(Placement, Option<i64>)>),
    /// The idempotency key was used before: that ticket (None while its request still runs).
    Existing(Option<i64>),
    /// A repeat tap on a kiosk ([`KioskTap`]): its last ticket, given again.
    Repeat(i64),
}

/// An issue waiting for an issuer (the SQLite thread or a hall's PostgreSQL task), with
/// where to answer.
pub(crate) struct IssueJob {
    pub(crate) job: LiteJob,
    pub(crate) reply: oneshot::Sender<Result<LiteIssued>>,
}

/// One issue as the thread needs it.
pub(crate) struct LiteJob {
    pub hall_id: i64,
    pub business_type_id: i64,
    pub prefix: String,
    pub req: IssueTicket,
    pub day: String,
    pub now: i64,
    pub green_first: bool,
}

/// What one issue produced: the ticket, where it stands, its log, and its feed event.
pub(crate) struct LiteIssued {
    pub issued: Issued,
    pub placement: Option<Placement>,
    /// The log as written (a new ticket's one entry).
    pub log: Option<Vec<TicketEvent>>,
    /// The wait estimate kept with a new ticket, in seconds.
    pub estimate: Option<i64>,
    pub event: Option<HallEvent>,
}

/// A node's issuer tasks, one per hall it has issued for.
#[derive(Default)]
pub(crate) struct Issuers(pub(crate) Mutex<HashMap<i64, mpsc::UnboundedSender<IssueJob>>>);
