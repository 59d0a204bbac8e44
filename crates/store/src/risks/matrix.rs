//! A hall's matrix change, audited in `settings_audit` band by band (`risk_matrix.size`,
//! `risk_matrix.band1` …, each written `低 Low 1–4 #d7ecd9 365d`), so the settings history
//! says who moved a threshold or a colour and when.

use servicehall_domain::risks::Matrix;
use servicehall_domain::risks::bands::ranges;

/// Each band as one line of the audit.
fn lines(m: &Matrix) -> Vec<String> {
    ranges(m)
        .into_iter()
        .map(|(b, to)| {
            format!(
                "{} {} {}–{} {} {}d",
                b.name_zh, b.name_en, b.min_score, to, b.colour, b.review_days
            )
        })
        .collect()
}

/// (setting, old, new) for everything that differs.
pub(super) fn changes(old: &Matrix, new: &Matrix) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    if old.size != new.size {
        out.push((
            "risk_matrix.size".into(),
            format!("{0}×{0}", old.size),
            format!("{0}×{0}", new.size),
        ));
    }
    let (a, b) = (lines(old), lines(new));
    for i in 0..a.len().max(b.len()) {
        let (o, n) = (
            a.get(i).cloned().unwrap_or_default(),
            b.get(i).cloned().unwrap_or_default(),
        );
        if o != n {
            out.push((format!("risk_matrix.band{}", i + 1), o, n));
        }
    }
    out
}
