//! 满意度指标: the satisfaction figures, each with the number of responses it rests on and a
//! 95% confidence interval, and "样本不足" instead of a number below the configured minimum.
//!
//! Definitions (documented for users in `docs/satisfaction.md`):
//! - satisfaction rate = responses at a *good* level (≥ `good_from`, default 3 基本满意) ÷ all;
//! - bad-rating rate = responses at 不满意 or 非常不满意 (levels 1–2) ÷ all;
//! - CSAT = top-2-box: levels 4 (满意) and 5 (非常满意) ÷ all;
//!
//! each with a Wilson score interval;
//! - NPS = % promoters (9–10) − % detractors (0–6) on 0–10 answers, interval by the normal
//!   approximation of the mean of a +1/0/−1 variable;
//! - CSI = Σ wᵢ·meanᵢ over the five dimensions, each dimension's mean of 5-level answers put on
//!   0–100 ((level − 1) × 25), weights normalised to sum 1; interval by the normal approximation
//!   with variance Σ wᵢ²·sᵢ²/nᵢ (dimensions independent).

use serde::{Deserialize, Serialize};

/// How many responses sit at each level 1..=5 (index 0 = level 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCounts(pub [i64; 5]);

impl LevelCounts {
    pub fn n(&self) -> i64 {
        self.0.iter().sum()
    }
    /// Adds `count` responses at `level` (1..=5); other levels are ignored.
    pub fn add(&mut self, level: i64, count: i64) {
        if (1..=5).contains(&level) {
            self.0[level as usize - 1] += count;
        }
    }
    pub fn merge(&mut self, other: &LevelCounts) {
        for i in 0..5 {
            self.0[i] += other.0[i];
        }
    }
    /// Responses at `from..=to`.
    pub fn between(&self, from: u8, to: u8) -> i64 {
        (from.max(1)..=to.min(5))
            .map(|l| self.0[l as usize - 1])
            .sum()
    }
    /// Mean on the 0–100 scale ((level − 1) × 25) and the sample variance of that score.
    fn mean_var_100(&self) -> Option<(f64, f64)> {
        let n = self.n();
        if n == 0 {
            return None;
        }
        let score = |i: usize| i as f64 * 25.0;
        let mean = (0..5).map(|i| self.0[i] as f64 * score(i)).sum::<f64>() / n as f64;
        let var = if n > 1 {
            (0..5)
                .map(|i| self.0[i] as f64 * (score(i) - mean).powi(2))
                .sum::<f64>()
                / (n - 1) as f64
        } else {
            0.0
        };
        Some((mean, var))
    }
}

/// Answers to a 0–10 recommend item (index = score).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendCounts(pub [i64; 11]);

impl RecommendCounts {
    pub fn n(&self) -> i64 {
        self.0.iter().sum()
    }
    pub fn add(&mut self, score: i64, count: i64) {
        if (0..=10).contains(&score) {
            self.0[score as usize] += count;
        }
    }
}

/// The administrator's choices behind the figures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IndexConfig {
    /// The lowest level counted as satisfied (3 = 基本满意 and better; 4 = 满意 and better).
    pub good_from: u8,
    /// Fewer responses than this and a figure says "样本不足 too few responses".
    pub min_n: i64,
    pub weights: CsiWeights,
}

impl Default for IndexConfig {
    fn default() -> Self {
        Self {
            good_from: 3,
            min_n: 30,
            weights: CsiWeights::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexConfigError {
    #[error(
        "好评起点须为 3（基本满意及以上）或 4（满意及以上） good_from must be 3 (基本满意 and better) or 4 (满意 and better), got {0}"
    )]
    GoodFrom(u8),
    #[error("最少样本数须为 1–10000 the minimum number of responses must be 1 to 10000, got {0}")]
    MinN(i64),
    #[error("“{zh}”的权重须为不小于 0 的数 weight of {0} must be a number ≥ 0", zh = Dimension::parse(.0).map_or("该维度", Dimension::zh))]
    NegativeWeight(&'static str),
    #[error("满意度指数各维度的权重不能全为 0 the CSI weights must not all be 0")]
    ZeroWeights,
}

impl IndexConfig {
    pub fn validate(&self) -> Result<(), IndexConfigError> {
        if !(3..=4).contains(&self.good_from) {
            return Err(IndexConfigError::GoodFrom(self.good_from));
        }
        if !(1..=10_000).contains(&self.min_n) {
            return Err(IndexConfigError::MinN(self.min_n));
        }
        self.weights.validate()
    }
}

/// The five CSI dimensions, by stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Environment,
    Attitude,
    Efficiency,
    Professionalism,
    Disclosure,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Self::Environment,
        Self::Attitude,
        Self::Efficiency,
        Self::Professionalism,
        Self::Disclosure,
    ];
    pub fn id(self) -> &'static str {
        match self {
            Self::Environment => "environment",
            Self::Attitude => "attitude",
            Self::Efficiency => "efficiency",
            Self::Professionalism => "professionalism",
            Self::Disclosure => "disclosure",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Self::Environment => "服务环境",
            Self::Attitude => "服务态度",
            Self::Efficiency => "办事效率",
            Self::Professionalism => "业务水平",
            Self::Disclosure => "信息公开",
        }
    }
    pub fn parse(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.id() == id)
    }
    fn index(self) -> usize {
        Self::ALL.iter().position(|d| *d == self).unwrap_or(0)
    }
}

/// CSI weights per dimension, in [`Dimension::ALL`] order; any scale (they are normalised).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CsiWeights(pub [f64; 5]);

impl Default for CsiWeights {
    /// Equal weights, until the administrator sets others.
    fn default() -> Self {
        Self([1.0; 5])
    }
}

impl CsiWeights {
    pub fn validate(&self) -> Result<(), IndexConfigError> {
        for d in Dimension::ALL {
            let w = self.0[d.index()];
            if !w.is_finite() || w < 0.0 {
                return Err(IndexConfigError::NegativeWeight(d.id()));
            }
        }
        if self.0.iter().sum::<f64>() <= 0.0 {
            return Err(IndexConfigError::ZeroWeights);
        }
        Ok(())
    }
    pub fn get(&self, d: Dimension) -> f64 {
        self.0[d.index()]
    }

    /// Weights as an administrator types them on the settings screen: whole percents, each
    /// 0–100, adding up to exactly 100 (so nobody has to know they are normalised).
    pub fn from_percents(p: [i64; 5]) -> Result<Self, String> {
        for d in Dimension::ALL {
            let w = p[d.index()];
            if !(0..=100).contains(&w) {
                return Err(format!(
                    "{} 的权重须为 0–100% (weight of {} must be 0–100%, got {w})",
                    d.zh(),
                    d.id()
                ));
            }
        }
        let sum: i64 = p.iter().sum();
        if sum != 100 {
            return Err(format!(
                "各维度权重之和须为 100%，现为 {sum}% (the weights must add up to 100%, now {sum}%)"
            ));
        }
        Ok(Self(p.map(|w| w as f64)))
    }

    /// The weights as whole percents of their sum, for the form (rounded; the heaviest
    /// takes the rounding remainder so they show as adding up to 100).
    pub fn percents(&self) -> [i64; 5] {
        let sum: f64 = self.0.iter().sum();
        if sum <= 0.0 {
            return [20; 5];
        }
        let mut out = self.0.map(|w| (w * 100.0 / sum).round() as i64);
        let heaviest = (0..5)
            .max_by(|&a, &b| self.0[a].total_cmp(&self.0[b]))
            .unwrap_or(0);
        out[heaviest] += 100 - out.iter().sum::<i64>();
        out
    }
}

/// One figure: its value (percent, or NPS points, or CSI 0–100) with a 95% interval, or
/// `None` with `too_few` when it rests on fewer responses than the minimum.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figure {
    pub n: i64,
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// True when `n` is below the minimum: show "样本不足 too few responses".
    pub too_few: bool,
}

impl Figure {
    fn too_few(n: i64) -> Self {
        Self {
            n,
            value: None,
            low: None,
            high: None,
            too_few: true,
        }
    }
    fn of(n: i64, value: f64, low: f64, high: f64) -> Self {
        Self {
            n,
            value: Some(round1(value)),
            low: Some(round1(low)),
            high: Some(round1(high)),
            too_few: false,
        }
    }
    /// "92.3% (88.1–95.2, n=412)" or "样本不足 too few responses (n=7)".
    pub fn label(&self, unit: &str) -> String {
        match (self.value, self.low, self.high) {
            (Some(v), Some(l), Some(h)) => format!("{v}{unit} ({l}–{h}, n={})", self.n),
            _ => format!("样本不足 too few responses (n={})", self.n),
        }
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_964;

/// Wilson score interval of `k` successes in `n`, as fractions.
pub fn wilson(k: i64, n: i64, z: f64) -> (f64, f64) {
    if n <= 0 {
        return (0.0, 1.0);
    }
    let n = n as f64;
    let p = k as f64 / n;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// A share `k / n` in percent with its Wilson interval, or too few.
pub fn proportion(k: i64, n: i64, min_n: i64) -> Figure {
    if n < min_n.max(1) {
        return Figure::too_few(n);
    }
    let (l, h) = wilson(k, n, Z95);
    Figure::of(n, k as f64 * 100.0 / n as f64, l * 100.0, h * 100.0)
}

pub fn satisfaction_rate(c: &LevelCounts, cfg: &IndexConfig) -> Figure {
    proportion(c.between(cfg.good_from, 5), c.n(), cfg.min_n)
}

pub fn bad_rate(c: &LevelCounts, cfg: &IndexConfig) -> Figure {
    proportion(c.between(1, 2), c.n(), cfg.min_n)
}

pub fn csat(c: &LevelCounts, cfg: &IndexConfig) -> Figure {
    proportion(c.between(4, 5), c.n(), cfg.min_n)
}

pub fn nps(c: &RecommendCounts, cfg: &IndexConfig) -> Figure {
    let n = c.n();
    if n < cfg.min_n.max(1) {
        return Figure::too_few(n);
    }
    let nf = n as f64;
    let promoters = (c.0[9] + c.0[10]) as f64 / nf;
    let detractors = c.0[..=6].iter().sum::<i64>() as f64 / nf;
    let score = promoters - detractors;
    // Variance of the +1/0/−1 variable: E[x²] − E[x]².
    let var = promoters + detractors - score * score;
    let half = Z95 * (var / nf).sqrt();
    Figure::of(
        n,
        score * 100.0,
        ((score - half) * 100.0).max(-100.0),
        ((score + half) * 100.0).min(100.0),
    )
}

/// CSI over the dimensions with weight > 0; `n` is the smallest of their counts, and every
/// weighted dimension needs the minimum, so a CSI never silently drops a dimension.
pub fn csi(by_dim: &[(Dimension, LevelCounts)], cfg: &IndexConfig) -> Figure {
    let weighted: Vec<(f64, LevelCounts)> = Dimension::ALL
        .into_iter()
        .filter(|d| cfg.weights.get(*d) > 0.0)
        .map(|d| {
            let mut c = LevelCounts::default();
            for (_, cc) in by_dim.iter().filter(|(dd, _)| *dd == d) {
                c.merge(cc);
            }
            (cfg.weights.get(d), c)
        })
        .collect();
    let total_w: f64 = weighted.iter().map(|(w, _)| w).sum();
    let n = weighted.iter().map(|(_, c)| c.n()).min().unwrap_or(0);
    if total_w <= 0.0 || n < cfg.min_n.max(1) {
        return Figure::too_few(n);
    }
    let (mut value, mut var) = (0.0, 0.0);
    for (w, c) in &weighted {
        let w = w / total_w;
        let Some((mean, s2)) = c.mean_var_100() else {
            return Figure::too_few(n);
        };
        value += w * mean;
        var += w * w * s2 / c.n() as f64;
    }
    let half = Z95 * var.sqrt();
    Figure::of(n, value, (value - half).max(0.0), (value + half).min(100.0))
}

/// The figures of one group of responses, as a view shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub satisfaction: Figure,
    pub bad: Figure,
    pub csat: Figure,
    pub nps: Figure,
    pub csi: Figure,
}

pub fn figures(
    levels: &LevelCounts,
    recommend: &RecommendCounts,
    by_dim: &[(Dimension, LevelCounts)],
    cfg: &IndexConfig,
) -> Figures {
    Figures {
        satisfaction: satisfaction_rate(levels, cfg),
        bad: bad_rate(levels, cfg),
        csat: csat(levels, cfg),
        nps: nps(recommend, cfg),
        csi: csi(by_dim, cfg),
    }
}

/// Change of a figure against the previous period, in points, when both have a value.
pub fn trend(now: &Figure, before: &Figure) -> Option<f64> {
    Some(round1(now.value? - before.value?))
}
