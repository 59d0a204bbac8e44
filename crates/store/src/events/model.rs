//! The hall's live feed as stored, and the day's tickets with their logs.

use crate::queue::{Ticket, TicketEvent};
use serde::{Deserialize, Serialize};

/// An event on a hall's live feed (SSE): issued, called, recalled, finished, counter status …
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HallEvent {
    pub id: i64,
    pub hall_id: i64,
    pub kind: String,
    pub payload: serde_json::Value,
    pub at: i64,
}

/// A ticket with its log, for the day's figures.
#[derive(Debug, Clone)]
pub struct TicketWithLog {
    pub ticket: Ticket,
    pub log: Vec<TicketEvent>,
}

/// One hall-local hour of a service day as the ticket log tells it: visits that arrived in
/// the hour, and the summed wait of those of them already called. Sums, not means, so
/// several days can be pooled before dividing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HourFigures {
    /// 0–23 from the day's local midnight.
    pub hour: i64,
    pub arrivals: i64,
    /// Arrivals already called (their wait is known).
    pub called: i64,
    pub wait_ms_sum: i64,
}
