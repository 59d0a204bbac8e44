//! The notifier's delivery log as stored.

use servicehall_domain::notify::{DeliveryStatus, NotifyEvent};

/// A message to send, as the web renders it.
#[derive(Debug, Clone)]
pub struct NotificationInput {
    pub hall_id: Option<i64>,
    pub event: NotifyEvent,
    /// The channel's name (`log`, `sms`, `wechat`), chosen by the web's notifier.
    pub channel: String,
    pub recipient: String,
    pub body: String,
    /// What it is about (a booking code, a ticket number), for the log's search.
    pub reference: String,
}

/// One delivery in the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub id: i64,
    pub hall_id: Option<i64>,
    pub event: NotifyEvent,
    pub channel: String,
    /// The full recipient: only the sender reads it; screens show `recipient_masked`.
    pub recipient: String,
    pub recipient_masked: String,
    pub body: String,
    pub reference: String,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub next_try: i64,
    pub last_error: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// Which deliveries to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct NotificationQuery {
    pub hall_id: Option<i64>,
    pub recipient: Option<String>,
    pub event: Option<NotifyEvent>,
    pub limit: i64,
}

/// A case notice to queue: the case, the event (`case_step_done`, `callback_scheduled`),
/// what it says (the step's name, or the call-back's time as the customer reads it) and the
/// notifier's channel.
#[derive(Debug, Clone)]
pub struct CaseNoticeInput {
    pub case_id: i64,
    pub event: NotifyEvent,
    pub detail: String,
    pub channel: String,
}
