//! A map walk (定置巡检): the inspection made from a layout, and what a finding means for it.
//!
//! Design: one walk is one ordinary inspection. Its checklist is made from the layout version
//! (zones become sections, items become items, a critical item stays critical), so the score,
//! the submission check and the inspections list work unchanged. The finding's kind and the
//! count are kept beside the inspection's result, keyed by inspection and item code.

use super::{Layout, LayoutError};
use crate::inspections::score::{Share, score};
use crate::inspections::{DEFAULT_THRESHOLD, Evidence, Outcome, Section, SubjectKind, Template};
use crate::inspections::{Item as CheckItem, score::ItemResult};
use serde::{Deserialize, Serialize};

/// The checklist code every map walk's checklist carries.
pub const WALK_CODE: &str = "layout_map";

/// What the inspector found at an item's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// 在位: where the plan puts it, as many as expected, in order.
    InPlace,
    /// 移位: there, but not at its place.
    Moved,
    /// 缺失: not there at all.
    Missing,
    /// 损坏: there, but broken or dirty.
    Damaged,
    /// 数量不足: fewer than expected.
    Short,
}

impl Finding {
    pub const ALL: [Finding; 5] = [
        Self::InPlace,
        Self::Moved,
        Self::Missing,
        Self::Damaged,
        Self::Short,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InPlace => "in_place",
            Self::Moved => "moved",
            Self::Missing => "missing",
            Self::Damaged => "damaged",
            Self::Short => "short",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::InPlace => "在位 · in place",
            Self::Moved => "移位 · moved",
            Self::Missing => "缺失 · missing",
            Self::Damaged => "损坏 · damaged",
            Self::Short => "数量不足 · short",
        }
    }

    /// Only an item in place passes; every other finding fails the item.
    pub fn outcome(self) -> Outcome {
        match self {
            Self::InPlace => Outcome::Pass,
            _ => Outcome::Fail,
        }
    }
}

/// Checks a finding against the item: a short count must be below the expected quantity.
pub fn check_finding(
    layout: &Layout,
    code: &str,
    finding: Finding,
    counted: Option<i64>,
) -> Result<(), LayoutError> {
    let err = |zh: String, en: String| Err(LayoutError(format!("{zh} · {en}")));
    let Some(item) = layout.item(code) else {
        return err(
            format!("定置图中没有物品“{code}”"),
            format!("the layout has no item {code:?}"),
        );
    };
    if counted.is_some_and(|c| !(0..=super::MAX_QUANTITY).contains(&c)) {
        return err(
            format!(
                "“{}”的清点数量须在 0–{} 之间",
                item.name_zh,
                super::MAX_QUANTITY
            ),
            format!(
                "the count of {:?} must be 0–{}",
                item.name_en,
                super::MAX_QUANTITY
            ),
        );
    }
    if finding == Finding::Short {
        match counted {
            Some(c) if c < item.expected => {}
            _ => {
                return err(
                    format!(
                        "“{}”标为数量不足时须填写少于定额 {} 的清点数",
                        item.name_zh, item.expected
                    ),
                    format!(
                        "marking {:?} short needs a count below the expected {}",
                        item.name_en, item.expected
                    ),
                );
            }
        }
    }
    Ok(())
}

/// The checklist a walk of this layout runs: one section per zone that holds items.
pub fn walk_template(layout: &Layout) -> Template {
    let sections = layout
        .zones
        .iter()
        .filter_map(|z| {
            let items: Vec<CheckItem> = layout
                .items
                .iter()
                .filter(|i| i.zone == z.code)
                .map(|i| CheckItem {
                    key: i.code.clone(),
                    text_zh: if i.expected > 1 {
                        format!("{}（定额 {}）", i.name_zh, i.expected)
                    } else {
                        i.name_zh.clone()
                    },
                    text_en: if i.expected > 1 {
                        format!("{} (expected {})", i.name_en, i.expected)
                    } else {
                        i.name_en.clone()
                    },
                    weight: if i.critical { 2 } else { 1 },
                    critical: i.critical,
                    evidence_on_fail: Evidence::None,
                    reference: Some(format!("layout_map:{}", i.code)),
                })
                .collect();
            (!items.is_empty()).then(|| Section {
                key: z.code.clone(),
                title_zh: z.name_zh.clone(),
                title_en: z.name_en.clone(),
                items,
            })
        })
        .collect();
    Template {
        code: WALK_CODE.into(),
        name_zh: "定置图巡检".into(),
        name_en: "Layout map walk".into(),
        subject: SubjectKind::Hall,
        pass_threshold: DEFAULT_THRESHOLD,
        sections,
    }
}

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingRecord {
    pub item: String,
    pub finding: Finding,
    pub counted: Option<i64>,
    pub note: String,
}

/// The item results a walk's findings stand for.
pub fn results(findings: &[FindingRecord]) -> Vec<ItemResult> {
    findings
        .iter()
        .map(|f| ItemResult {
            key: f.item.clone(),
            outcome: f.finding.outcome(),
            note: f.note.clone(),
        })
        .collect()
}

/// Findings over several walks, by item.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemTally {
    pub item: String,
    /// Walks that recorded this item.
    pub seen: u32,
    /// Count per finding, in [`Finding::ALL`] order.
    pub by_finding: [u32; 5],
}

impl ItemTally {
    pub fn failed(&self) -> u32 {
        self.seen - self.by_finding[0]
    }
}

/// Scores per zone over several walks, and findings per item.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tally {
    /// Per zone code: passed and applicable weight summed over the walks.
    pub zones: Vec<(String, Share)>,
    pub items: Vec<ItemTally>,
}

/// Adds up walks, each with the layout version it walked. Items and zones are keyed by code,
/// so a zone kept across versions adds up; the order is the latest layout's.
pub fn tally(latest: &Layout, walks: &[(&Layout, &[FindingRecord])]) -> Tally {
    let mut out = Tally {
        zones: latest
            .zones
            .iter()
            .map(|z| (z.code.clone(), Share::default()))
            .collect(),
        items: latest
            .items
            .iter()
            .map(|i| ItemTally {
                item: i.code.clone(),
                ..Default::default()
            })
            .collect(),
    };
    for (layout, findings) in walks {
        let s = score(&walk_template(layout), &results(findings));
        for sec in s.sections {
            match out.zones.iter_mut().find(|(c, _)| *c == sec.key) {
                Some((_, share)) => {
                    share.passed += sec.share.passed;
                    share.applicable += sec.share.applicable;
                }
                None => out.zones.push((sec.key, sec.share)),
            }
        }
        for f in *findings {
            let idx = match out.items.iter().position(|t| t.item == f.item) {
                Some(i) => i,
                None => {
                    out.items.push(ItemTally {
                        item: f.item.clone(),
                        ..Default::default()
                    });
                    out.items.len() - 1
                }
            };
            let t = &mut out.items[idx];
            t.seen += 1;
            let k = Finding::ALL
                .iter()
                .position(|x| *x == f.finding)
                .unwrap_or(0);
            t.by_finding[k] += 1;
        }
    }
    out
}
