//! A scorecard scheme: the level it scores, its indicators with weights, targets and bands,
//! and the deduction per recorded violation. A supervisor sets one per region and level; it
//! takes effect from the next month (the store keeps every version).

use crate::assessment::{Direction, indicator};
use serde::{Deserialize, Serialize};

/// What a scorecard scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Clerk,
    Counter,
    Hall,
    City,
    Province,
}

pub const LEVELS: [Level; 5] = [
    Level::Clerk,
    Level::Counter,
    Level::Hall,
    Level::City,
    Level::Province,
];

/// Indicators that can be counted for one clerk or one counter (the others are the hall's:
/// waiting, cases, complaints, site checks).
pub const PERSONAL: [&str; 6] = [
    "served",
    "handling_mean",
    "no_show_rate",
    "satisfaction",
    "bad_rating_rate",
    "observation_score",
];

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clerk => "clerk",
            Self::Counter => "counter",
            Self::Hall => "hall",
            Self::City => "city",
            Self::Province => "province",
        }
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        LEVELS.into_iter().find(|l| l.as_str() == s.trim()).ok_or_else(|| {
            format!(
                "考核层级应为 clerk（员工）、counter（窗口）、hall（营业厅）、city（地市）或 province（省）· level must be clerk, counter, hall, city or province (got {s:?})"
            )
        })
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Clerk => "员工",
            Self::Counter => "窗口",
            Self::Hall => "营业厅",
            Self::City => "地市",
            Self::Province => "省",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Clerk => "Clerk",
            Self::Counter => "Counter",
            Self::Hall => "Hall",
            Self::City => "City",
            Self::Province => "Province",
        }
    }
    /// Whether an indicator can be counted at this level.
    pub fn measures(self, code: &str) -> bool {
        match self {
            Self::Clerk | Self::Counter => PERSONAL.contains(&code),
            _ => true,
        }
    }
}

/// A partial band below the target: reaching `at` (in the indicator's direction) earns
/// `pct` % of the line's weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub at: f64,
    pub pct: u32,
}

/// One indicator of a scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchemeLine {
    pub indicator: String,
    /// Points of 100.
    pub weight: u32,
    /// Reaching it earns the full weight.
    pub target: f64,
    /// Partial bands, each further from the target than the one before, earning less.
    #[serde(default)]
    pub bands: Vec<Band>,
}

/// A scheme as a supervisor sets it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scheme {
    pub lines: Vec<SchemeLine>,
    /// Points taken per recorded violation.
    pub deduction_per_violation: f64,
    /// The most the violations of one period may take.
    pub deduction_cap: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SchemeError(pub String);

impl Scheme {
    /// The weights' sum.
    pub fn weight_sum(&self) -> u32 {
        self.lines.iter().map(|l| l.weight).sum()
    }

    /// Checks the scheme for a level: known indicators counted at that level, each once,
    /// weights summing to 100, bands stepping away from the target with falling credit, and
    /// deductions within 0–100. Messages name what to fix, Chinese first.
    pub fn check(&self, level: Level) -> Result<(), SchemeError> {
        let bad = |m: String| Err(SchemeError(m));
        for (i, l) in self.lines.iter().enumerate() {
            let Some(ind) = indicator(&l.indicator) else {
                return bad(format!(
                    "指标库中没有指标 {0:?}，请从指标库中选择 · no indicator {0:?} in the library; pick one from /indicators",
                    l.indicator
                ));
            };
            if self.lines[..i].iter().any(|o| o.indicator == l.indicator) {
                return bad(format!(
                    "“{}”出现了两次 · {} is listed twice",
                    ind.name_zh, ind.name_en
                ));
            }
            if l.weight > 0 && !level.measures(&l.indicator) {
                return bad(format!(
                    "“{}”无法按{}计算，请将其权重设为 0 · {} cannot be counted per {}; set its weight to 0",
                    ind.name_zh,
                    level.label_zh(),
                    ind.name_en,
                    level.label_en().to_lowercase()
                ));
            }
            if !l.target.is_finite() || l.target < 0.0 {
                return bad(format!(
                    "“{}”的目标值须为不小于 0 的数 · the target of {} must be a number ≥ 0",
                    ind.name_zh, ind.name_en
                ));
            }
            let mut prev_at = l.target;
            let mut prev_pct = 100;
            for (n, b) in l.bands.iter().enumerate() {
                let further = match ind.direction {
                    Direction::Higher => b.at < prev_at,
                    Direction::Lower => b.at > prev_at,
                };
                if !b.at.is_finite() || b.at < 0.0 || !further {
                    return bad(format!(
                        "“{}”第 {} 档的门槛须比上一档（或目标）更{}· band {} of {} must be {} than the one before it (or the target)",
                        ind.name_zh,
                        n + 1,
                        match ind.direction {
                            Direction::Higher => "低",
                            Direction::Lower => "高",
                        },
                        n + 1,
                        ind.name_en,
                        match ind.direction {
                            Direction::Higher => "lower",
                            Direction::Lower => "higher",
                        }
                    ));
                }
                if b.pct >= prev_pct {
                    return bad(format!(
                        "“{}”第 {} 档的得分比例须低于上一档（{}%）· band {} of {} must earn less than the one before it ({}%)",
                        ind.name_zh,
                        n + 1,
                        prev_pct,
                        n + 1,
                        ind.name_en,
                        prev_pct
                    ));
                }
                prev_at = b.at;
                prev_pct = b.pct;
            }
        }
        let sum = self.weight_sum();
        if sum != 100 {
            return bad(format!(
                "各项权重合计须为 100，现为 {sum} · the weights must sum to 100; they sum to {sum}"
            ));
        }
        for (v, zh, en) in [
            (
                self.deduction_per_violation,
                "每项违规扣分",
                "the deduction per violation",
            ),
            (self.deduction_cap, "扣分上限", "the deduction cap"),
        ] {
            if !v.is_finite() || !(0.0..=100.0).contains(&v) {
                return bad(format!(
                    "{zh}须在 0 到 100 之间 · {en} must be between 0 and 100"
                ));
            }
        }
        Ok(())
    }
}

fn line(code: &str, weight: u32, target: f64, bands: &[(f64, u32)]) -> SchemeLine {
    SchemeLine {
        indicator: code.into(),
        weight,
        target,
        bands: bands.iter().map(|&(at, pct)| Band { at, pct }).collect(),
    }
}

/// The scheme a region starts from before a supervisor sets its own. Every indicator of the
/// library is listed (new ones at weight 0), so the editor shows them all.
pub fn default_scheme(level: Level) -> Scheme {
    let weighted: Vec<SchemeLine> = match level {
        Level::Clerk | Level::Counter => vec![
            line("satisfaction", 35, 98.0, &[(95.0, 80), (90.0, 50)]),
            line("bad_rating_rate", 20, 1.0, &[(2.0, 60), (5.0, 20)]),
            line("observation_score", 30, 90.0, &[(80.0, 70), (70.0, 40)]),
            line("no_show_rate", 15, 5.0, &[(8.0, 60), (12.0, 30)]),
        ],
        _ => vec![
            line("satisfaction", 20, 98.0, &[(95.0, 80), (90.0, 50)]),
            line("wait_within", 15, 90.0, &[(80.0, 70), (70.0, 40)]),
            line("on_time_rate", 15, 98.0, &[(95.0, 70), (90.0, 40)]),
            line("complaints_per_10k", 10, 2.0, &[(5.0, 60), (10.0, 20)]),
            line("observation_score", 15, 90.0, &[(80.0, 70), (70.0, 40)]),
            line("inspection_score", 10, 90.0, &[(80.0, 70), (70.0, 40)]),
            line("bad_rating_rate", 10, 1.0, &[(2.0, 60), (5.0, 20)]),
            line("no_show_rate", 5, 5.0, &[(8.0, 60), (12.0, 30)]),
        ],
    };
    let mut lines: Vec<SchemeLine> = weighted
        .into_iter()
        .filter(|l| indicator(&l.indicator).is_some())
        .collect();
    for ind in crate::assessment::INDICATORS {
        if !lines.iter().any(|l| l.indicator == ind.code) {
            lines.push(line(ind.code, 0, 0.0, &[]));
        }
    }
    Scheme {
        lines,
        deduction_per_violation: 2.0,
        deduction_cap: 10.0,
    }
}
