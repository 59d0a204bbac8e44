//! Customers, their segments, consents and history, as stored.

use servicehall_domain::cases::{CaseKind, CustomerClass};
use servicehall_domain::catalogue::VisitOutcome;
use servicehall_domain::customers::{ConsentEvent, ContactChannel, Membership, Purpose, Segment};

/// One customer of a hall's register, with their segments and whole consent history.
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    pub id: i64,
    pub hall_id: i64,
    pub account_no: String,
    pub name: String,
    pub phone: String,
    pub class: CustomerClass,
    pub note: String,
    pub segments: Vec<Membership>,
    /// Oldest first; never rewritten (a withdrawal is a new event).
    pub consents: Vec<ConsentEvent>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A new customer.
#[derive(Debug, Clone)]
pub struct NewCustomer {
    pub account_no: String,
    pub name: String,
    pub phone: String,
    pub class: CustomerClass,
    pub note: String,
    pub segments: Vec<Membership>,
}

/// A change to a customer; the account number is the key and does not change. `None`
/// keeps the name or phone as it is (the keeper sees them masked).
#[derive(Debug, Clone)]
pub struct CustomerUpdate {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub class: CustomerClass,
    pub note: String,
    pub segments: Vec<Membership>,
}

/// Which customers of the register to list.
#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    pub segment: Option<Segment>,
    /// Only customers with a segment review due by this day (`YYYY-MM-DD` order).
    pub review_by: Option<chrono::NaiveDate>,
}

/// One line of a customer's history (who changed what, who looked and why).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerChange {
    pub id: i64,
    /// `created` | `changed` | `consent` | `withdrawn` | `revealed`
    pub kind: String,
    pub at: i64,
    pub by_id: Option<i64>,
    pub by_name: Option<String>,
    pub summary: String,
}

/// A consent event with who recorded it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsentRecord {
    pub event: ConsentEvent,
    pub by_name: Option<String>,
    pub note: String,
}

/// One visit of the customer to the hall (the visit records of the catalogue).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerVisit {
    pub id: i64,
    pub at: i64,
    pub ticket_number: Option<String>,
    pub business_type: String,
    pub business_name: String,
    pub outcome: VisitOutcome,
    /// For a missing document: the documents the one-time notice listed (empty when no
    /// notice was given).
    pub missing: Vec<String>,
    pub notice_code: Option<String>,
    pub repeat: bool,
}

/// One case of the customer in the hall (by account number or phone).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerCase {
    pub id: i64,
    pub number: String,
    pub kind: CaseKind,
    pub open: bool,
    pub summary: String,
    pub created_at: i64,
}

/// What the hall has seen of a customer: visits newest first, cases newest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CustomerHistory {
    pub visits: Vec<CustomerVisit>,
    pub cases: Vec<CustomerCase>,
}

/// How many customers of a hall are in a segment.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentCount {
    pub hall_id: i64,
    pub segment: Segment,
    pub customers: i64,
    pub review_due: i64,
}

/// A grant (with its channel) or a withdrawal of consent for one purpose.
#[derive(Debug, Clone)]
pub struct ConsentInput {
    pub purpose: Purpose,
    pub channel: Option<ContactChannel>,
    pub granted: bool,
    /// How it was given, e.g. 柜台签字 or 电话录音 (no personal data).
    pub note: String,
}
