//! 客户情感曲线: satisfaction along the touchpoints of a visit, the lowest moments marked with
//! their top reasons; and the Pareto of bad-rating reasons.

use super::indices::{Figure, IndexConfig, LevelCounts, satisfaction_rate};
use crate::insight::touchpoint::TOUCHPOINTS;
use serde::Serialize;

/// Where a pad rating's bad reason points on the visit. The evaluator rates the whole visit at
/// the counter; its reasons name the moment that went wrong.
pub fn reason_touchpoint(reason: &str) -> &'static str {
    match reason {
        "long_wait" | "environment" => "waiting",
        _ => "counter",
    }
}

/// What is known about one touchpoint in a period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TouchpointInput {
    pub levels: LevelCounts,
    /// Reason → how often it was given for a bad moment here.
    pub reasons: Vec<(String, i64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurvePoint {
    pub touchpoint: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub satisfaction: Figure,
    /// Mean on 0–100 ((level − 1) × 25), the curve's height; `None` without answers.
    pub mean: Option<f64>,
    pub lowest: bool,
    /// The three most frequent reasons, most frequent first.
    pub top_reasons: Vec<(String, i64)>,
}

/// The curve in touchpoint order; the `lows` points with enough responses and the lowest
/// mean score are marked lowest (ties: the earlier moment first).
pub fn emotion_curve(
    input: &[(String, TouchpointInput)],
    cfg: &IndexConfig,
    lows: usize,
) -> Vec<CurvePoint> {
    let mut points: Vec<CurvePoint> = TOUCHPOINTS
        .iter()
        .map(|tp| {
            let mut levels = LevelCounts::default();
            let mut reasons: Vec<(String, i64)> = Vec::new();
            for (_, inp) in input.iter().filter(|(id, _)| id == tp.id) {
                levels.merge(&inp.levels);
                for (r, k) in &inp.reasons {
                    match reasons.iter_mut().find(|(x, _)| x == r) {
                        Some(e) => e.1 += k,
                        None => reasons.push((r.clone(), *k)),
                    }
                }
            }
            reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            reasons.truncate(3);
            let n = levels.n();
            let mean = (n > 0).then(|| {
                let s: i64 = (0..5).map(|i| levels.0[i] * i as i64 * 25).sum();
                ((s as f64 / n as f64) * 10.0).round() / 10.0
            });
            CurvePoint {
                touchpoint: tp.id,
                zh: tp.zh,
                en: tp.en,
                satisfaction: satisfaction_rate(&levels, cfg),
                mean,
                lowest: false,
                top_reasons: reasons,
            }
        })
        .collect();
    // Ranked by the mean score, which still tells moments apart when nearly everyone is
    // at least 基本满意; only points with enough responses qualify.
    let mut ranked: Vec<usize> = (0..points.len())
        .filter(|i| !points[*i].satisfaction.too_few && points[*i].mean.is_some())
        .collect();
    ranked.sort_by(|a, b| {
        let (va, vb) = (points[*a].mean, points[*b].mean);
        va.partial_cmp(&vb)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(b))
    });
    for i in ranked.into_iter().take(lows) {
        points[i].lowest = true;
    }
    points
}

/// One bar of a Pareto chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParetoBar {
    pub reason: String,
    pub count: i64,
    /// Cumulative share up to and including this bar, percent with one decimal.
    pub cumulative_pct: f64,
}

/// Reasons by count, most frequent first (ties by name), with the running share.
pub fn pareto(counts: &[(String, i64)]) -> Vec<ParetoBar> {
    let mut merged: Vec<(String, i64)> = Vec::new();
    for (r, k) in counts {
        match merged.iter_mut().find(|(x, _)| x == r) {
            Some(e) => e.1 += k,
            None => merged.push((r.clone(), *k)),
        }
    }
    merged.retain(|(_, k)| *k > 0);
    merged.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let total: i64 = merged.iter().map(|(_, k)| k).sum();
    let mut run = 0;
    merged
        .into_iter()
        .map(|(reason, count)| {
            run += count;
            ParetoBar {
                reason,
                count,
                cumulative_pct: ((run as f64 * 1000.0 / total as f64).round()) / 10.0,
            }
        })
        .collect()
}

/// The counts the curve is drawn from, by touchpoint id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CurveSources {
    /// Evaluator-pad ratings: they rate the visit at the counter.
    pub pad: LevelCounts,
    /// Reasons given with bad pad and phone ratings (placed by [`reason_touchpoint`]).
    pub bad_reasons: Vec<(String, i64)>,
    /// Reasons already tied to a touchpoint (outside evaluations that name one).
    pub reasons_at: Vec<(String, String, i64)>,
    /// 5-level answers tagged with a touchpoint: survey items, the phone's per-touchpoint
    /// stars, outside evaluations that name a touchpoint.
    pub by_touchpoint: Vec<(String, LevelCounts)>,
    /// Bad survey answers (levels 1–2) by (touchpoint, dimension id or "").
    pub survey_bad: Vec<(String, String, i64)>,
    /// Observation items 不符合 or 部分符合 by (touchpoint, behaviour code).
    pub observed_misses: Vec<(String, String, i64)>,
}

/// Puts the sources on the touchpoints: pad ratings at 柜台受理, bad reasons where
/// [`reason_touchpoint`] points (or where the row says), tagged answers where they are tagged,
/// observed misses as
/// `behaviour:<code>` reasons and bad survey answers as `dimension:<id>` (or `survey`).
pub fn curve_input(s: &CurveSources) -> Vec<(String, TouchpointInput)> {
    let mut out: Vec<(String, TouchpointInput)> = Vec::new();
    fn at<'a>(out: &'a mut Vec<(String, TouchpointInput)>, tp: &str) -> &'a mut TouchpointInput {
        let i = match out.iter().position(|(id, _)| id == tp) {
            Some(i) => i,
            None => {
                out.push((tp.to_string(), TouchpointInput::default()));
                out.len() - 1
            }
        };
        &mut out[i].1
    }
    at(&mut out, "counter").levels.merge(&s.pad);
    for (r, k) in &s.bad_reasons {
        at(&mut out, reason_touchpoint(r))
            .reasons
            .push((r.clone(), *k));
    }
    for (tp, r, k) in &s.reasons_at {
        at(&mut out, tp).reasons.push((r.clone(), *k));
    }
    for (tp, levels) in &s.by_touchpoint {
        at(&mut out, tp).levels.merge(levels);
    }
    for (tp, dim, k) in &s.survey_bad {
        let key = if dim.is_empty() {
            "survey".to_string()
        } else {
            format!("dimension:{dim}")
        };
        at(&mut out, tp).reasons.push((key, *k));
    }
    for (tp, code, k) in &s.observed_misses {
        at(&mut out, tp)
            .reasons
            .push((format!("behaviour:{code}"), *k));
    }
    out
}

/// A reason key in words: pad reasons, `dimension:<id>`, `behaviour:<code>`.
pub fn reason_label(key: &str) -> String {
    if let Some((_, zh, en)) = crate::queue::rating::BAD_REASONS
        .iter()
        .find(|(c, _, _)| *c == key)
    {
        return format!("{zh} {en}");
    }
    if let Some(d) = key
        .strip_prefix("dimension:")
        .and_then(super::indices::Dimension::parse)
    {
        return format!("问卷·{} survey: {}", d.zh(), d.id());
    }
    if let Some(c) = key
        .strip_prefix("behaviour:")
        .and_then(crate::standards::behaviour::behaviour_code)
    {
        return format!("内查·{}未达标 observed: {}", c.zh, c.en);
    }
    if key == "survey" {
        return "问卷差评 survey".into();
    }
    key.to_string()
}
