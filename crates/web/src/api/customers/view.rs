//! The JSON shapes of the customer register. Every view masks the account number, phone
//! and name (户号 last 4, 138****1234, surname + *); the full values come only from the
//! reveal route, with a reason that is logged.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use servicehall_domain::customers::{
    Care, Membership, Purpose, care_needs, consent_now, masked, review_due, suggest_green_channel,
};
use servicehall_store::{
    ConsentRecord, Customer, CustomerCase, CustomerChange, CustomerVisit, SegmentCount,
};
use utoipa::ToSchema;

/// A code with its bilingual label.
#[derive(Debug, Serialize, ToSchema)]
pub struct Label {
    pub code: String,
    pub zh: String,
    pub en: String,
}

impl Label {
    pub fn new(code: &str, zh: &str, en: &str) -> Self {
        Self {
            code: code.into(),
            zh: zh.into(),
            en: en.into(),
        }
    }
}

fn care_labels(care: &[Care]) -> Vec<Label> {
    care.iter()
        .map(|c| Label::new(c.as_str(), c.label_zh(), c.label_en()))
        .collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SegmentView {
    pub segment: Label,
    pub vulnerable: bool,
    pub care: Vec<Label>,
    /// Why the hall holds the customer in a vulnerable segment.
    pub basis: Option<Label>,
    /// `YYYY-MM-DD`
    pub review_on: Option<String>,
    pub review_due: bool,
    pub note: String,
}

impl SegmentView {
    pub fn new(m: &Membership, today: NaiveDate) -> Self {
        Self {
            segment: Label::new(
                m.segment.as_str(),
                m.segment.label_zh(),
                m.segment.label_en(),
            ),
            vulnerable: m.segment.is_vulnerable(),
            care: care_labels(&m.care),
            basis: m
                .basis
                .map(|b| Label::new(b.as_str(), b.label_zh(), b.label_en())),
            review_on: m.review_on.map(|d| d.to_string()),
            review_due: review_due(m, today),
            note: m.note.clone(),
        }
    }
}

/// The consent in force for one purpose now.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentView {
    pub purpose: Label,
    pub granted: bool,
    /// The channel agreed to, while granted.
    pub channel: Option<Label>,
    /// Since when (epoch ms), while granted.
    pub since: Option<i64>,
}

/// One customer, masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerView {
    pub id: i64,
    pub hall_id: i64,
    /// `****5678`
    pub account: String,
    /// `138****1234` (empty when none is kept)
    pub phone: String,
    /// `王**`
    pub name: String,
    pub class: Label,
    pub note: String,
    pub segments: Vec<SegmentView>,
    /// The care needed across segments.
    pub care: Vec<Label>,
    /// The guide desk suggests the green channel.
    pub green_channel: bool,
    pub review_due: bool,
    pub consents: Vec<ConsentView>,
    pub updated_at: i64,
}

impl CustomerView {
    pub fn new(c: &Customer, today: NaiveDate, now: i64) -> Self {
        let m = masked(&c.account_no, &c.phone, &c.name);
        let segments: Vec<SegmentView> = c
            .segments
            .iter()
            .map(|s| SegmentView::new(s, today))
            .collect();
        Self {
            id: c.id,
            hall_id: c.hall_id,
            account: m.account,
            phone: m.phone,
            name: m.name,
            class: Label::new(
                c.class.as_str(),
                c.class.label_zh(),
                &c.class.as_str().replace('_', " "),
            ),
            note: c.note.clone(),
            review_due: segments.iter().any(|s| s.review_due),
            segments,
            care: care_labels(&care_needs(&c.segments)),
            green_channel: suggest_green_channel(&c.segments),
            consents: Purpose::ALL
                .iter()
                .map(|p| {
                    let now_c = consent_now(&c.consents, *p, now);
                    ConsentView {
                        purpose: Label::new(p.as_str(), p.label_zh(), p.label_en()),
                        granted: now_c.is_some(),
                        channel: now_c.map(|k| {
                            Label::new(
                                k.channel.as_str(),
                                k.channel.label_zh(),
                                k.channel.label_en(),
                            )
                        }),
                        since: now_c.map(|k| k.since),
                    }
                })
                .collect(),
            updated_at: c.updated_at,
        }
    }
}

/// A grant or withdrawal as recorded (never rewritten).
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentRecordView {
    pub purpose: Label,
    pub granted: bool,
    pub channel: Option<Label>,
    pub at: i64,
    pub by: Option<String>,
    pub note: String,
}

impl From<&ConsentRecord> for ConsentRecordView {
    fn from(r: &ConsentRecord) -> Self {
        let p = r.event.purpose;
        Self {
            purpose: Label::new(p.as_str(), p.label_zh(), p.label_en()),
            granted: r.event.granted,
            channel: r
                .event
                .channel
                .map(|k| Label::new(k.as_str(), k.label_zh(), k.label_en())),
            at: r.event.at,
            by: r.by_name.clone(),
            note: r.note.clone(),
        }
    }
}

/// One line of the record's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeView {
    /// `created` | `changed` | `consent` | `withdrawn` | `revealed`
    pub kind: String,
    pub at: i64,
    pub by: Option<String>,
    pub summary: String,
}

impl From<&CustomerChange> for ChangeView {
    fn from(c: &CustomerChange) -> Self {
        Self {
            kind: c.kind.clone(),
            at: c.at,
            by: c.by_name.clone(),
            summary: c.summary.clone(),
        }
    }
}

/// One visit and how it ended.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitView {
    pub at: i64,
    pub ticket: Option<String>,
    pub business: String,
    pub outcome: Label,
    /// For 缺少资料: what the one-time notice listed.
    pub missing: Vec<String>,
    pub notice_code: Option<String>,
    /// A return after a missing document (重复往返).
    pub repeat: bool,
}

impl From<&CustomerVisit> for VisitView {
    fn from(v: &CustomerVisit) -> Self {
        let en = match v.outcome.as_str() {
            "completed" => "completed",
            "missing_document" => "missing document",
            "notice_only" => "notice only",
            "transferred" => "referred elsewhere",
            _ => "other",
        };
        Self {
            at: v.at,
            ticket: v.ticket_number.clone(),
            business: v.business_name.clone(),
            outcome: Label::new(v.outcome.as_str(), v.outcome.label_zh(), en),
            missing: v.missing.clone(),
            notice_code: v.notice_code.clone(),
            repeat: v.repeat,
        }
    }
}

/// One case of the customer; its summary only for those who may read cases.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseLineView {
    pub id: i64,
    pub number: String,
    pub kind: Label,
    pub open: bool,
    pub summary: Option<String>,
    pub created_at: i64,
}

impl CaseLineView {
    pub fn new(c: &CustomerCase, may_read: bool) -> Self {
        Self {
            id: c.id,
            number: c.number.clone(),
            kind: Label::new(
                c.kind.as_str(),
                c.kind.label_zh(),
                &c.kind.as_str().replace('_', " "),
            ),
            open: c.open,
            summary: may_read.then(|| c.summary.clone()),
            created_at: c.created_at,
        }
    }
}

/// A customer with the whole history the register keeps.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerDetailView {
    pub customer: CustomerView,
    pub consent_history: Vec<ConsentRecordView>,
    pub changes: Vec<ChangeView>,
    pub visits: Vec<VisitView>,
    pub cases: Vec<CaseLineView>,
}

/// The full identifying data, given once a reason is logged.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevealView {
    pub account_no: String,
    pub phone: String,
    pub name: String,
}

/// What the guide desk and the counter see of a customer they recognise.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecognitionView {
    pub found: bool,
    /// What to tell the member of staff, 中文 · English.
    pub message: String,
    pub customer: Option<CustomerView>,
    pub open_cases: Vec<CaseLineView>,
    pub last_visit: Option<VisitView>,
}

/// Customers of one hall in one segment: a count, never a person.
#[derive(Debug, Serialize, ToSchema)]
pub struct SegmentCountView {
    pub hall_id: i64,
    pub hall: String,
    pub segment: Label,
    pub vulnerable: bool,
    pub customers: i64,
    pub review_due: i64,
}

impl SegmentCountView {
    pub fn new(c: &SegmentCount, hall: &str) -> Self {
        Self {
            hall_id: c.hall_id,
            hall: hall.into(),
            segment: Label::new(
                c.segment.as_str(),
                c.segment.label_zh(),
                c.segment.label_en(),
            ),
            vulnerable: c.segment.is_vulnerable(),
            customers: c.customers,
            review_due: c.review_due,
        }
    }
}

/// A segment membership as sent: care left out takes the segment's default.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SegmentBody {
    /// `key_account` | `high_voltage` | `living_alone` | `disabled` | `low_income` | `medical_equipment`
    pub segment: String,
    /// `green_channel` | `seat` | `outage_call` | `home_visit` | `account_manager`
    #[serde(default)]
    pub care: Option<Vec<String>>,
    /// `self_declared` | `verified_document` | `community_referral` (vulnerable segments)
    #[serde(default)]
    pub basis: Option<String>,
    /// `YYYY-MM-DD` (vulnerable segments, within a year)
    #[serde(default)]
    pub review_on: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// A customer as sent. On a change the account number is ignored (it is the key) and a
/// name or phone left out keeps the one on record.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CustomerBody {
    #[serde(default)]
    pub account_no: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// `resident` | `low_voltage` | `hv_single` | `hv_dual`
    pub class: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub segments: Vec<SegmentBody>,
}

/// A consent given for one purpose by one channel.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConsentBody {
    /// `appointment_reminder` | `outage_notice` | `satisfaction_survey` | `marketing`
    pub purpose: String,
    /// `sms` | `call` | `wechat`
    pub channel: String,
    /// How it was given, e.g. 柜台签字.
    #[serde(default)]
    pub note: String,
}

/// How the withdrawal reached the hall.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct WithdrawBody {
    #[serde(default)]
    pub note: String,
}

/// Who to recognise: the account number or the phone (in the body, never the URL).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RecogniseBody {
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// Why the full data is needed (查看原因), logged with the customer.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RevealBody {
    pub reason: String,
}
