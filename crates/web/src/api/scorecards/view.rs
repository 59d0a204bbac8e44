//! What the scorecards, schemes, rankings and appeals say, as typed views shared by the JSON
//! and the screens, and the bodies they accept.

use serde::{Deserialize, Serialize};
use servicehall_domain::assessment::{Direction, indicator};
use servicehall_domain::scorecards::ranking::{Board, Ranked, Trend};
use servicehall_domain::scorecards::{
    Band, BandHit, Deduction, Level, Scheme, SchemeLine, ScoreLine,
};
use servicehall_store::{AdjustmentRow, AppealRow};
use utoipa::ToSchema;

/// Unix ms as China Standard Time `YYYY-MM-DD HH:MM`.
pub fn local(at: i64) -> String {
    chrono::DateTime::from_timestamp_millis(at)
        .map(|t| {
            t.with_timezone(&chrono_tz::Asia::Shanghai)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// `YYYYMM` as `YYYY-MM`.
pub fn month_text(m: i64) -> String {
    format!("{:04}-{:02}", m / 100, m % 100)
}

/// One line of a scorecard, down to the records it rests on.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScoreLineView {
    pub indicator: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit: String,
    pub weight: u32,
    /// The weight after lines without data shared theirs out.
    pub effective_weight: f64,
    pub target: f64,
    pub value: Option<f64>,
    /// The sums the value divides.
    pub num: i64,
    pub den: i64,
    /// What the value rests on in words: "211/225", "3 次观察 · 3 observed".
    pub basis: String,
    /// target, step, below or no_data
    pub band: String,
    pub band_zh: String,
    pub points: f64,
    pub explain_zh: String,
    pub explain_en: String,
    /// The page listing the records behind the line.
    pub records: Option<String>,
}

impl ScoreLineView {
    pub fn new(l: &ScoreLine, records: Option<String>) -> Self {
        let (band, band_zh) = match l.band {
            BandHit::Target => ("target", "达标 满分".to_string()),
            BandHit::Step { n, pct } => ("step", format!("第 {n} 档 · {pct}%")),
            BandHit::Below => ("below", "低于最低档".to_string()),
            BandHit::NoData => ("no_data", "暂无数据".to_string()),
        };
        Self {
            indicator: l.indicator.clone(),
            name_zh: l.name_zh.clone(),
            name_en: l.name_en.clone(),
            unit: l.unit.clone(),
            weight: l.weight,
            effective_weight: l.effective_weight,
            target: l.target,
            value: l.value,
            num: l.num,
            den: l.den,
            basis: if l.basis.is_empty() {
                format!("{}/{}", l.num, l.den)
            } else {
                l.basis.clone()
            },
            band: band.into(),
            band_zh,
            points: l.points,
            explain_zh: l.explain_zh.clone(),
            explain_en: l.explain_en.clone(),
            records,
        }
    }
}

/// A recorded violation and the points it took.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeductionView {
    pub observation_id: i64,
    pub code: String,
    pub label_zh: String,
    pub label_en: String,
    pub at: String,
    pub note: String,
    pub points: f64,
    /// The observation's page.
    pub records: String,
}

impl From<&Deduction> for DeductionView {
    fn from(d: &Deduction) -> Self {
        Self {
            observation_id: d.observation_id,
            code: d.code.clone(),
            label_zh: d.label_zh.clone(),
            label_en: d.label_en.clone(),
            at: local(d.at),
            note: d.note.clone(),
            points: d.points,
            records: format!("/observations/{}", d.observation_id),
        }
    }
}

/// An adjustment of a frozen score (an accepted appeal).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdjustmentView {
    pub id: i64,
    pub appeal_id: Option<i64>,
    pub points: f64,
    pub reason: String,
    pub made_at: String,
}

impl From<&AdjustmentRow> for AdjustmentView {
    fn from(a: &AdjustmentRow) -> Self {
        Self {
            id: a.id,
            appeal_id: a.appeal_id,
            points: a.points_tenths as f64 / 10.0,
            reason: a.reason.clone(),
            made_at: local(a.made_at),
        }
    }
}

/// A scorecard of a hall or a clerk for a month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScorecardView {
    /// clerk, counter, hall, city or province
    pub level: String,
    pub level_zh: String,
    pub hall_code: String,
    /// Who or what is scored, as people read it.
    pub subject: String,
    /// YYYY-MM
    pub month: String,
    /// The scheme's first month (YYYY-MM), or empty for the default scheme.
    pub scheme_from: String,
    pub scheme_zh: String,
    /// Kept at the month-end freeze (not recomputed).
    pub frozen: bool,
    pub frozen_at: Option<String>,
    pub lines: Vec<ScoreLineView>,
    pub deductions: Vec<DeductionView>,
    pub earned: f64,
    pub deducted: f64,
    pub total: Option<f64>,
    pub adjustments: Vec<AdjustmentView>,
    /// The total with the adjustments.
    pub final_total: Option<f64>,
    pub note_zh: String,
    pub note_en: String,
    /// The hall's place among its region's halls (hall level).
    pub rank: Option<u32>,
    pub ranked: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BandBody {
    /// The threshold, in the indicator's unit.
    pub at: f64,
    /// Percent of the weight earned there (below 100, falling band by band).
    pub pct: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SchemeLineBody {
    pub indicator: String,
    pub weight: u32,
    pub target: f64,
    #[serde(default)]
    pub bands: Vec<BandBody>,
}

/// A scheme as a supervisor sets it: weights summing to 100.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SchemeBody {
    pub lines: Vec<SchemeLineBody>,
    pub deduction_per_violation: f64,
    pub deduction_cap: f64,
}

impl From<SchemeBody> for Scheme {
    fn from(b: SchemeBody) -> Self {
        Scheme {
            lines: b
                .lines
                .into_iter()
                .map(|l| SchemeLine {
                    indicator: l.indicator.trim().to_string(),
                    weight: l.weight,
                    target: l.target,
                    bands: l
                        .bands
                        .into_iter()
                        .map(|b| Band {
                            at: b.at,
                            pct: b.pct,
                        })
                        .collect(),
                })
                .collect(),
            deduction_per_violation: b.deduction_per_violation,
            deduction_cap: b.deduction_cap,
        }
    }
}

/// One line of a scheme with the indicator's words.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SchemeLineView {
    pub indicator: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit: String,
    /// higher or lower (is better)
    pub direction: String,
    pub weight: u32,
    pub target: f64,
    pub bands: Vec<BandBody>,
}

/// A scheme version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SchemeVersionView {
    /// YYYY-MM, or empty for the default scheme.
    pub effective_from: String,
    pub set_at: Option<String>,
    pub set_by: Option<i64>,
    pub deduction_per_violation: f64,
    pub deduction_cap: f64,
    pub weight_sum: u32,
    pub lines: Vec<SchemeLineView>,
}

impl SchemeVersionView {
    pub fn new(s: &Scheme, from: Option<i64>, set_at: Option<i64>, set_by: Option<i64>) -> Self {
        Self {
            effective_from: from.map(month_text).unwrap_or_default(),
            set_at: set_at.map(local),
            set_by,
            deduction_per_violation: s.deduction_per_violation,
            deduction_cap: s.deduction_cap,
            weight_sum: s.weight_sum(),
            lines: s
                .lines
                .iter()
                .map(|l| {
                    let ind = indicator(&l.indicator);
                    SchemeLineView {
                        indicator: l.indicator.clone(),
                        name_zh: ind.map_or(l.indicator.clone(), |i| i.name_zh.into()),
                        name_en: ind.map_or(String::new(), |i| i.name_en.into()),
                        unit: ind.map_or(String::new(), |i| i.unit.label_zh().into()),
                        direction: match ind.map(|i| i.direction) {
                            Some(Direction::Lower) => "lower".into(),
                            _ => "higher".into(),
                        },
                        weight: l.weight,
                        target: l.target,
                        bands: l
                            .bands
                            .iter()
                            .map(|b| BandBody {
                                at: b.at,
                                pct: b.pct,
                            })
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}

/// A region's scheme for a level: the one scoring this month, the one set for next month
/// (if any) and every kept version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SchemesView {
    pub region_id: i64,
    pub level: String,
    pub level_zh: String,
    /// YYYY-MM of this month, and of the month a change takes effect.
    pub month: String,
    pub next_month: String,
    pub current: SchemeVersionView,
    pub next: Option<SchemeVersionView>,
    pub versions: Vec<SchemeVersionView>,
}

/// One hall on the 红黑榜.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankRowView {
    pub hall_id: i64,
    pub hall_code: String,
    pub hall_name: String,
    pub total: Option<f64>,
    pub rank: Option<u32>,
    pub previous_rank: Option<u32>,
    /// up, down, same or new
    pub trend: String,
    /// ↑ ↓ — or ·
    pub arrow: String,
    /// Places moved.
    pub moved: u32,
    /// red, black or none
    pub board: String,
}

impl RankRowView {
    pub fn new(r: &Ranked, hall_code: String, hall_name: String) -> Self {
        let (trend, moved) = match r.trend {
            Trend::Up { by } => ("up", by),
            Trend::Down { by } => ("down", by),
            Trend::Same => ("same", 0),
            Trend::New => ("new", 0),
        };
        Self {
            hall_id: r.hall_id,
            hall_code,
            hall_name,
            total: r.total,
            rank: r.rank,
            previous_rank: r.previous_rank,
            trend: trend.into(),
            arrow: r.trend.arrow().into(),
            moved,
            board: match r.board {
                Board::Red => "red",
                Board::Black => "black",
                Board::None => "none",
            }
            .into(),
        }
    }
}

/// The halls of a region ranked for a month, and the region's own scorecard from its
/// halls' summed counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankingView {
    pub region_id: i64,
    pub region_zh: String,
    pub month: String,
    pub previous_month: String,
    pub frozen: bool,
    pub rows: Vec<RankRowView>,
    /// The region scored on its halls' summed counts (never the mean of their rates).
    pub region_card: ScorecardView,
}

/// A month frozen.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FreezeView {
    pub region_id: i64,
    pub month: String,
    pub frozen_at: String,
    pub halls: usize,
}

/// A hall manager's appeal against a frozen month.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AppealBody {
    /// YYYY-MM of the frozen month.
    pub month: String,
    /// What is wrong with the score.
    pub reason: String,
    /// What backs it: an observation or case number, a document or photo reference.
    #[serde(default)]
    pub evidence: String,
}

/// A supervisor's decision on an appeal.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DecisionBody {
    pub accept: bool,
    /// Points the score moves by when accepted (e.g. 2 or -1.5; not 0).
    #[serde(default)]
    pub points: Option<f64>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppealView {
    pub id: i64,
    pub hall_id: i64,
    pub month: String,
    pub reason: String,
    pub evidence: String,
    /// pending, accepted or rejected
    pub state: String,
    pub state_zh: String,
    pub filed_at: String,
    pub filed_by: Option<i64>,
    pub decided_at: Option<String>,
    pub decision: String,
    pub points: Option<f64>,
    /// The evidence files attached (filled by the list; empty in other answers).
    pub files: Vec<AppealFileView>,
}

/// An evidence file of an appeal, with the link to download it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppealFileView {
    pub id: i64,
    pub appeal_id: i64,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// e.g. `1.2 MB`, `350 KB`.
    pub size_text: String,
    /// Hex SHA-256 as recorded in the audit chain.
    pub sha256: String,
    pub added_at: String,
    pub url: String,
}

impl AppealFileView {
    /// The hash's first 12 digits, as a screen shows it (the whole one in its title).
    pub fn short_hash(&self) -> &str {
        self.sha256.get(..12).unwrap_or(&self.sha256)
    }

    pub fn new(hall_code: &str, f: &servicehall_store::AppealFileRow) -> Self {
        let kb = f.size_bytes as f64 / 1024.0;
        Self {
            id: f.id,
            appeal_id: f.appeal_id,
            name: f.name.clone(),
            content_type: f.content_type.clone(),
            size_bytes: f.size_bytes,
            size_text: if kb >= 1024.0 {
                format!("{:.1} MB", kb / 1024.0)
            } else {
                format!("{:.0} KB", kb.max(1.0))
            },
            sha256: f.sha256.clone(),
            added_at: local(f.added_at),
            url: format!(
                "/api/v1/halls/{hall_code}/appeals/{}/evidence/{}",
                f.appeal_id, f.id
            ),
        }
    }
}

impl From<&AppealRow> for AppealView {
    fn from(a: &AppealRow) -> Self {
        Self {
            id: a.id,
            hall_id: a.hall_id,
            month: month_text(a.month),
            reason: a.reason.clone(),
            evidence: a.evidence.clone(),
            state: a.state.clone(),
            state_zh: match a.state.as_str() {
                "pending" => "待裁定",
                "accepted" => "已采纳",
                _ => "已驳回",
            }
            .into(),
            filed_at: local(a.filed_at),
            filed_by: a.filed_by,
            decided_at: a.decided_at.map(local),
            decision: a.decision.clone(),
            points: a.points_tenths.map(|t| t as f64 / 10.0),
            files: Vec::new(),
        }
    }
}

pub fn level_zh(l: Level) -> String {
    format!("{} {}", l.label_zh(), l.label_en())
}
