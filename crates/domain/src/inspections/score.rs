//! The scoring rule and the check before an inspection is submitted.
//!
//! **Scoring rule · 评分规则.** Each item has a weight (1–10). Items marked not applicable
//! (不适用) are left out. A section's score, and the overall score, is the weighted share of
//! passed items among the applicable ones, on 0–100:
//!
//! `score = 100 × (sum of the weights of passed items) ÷ (sum of the weights of passed and
//! failed items)`, shown to one decimal (half up).
//!
//! The overall score is taken over all items at once (not an average of the section scores),
//! so a section with more weight counts for more. The check **passes** when the overall score
//! is at or above the template's pass threshold (e.g. 90) **and** no critical item (关键项)
//! failed: a failed critical item fails the whole check whatever the score. A section whose
//! items are all not applicable has no score.
//!
//! `RULE_ZH` / `RULE_EN` say the same for screens, and `docs/inspections.md` for people.

use super::{Evidence, Outcome, Template};

/// The rule as the result screen shows it.
pub const RULE_ZH: &str = "得分 = 合格项权重之和 ÷ 适用项（合格 + 不合格）权重之和 × 100，不适用项不计入；总分不低于合格线且无关键项不合格，方为合格。";
pub const RULE_EN: &str = "Score = weight of passed items ÷ weight of applicable (passed + failed) items × 100; not-applicable items are left out. The check passes when the overall score is at or above the threshold and no critical item failed.";

/// One recorded result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemResult {
    pub key: String,
    pub outcome: Outcome,
    pub note: String,
}

/// Passed weight over applicable weight; `None` score when nothing applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Share {
    pub passed: u32,
    pub applicable: u32,
}

impl Share {
    fn add(&mut self, weight: u32, outcome: Outcome) {
        match outcome {
            Outcome::Pass => {
                self.passed += weight;
                self.applicable += weight;
            }
            Outcome::Fail => self.applicable += weight,
            Outcome::NotApplicable => {}
        }
    }

    /// The score in tenths of a point (925 = 92.5), half up; `None` when nothing applies.
    pub fn tenths(self) -> Option<u32> {
        (self.applicable > 0).then(|| {
            let (p, a) = (u64::from(self.passed), u64::from(self.applicable));
            u32::try_from((2000 * p + a) / (2 * a)).unwrap_or(1000)
        })
    }

    /// True when the exact share reaches `threshold` (0–100), compared without rounding.
    pub fn reaches(self, threshold: u32) -> bool {
        self.applicable > 0
            && u64::from(self.passed) * 100 >= u64::from(threshold) * u64::from(self.applicable)
    }
}

/// "92.5", or "—" when nothing applies.
pub fn format_tenths(t: Option<u32>) -> String {
    match t {
        Some(t) if t % 10 == 0 => format!("{}", t / 10),
        Some(t) => format!("{}.{}", t / 10, t % 10),
        None => "—".into(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionScore {
    pub key: String,
    pub share: Share,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    pub sections: Vec<SectionScore>,
    pub overall: Share,
    /// Keys of critical items that failed.
    pub critical_failed: Vec<String>,
    pub threshold: u32,
    pub passed: bool,
}

/// Scores the results recorded so far (unanswered items count as not applicable here; the
/// submission check refuses them).
pub fn score(t: &Template, results: &[ItemResult]) -> Score {
    let outcome = |key: &str| {
        results
            .iter()
            .find(|r| r.key == key)
            .map_or(Outcome::NotApplicable, |r| r.outcome)
    };
    let mut overall = Share::default();
    let mut critical_failed = Vec::new();
    let sections = t
        .sections
        .iter()
        .map(|s| {
            let mut share = Share::default();
            for i in &s.items {
                let o = outcome(&i.key);
                share.add(i.weight, o);
                overall.add(i.weight, o);
                if i.critical && o == Outcome::Fail {
                    critical_failed.push(i.key.clone());
                }
            }
            SectionScore {
                key: s.key.clone(),
                share,
            }
        })
        .collect();
    let passed = critical_failed.is_empty() && overall.reaches(t.pass_threshold);
    Score {
        sections,
        overall,
        critical_failed,
        threshold: t.pass_threshold,
        passed,
    }
}

/// Why an inspection cannot be submitted yet; the message names the items.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    #[error("还有检查项未填写结果：{zh} · these items have no result yet: {en}")]
    Unanswered { zh: String, en: String },
    #[error("不合格项须附说明：{zh} · a failed item needs its evidence (a note): {en}")]
    MissingEvidence { zh: String, en: String },
    #[error("所有检查项均为不适用，无法评分 · every item is not applicable; nothing to score")]
    NothingApplicable,
}

/// Checks that every item has a result and every failed item its evidence, then scores.
pub fn check_submission(t: &Template, results: &[ItemResult]) -> Result<Score, SubmitError> {
    let names = |items: Vec<&super::Item>| {
        (
            items
                .iter()
                .map(|i| format!("“{}”", i.text_zh))
                .collect::<Vec<_>>()
                .join("、"),
            items
                .iter()
                .map(|i| format!("\"{}\"", i.text_en))
                .collect::<Vec<_>>()
                .join(", "),
        )
    };
    let find = |key: &str| results.iter().find(|r| r.key == key);
    let unanswered: Vec<_> = t
        .items()
        .map(|(_, i)| i)
        .filter(|i| find(&i.key).is_none())
        .collect();
    if !unanswered.is_empty() {
        let (zh, en) = names(unanswered);
        return Err(SubmitError::Unanswered { zh, en });
    }
    let missing: Vec<_> = t
        .items()
        .map(|(_, i)| i)
        .filter(|i| {
            i.evidence_on_fail != Evidence::None
                && find(&i.key)
                    .is_some_and(|r| r.outcome == Outcome::Fail && r.note.trim().is_empty())
        })
        .collect();
    if !missing.is_empty() {
        let (zh, en) = names(missing);
        return Err(SubmitError::MissingEvidence { zh, en });
    }
    let s = score(t, results);
    if s.overall.applicable == 0 {
        return Err(SubmitError::NothingApplicable);
    }
    Ok(s)
}
