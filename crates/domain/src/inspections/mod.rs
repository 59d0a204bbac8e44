//! 定妆上岗 · 物品摆放定置化 · 现场环境整洁化: checklist templates and the inspections run
//! against them.
//!
//! A template is versioned: an inspection names one version, and a new version is a new
//! template row, so a past inspection keeps the items and weights it was scored with.
//! Scoring and the submission check are in [`score`]; the templates the product ships are in
//! [`shipped`].

pub mod rectification;
pub mod schedule;
#[cfg(test)]
mod schedule_tests;
pub mod score;
pub mod shipped;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// What an inspection of this template looks at: the hall as a whole, or one staff member
/// (the pre-shift grooming check is one per clerk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Hall,
    Staff,
}

/// What a failed item must carry before the inspection can be submitted.
///
/// Photos are not stored yet: until they are, a `photo` item asks for a note that says what
/// the photo would show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    Photo,
    Note,
    #[default]
    None,
}

/// One item's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    /// Not applicable (不适用): left out of the score altogether.
    NotApplicable,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::NotApplicable => "not_applicable",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pass" => Some(Self::Pass),
            "fail" => Some(Self::Fail),
            "not_applicable" => Some(Self::NotApplicable),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pass => "合格 · pass",
            Self::Fail => "不合格 · fail",
            Self::NotApplicable => "不适用 · N/A",
        }
    }
}

/// One thing to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Stable within the template (results are keyed by it): lowercase letters, digits, `_`.
    pub key: String,
    pub text_zh: String,
    pub text_en: String,
    /// 1–10; the share an item has of its section's and the whole check's score.
    #[serde(default = "one")]
    pub weight: u32,
    /// A failed critical item fails the whole check whatever the score.
    #[serde(default)]
    pub critical: bool,
    #[serde(default)]
    pub evidence_on_fail: Evidence,
    /// A standards-library behaviour code (`grooming` …) or document reference the item
    /// checks against.
    #[serde(default)]
    pub reference: Option<String>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub key: String,
    pub title_zh: String,
    pub title_en: String,
    pub items: Vec<Item>,
}

/// A checklist as a hall keeps it. `version` is assigned by the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// Stable across versions: `pre_shift_grooming`, `opening` …
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub subject: SubjectKind,
    /// 1–100: an overall score at or above it passes (unless a critical item failed).
    #[serde(default = "default_threshold")]
    pub pass_threshold: u32,
    pub sections: Vec<Section>,
}

pub const DEFAULT_THRESHOLD: u32 = 90;

fn default_threshold() -> u32 {
    DEFAULT_THRESHOLD
}

/// A template that cannot be kept, with what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TemplateError(pub String);

fn key_ok(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 48
        && k.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Template {
    /// Every item in order with its section.
    pub fn items(&self) -> impl Iterator<Item = (&Section, &Item)> {
        self.sections
            .iter()
            .flat_map(|s| s.items.iter().map(move |i| (s, i)))
    }

    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items().map(|(_, i)| i).find(|i| i.key == key)
    }

    /// Checks what a person can get wrong when writing a template.
    pub fn validate(&self) -> Result<(), TemplateError> {
        let err = |zh: String, en: String| Err(TemplateError(format!("{zh} · {en}")));
        if !key_ok(&self.code) {
            return err(
                format!("模板编码“{}”只能用小写字母、数字和下划线", self.code),
                format!(
                    "template code {:?} may use lowercase letters, digits and _ only",
                    self.code
                ),
            );
        }
        if self.name_zh.trim().is_empty() {
            return err("请填写模板名称".into(), "the template needs a name".into());
        }
        if !(1..=100).contains(&self.pass_threshold) {
            return err(
                format!("合格线须在 1–100 之间（现为 {}）", self.pass_threshold),
                format!(
                    "the pass threshold must be 1–100 (is {})",
                    self.pass_threshold
                ),
            );
        }
        if self.items().next().is_none() {
            return err(
                "模板至少要有一个检查项".into(),
                "a template needs at least one item".into(),
            );
        }
        let mut keys = HashSet::new();
        for s in &self.sections {
            if !key_ok(&s.key) || s.title_zh.trim().is_empty() {
                return err(
                    format!("分区“{}”的编码或标题无效", s.key),
                    format!("section {:?} needs a lowercase key and a title", s.key),
                );
            }
            for i in &s.items {
                if !key_ok(&i.key) || !keys.insert(i.key.as_str()) {
                    return err(
                        format!("检查项编码“{}”无效或重复", i.key),
                        format!("item key {:?} is invalid or used twice", i.key),
                    );
                }
                if i.text_zh.trim().is_empty() || i.text_en.trim().is_empty() {
                    return err(
                        format!("检查项“{}”须有中文和英文说明", i.key),
                        format!("item {:?} needs its text in Chinese and English", i.key),
                    );
                }
                if !(1..=10).contains(&i.weight) {
                    return err(
                        format!("检查项“{}”的权重须在 1–10 之间", i.text_zh),
                        format!("the weight of item {:?} must be 1–10", i.key),
                    );
                }
            }
        }
        Ok(())
    }
}
