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
        (Some(v), "count" | "checks") => format!("{v:.0}"),
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
    /// The `@page` rule: A4 and the header and footer in the page's margin boxes, which
    /// print on every page (the only `<style>` of the report, as the notice's paper size).
    pub page_css: String,
    pub parts: Vec<Part>,
    pub scope_zh: &'static str,
}

/// Text as a CSS string: quotes and backslashes escaped, `<` written as an escape so the
/// text cannot close the style element, line breaks as spaces.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\3c "),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn page_css(v: &MonthlyReportView, scope_zh: &str) -> String {
    let scope = css_string(&format!("{scope_zh} {} {}", v.scope_code, v.scope_name));
    let month = css_string(&format!("月份 Month {}", v.month));
    let made = css_string(&format!(
        "生成于 Generated {} · {} · 审计链头 Audit head {}",
        v.generated_local, v.generated_by, v.audit_head
    ));
    format!(
        "@page {{ size: A4; margin: 18mm 12mm 18mm 12mm;
  @top-left {{ content: \"ServiceHall 供电营业厅\"; font-size: 8pt; color: #0b5cab; }}
  @top-center {{ content: {scope}; font-size: 8pt; }}
  @top-right {{ content: {month}; font-size: 8pt; }}
  @bottom-left {{ content: {made}; font-size: 7pt; color: #3b4456; width: 85%; }}
  @bottom-right {{ content: \"第 \" counter(page) \" / \" counter(pages) \" 页\"; font-size: 8pt; white-space: nowrap; }} }}"
    )
}

/// The page's HTML.
pub fn html(v: &MonthlyReportView) -> Result<String, askama::Error> {
    let scope_zh = if v.scope == "hall" {
        "营业厅 Hall"
    } else {
        "区域 Region"
    };
    MonthlyPage {
        v,
        page_css: page_css(v, scope_zh),
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
        scope_zh,
    }
    .render()
}
