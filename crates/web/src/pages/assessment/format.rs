//! How a measured item reads on the screen: the value and target in their unit, the status
//! and a 12-month sparkline drawn as inline SVG (no script, prints as it shows).

use crate::api::assessment::view::{ConformanceItemView, ConformanceView};
use servicehall_domain::assessment::{ITEMS, ItemGroup};

pub struct ItemRow {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub indicator_zh: String,
    pub indicator: String,
    pub value: String,
    pub target: String,
    pub status: String,
    pub status_zh: String,
    pub status_en: &'static str,
    pub note_zh: String,
    pub note_en: String,
    pub evidence: String,
    pub spark: String,
    pub figures: String,
}

/// A value in its unit: `95.2%`, `12.5 分钟`, `91.0 分` …
pub fn value_text(unit: Option<&str>, v: f64) -> String {
    match unit {
        Some("percent") => format!("{v:.1}%"),
        Some("minutes") => format!("{v:.1} 分钟 min"),
        Some("per10k") => format!("{v:.2} 件/万人次"),
        Some("score") => format!("{v:.1} 分"),
        _ => format!("{v:.0}"),
    }
}

/// A 12-point trend as an SVG polyline with the target as a dashed line; gaps where no data.
pub fn sparkline(trend: &[Option<f64>], target: Option<f64>, label: &str) -> String {
    let (w, h, pad) = (132.0_f64, 30.0_f64, 3.0_f64);
    let vals: Vec<f64> = trend.iter().flatten().copied().chain(target).collect();
    if trend.iter().all(Option::is_none) {
        return String::new();
    }
    let (lo, hi) = vals
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    let span = if hi - lo < 1e-9 { 1.0 } else { hi - lo };
    let x = |i: usize| pad + i as f64 * (w - 2.0 * pad) / (trend.len().max(2) - 1) as f64;
    let y = |v: f64| h - pad - (v - lo) / span * (h - 2.0 * pad);
    let mut out = format!(
        "<svg class=\"spark\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{label}\">"
    );
    if let Some(t) = target {
        out.push_str(&format!(
            "<line class=\"target\" x1=\"{pad}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>",
            w - pad,
            y(t),
            y(t)
        ));
    }
    let mut seg: Vec<String> = Vec::new();
    let flush = |seg: &mut Vec<String>, out: &mut String| {
        if seg.len() > 1 {
            out.push_str(&format!("<polyline points=\"{}\"/>", seg.join(" ")));
        }
        seg.clear();
    };
    for (i, v) in trend.iter().enumerate() {
        match v {
            Some(v) => seg.push(format!("{:.1},{:.1}", x(i), y(*v))),
            None => flush(&mut seg, &mut out),
        }
    }
    flush(&mut seg, &mut out);
    if let Some((i, Some(v))) = trend.iter().enumerate().next_back() {
        out.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.6\"/>",
            x(i),
            y(*v)
        ));
    }
    out.push_str("</svg>");
    out
}

fn row(i: &ConformanceItemView) -> ItemRow {
    let unit = i.unit.as_deref();
    let cmp = match i.direction.as_deref() {
        Some("lower") => "≤ ",
        _ => "≥ ",
    };
    let trend_label = format!(
        "{} 近12个月走势 · 12-month trend",
        i.indicator_zh.clone().unwrap_or_default()
    );
    ItemRow {
        code: i.code.clone(),
        name_zh: i.name_zh.clone(),
        name_en: i.name_en.clone(),
        indicator_zh: i.indicator_zh.clone().unwrap_or_default(),
        indicator: i.indicator.clone().unwrap_or_default(),
        value: i.value.map_or("—".into(), |v| value_text(unit, v)),
        target: i
            .target
            .map_or(String::new(), |t| format!("{cmp}{}", value_text(unit, t))),
        status: i.status.clone(),
        status_zh: i.status_zh.clone(),
        status_en: match i.status.as_str() {
            "met" => "Met",
            "not_met" => "Not met",
            _ => "No data",
        },
        note_zh: i.note_zh.clone(),
        note_en: i.note_en.clone(),
        evidence: i.evidence.clone().unwrap_or_default(),
        spark: sparkline(&i.trend, i.target, &trend_label),
        // Counts read as counts (19 / 20); sums of milliseconds or tenths of points do not.
        figures: if i.denominator > 0 && matches!(unit, Some("percent" | "per10k")) {
            format!("{} / {}", i.numerator, i.denominator)
        } else {
            String::new()
        },
    }
}

/// The view's items under their part of the standard, in the standard's order.
pub fn group_rows(view: &ConformanceView) -> Vec<(ItemGroup, Vec<ItemRow>)> {
    ItemGroup::ALL
        .into_iter()
        .map(|g| {
            let rows = view
                .items
                .iter()
                .filter(|i| ITEMS.iter().any(|d| d.code == i.code && d.group == g))
                .map(row)
                .collect();
            (g, rows)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_in_their_unit_and_the_spark_skips_gaps() {
        assert_eq!(value_text(Some("percent"), 95.24), "95.2%");
        assert_eq!(value_text(Some("minutes"), 12.46), "12.5 分钟 min");
        let svg = sparkline(
            &[Some(1.0), Some(2.0), None, Some(3.0), Some(4.0)],
            Some(2.5),
            "t",
        );
        assert_eq!(svg.matches("<polyline").count(), 2, "{svg}");
        assert!(svg.contains("class=\"target\""));
        assert!(sparkline(&[None, None], Some(1.0), "t").is_empty());
    }
}
