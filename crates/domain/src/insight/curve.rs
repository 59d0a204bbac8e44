//! 客户情感曲线: satisfaction along the touchpoints of a visit, the lowest moments marked with
//! their top reasons; and the Pareto of bad-rating reasons.

use super::indices::{Figure, IndexConfig, LevelCounts, satisfaction_rate};
use crate::touchpoint::TOUCHPOINTS;
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
/// satisfaction are marked lowest (ties: the earlier moment first).
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
    let mut ranked: Vec<usize> = (0..points.len())
        .filter(|i| points[*i].satisfaction.value.is_some())
        .collect();
    ranked.sort_by(|a, b| {
        let (va, vb) = (points[*a].satisfaction.value, points[*b].satisfaction.value);
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
