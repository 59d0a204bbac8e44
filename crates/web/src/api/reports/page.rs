//! The monthly report as a print-ready A4 page: one section per printed page, the header and
//! footer (scope, month, generated-at, audit head) repeated on every page by the print CSS
//! (`crates/web/static/css/reports.css`). The values are formatted here so the template only
//! places them.

use super::view::{MonthlyReportView, ReportRowView};
use askama::Template;

/// A value as printed in its unit; `—` for no data.
pub fn show(v: Option<f64>, unit: &str) -> String {
    match (v, unit) {
        (None, _) => "—".into(),
        (Some(v), "percent") => format!("{v:.1}%"),
        (Some(v), "count") => format!("{v:.0}"),
        (Some(v), "per10k") => format!("{v:.2}"),
        (Some(v), _) => format!("{v:.1}"),
    }
}

pub struct Line {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit_zh: String,
    pub value: String,
    pub previous: String,
    pub change: String,
    /// better, worse or same (the change's colour).
    pub trend_class: &'static str,
    pub target: String,
    pub status: String,
    pub status_zh: String,
    pub trend: Vec<String>,
    /// Bar heights (0–100) of the six months, for the small printed chart.
    pub bars: Vec<u32>,
}

impl From<&ReportRowView> for Line {
    fn from(r: &ReportRowView) -> Self {
        let max = r
            .trend
            .iter()
            .flatten()
            .fold(0.0_f64, |m, v| m.max(v.abs()));
        Self {
            code: r.indicator.clone(),
            name_zh: r.name_zh.clone(),
            name_en: r.name_en.clone(),
            unit_zh: r.unit_zh.clone(),
            value: show(r.value, &r.unit),
            previous: show(r.previous, &r.unit),
            change: match r.change {
                Some(c) if c > 0.0 => format!("+{}", show(Some(c), &r.unit)),
                c => show(c, &r.unit),
            },
            trend_class: match r.better {
                Some(true) => "better",
                Some(false) => "worse",
                None => "same",
            },
            target: match r.target {
                Some(t) => show(Some(t), &r.unit),
                None => String::new(),
            },
            status: r.status.clone(),
            status_zh: r.status_zh.clone(),
            trend: r.trend.iter().map(|v| show(*v, &r.unit)).collect(),
            bars: r
                .trend
                .iter()
                .map(|v| match v {
                    Some(v) if max > 0.0 => ((v.abs() / max) * 100.0).round() as u32,
                    _ => 0,
                })
                .collect(),
        }
    }
}

pub struct Part {
    pub code: String,
    pub title_zh: String,
    pub title_en: String,
    pub kind: String,
    pub lines: Vec<Line>,
}

#[derive(Template)]
#[template(path = "reports/monthly.html")]
pub struct MonthlyPage<'a> {
    pub v: &'a MonthlyReportView,
    pub parts: Vec<Part>,
    pub scope_zh: &'static str,
}

/// The page's HTML.
pub fn html(v: &MonthlyReportView) -> Result<String, askama::Error> {
    MonthlyPage {
        v,
        parts: v
            .sections
            .iter()
            .map(|s| Part {
                code: s.code.clone(),
                title_zh: s.title_zh.clone(),
                title_en: s.title_en.clone(),
                kind: s.kind.clone(),
                lines: s.rows.iter().map(Line::from).collect(),
            })
            .collect(),
        scope_zh: if v.scope == "hall" {
            "营业厅 Hall"
        } else {
            "区域 Region"
        },
    }
    .render()
}
