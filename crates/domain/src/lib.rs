//! ServiceHall's rules. Everything here is pure: no IO, no clock, no async.
//! The store remembers what these functions decide; the web translates.

pub mod access;
pub mod appointments;
pub mod assessment;
pub mod audit;
pub mod calendar;
pub mod cases;
pub mod catalogue;
pub mod counters;
pub mod customers;
pub mod edge;
pub mod feedback;
pub mod halls;
pub mod incidents;
pub mod insight;
pub mod inspections;
pub mod layout_map;
#[cfg(test)]
mod messages_tests;
pub mod notify;
pub mod queue;
pub mod regions;
pub mod reports;
pub mod risks;
pub mod scorecards;
pub mod staffing;
pub mod standards;
pub mod time;

pub use access::{DeviceKind, Role};
pub use counters::read_back::{Fen, MoneyError, ReadBack};
pub use queue::policy::{CallingPolicy, CounterCapability, WaitingTicket};
pub use queue::rating::{RatingError, RatingLevel};
pub use queue::ticket::{Priority, TicketAction, TicketState, TransitionError};
