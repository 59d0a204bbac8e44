//! What the risk screens draw on the server: the heat map's grid and the small line charts
//! (a KRI's 30 days against its thresholds, a risk's residual score over its changes), as
//! inline SVG so they print and need no script.

use servicehall_domain::risks::Matrix;
use servicehall_store::Risk;

/// One cell of a heat map: its colour, score, band and the risks in it.
pub struct Cell {
    pub likelihood: u8,
    pub impact: u8,
    pub score: u32,
    pub colour: String,
    pub band_zh: String,
    pub band_en: String,
    /// (id, code, title)
    pub risks: Vec<(i64, String, String)>,
}

/// The heat map of `risks` on `m`, most likely row first; `residual` picks which rating.
pub fn heat_map(m: &Matrix, risks: &[Risk], residual: bool) -> Vec<Vec<Cell>> {
    m.grid()
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|(r, band)| Cell {
                    likelihood: r.likelihood,
                    impact: r.impact,
                    score: u32::from(r.likelihood) * u32::from(r.impact),
                    colour: band.colour.clone(),
                    band_zh: band.name_zh.clone(),
                    band_en: band.name_en.clone(),
                    risks: risks
                        .iter()
                        .filter(|x| (if residual { x.residual } else { x.inherent }) == r)
                        .map(|x| (x.id, x.code.clone(), x.title.clone()))
                        .collect(),
                })
                .collect()
        })
        .collect()
}

const W: f64 = 240.0;
const H: f64 = 60.0;

/// A small line chart of `values` (oldest first) with optional threshold lines
/// (value, css class). Returns the SVG's inner elements, scaled to `W`×`H`.
pub fn line(values: &[i64], lines: &[(i64, &str)]) -> String {
    if values.is_empty() {
        return String::new();
    }
    let top = values
        .iter()
        .copied()
        .chain(lines.iter().map(|l| l.0))
        .max()
        .unwrap_or(1)
        .max(1) as f64
        * 1.15;
    let x = |i: usize| {
        if values.len() == 1 {
            W / 2.0
        } else {
            4.0 + (W - 8.0) * i as f64 / (values.len() - 1) as f64
        }
    };
    let y = |v: i64| H - 4.0 - (H - 8.0) * v as f64 / top;
    let mut svg = String::new();
    for (v, class) in lines {
        svg.push_str(&format!(
            r#"<line class="{class}" x1="0" x2="{W}" y1="{y:.1}" y2="{y:.1}"/>"#,
            y = y(*v)
        ));
    }
    let pts: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
        .collect();
    svg.push_str(&format!(
        r#"<polyline class="value" points="{}"/>"#,
        pts.join(" ")
    ));
    let last = values.len() - 1;
    svg.push_str(&format!(
        r#"<circle class="value" cx="{:.1}" cy="{:.1}" r="3"/>"#,
        x(last),
        y(values[last])
    ));
    svg
}
