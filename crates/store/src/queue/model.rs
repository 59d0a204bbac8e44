//! Tickets as stored and the requests that change them. Instants are unix milliseconds (UTC).

use serde::{Deserialize, Serialize};
use servicehall_domain::catalogue::VisitOutcome;
pub use servicehall_domain::queue::estimate::Duty;
use servicehall_domain::queue::estimate::estimated_wait_mix_ms;
use servicehall_domain::{Priority, ReadBack, TicketState};
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Ticket {
    pub id: i64,
    pub hall_id: i64,
    pub business_type_id: i64,
    pub service_day: String,
    pub number: String,
    /// The public code of the phone page `/t/{code}`.
    pub code: String,
    pub priority: Priority,
    pub green_reason: String,
    pub proxy: bool,
    pub channel: String,
    pub state: TicketState,
    pub queued_since: i64,
    pub issued_at: i64,
    pub counter_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub target_counter_id: Option<i64>,
    pub recalls: i64,
    pub transferred_from: Option<i64>,
    pub updated_at: i64,
    /// When the customer said "I'm on my way" (我在路上) on the phone page, if they did.
    #[serde(default)]
    pub on_way_at: Option<i64>,
}

/// Where a waiting ticket stands in its queue: what a slip and the phone page show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// Waiting tickets of its type called before it (domain::policy::ahead_of).
    pub ahead: i64,
    /// Open counters that serve its business type.
    pub open_counters: i64,
    /// Of those, the counters where the type is 主办 (the others are 兼办).
    pub open_primary: i64,
    /// Every open counter's duties in the hall: who serves what, 主办 or 兼办.
    pub duties: Vec<Duty>,
    /// Waiting tickets per business type today, in the classes ranked with the ticket
    /// (only green ones for a green ticket when green goes first): the mix ahead.
    pub waiting: Vec<(i64, i64)>,
}

impl Placement {
    /// The wait estimate in seconds (`domain::queue::estimate::estimated_wait_mix_ms`),
    /// each visit of a type taking `handling_ms[type]` (the ticket's own type's time for a
    /// type not listed). `None` when no open counter serves the type.
    pub fn estimate_s(
        &self,
        business_type_id: i64,
        handling_ms: &HashMap<i64, i64>,
    ) -> Option<i64> {
        let own = handling_ms.get(&business_type_id).copied().unwrap_or(0);
        estimated_wait_mix_ms(
            business_type_id,
            self.ahead.max(0) as usize,
            &self.waiting,
            &self.duties,
            &|bt| handling_ms.get(&bt).copied().unwrap_or(own),
        )
        .map(|ms| ms / 1000)
    }
}

/// A ticket as the issue returns it: the ticket, where it stands when it waits, its log.
#[derive(Debug, Clone)]
pub struct IssuedTicket {
    pub ticket: Ticket,
    pub placement: Option<Placement>,
    pub log: Vec<TicketEvent>,
    /// The kiosk's last ticket given again for a repeat tap ([`KioskTap`]); nothing new.
    pub repeat: bool,
    /// The wait estimate recorded with a new ticket, in seconds: what the slip shows.
    /// `None` for a repeat or a retried key (the ticket is not new), without
    /// [`IssueTicket::handling_ms`], or when no open counter serves the type.
    pub estimated_wait_s: Option<i64>,
}

/// A ticket's wait estimate as given at issue and its first call: one pair for the
/// estimate's accuracy (`domain::queue::accuracy`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketEstimate {
    pub ticket_id: i64,
    pub business_type_id: i64,
    pub service_day: String,
    pub issued_at: i64,
    pub estimated_wait_s: i64,
    /// The first call; `None` while it waits, or when it was never called (left, no-show
    /// before its call, the day ended).
    pub called_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TicketEvent {
    pub state: TicketState,
    pub action: String,
    pub at: i64,
    pub counter_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub note: String,
}

/// A request to issue a ticket.
#[derive(Debug, Clone)]
pub struct IssueTicket {
    pub hall_id: i64,
    pub business_type_id: i64,
    pub priority: Priority,
    pub green_reason: String,
    pub proxy: bool,
    pub channel: String,
    pub idempotency_key: Option<String>,
    /// A random public code chosen by the caller (unguessable; the phone page's key).
    pub code: String,
    /// Set when a kiosk issues: a repeat tap within its window returns the last ticket.
    pub kiosk: Option<KioskTap>,
    /// The handling time per visit the wait estimate uses, per business type of the hall
    /// (the web's `expected_handling`). With it the store works the estimate out from the
    /// placement it reads in the issuing transaction ([`Placement::estimate_s`]) and keeps
    /// it there (ticket_estimates, for the estimate's accuracy); `None` records no estimate.
    pub handling_ms: Option<HashMap<i64, i64>>,
}

/// A tap on a kiosk: the same device and business type within `window_ms` of its last
/// ticket gets that ticket again ([`IssuedTicket::repeat`]) unless the customer confirmed
/// they want `another`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KioskTap {
    pub device_id: i64,
    pub window_ms: i64,
    pub another: bool,
}

/// What a clerk does to a ticket, with what that needs.
#[derive(Debug, Clone)]
pub enum TicketCommand {
    Recall,
    Start,
    Finish {
        read_back: Option<ReadBack>,
        /// How the visit ended; a payment business needs a read-back only when 已办结.
        outcome: VisitOutcome,
    },
    NoShow,
    Hold {
        reason: String,
    },
    Resume,
    /// To another business type, optionally to one counter.
    Transfer {
        business_type_id: i64,
        counter_id: Option<i64>,
        reason: String,
    },
}

/// Who acts on a ticket or counter.
#[derive(Debug, Clone, Copy)]
pub struct Operator {
    pub staff_id: Option<i64>,
    pub counter_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Rating {
    pub ticket_id: i64,
    pub counter_id: i64,
    pub staff_id: Option<i64>,
    pub level: i64,
    pub reasons: Vec<String>,
    pub at: i64,
}
