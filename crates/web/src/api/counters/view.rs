//! Counters as the API shows them (the store's rows, field for field).

use serde::Serialize;
use servicehall_store::{Counter, OnDuty, StoredReadBack};
use utoipa::ToSchema;

/// A counter (窗口) and who is on duty at it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CounterView {
    pub id: i64,
    pub hall_id: i64,
    pub number: i64,
    /// `open`, `paused` or `closed`.
    pub status: String,
    pub pause_reason: String,
    pub status_since: i64,
    /// The clerk on duty (挂牌上岗), when the counter is open or paused.
    pub clerk: Option<OnDutyView>,
    /// Business type ids served as primary (主办).
    pub primary: Vec<i64>,
    /// Business type ids served as secondary (兼办).
    pub secondary: Vec<i64>,
}

impl From<&Counter> for CounterView {
    fn from(c: &Counter) -> Self {
        Self {
            id: c.id,
            hall_id: c.hall_id,
            number: c.number,
            status: c.status.as_str().into(),
            pause_reason: c.pause_reason.clone(),
            status_since: c.status_since,
            clerk: c.clerk.as_ref().map(OnDutyView::from),
            primary: c.primary.clone(),
            secondary: c.secondary.clone(),
        }
    }
}

/// The clerk's plate on a counter: name, badge and photo.
#[derive(Debug, Serialize, ToSchema)]
pub struct OnDutyView {
    pub staff_id: i64,
    pub name: String,
    pub badge_no: String,
    pub photo: String,
}

impl From<&OnDuty> for OnDutyView {
    fn from(k: &OnDuty) -> Self {
        Self {
            staff_id: k.staff_id,
            name: k.name.clone(),
            badge_no: k.badge_no.clone(),
            photo: k.photo.clone(),
        }
    }
}

/// A read-back (唱收唱付) as the receipt records it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadBackView {
    pub ticket_id: i64,
    pub read_back: AmountsView,
    pub at: i64,
}

/// Amounts in fen.
#[derive(Debug, Serialize, ToSchema)]
pub struct AmountsView {
    pub due: i64,
    pub received: i64,
    pub change: i64,
}

impl From<&StoredReadBack> for ReadBackView {
    fn from(r: &StoredReadBack) -> Self {
        Self {
            ticket_id: r.ticket_id,
            read_back: AmountsView {
                due: r.read_back.due.0,
                received: r.read_back.received.0,
                change: r.read_back.change.0,
            },
            at: r.at,
        }
    }
}
