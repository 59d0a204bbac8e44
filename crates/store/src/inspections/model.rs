//! Template versions and inspections as stored.

use servicehall_domain::inspections::Template;
use servicehall_domain::inspections::score::ItemResult;

/// One version of a checklist.
#[derive(Debug, Clone, PartialEq)]
pub struct InspectionTemplate {
    pub id: i64,
    /// `None`: shipped, company-wide.
    pub hall_id: Option<i64>,
    pub version: i64,
    pub template: Template,
    pub created_at: i64,
}

/// What starting an inspection needs.
#[derive(Debug, Clone)]
pub struct InspectionStart {
    pub hall_id: i64,
    pub template_id: i64,
    /// `None`: the hall is the subject.
    pub subject_staff_id: Option<i64>,
    pub inspector_id: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Inspection {
    pub id: i64,
    pub hall_id: i64,
    pub template_id: i64,
    pub template_code: String,
    pub template_version: i64,
    pub template_name_zh: String,
    pub template_name_en: String,
    pub subject_staff_id: Option<i64>,
    /// The subject's name when it is a person.
    pub subject_name: Option<String>,
    pub inspector_id: i64,
    pub inspector_name: String,
    pub started_at: i64,
    pub submitted_at: Option<i64>,
    /// Overall score in tenths of a point, once submitted.
    pub score_tenths: Option<i64>,
    pub passed: Option<bool>,
    /// In template order as recorded; empty in lists.
    pub results: Vec<ItemResult>,
}
