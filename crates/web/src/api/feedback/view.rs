//! Feedback as the API shows it: import reports, the recovery list, and the phone rating's
//! body (the store's and the domain's types, field for field).

use crate::api::word;
use serde::{Deserialize, Serialize};
use servicehall_store::{ImportReport, RecoveryItem};
use utoipa::ToSchema;

/// What an import did: counts, and every skipped row with its line and reason.
#[derive(Serialize, ToSchema)]
pub struct ImportReportView {
    pub id: i64,
    /// `survey` (第三方满意度调查) or `callback_95598` (95598回访).
    pub source: String,
    pub file_name: String,
    pub at: i64,
    pub rows_total: i64,
    pub rows_imported: i64,
    /// Rows whose (source, source_row_id) was already imported: skipped, not counted twice.
    pub rows_duplicate: i64,
    pub rows_bad: i64,
    /// Service-recovery cases the imported bad rows opened.
    pub cases_opened: i64,
    pub errors: Vec<RowErrorView>,
}

/// A skipped row: its line, its id if it had one, and why.
#[derive(Serialize, ToSchema)]
pub struct RowErrorView {
    pub line: usize,
    pub source_row_id: String,
    pub reason: String,
}

impl From<&ImportReport> for ImportReportView {
    fn from(r: &ImportReport) -> Self {
        Self {
            id: r.id,
            source: word(&r.source),
            file_name: r.file_name.clone(),
            at: r.at,
            rows_total: r.rows_total,
            rows_imported: r.rows_imported,
            rows_duplicate: r.rows_duplicate,
            rows_bad: r.rows_bad,
            cases_opened: r.cases_opened,
            errors: r
                .errors
                .iter()
                .map(|e| RowErrorView {
                    line: e.line,
                    source_row_id: e.source_row_id.clone(),
                    reason: e.reason.clone(),
                })
                .collect(),
        }
    }
}

/// A bad rating and its recovery case, for the hall manager's call-back list.
#[derive(Serialize, ToSchema)]
pub struct RecoveryItemView {
    pub case_id: i64,
    pub case_number: String,
    /// Where the rating came from: `pad`, `phone`, `survey`, `callback_95598` …
    pub channel: String,
    pub level: i64,
    pub reasons: Vec<String>,
    /// The customer left a phone number: the call-back is owed.
    pub real_name: bool,
    pub at: i64,
    pub closed: bool,
    pub callback_recorded: bool,
    pub owner_id: i64,
    /// Masked unless the caller calls back (the hall's manager, an administrator).
    pub customer_phone: String,
    /// The earliest deadline of a running clock.
    pub next_deadline: Option<i64>,
    pub overdue: bool,
}

impl From<&RecoveryItem> for RecoveryItemView {
    fn from(i: &RecoveryItem) -> Self {
        Self {
            case_id: i.case_id,
            case_number: i.case_number.clone(),
            channel: word(&i.channel),
            level: i.level,
            reasons: i.reasons.clone(),
            real_name: i.real_name,
            at: i.at,
            closed: i.closed,
            callback_recorded: i.callback_recorded,
            owner_id: i.owner_id,
            customer_phone: i.customer_phone.clone(),
            next_deadline: i.next_deadline,
            overdue: i.overdue,
        }
    }
}

/// What the customer sends to rate a visit by phone (read as the domain's
/// `PhoneRatingInput`).
#[derive(Deserialize, ToSchema)]
pub struct PhoneRatingBody {
    /// Overall level 1–5.
    pub level: i64,
    /// Touchpoint id → level 1–5; touchpoints the customer skipped are absent.
    #[serde(default)]
    pub touchpoints: Vec<TouchpointLevelBody>,
    /// Reason codes (`BAD_REASONS`); required on a bad overall level.
    #[serde(default)]
    pub reasons: Vec<String>,
    #[serde(default)]
    pub comment: String,
    /// Optional: a phone number to be called back on (makes a bad rating real-name).
    #[serde(default)]
    pub contact_phone: String,
    /// Optional: how to address the customer.
    #[serde(default)]
    pub contact_name: String,
}

/// One touchpoint's level.
#[derive(Deserialize, ToSchema)]
pub struct TouchpointLevelBody {
    pub touchpoint: String,
    pub level: i64,
}
