//! What the store keeps and returns. Instants are unix milliseconds (UTC).

use serde::{Deserialize, Serialize};
use servicehall_domain::{CallingPolicy, DeviceKind, Priority, ReadBack, Role, TicketState};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Hall {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub address: String,
    pub phone: String,
    pub timezone: String,
    pub opens: String,
    pub closes: String,
    pub policy: CallingPolicy,
    /// The region the hall hangs on (set with `RegionStore::set_hall_region`).
    #[serde(default)]
    pub region_id: Option<i64>,
}

/// Fields an administrator sets on a hall.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HallInput {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub address: String,
    pub phone: String,
    pub timezone: String,
    pub opens: String,
    pub closes: String,
    pub policy: CallingPolicy,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BusinessType {
    pub id: i64,
    pub hall_id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub prefix: String,
    pub target_wait_s: i64,
    pub target_handling_s: i64,
    /// Payment businesses record 唱收唱付 when they finish.
    pub is_payment: bool,
    pub sort_order: i64,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BusinessTypeInput {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub prefix: String,
    pub target_wait_s: i64,
    pub target_handling_s: i64,
    pub is_payment: bool,
    pub sort_order: i64,
    pub active: bool,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CounterStatus {
    Open,
    Paused,
    Closed,
}

impl CounterStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Paused => "paused",
            Self::Closed => "closed",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Open => "服务中",
            Self::Paused => "暂停服务",
            Self::Closed => "未开放",
        }
    }
    pub fn parse(s: &str) -> Self {
        match s {
            "open" => Self::Open,
            "paused" => Self::Paused,
            _ => Self::Closed,
        }
    }
}

/// The clerk on duty as customers see them (挂牌服务): name, badge, photo.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OnDuty {
    pub staff_id: i64,
    pub name: String,
    pub badge_no: String,
    pub photo: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Counter {
    pub id: i64,
    pub hall_id: i64,
    pub number: i64,
    pub status: CounterStatus,
    pub pause_reason: String,
    pub status_since: i64,
    pub clerk: Option<OnDuty>,
    /// Business type ids served as primary (主办).
    pub primary: Vec<i64>,
    /// Business type ids served as secondary (兼办).
    pub secondary: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CounterInput {
    pub number: i64,
    pub primary: Vec<i64>,
    pub secondary: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Staff {
    pub id: i64,
    pub hall_id: Option<i64>,
    pub username: String,
    pub name: String,
    pub badge_no: String,
    pub role: Role,
    pub photo: String,
    pub active: bool,
    /// For staff above halls: the region they are limited to (`RegionStore::set_staff_region`).
    #[serde(default)]
    pub region_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StaffInput {
    pub hall_id: Option<i64>,
    pub username: String,
    pub name: String,
    pub badge_no: String,
    pub role: Role,
    pub photo: String,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Device {
    pub id: i64,
    pub hall_id: i64,
    pub counter_id: Option<i64>,
    pub kind: DeviceKind,
    pub name: String,
    pub created_at: i64,
    pub revoked: bool,
}

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
}

/// Where a waiting ticket stands in its queue: what a slip and the phone page show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// Waiting tickets called before it (domain::policy::ahead_of).
    pub ahead: i64,
    /// Open counters that serve its business type.
    pub open_counters: i64,
}

/// A ticket as the issue returns it: the ticket, where it stands when it waits, its log.
#[derive(Debug, Clone)]
pub struct IssuedTicket {
    pub ticket: Ticket,
    pub placement: Option<Placement>,
    pub log: Vec<TicketEvent>,
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
}

/// What a clerk does to a ticket, with what that needs.
#[derive(Debug, Clone)]
pub enum TicketCommand {
    Recall,
    Start,
    Finish {
        read_back: Option<ReadBack>,
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

/// An event on a hall's live feed (SSE): issued, called, recalled, finished, counter status …
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HallEvent {
    pub id: i64,
    pub hall_id: i64,
    pub kind: String,
    pub payload: serde_json::Value,
    pub at: i64,
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

/// A ticket with its log, for the day's figures.
#[derive(Debug, Clone)]
pub struct TicketWithLog {
    pub ticket: Ticket,
    pub log: Vec<TicketEvent>,
}

/// A read-back as stored on a receipt.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoredReadBack {
    pub ticket_id: i64,
    pub read_back: ReadBack,
    pub at: i64,
}
