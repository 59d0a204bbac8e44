//! What the appointment routes answer.

use serde::Serialize;
use servicehall_domain::appointments::{AppointmentPolicy, slot_label};
use servicehall_domain::cases::mask;
use servicehall_store::{Appointment, AppointmentSettings, BusinessType};
use utoipa::ToSchema;

/// One half-hour a customer may pick.
#[derive(Serialize, ToSchema)]
pub struct SlotView {
    /// `09:30`, hall time.
    pub time: String,
    pub start_ms: i64,
    pub capacity: u32,
    pub booked: i64,
    pub free: i64,
}

/// A business type's bookable half-hours on one day.
#[derive(Serialize, ToSchema)]
pub struct SlotsView {
    pub hall: String,
    pub business_type: String,
    pub business_type_zh: String,
    pub date: String,
    /// False on a closed day or with bookings switched off (then `slots` is empty).
    pub open: bool,
    pub slots: Vec<SlotView>,
}

/// A booking. The phone is masked except in the answer to the customer who made it.
#[derive(Serialize, ToSchema)]
pub struct AppointmentView {
    pub code: String,
    pub hall_id: i64,
    pub business_type: String,
    pub business_type_zh: String,
    pub date: String,
    pub time: String,
    pub slot_start_ms: i64,
    /// `booked`, `checked_in`, `cancelled` or `no_show`.
    pub state: String,
    pub state_zh: String,
    pub state_en: String,
    pub phone_masked: String,
    pub name: String,
    /// `phone` (public page) or `desk` (guide desk).
    pub channel: String,
    pub booked_at: i64,
    pub checked_in_at: Option<i64>,
    pub on_time: bool,
    pub ticket_id: Option<i64>,
    /// The booking that replaced this one when it was changed.
    pub replaced_by_code: Option<String>,
}

impl AppointmentView {
    pub fn of(a: &Appointment, bt: Option<&BusinessType>) -> Self {
        Self {
            code: a.code.clone(),
            hall_id: a.hall_id,
            business_type: bt.map(|b| b.code.clone()).unwrap_or_default(),
            business_type_zh: bt.map(|b| b.name_zh.clone()).unwrap_or_default(),
            date: a.service_day.clone(),
            time: slot_label(a.slot),
            slot_start_ms: a.slot_start,
            state: a.state.as_str().into(),
            state_zh: a.state.label_zh().into(),
            state_en: a.state.label_en().into(),
            phone_masked: mask::phone(&a.phone),
            name: mask::name(&a.name),
            channel: a.channel.clone(),
            booked_at: a.booked_at,
            checked_in_at: a.checked_in_at,
            on_time: a.on_time,
            ticket_id: a.ticket_id,
            replaced_by_code: None,
        }
    }
}

/// The phone code was sent (the code itself never appears in an answer).
#[derive(Serialize, ToSchema)]
pub struct PhoneCodeSentView {
    pub sent: bool,
    /// The masked number it went to.
    pub to: String,
    pub expires_in_s: i64,
}

/// A check-in: the booking and the ticket it became (with the slip's code, to print).
#[derive(Serialize, ToSchema)]
pub struct CheckInView {
    pub appointment: AppointmentView,
    pub ticket: crate::api::TicketView,
    /// Called ahead of walk-ins (checked in within the grace window).
    pub ahead_of_walk_ins: bool,
    pub message: String,
}

/// A hall's bookings of a day, for the guide desk and the manager.
#[derive(Serialize, ToSchema)]
pub struct DayView {
    pub date: String,
    pub appointments: Vec<AppointmentView>,
    pub booked: usize,
    pub checked_in: usize,
    pub no_show: usize,
    pub cancelled: usize,
}

/// A hall's appointment policy.
#[derive(Serialize, ToSchema)]
pub struct SettingsView {
    pub enabled: bool,
    pub bookable_share_pct: u32,
    pub manual_capacity: Option<u32>,
    pub grace_min: u32,
    pub no_show_limit: u32,
    pub days_ahead: u32,
    pub updated_at: Option<i64>,
    pub updated_by: Option<String>,
}

impl From<&AppointmentSettings> for SettingsView {
    fn from(s: &AppointmentSettings) -> Self {
        let p: &AppointmentPolicy = &s.policy;
        Self {
            enabled: p.enabled,
            bookable_share_pct: p.bookable_share_pct,
            manual_capacity: p.manual_capacity,
            grace_min: p.grace_min,
            no_show_limit: p.no_show_limit,
            days_ahead: p.days_ahead,
            updated_at: s.updated_at,
            updated_by: s.updated_by_name.clone(),
        }
    }
}

/// One delivery in the notifier's log (recipient masked).
#[derive(Serialize, ToSchema)]
pub struct NotificationView {
    pub id: i64,
    pub event: String,
    pub event_zh: String,
    pub channel: String,
    pub recipient: String,
    pub body: String,
    pub reference: String,
    pub status: String,
    pub status_zh: String,
    pub attempts: i64,
    pub next_try: i64,
    pub last_error: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

impl From<&servicehall_store::Notification> for NotificationView {
    fn from(n: &servicehall_store::Notification) -> Self {
        Self {
            id: n.id,
            event: n.event.as_str().into(),
            event_zh: n.event.label_zh().into(),
            channel: n.channel.clone(),
            recipient: n.recipient_masked.clone(),
            // A phone code is for the customer only.
            body: if n.event == servicehall_domain::notify::NotifyEvent::PhoneCode {
                "验证码已隐藏 · code hidden".into()
            } else {
                n.body.clone()
            },
            reference: n.reference.clone(),
            status: n.status.as_str().into(),
            status_zh: n.status.label_zh().into(),
            attempts: n.attempts,
            next_try: n.next_try,
            last_error: n.last_error.clone(),
            created_at: n.created_at,
            sent_at: n.sent_at,
        }
    }
}
