//! 考核 · 红黑榜: scorecards for a clerk, a counter, a hall, a city and a province. A scheme
//! weighs indicators of the library (weights sum to 100), each with a target and scoring
//! bands; recorded violations (an observation's 不符合 item) deduct points; every score
//! explains itself line by line down to the records it rests on. Rankings are in
//! [`ranking`]. Pure: the figures and violations come in, the scorecard goes out.
//!
//! No data: a line with nothing counted earns nothing and its weight is shared out among
//! the lines that have data, in proportion to their weights (a hall without complaints
//! cases this month is neither rewarded nor punished for it). With no data on any line
//! there is no score.

pub mod evidence;
pub mod ranking;
mod scheme;
#[cfg(test)]
mod tests;

pub use scheme::{Band, LEVELS, Level, Scheme, SchemeError, SchemeLine, default_scheme};

/// The levels a supervisor sets schemes for, in order.
pub fn scheme_levels() -> [Level; 5] {
    LEVELS
}

use crate::assessment::{Direction, Figure, Unit, indicator};
use crate::standards::behaviour::behaviour_code;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One recorded violation: a 不符合 item of an observation (e.g. a 十个不准 breach seen by a
/// supervisor or a mystery shopper).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub observation_id: i64,
    /// The behaviour code observed as 不符合.
    pub code: String,
    /// Unix ms of the observation.
    pub at: i64,
    /// What the observer wrote.
    pub note: String,
}

/// Which band a line's value reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BandHit {
    /// The target is met: the full weight.
    Target,
    /// A partial band (1 = the first below the target) earning `pct` % of the weight.
    Step { n: u32, pct: u32 },
    /// Below the lowest band: nothing.
    Below,
    /// Nothing counted in the period.
    NoData,
}

/// One line of a scorecard: an indicator with everything its points come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreLine {
    pub indicator: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit: String,
    /// The weight set in the scheme.
    pub weight: u32,
    /// The weight after lines without data shared theirs out.
    pub effective_weight: f64,
    pub target: f64,
    /// The value counted; `None` when nothing was counted.
    pub value: Option<f64>,
    /// The sums the value divides (the records it rests on).
    pub num: i64,
    pub den: i64,
    /// What the value rests on in words (a share's count over its count, a mean's number
    /// of records): "211/225", "3 次观察 · 3 observed". Cards frozen before it was kept
    /// read as empty.
    #[serde(default)]
    pub basis: String,
    pub band: BandHit,
    /// Points earned, to one decimal.
    pub points: f64,
    /// The line in words: value, target, band, points.
    pub explain_zh: String,
    pub explain_en: String,
}

/// One deduction: a violation and the points it cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deduction {
    pub observation_id: i64,
    pub code: String,
    pub label_zh: String,
    pub label_en: String,
    pub at: i64,
    pub note: String,
    /// Points taken; 0 once the cap is reached.
    pub points: f64,
}

/// A scored period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub lines: Vec<ScoreLine>,
    pub deductions: Vec<Deduction>,
    /// Points of the lines, before deductions.
    pub earned: f64,
    /// Points deducted (capped).
    pub deducted: f64,
    /// `earned - deducted`, never below 0; `None` when no line has data.
    pub total: Option<f64>,
    pub note_zh: String,
    pub note_en: String,
}

/// One decimal, as every score is shown.
pub fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Tenths of a point, as scores are kept.
pub fn tenths(v: f64) -> i64 {
    (v * 10.0).round() as i64
}

/// Formats a value in its unit for an explanation.
/// What a value of `unit` rests on, in words: a share is a count over a count; a mean's
/// numerator is a sum of milliseconds or tenths of points that says nothing to a reader, so
/// it gives the number of records; a count gives the days it was counted on.
pub fn basis(unit: Unit, num: i64, den: i64) -> (String, String) {
    match unit {
        Unit::Percent | Unit::Per10k => (format!("{num}/{den}"), format!("{num}/{den}")),
        Unit::Minutes => (format!("{den} 笔"), format!("{den} visits")),
        Unit::Score => (format!("{den} 次观察"), format!("{den} observed")),
        Unit::Count | Unit::Checks => (format!("{den} 天"), format!("{den} days")),
    }
}

fn shown(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Count | Unit::Checks => format!("{v:.0}"),
        Unit::Percent => format!("{v:.2}%"),
        _ => format!("{v:.2}"),
    }
}

/// Whether `v` reaches `at` in the direction, compared at the precision shown (two decimals).
pub fn reaches(v: f64, at: f64, direction: Direction) -> bool {
    let (v, t) = ((v * 100.0).round(), (at * 100.0).round());
    match direction {
        Direction::Higher => v >= t,
        Direction::Lower => v <= t,
    }
}

/// Where a value falls among the line's target and bands.
pub fn band_of(line: &SchemeLine, direction: Direction, value: Option<f64>) -> BandHit {
    let Some(v) = value.filter(|v| v.is_finite()) else {
        return BandHit::NoData;
    };
    if reaches(v, line.target, direction) {
        return BandHit::Target;
    }
    for (i, b) in line.bands.iter().enumerate() {
        if reaches(v, b.at, direction) {
            return BandHit::Step {
                n: i as u32 + 1,
                pct: b.pct,
            };
        }
    }
    BandHit::Below
}

/// Scores a period: `figures` by indicator code, `violations` found in the period. Lines of
/// weight 0 are not scored. The scheme is assumed checked ([`Scheme::check`]).
pub fn score(
    scheme: &Scheme,
    figures: &BTreeMap<String, Figure>,
    violations: &[Violation],
) -> Scorecard {
    let mut lines = Vec::new();
    for l in scheme.lines.iter().filter(|l| l.weight > 0) {
        let Some(ind) = indicator(&l.indicator) else {
            continue;
        };
        let fig = figures.get(&l.indicator).copied().unwrap_or_default();
        let value = ind.unit.value(fig.num, fig.den);
        let band = band_of(l, ind.direction, value);
        lines.push((l, ind, fig, value, band));
    }
    let with_data: u32 = lines
        .iter()
        .filter(|x| x.4 != BandHit::NoData)
        .map(|x| x.0.weight)
        .sum();
    let total_weight: u32 = lines.iter().map(|x| x.0.weight).sum();
    let mut out = Vec::new();
    let mut earned = 0.0;
    for (l, ind, fig, value, band) in lines {
        let effective = if band == BandHit::NoData || with_data == 0 {
            0.0
        } else {
            f64::from(l.weight) * f64::from(total_weight) / f64::from(with_data)
        };
        let pct = match band {
            BandHit::Target => 100,
            BandHit::Step { pct, .. } => pct,
            BandHit::Below | BandHit::NoData => 0,
        };
        let points = round1(effective * f64::from(pct) / 100.0);
        earned += points;
        let cmp = match ind.direction {
            Direction::Higher => "≥",
            Direction::Lower => "≤",
        };
        let target = shown(ind.unit, l.target);
        let (explain_zh, explain_en) = match (band, value) {
            (BandHit::NoData, _) | (_, None) => (
                format!(
                    "本期没有可计的记录，不得分；其权重 {} 分按比例分给其余有数据的指标",
                    l.weight
                ),
                format!(
                    "nothing was counted this period: no points; its weight of {} is shared among the lines with data",
                    l.weight
                ),
            ),
            (BandHit::Target, Some(v)) => (
                format!(
                    "{} = {}（{}），达到目标 {cmp}{target}，得满分 {:.1}",
                    ind.name_zh,
                    shown(ind.unit, v),
                    basis(ind.unit, fig.num, fig.den).0,
                    points
                ),
                format!(
                    "{} = {} ({}) meets the target {cmp}{target}: full {:.1} points",
                    ind.name_en,
                    shown(ind.unit, v),
                    basis(ind.unit, fig.num, fig.den).1,
                    points
                ),
            ),
            (BandHit::Step { n, pct }, Some(v)) => {
                let at = shown(ind.unit, l.bands[n as usize - 1].at);
                (
                    format!(
                        "{} = {}（{}），未达目标 {cmp}{target}，落在第 {n} 档 {cmp}{at}，得权重的 {pct}%：{:.1} 分",
                        ind.name_zh,
                        shown(ind.unit, v),
                        basis(ind.unit, fig.num, fig.den).0,
                        points
                    ),
                    format!(
                        "{} = {} ({}) misses the target {cmp}{target}; band {n} ({cmp}{at}) earns {pct}% of the weight: {:.1} points",
                        ind.name_en,
                        shown(ind.unit, v),
                        basis(ind.unit, fig.num, fig.den).1,
                        points
                    ),
                )
            }
            (BandHit::Below, Some(v)) => (
                format!(
                    "{} = {}（{}），低于最低档，得 0 分（目标 {cmp}{target}）",
                    ind.name_zh,
                    shown(ind.unit, v),
                    basis(ind.unit, fig.num, fig.den).0
                ),
                format!(
                    "{} = {} ({}) is below the lowest band: 0 points (target {cmp}{target})",
                    ind.name_en,
                    shown(ind.unit, v),
                    basis(ind.unit, fig.num, fig.den).1
                ),
            ),
        };
        out.push(ScoreLine {
            indicator: l.indicator.clone(),
            name_zh: ind.name_zh.into(),
            name_en: ind.name_en.into(),
            unit: ind.unit.label_zh().into(),
            weight: l.weight,
            effective_weight: round1(effective),
            target: l.target,
            value,
            num: fig.num,
            den: fig.den,
            basis: {
                let (zh, en) = basis(ind.unit, fig.num, fig.den);
                if zh == en {
                    zh
                } else {
                    format!("{zh} · {en}")
                }
            },
            band,
            points,
            explain_zh,
            explain_en,
        });
    }
    let mut deductions = Vec::new();
    let mut deducted = 0.0;
    for v in violations {
        let room = (scheme.deduction_cap - deducted).max(0.0);
        let points = round1(scheme.deduction_per_violation.min(room));
        deducted = round1(deducted + points);
        let code = behaviour_code(&v.code);
        deductions.push(Deduction {
            observation_id: v.observation_id,
            code: v.code.clone(),
            label_zh: code.map_or(v.code.clone(), |c| c.zh.to_string()),
            label_en: code.map_or(v.code.clone(), |c| c.en.to_string()),
            at: v.at,
            note: v.note.clone(),
            points,
        });
    }
    let earned = round1(earned);
    let (total, note_zh, note_en) = if with_data == 0 {
        (
            None,
            "本期各项指标都没有可计的记录，暂无得分".to_string(),
            "nothing was counted on any line this period: no score yet".to_string(),
        )
    } else {
        let t = round1((earned - deducted).max(0.0));
        (
            Some(t),
            format!("各项得分合计 {earned:.1}，扣分 {deducted:.1}，总分 {t:.1}"),
            format!("lines earn {earned:.1}, deductions {deducted:.1}, total {t:.1}"),
        )
    };
    Scorecard {
        lines: out,
        deductions,
        earned,
        deducted,
        total,
        note_zh,
        note_en,
    }
}

/// Sums the figures of several scopes (halls of a region, a city's halls) indicator by
/// indicator: a region's rate is its summed numerator over its summed denominator, never
/// the mean of its halls' rates.
pub fn roll_up<'a>(
    parts: impl IntoIterator<Item = &'a BTreeMap<String, Figure>>,
) -> BTreeMap<String, Figure> {
    let mut out: BTreeMap<String, Figure> = BTreeMap::new();
    for part in parts {
        for (code, f) in part {
            out.entry(code.clone()).or_default().add(f.num, f.den);
        }
    }
    out
}

/// A frozen total with its recorded adjustments, kept within 0–100.
pub fn adjusted(total: f64, adjustments: &[f64]) -> f64 {
    round1((total + adjustments.iter().sum::<f64>()).clamp(0.0, 100.0))
}
