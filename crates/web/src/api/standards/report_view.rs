//! The acknowledgement report as the API returns it: per version in effect, who has and
//! has not acknowledged, and the rate assessments use.

use serde::Serialize;
use servicehall_domain::standards::AckRate;
use servicehall_store::AckReport;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct RateView {
    pub required: u64,
    pub acknowledged: u64,
    /// acknowledged ÷ required (0–1); null when nobody is required.
    pub rate: Option<f64>,
}

pub fn rate_view(r: AckRate) -> RateView {
    RateView {
        required: r.required,
        acknowledged: r.acknowledged,
        rate: r.ratio(),
    }
}

/// The hall's acknowledgement figures on `today`: per version in effect, and in total.
#[derive(Serialize, ToSchema)]
pub struct AckReportView {
    pub hall_id: i64,
    /// `YYYY-MM-DD`.
    pub today: String,
    pub total: RateView,
    pub lines: Vec<AckLineView>,
}

/// Who has and has not acknowledged one version in effect.
#[derive(Serialize, ToSchema)]
pub struct AckLineView {
    pub document_id: i64,
    pub category: String,
    pub category_zh: String,
    pub version_id: i64,
    pub number: i64,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub effective_from: String,
    pub audience_zh: String,
    pub rate: RateView,
    pub acknowledged: Vec<AckedByView>,
    pub missing: Vec<AckStaffView>,
}

/// A staff member's acknowledgement, with when it was given.
#[derive(Serialize, ToSchema)]
pub struct AckedByView {
    pub staff: AckStaffView,
    pub at: i64,
}

/// A staff member as the acknowledgement report names them.
#[derive(Serialize, ToSchema)]
pub struct AckStaffView {
    pub id: i64,
    pub name: String,
    pub badge_no: String,
    pub role: String,
}

impl From<&servicehall_store::StaffRef> for AckStaffView {
    fn from(s: &servicehall_store::StaffRef) -> Self {
        Self {
            id: s.id,
            name: s.name.clone(),
            badge_no: s.badge_no.clone(),
            role: s.role.as_str().into(),
        }
    }
}

impl From<&AckReport> for AckReportView {
    fn from(r: &AckReport) -> Self {
        Self {
            hall_id: r.hall_id,
            today: r.today.to_string(),
            total: rate_view(r.total),
            lines: r
                .lines
                .iter()
                .map(|l| AckLineView {
                    document_id: l.document_id,
                    category: l.category.as_str().into(),
                    category_zh: l.category.label_zh().into(),
                    version_id: l.version_id,
                    number: l.number,
                    title: l.title.clone(),
                    effective_from: l.effective_from.to_string(),
                    audience_zh: l.audience.label_zh(),
                    rate: rate_view(l.rate),
                    acknowledged: l
                        .acknowledged
                        .iter()
                        .map(|a| AckedByView {
                            staff: (&a.staff).into(),
                            at: a.at,
                        })
                        .collect(),
                    missing: l.missing.iter().map(AckStaffView::from).collect(),
                })
                .collect(),
        }
    }
}
