//! What a monthly report says, as typed views shared by the JSON, the printed page and the
//! workbook, and the history's rows.

use crate::api::assessment::view::ConformanceItemView;
use serde::Serialize;
use servicehall_store::ReportMeta;
use utoipa::ToSchema;

/// One indicator's line in a section.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportRowView {
    pub indicator: String,
    pub name_zh: String,
    pub name_en: String,
    /// minutes, percent, per10k, score or count
    pub unit: String,
    pub unit_zh: String,
    /// higher or lower (is better)
    pub direction: String,
    pub value: Option<f64>,
    /// The month before.
    pub previous: Option<f64>,
    /// value − previous (month on month), in the unit.
    pub change: Option<f64>,
    /// True when the change is for the better in the indicator's direction.
    pub better: Option<bool>,
    pub target: Option<f64>,
    /// met, not_met or no_data (no_data also when no target applies)
    pub status: String,
    pub status_zh: String,
    pub numerator: i64,
    pub denominator: i64,
    /// The six months ending with the report's month (`months` of the report).
    pub trend: Vec<Option<f64>>,
    /// The page listing the source records (a hall's report only).
    pub drill: Option<String>,
}

/// One section (a printed page, a sheet of the workbook).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportSectionView {
    pub code: String,
    pub title_zh: String,
    pub title_en: String,
    pub sheet: String,
    /// indicators, conformance or audit
    pub kind: String,
    pub chart: bool,
    pub rows: Vec<ReportRowView>,
}

/// A chain's head as it stood when the report was made.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportAuditHeadView {
    /// The hall's id, 0 for the deployment chain.
    pub chain: i64,
    pub name: String,
    pub seq: i64,
    pub hash: String,
    /// `chain:seq:hash`, as `servicehall audit verify --expect-head` reads it.
    pub pin: String,
}

/// A monthly report of a hall or a region.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthlyReportView {
    /// hall or region
    pub scope: String,
    pub scope_code: String,
    pub scope_name: String,
    /// YYYY-MM
    pub month: String,
    /// The trend's months, oldest first, ending with `month`.
    pub months: Vec<String>,
    pub halls: usize,
    /// Unix ms.
    pub generated_at: i64,
    /// `YYYY-MM-DD HH:MM` in the scope's time zone.
    pub generated_local: String,
    pub generated_by: String,
    /// The pin printed in the header and footer (`chain:seq:hash`).
    pub audit_head: String,
    pub audit_heads: Vec<ReportAuditHeadView>,
    pub sections: Vec<ReportSectionView>,
    pub met: usize,
    pub not_met: usize,
    pub no_data: usize,
    pub items: Vec<ConformanceItemView>,
}

/// One kept report of the history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportMetaView {
    pub id: i64,
    /// hall or region
    pub scope: String,
    pub scope_code: String,
    pub scope_name: String,
    pub month: String,
    pub generated_at: i64,
    /// A person's username, or `schedule` for the month-end step.
    pub generated_by: String,
    pub audit_head: String,
    /// SHA-256 of the workbook's bytes (hex).
    pub sha256: String,
    pub xlsx_bytes: i64,
    pub xlsx_url: String,
    pub html_url: String,
}

impl From<&ReportMeta> for ReportMetaView {
    fn from(m: &ReportMeta) -> Self {
        Self {
            id: m.id,
            scope: m.scope.kind.clone(),
            scope_code: m.scope_code.clone(),
            scope_name: m.scope_name.clone(),
            month: m.month.clone(),
            generated_at: m.generated_at,
            generated_by: m.generated_by.clone(),
            audit_head: m.audit_head.clone(),
            sha256: m.sha256.clone(),
            xlsx_bytes: m.xlsx_bytes,
            xlsx_url: format!("/api/v1/reports/{}?format=xlsx", m.id),
            html_url: format!("/api/v1/reports/{}?format=html", m.id),
        }
    }
}
