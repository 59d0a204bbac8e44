//! ServiceHall's rules. Everything here is pure: no IO, no clock, no async.
//! The store remembers what these functions decide; the web translates.

pub mod access;
pub mod behaviour;
pub mod calendar;
pub mod cases;
pub mod catalogue;
pub mod estimate;
pub mod feedback;
pub mod hall;
pub mod hall_file;
pub mod insight;
pub mod money;
pub mod numbering;
pub mod policy;
pub mod rating;
pub mod region;
pub mod standards;
pub mod stats;
pub mod ticket;
pub mod time;
pub mod touchpoint;

pub use access::{DeviceKind, Role};
pub use money::{Fen, MoneyError, ReadBack};
pub use policy::{CallingPolicy, CounterCapability, WaitingTicket};
pub use rating::{RatingError, RatingLevel};
pub use ticket::{Priority, TicketAction, TicketState, TransitionError};
