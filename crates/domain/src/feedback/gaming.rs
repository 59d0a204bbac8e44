//! Anti-gaming (防刷评): patterns in pad ratings that suggest the clerk rates himself or
//! prompts selectively. Each flag carries its evidence — the numbers and the tickets — so a
//! supervisor can check it; nothing is hidden or adjusted silently. A flag is a question
//! for a supervisor, not a verdict.
//!
//! (a) fast ratings: a customer needs a few seconds to look at the pad; ratings arriving
//!     within `fast_rating_s` of the finish, for a large share of a clerk's visits, suggest
//!     the clerk pressed the button.
//! (b) long unbroken runs of 非常满意: real customers are sometimes less pleased.
//! (c) skipped pads: a counter whose long or transferred visits — the ones likely to go
//!     badly — often end without a rating.

use super::FeedbackSettings;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One visit finished at a counter, with its pad rating if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PadVisit {
    pub ticket_id: i64,
    /// The ticket number as evidence shows it; the store adds the day (`11-20 A004`), as
    /// numbers restart daily.
    pub number: String,
    pub counter_id: i64,
    pub staff_id: Option<i64>,
    /// When the system finished the visit (unix ms).
    pub finished_at: i64,
    /// Seconds from the call to the finish.
    pub served_s: i64,
    /// The visit came to this counter by a transfer.
    pub transferred: bool,
    /// (rated at, level) of the pad rating.
    pub rating: Option<(i64, u8)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    FastRatings,
    TopRun,
    SkippedPad,
}

impl FlagKind {
    pub const ALL: [Self; 3] = [Self::FastRatings, Self::TopRun, Self::SkippedPad];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::FastRatings => "fast_ratings",
            Self::TopRun => "top_run",
            Self::SkippedPad => "skipped_pad",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::FastRatings => "评价过快",
            Self::TopRun => "连续满分",
            Self::SkippedPad => "长业务未评价",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::FastRatings => "Ratings too fast after finishing",
            Self::TopRun => "Long unbroken run of the top level",
            Self::SkippedPad => "Pad skipped on long or transferred visits",
        }
    }
}

/// Whom a flag is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Subject {
    Clerk(i64),
    Counter(i64),
}

impl Subject {
    /// (`clerk` | `counter`, id) as stored.
    pub fn parts(self) -> (&'static str, i64) {
        match self {
            Self::Clerk(id) => ("clerk", id),
            Self::Counter(id) => ("counter", id),
        }
    }

    pub fn from_parts(kind: &str, id: i64) -> Option<Self> {
        match kind {
            "clerk" => Some(Self::Clerk(id)),
            "counter" => Some(Self::Counter(id)),
            _ => None,
        }
    }
}

/// A number behind a flag: label and value as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub label: String,
    pub value: String,
}

/// A ticket behind a flag, with what it shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceTicket {
    pub ticket_id: i64,
    pub number: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub kind: FlagKind,
    pub subject: Subject,
    pub summary_zh: String,
    pub figures: Vec<Figure>,
    pub tickets: Vec<EvidenceTicket>,
}

impl Flag {
    /// The newest ticket among the evidence: a flag already judged is raised again only by
    /// evidence newer than this (ticket ids grow with time).
    pub fn last_ticket_id(&self) -> i64 {
        self.tickets.iter().map(|t| t.ticket_id).max().unwrap_or(0)
    }
}

/// A supervisor's finding on a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// The pattern was gaming: the clerk rated himself or prompted selectively.
    Confirmed,
    /// Checked and explained (e.g. a queue of regulars who rate at once).
    Dismissed,
}

impl Finding {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Dismissed => "dismissed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Confirmed, Self::Dismissed]
            .into_iter()
            .find(|f| f.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Confirmed => "属实",
            Self::Dismissed => "排除",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Dismissed => "dismissed",
        }
    }
}

/// Checks a finding's note: a finding must say what the supervisor saw.
pub fn check_finding_note(note: &str) -> Result<&str, String> {
    let note = note.trim();
    if note.is_empty() {
        return Err("核查结论须填写说明，写明核查了什么 a finding needs a note saying what was checked (说明核查情况)".into());
    }
    if note.chars().count() > 2000 {
        return Err("说明最多 2000 字 the note must be at most 2000 characters".into());
    }
    Ok(note)
}

/// How many evidence tickets a flag lists at most.
pub const MAX_EVIDENCE: usize = 30;

fn fig(label: &str, value: impl ToString) -> Figure {
    Figure {
        label: label.into(),
        value: value.to_string(),
    }
}

/// All flags for these visits (one hall, one period), clerks then counters.
pub fn detect(visits: &[PadVisit], s: &FeedbackSettings) -> Vec<Flag> {
    let mut by_clerk: BTreeMap<i64, Vec<&PadVisit>> = BTreeMap::new();
    let mut by_counter: BTreeMap<i64, Vec<&PadVisit>> = BTreeMap::new();
    for v in visits {
        if let Some(c) = v.staff_id {
            by_clerk.entry(c).or_default().push(v);
        }
        by_counter.entry(v.counter_id).or_default().push(v);
    }
    let mut flags = Vec::new();
    for (&clerk, vs) in &by_clerk {
        flags.extend(fast_ratings(clerk, vs, s));
        flags.extend(top_run(clerk, vs, s));
    }
    for (&counter, vs) in &by_counter {
        flags.extend(skipped_pad(counter, vs, s));
    }
    flags
}

/// The median of sorted values (lower middle for an even count).
fn median(sorted: &[i64]) -> i64 {
    sorted
        .get(sorted.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or(0)
}

fn fast_ratings(clerk: i64, vs: &[&PadVisit], s: &FeedbackSettings) -> Option<Flag> {
    let mut rated: Vec<(i64, &PadVisit)> = vs
        .iter()
        .filter_map(|v| v.rating.map(|(at, _)| ((at - v.finished_at).max(0), *v)))
        .collect();
    let n = rated.len();
    if n == 0 || n < s.min_ratings as usize {
        return None;
    }
    rated.sort_by_key(|(d, v)| (*d, v.ticket_id));
    let limit = i64::from(s.fast_rating_s) * 1000;
    let fast = rated.iter().filter(|(d, _)| *d <= limit).count();
    if fast * 100 < s.fast_share_pct as usize * n {
        return None;
    }
    let delays: Vec<i64> = rated.iter().map(|(d, _)| *d).collect();
    let med = median(&delays);
    Some(Flag {
        kind: FlagKind::FastRatings,
        subject: Subject::Clerk(clerk),
        summary_zh: format!(
            "{fast}/{n} 次评价在办结后 {} 秒内提交（{}%），中位数 {:.1} 秒",
            s.fast_rating_s,
            fast * 100 / n,
            med as f64 / 1000.0
        ),
        figures: vec![
            fig("评价数 Ratings", n),
            fig(
                &format!("≤{} 秒 Within {} s", s.fast_rating_s, s.fast_rating_s),
                fast,
            ),
            fig("占比 Share", format!("{}%", fast * 100 / n)),
            fig("阈值 Threshold", format!("≥{}%", s.fast_share_pct)),
            fig(
                "中位延迟 Median delay",
                format!("{:.1} s", med as f64 / 1000.0),
            ),
        ],
        tickets: rated
            .iter()
            .take_while(|(d, _)| *d <= limit)
            .take(MAX_EVIDENCE)
            .map(|(d, v)| EvidenceTicket {
                ticket_id: v.ticket_id,
                number: v.number.clone(),
                note: format!(
                    "办结后 {:.1} 秒评价 · rated {:.1} s after finish",
                    *d as f64 / 1000.0,
                    *d as f64 / 1000.0
                ),
            })
            .collect(),
    })
}

fn top_run(clerk: i64, vs: &[&PadVisit], s: &FeedbackSettings) -> Option<Flag> {
    let mut rated: Vec<(i64, u8, &PadVisit)> = vs
        .iter()
        .filter_map(|v| v.rating.map(|(at, l)| (at, l, *v)))
        .collect();
    rated.sort_by_key(|(at, _, v)| (*at, v.ticket_id));
    let (mut best, mut best_end, mut run) = (0usize, 0usize, 0usize);
    for (i, (_, level, _)) in rated.iter().enumerate() {
        run = if *level == 5 { run + 1 } else { 0 };
        if run > best {
            best = run;
            best_end = i;
        }
    }
    if best < s.top_run as usize {
        return None;
    }
    let run_visits = &rated[best_end + 1 - best..=best_end];
    let top_all = rated.iter().filter(|r| r.1 == 5).count();
    Some(Flag {
        kind: FlagKind::TopRun,
        subject: Subject::Clerk(clerk),
        summary_zh: format!(
            "连续 {best} 次“非常满意”（{} 至 {}），共 {} 次评价",
            run_visits[0].2.number,
            run_visits[best - 1].2.number,
            rated.len()
        ),
        figures: vec![
            fig("最长连续满分 Longest run", best),
            fig("阈值 Threshold", format!("≥{}", s.top_run)),
            fig("评价数 Ratings", rated.len()),
            fig(
                "满分占比 Top-level share",
                format!("{}%", top_all * 100 / rated.len().max(1)),
            ),
        ],
        tickets: run_visits
            .iter()
            .take(MAX_EVIDENCE)
            .map(|(_, _, v)| EvidenceTicket {
                ticket_id: v.ticket_id,
                number: v.number.clone(),
                note: "非常满意 · very satisfied".into(),
            })
            .collect(),
    })
}

fn skipped_pad(counter: i64, vs: &[&PadVisit], s: &FeedbackSettings) -> Option<Flag> {
    let is_hard = |v: &PadVisit| v.transferred || v.served_s >= i64::from(s.long_visit_s);
    let hard: Vec<&PadVisit> = vs.iter().copied().filter(|v| is_hard(v)).collect();
    let n = hard.len();
    if n == 0 || n < s.min_long_visits as usize {
        return None;
    }
    let skipped: Vec<&PadVisit> = hard
        .iter()
        .copied()
        .filter(|v| v.rating.is_none())
        .collect();
    if skipped.len() * 100 < s.skip_share_pct as usize * n {
        return None;
    }
    let easy: Vec<&PadVisit> = vs.iter().copied().filter(|v| !is_hard(v)).collect();
    let easy_skipped = easy.iter().filter(|v| v.rating.is_none()).count();
    let pct = |a: usize, b: usize| {
        (a * 100)
            .checked_div(b)
            .map_or_else(|| "—".to_string(), |p| format!("{p}%"))
    };
    Some(Flag {
        kind: FlagKind::SkippedPad,
        subject: Subject::Counter(counter),
        summary_zh: format!(
            "长业务或转办业务 {} 笔中 {} 笔未评价（{}），其他业务未评价 {}",
            n,
            skipped.len(),
            pct(skipped.len(), n),
            pct(easy_skipped, easy.len())
        ),
        figures: vec![
            fig("长/转办业务 Long or transferred", n),
            fig("未评价 Not rated", skipped.len()),
            fig("未评价占比 Share not rated", pct(skipped.len(), n)),
            fig("阈值 Threshold", format!("≥{}%", s.skip_share_pct)),
            fig(
                "其他业务未评价 Others not rated",
                pct(easy_skipped, easy.len()),
            ),
            fig("长业务 Long visit", format!("≥{} min", s.long_visit_s / 60)),
        ],
        tickets: skipped
            .iter()
            .take(MAX_EVIDENCE)
            .map(|v| EvidenceTicket {
                ticket_id: v.ticket_id,
                number: v.number.clone(),
                note: if v.transferred {
                    format!(
                        "转办，办理 {} 分钟，未评价 · transferred, {} min, not rated",
                        v.served_s / 60,
                        v.served_s / 60
                    )
                } else {
                    format!(
                        "办理 {} 分钟，未评价 · {} min, not rated",
                        v.served_s / 60,
                        v.served_s / 60
                    )
                },
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests;
