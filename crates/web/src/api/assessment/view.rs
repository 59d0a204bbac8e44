//! What the indicators and the conformance page say, as typed views shared by the JSON and
//! the screens.

use serde::Serialize;
use servicehall_domain::assessment::{Indicator, Unit};
use utoipa::ToSchema;

/// One indicator of the library.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorView {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub definition_zh: String,
    pub definition_en: String,
    /// minutes, percent, per10k, score or count
    pub unit: String,
    pub unit_zh: String,
    /// higher or lower (is better)
    pub direction: String,
    pub direction_zh: String,
    /// The log tables it is counted from.
    pub sources: String,
    /// The drill-down page pattern (`{hall}` = hall code, `{from}`/`{to}` = dates).
    pub drill: String,
}

pub fn unit_code(u: Unit) -> &'static str {
    match u {
        Unit::Minutes => "minutes",
        Unit::Percent => "percent",
        Unit::Per10k => "per10k",
        Unit::Score => "score",
        Unit::Count => "count",
        Unit::Checks => "checks",
    }
}

impl From<&Indicator> for IndicatorView {
    fn from(i: &Indicator) -> Self {
        Self {
            code: i.code.into(),
            name_zh: i.name_zh.into(),
            name_en: i.name_en.into(),
            definition_zh: i.definition_zh.into(),
            definition_en: i.definition_en.into(),
            unit: unit_code(i.unit).into(),
            unit_zh: i.unit.label_zh().into(),
            direction: match i.direction {
                servicehall_domain::assessment::Direction::Higher => "higher".into(),
                servicehall_domain::assessment::Direction::Lower => "lower".into(),
            },
            direction_zh: i.direction.label_zh().into(),
            sources: i.sources.into(),
            drill: i.drill.into(),
        }
    }
}

/// One item of the standard, measured (or not yet measurable) for the month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConformanceItemView {
    /// M1–M6, B1–B8, P1–P7, S1–S5, C1–C5
    pub code: String,
    /// management, basic, principle, service_rule or behaviour
    pub group: String,
    pub group_zh: String,
    pub name_zh: String,
    pub name_en: String,
    /// The indicator's code; null when nothing measures the item yet.
    pub indicator: Option<String>,
    pub indicator_zh: Option<String>,
    pub unit: Option<String>,
    pub unit_zh: Option<String>,
    /// higher or lower (is better)
    pub direction: Option<String>,
    /// The month's value; null when nothing was counted.
    pub value: Option<f64>,
    pub target: Option<f64>,
    /// met, not_met or no_data
    pub status: String,
    pub status_zh: String,
    /// The sums the value divides (counts added across the halls).
    pub numerator: i64,
    pub denominator: i64,
    /// Why the item has no number (no indicator yet, or nothing counted).
    pub note_zh: String,
    pub note_en: String,
    /// The list of source records behind the value (one hall's month).
    pub evidence: Option<String>,
    /// The 12 months ending with the month, oldest first; null where nothing was counted.
    pub trend: Vec<Option<f64>>,
}

/// One hall of a region, with its count of items met and not met.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConformanceHallView {
    pub code: String,
    pub name: String,
    pub met: usize,
    pub not_met: usize,
    pub no_data: usize,
}

/// The standard measured for a hall or a region over a month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConformanceView {
    /// hall:CODE or region:ID
    pub scope: String,
    pub scope_zh: String,
    /// YYYY-MM
    pub month: String,
    /// The 12 trend months, oldest first (YYYY-MM).
    pub months: Vec<String>,
    pub met: usize,
    pub not_met: usize,
    pub no_data: usize,
    pub items: Vec<ConformanceItemView>,
    /// For a region: its halls (empty for a hall).
    pub halls: Vec<ConformanceHallView>,
}
