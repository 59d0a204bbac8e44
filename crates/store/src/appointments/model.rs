//! Appointments as stored.

use crate::notify::NotificationInput;
use servicehall_domain::appointments::{AppointmentPolicy, AppointmentState};

/// A hall's appointment policy with who changed it last.
#[derive(Debug, Clone, PartialEq)]
pub struct AppointmentSettings {
    pub hall_id: i64,
    pub policy: AppointmentPolicy,
    pub updated_at: Option<i64>,
    pub updated_by_name: Option<String>,
}

/// One booking.
#[derive(Debug, Clone, PartialEq)]
pub struct Appointment {
    pub id: i64,
    pub hall_id: i64,
    pub business_type_id: i64,
    pub service_day: String,
    pub slot: i64,
    pub slot_start: i64,
    pub code: String,
    pub phone: String,
    pub name: String,
    /// `phone` (the public page) or `desk` (booked by staff at the guide desk).
    pub channel: String,
    pub state: AppointmentState,
    pub booked_at: i64,
    pub checked_in_at: Option<i64>,
    pub ticket_id: Option<i64>,
    /// Checked in within the grace window: called ahead of walk-ins.
    pub on_time: bool,
    pub cancelled_at: Option<i64>,
    /// The booking that replaced this one when it was changed.
    pub replaced_by: Option<i64>,
    /// 0 none, 1 the day-before reminder, 2 the hour-before one.
    pub reminded: i64,
    pub booked_by: Option<i64>,
}

/// Bookings held by one slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotCount {
    pub slot: i64,
    pub booked: i64,
}

/// A booking to make. The web works out the slot and its capacity with the domain; the
/// store makes sure the capacity holds.
#[derive(Debug, Clone)]
pub struct BookingInput {
    pub hall_id: i64,
    pub business_type_id: i64,
    pub service_day: String,
    pub slot: i64,
    pub slot_start: i64,
    pub capacity: u32,
    pub phone: String,
    pub name: String,
    /// A fresh booking code (the store refuses one already used).
    pub code: String,
    pub channel: String,
    /// The public page's phone check: the hash of the code the customer typed. `None` for
    /// staff at the guide desk, who see the customer.
    pub phone_code_hash: Option<String>,
    /// The public page's no-show rule: refuse when this many no-shows since `no_show_since`.
    pub no_show_limit: Option<(u32, i64)>,
    pub booked_by: Option<i64>,
    /// The booking code's message, queued in the booking's transaction.
    pub message: NotificationInput,
}

/// Which customer message about a booking has been queued, so each goes once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingNotice {
    /// The day-before (1) or hour-before (2) reminder.
    Reminder(i64),
    /// Few tickets ahead.
    Ahead,
    /// Called to a counter.
    Called,
}
