//! 问卷: a short questionnaire (5-level items tagged with a touchpoint and/or a CSI dimension,
//! at most one 0–10 recommend item, at most one free-text box) and the rules for an answer:
//! within the invitation's window, once, every value in range.

use super::indices::Dimension;
use crate::insight::touchpoint::touchpoint;
use serde::{Deserialize, Serialize};

/// What kind of question an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// 非常不满意 (1) … 非常满意 (5).
    Level,
    /// 0–10: how likely to recommend (NPS).
    Recommend,
    /// Free text, optional.
    Text,
}

/// One question of a survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyItem {
    /// Stable key within the survey (`q1`, `q2`, …), what answers refer to.
    pub key: String,
    pub kind: ItemKind,
    pub text: String,
    #[serde(default)]
    pub touchpoint: Option<String>,
    #[serde(default)]
    pub dimension: Option<Dimension>,
}

/// When a survey is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyTrigger {
    /// After a visit for one of the survey's business types.
    BusinessType,
    /// After a case (工单) closes.
    CaseClosed,
}

/// What an administrator defines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyDefinition {
    pub title: String,
    pub trigger: SurveyTrigger,
    /// How long after the invitation the answer is accepted, in hours (1 to 720).
    pub window_hours: i64,
    pub items: Vec<SurveyItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SurveyError {
    #[error("{0}")]
    Definition(String),
    #[error("{0}")]
    Answer(String),
}

const MAX_ITEMS: usize = 12;
pub const MAX_TEXT: usize = 500;

impl SurveyDefinition {
    pub fn validate(&self) -> Result<(), SurveyError> {
        let bad = |m: String| Err(SurveyError::Definition(m));
        if self.title.trim().is_empty() || self.title.chars().count() > 80 {
            return bad("问卷标题须为 1–80 字 the title must be 1 to 80 characters".into());
        }
        if !(1..=720).contains(&self.window_hours) {
            return bad(format!(
                "答卷时限须为 1–720 小时 the answer window must be 1 to 720 hours, got {}",
                self.window_hours
            ));
        }
        if self.items.is_empty() || self.items.len() > MAX_ITEMS {
            return bad(format!(
                "问卷须有 1–{MAX_ITEMS} 道题 a survey has 1 to {MAX_ITEMS} items, got {}",
                self.items.len()
            ));
        }
        for (i, it) in self.items.iter().enumerate() {
            let n = i + 1;
            let at = format!("item {n} ({:?})", it.key);
            if it.key.is_empty()
                || it.key.len() > 20
                || !it
                    .key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                return bad(format!(
                    "第 {n} 题：题目编号须为 1–20 位字母、数字或“_” {at}: the key must be 1–20 letters, digits or _"
                ));
            }
            if self.items[..i].iter().any(|o| o.key == it.key) {
                return bad(format!(
                    "第 {n} 题：题目编号重复 {at}: the key is used twice"
                ));
            }
            if it.text.trim().is_empty() || it.text.chars().count() > 200 {
                return bad(format!(
                    "第 {n} 题：题目须为 1–200 字 {at}: the question must be 1 to 200 characters"
                ));
            }
            if let Some(tp) = &it.touchpoint
                && touchpoint(tp).is_none()
            {
                return bad(format!(
                    "第 {n} 题：没有这个服务环节 {at}: unknown touchpoint {tp:?}; use one of the catalogue's ids (welcome, triage, waiting, call, counter, payment, farewell, follow_up)"
                ));
            }
            match it.kind {
                ItemKind::Level if it.touchpoint.is_none() && it.dimension.is_none() => {
                    return bad(format!(
                        "第 {n} 题：五级评分题须关联一个服务环节或一个满意度维度 {at}: a 5-level item needs a touchpoint or a CSI dimension"
                    ));
                }
                ItemKind::Recommend | ItemKind::Text
                    if it.touchpoint.is_some() || it.dimension.is_some() =>
                {
                    return bad(format!(
                        "第 {n} 题：只有五级评分题可关联服务环节或满意度维度 {at}: only 5-level items carry a touchpoint or dimension"
                    ));
                }
                _ => {}
            }
        }
        for kind in [ItemKind::Recommend, ItemKind::Text] {
            if self.items.iter().filter(|i| i.kind == kind).count() > 1 {
                let kind_zh = if kind == ItemKind::Text {
                    "文字题"
                } else {
                    "推荐度题"
                };
                return bad(format!(
                    "问卷最多只能有一道{kind_zh} a survey has at most one {kind:?} item"
                ));
            }
        }
        if !self.items.iter().any(|i| i.kind != ItemKind::Text) {
            return bad("问卷至少须有一道五级评分题或推荐度题 a survey needs at least one 5-level or recommend item".into());
        }
        Ok(())
    }
}

/// A customer's answer: item key → value (levels 1–5, recommend 0–10), and the comment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SurveyAnswer {
    #[serde(default)]
    pub values: std::collections::BTreeMap<String, i64>,
    #[serde(default)]
    pub comment: String,
}

/// Where an invitation stands when an answer arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvitationState {
    pub expires_at: i64,
    pub answered: bool,
}

/// Checks an answer against the survey and the invitation: once, in the window, in range,
/// every 5-level and recommend item answered, known keys only.
pub fn check_answer(
    def: &SurveyDefinition,
    inv: InvitationState,
    answer: &SurveyAnswer,
    now: i64,
) -> Result<(), SurveyError> {
    let bad = |m: String| Err(SurveyError::Answer(m));
    if inv.answered {
        return bad(
            "已提交过，感谢您的评价 this survey has already been answered; thank you".into(),
        );
    }
    if now > inv.expires_at {
        return bad("评价已过期，超出答卷时限 this survey's answer window has closed".into());
    }
    for key in answer.values.keys() {
        if !def
            .items
            .iter()
            .any(|i| &i.key == key && i.kind != ItemKind::Text)
        {
            return bad(format!("没有这道题 unknown question {key:?}"));
        }
    }
    for it in &def.items {
        let range = match it.kind {
            ItemKind::Level => 1..=5,
            ItemKind::Recommend => 0..=10,
            ItemKind::Text => continue,
        };
        match answer.values.get(&it.key) {
            None => {
                return bad(format!(
                    "请回答“{1}” please answer {:?} ({})",
                    it.key, it.text
                ));
            }
            Some(v) if !range.contains(v) => {
                return bad(format!(
                    "此题答案须为 {1}–{2}（“{text}”） {:?} must be {} to {}, got {v}",
                    it.key,
                    range.start(),
                    range.end(),
                    text = it.text
                ));
            }
            _ => {}
        }
    }
    if answer.comment.chars().count() > MAX_TEXT {
        return bad(format!(
            "留言最多 {MAX_TEXT} 字 the comment is limited to {MAX_TEXT} characters"
        ));
    }
    Ok(())
}
