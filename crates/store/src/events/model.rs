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
