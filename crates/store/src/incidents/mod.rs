//! Incidents and playbooks (突发情况 · 应急预案), and the counters' manual entries while the
//! business system is down: the trait, its rows (model.rs) and its SQL (sql.rs, manual.rs).

mod manual;
mod model;
mod playbooks;
pub(crate) mod sql;

pub use model::*;

use crate::Result;
use async_trait::async_trait;
use servicehall_domain::incidents::{Playbook, ReviewAction};

/// The kind of hall event an incident's declaration, steps and closing travel as.
pub const INCIDENT_EVENT: &str = "incident";

#[async_trait]
pub trait IncidentStore: Send + Sync + 'static {
    /// Loads the shipped playbooks as company-wide versions; one whose latest company-wide
    /// version is already the same is left alone. Returns how many were written.
    async fn install_playbooks(&self, playbooks: &[Playbook], now: i64) -> Result<usize>;
    /// Writes a new version of a playbook (`hall_id` None: company-wide); running and past
    /// incidents keep the version they were declared on.
    async fn save_playbook(
        &self,
        hall_id: Option<i64>,
        playbook: &Playbook,
        by: Option<i64>,
        now: i64,
    ) -> Result<IncidentPlaybook>;
    /// The playbooks a hall uses (`None`: the company-wide ones): per code, the hall's own
    /// latest version, else the latest company-wide one; in the shipped order.
    async fn playbooks(&self, hall_id: Option<i64>) -> Result<Vec<IncidentPlaybook>>;
    /// Declares an incident of a kind on the hall's playbook for it and pushes an
    /// `incident` hall event. Refused (409) while one of the same kind is active.
    async fn declare_incident(&self, input: &IncidentDeclare, now: i64) -> Result<Incident>;
    /// Ticks a step off; refused once the incident is closed or the step already done.
    async fn complete_incident_step(
        &self,
        id: i64,
        step: &str,
        by: i64,
        now: i64,
    ) -> Result<Incident>;
    /// Ends the incident and its announcement (an `incident` event with `closed`).
    async fn close_incident(&self, id: i64, by: i64, now: i64) -> Result<Incident>;
    /// Records the post-incident review of a closed incident: the cause, the risk it
    /// belongs to (a risk register code, unchecked until that register exists) and one
    /// incident-action case per action, owned and due as given.
    async fn review_incident(
        &self,
        id: i64,
        review: &IncidentReviewInput,
        by: i64,
        now: i64,
    ) -> Result<Incident>;
    async fn incident(&self, id: i64) -> Result<Incident>;
    /// The hall's incidents declared at or after `since`, newest first.
    async fn incidents(&self, hall_id: i64, since: i64, limit: i64) -> Result<Vec<Incident>>;
    /// The hall's active incidents, newest first (what the screens announce).
    async fn active_incidents(&self, hall_id: i64) -> Result<Vec<Incident>>;
    /// Records a visit by hand (人工登记) while the business system is down.
    async fn record_manual_entry(&self, input: &ManualEntryInput, now: i64) -> Result<ManualEntry>;
    /// Marks a manual entry back-entered (补录) with the business system's own number.
    async fn back_enter_manual_entry(
        &self,
        id: i64,
        back_ref: &str,
        by: i64,
        now: i64,
    ) -> Result<ManualEntry>;
    async fn manual_entry(&self, id: i64) -> Result<ManualEntry>;
    /// The hall's manual entries recorded in `[from, to)`, oldest first; `pending` only
    /// those still to back-enter (whenever recorded).
    async fn manual_entries(
        &self,
        hall_id: i64,
        from: i64,
        to: i64,
        pending: bool,
    ) -> Result<Vec<ManualEntry>>;
}

/// An action of a review as the store takes it.
pub type ReviewActionInput = ReviewAction;
