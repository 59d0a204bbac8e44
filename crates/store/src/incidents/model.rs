//! Playbook versions, incidents and manual entries as stored.

use servicehall_domain::incidents::{IncidentState, Playbook, ReviewAction};

/// One version of a playbook.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentPlaybook {
    pub id: i64,
    /// `None`: shipped, company-wide.
    pub hall_id: Option<i64>,
    pub version: i64,
    pub playbook: Playbook,
    pub created_at: i64,
}

/// What declaring an incident needs.
#[derive(Debug, Clone)]
pub struct IncidentDeclare {
    pub hall_id: i64,
    /// The playbook's code (`outage` …): the hall's latest version of it is used.
    pub kind: String,
    pub note: String,
    pub by: i64,
}

/// A step ticked off.
#[derive(Debug, Clone, PartialEq)]
pub struct StepDone {
    pub key: String,
    pub done_by: i64,
    pub done_by_name: String,
    pub done_at: i64,
}

/// A review action's case as the incident shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionCase {
    pub case_id: i64,
    pub number: String,
    pub text: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub due_at: i64,
    pub closed: bool,
}

/// The post-incident review (复盘).
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentReview {
    pub cause: String,
    /// The risk register's code this incident belongs to.
    pub risk_code: Option<String>,
    pub reviewed_by_name: String,
    pub reviewed_at: i64,
    pub actions: Vec<ActionCase>,
}

#[derive(Debug, Clone)]
pub struct IncidentReviewInput {
    pub cause: String,
    pub risk_code: Option<String>,
    pub actions: Vec<ReviewAction>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub id: i64,
    pub hall_id: i64,
    pub playbook_id: i64,
    pub playbook_version: i64,
    /// The version declared on, whole.
    pub playbook: Playbook,
    pub note: String,
    pub declared_by: i64,
    pub declared_by_name: String,
    pub declared_at: i64,
    pub closed_at: Option<i64>,
    pub closed_by_name: Option<String>,
    /// In the playbook's order.
    pub steps_done: Vec<StepDone>,
    pub review: Option<IncidentReview>,
}

impl Incident {
    pub fn state(&self) -> IncidentState {
        IncidentState::of(self.closed_at.is_some(), self.review.is_some())
    }

    pub fn done(&self, key: &str) -> Option<&StepDone> {
        self.steps_done.iter().find(|d| d.key == key)
    }
}

/// What a counter records by hand.
#[derive(Debug, Clone)]
pub struct ManualEntryInput {
    pub hall_id: i64,
    pub counter_id: Option<i64>,
    pub business_type_id: i64,
    pub customer_name: String,
    pub account_no: String,
    pub phone: String,
    /// Money taken, in fen (分), for payments.
    pub amount_fen: Option<i64>,
    pub note: String,
    pub by: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ManualEntry {
    pub id: i64,
    pub hall_id: i64,
    /// The active incident it was recorded under, if any.
    pub incident_id: Option<i64>,
    pub counter_id: Option<i64>,
    pub counter_name: Option<String>,
    pub business_type_id: i64,
    pub business_name: String,
    pub customer_name: String,
    pub account_no: String,
    pub phone: String,
    pub amount_fen: Option<i64>,
    pub note: String,
    pub recorded_by: i64,
    pub recorded_by_name: String,
    pub recorded_at: i64,
    pub back_entered_at: Option<i64>,
    pub back_entered_by_name: Option<String>,
    pub back_ref: Option<String>,
}
