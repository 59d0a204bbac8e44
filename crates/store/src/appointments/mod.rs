//! Appointments (预约): the hall's policy, slot counts, bookings, check-in, no-shows and
//! the reminders' bookkeeping. The trait, its rows (model.rs) and its SQL (sql.rs).
//!
//! Capacity is kept by `appointment_slots`: a booking raises the slot's count with
//! `UPDATE … SET booked = booked + 1 WHERE booked < capacity` in its transaction, so the
//! count can never pass the capacity, on SQLite (one writer) and on PostgreSQL (the row's
//! lock, the condition re-checked after it).

mod ahead;
mod booking;
mod model;
mod rows;
mod settings;
pub(crate) mod sql;

pub use settings::SETTING_PREFIX;

pub use model::*;

use crate::Result;
use async_trait::async_trait;
use servicehall_domain::appointments::AppointmentPolicy;

#[async_trait]
pub trait AppointmentStore: Send + Sync + 'static {
    /// The hall's policy (the default until a manager sets one).
    async fn appointment_settings(&self, hall_id: i64) -> Result<AppointmentSettings>;
    /// Sets the policy; each changed field is audited (old → new) in `settings_audit` and
    /// on the hall's audit chain, in the same transaction.
    async fn set_appointment_settings(
        &self,
        hall_id: i64,
        policy: &AppointmentPolicy,
        by: Option<i64>,
        now: i64,
    ) -> Result<AppointmentSettings>;
    /// Bookings held per slot of a business type's day.
    async fn slot_counts(
        &self,
        hall_id: i64,
        business_type_id: i64,
        service_day: &str,
    ) -> Result<Vec<SlotCount>>;
    /// Books a slot: checks the phone code and the no-show rule, refuses a second booking of
    /// the same phone for the same business and day, and takes a seat (409 when full).
    async fn book_appointment(&self, input: &BookingInput, now: i64) -> Result<Appointment>;
    /// Cancels `code` and books `input` in one transaction: both or neither.
    async fn change_appointment(
        &self,
        code: &str,
        input: &BookingInput,
        now: i64,
    ) -> Result<Appointment>;
    /// Cancels a booking not yet checked in; its seat is free again.
    async fn cancel_appointment(&self, code: &str, now: i64) -> Result<Appointment>;
    async fn appointment_by_code(&self, code: &str) -> Result<Appointment>;
    /// A hall's bookings of a day, by slot.
    async fn appointments_of_day(
        &self,
        hall_id: i64,
        service_day: &str,
    ) -> Result<Vec<Appointment>>;
    /// Marks a booking checked in (once: a second check-in is a conflict).
    async fn check_in_appointment(
        &self,
        code: &str,
        hall_id: i64,
        on_time: bool,
        now: i64,
    ) -> Result<Appointment>;
    /// The ticket the check-in issued.
    async fn attach_ticket(&self, appointment_id: i64, ticket_id: i64) -> Result<Appointment>;
    /// Undoes a check-in whose ticket could not be issued.
    async fn undo_check_in(&self, appointment_id: i64) -> Result<()>;
    /// No-shows of a phone since `since`.
    async fn recent_no_shows(&self, phone: &str, since: i64) -> Result<i64>;
    /// Marks bookings not checked in by their slot's end plus the hall's grace as no-shows;
    /// returns how many.
    async fn mark_no_shows(&self, now: i64) -> Result<u64>;
    /// Booked appointments starting in `(now, now + within_ms]` (the reminders' candidates).
    async fn upcoming_appointments(&self, now: i64, within_ms: i64) -> Result<Vec<Appointment>>;
    /// Queues `message` once per notice: false when it had already been queued.
    async fn queue_booking_notice(
        &self,
        appointment_id: i64,
        notice: BookingNotice,
        message: &crate::notify::NotificationInput,
        now: i64,
    ) -> Result<bool>;
    /// Tickets of the day that came from on-time check-ins (called ahead of walk-ins).
    async fn on_time_tickets(&self, hall_id: i64, service_day: &str) -> Result<Vec<i64>>;
    /// The booking a ticket came from.
    async fn appointment_by_ticket(&self, ticket_id: i64) -> Result<Option<Appointment>>;
    /// The waiting tickets of a business type's day that came from on-time check-ins
    /// (`booked`, called ahead of walk-ins), oldest first.
    async fn booked_waiting(
        &self,
        hall_id: i64,
        business_type_id: i64,
        service_day: &str,
    ) -> Result<Vec<servicehall_domain::queue::policy::WaitingTicket>>;
}
