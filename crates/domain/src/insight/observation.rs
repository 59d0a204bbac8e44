//! 内查: an observation form scoring the behaviour codes item by item — 符合 (2), 部分符合 (1),
//! 不符合 (0) or 未观察到 (not observed, not scored) — with notes and touchpoints, at a counter
//! or of a clerk. The score is points ÷ (2 × scored items) in percent.

use crate::insight::touchpoint::touchpoint;
use crate::standards::behaviour::behaviour_code;
use serde::{Deserialize, Serialize};

/// How one behaviour code was observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Met,
    Partly,
    NotMet,
    NotObserved,
}

impl Verdict {
    /// Points of a scored item; `None` when not observed.
    pub fn points(self) -> Option<i64> {
        match self {
            Self::Met => Some(2),
            Self::Partly => Some(1),
            Self::NotMet => Some(0),
            Self::NotObserved => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::Partly => "partly",
            Self::NotMet => "not_met",
            Self::NotObserved => "not_observed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Met, Self::Partly, Self::NotMet, Self::NotObserved]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Met => "符合",
            Self::Partly => "部分符合",
            Self::NotMet => "不符合",
            Self::NotObserved => "未观察到",
        }
    }
}

/// One line of the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObservationItem {
    /// A behaviour code id (`servicehall_domain::standards::behaviour`).
    pub code: String,
    pub verdict: Verdict,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub touchpoints: Vec<String>,
}

/// Who observed: a supervisor openly, or a mystery shopper (暗访).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObserverKind {
    Supervisor,
    MysteryShopper,
}

impl ObserverKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Supervisor => "supervisor",
            Self::MysteryShopper => "mystery_shopper",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ObservationError(pub String);

pub const MAX_NOTE: usize = 500;

/// Checks the items: known codes, each at most once, at least one scored, a note on every
/// 不符合 or 部分符合 (the evidence of what was seen), known touchpoints.
pub fn check_items(items: &[ObservationItem]) -> Result<(), ObservationError> {
    let bad = |m: String| Err(ObservationError(m));
    if items.is_empty() {
        return bad("请至少评一项行为规范 score at least one behaviour code".into());
    }
    for (i, it) in items.iter().enumerate() {
        let Some(code) = behaviour_code(&it.code) else {
            return bad(format!(
                "没有这项行为规范 unknown behaviour code {:?}; use grooming, greet_farewell, standard_phrases, read_back, one_time_notice, first_inquiry or serve_one_settle_two",
                it.code
            ));
        };
        if items[..i].iter().any(|o| o.code == it.code) {
            return bad(format!(
                "“{0}”评了两次 {} ({}) is scored twice",
                code.zh, code.id
            ));
        }
        if matches!(it.verdict, Verdict::NotMet | Verdict::Partly) && it.note.trim().is_empty() {
            return bad(format!(
                "“{0}”：判为不符合或部分符合时须写明所见 {} ({}): write what you saw — a note is required for 不符合 and 部分符合",
                code.zh, code.id
            ));
        }
        if it.note.chars().count() > MAX_NOTE {
            return bad(format!(
                "“{0}”：说明最多 {MAX_NOTE} 字 {}: the note is limited to {MAX_NOTE} characters",
                code.zh
            ));
        }
        if let Some(tp) = it.touchpoints.iter().find(|t| touchpoint(t).is_none()) {
            return bad(format!(
                "“{0}”：没有这个服务环节 {}: unknown touchpoint {tp:?}",
                code.zh
            ));
        }
    }
    if items.iter().all(|i| i.verdict == Verdict::NotObserved) {
        return bad("各项都是“未观察到”，请至少评一项 every item is 未观察到 not observed; score at least one".into());
    }
    Ok(())
}

/// Points ÷ (2 × scored items), percent with one decimal; `None` if nothing was scored.
pub fn score_pct(items: &[ObservationItem]) -> Option<f64> {
    let scored: Vec<i64> = items.iter().filter_map(|i| i.verdict.points()).collect();
    if scored.is_empty() {
        return None;
    }
    let pct = scored.iter().sum::<i64>() as f64 * 100.0 / (2 * scored.len()) as f64;
    Some((pct * 10.0).round() / 10.0)
}
