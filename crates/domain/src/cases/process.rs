//! Process definitions (工作流程程序化): the steps of a business and each step's clocks.
//! These are configuration: a hall's copy is seeded from the shipped defaults
//! (`defaults.rs`) and may be edited; each limit names its source so a supervisor can check it.

use super::limits::{Amount, LimitKind};
use serde::{Deserialize, Serialize};

/// State Grid's published service commitments.
pub const SRC_COMMITMENTS: &str = "国家电网公司供电服务“十项承诺”";
/// A value chosen for the sample configuration; set your company's rule.
pub const SRC_SAMPLE: &str = "sample default";

/// The largest number a limit may have, in any unit (1000 working days is about 4 years).
pub const MAX_LIMIT: u32 = 1000;

/// When a clock starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStart {
    /// When the case is registered (e.g. a complaint's 24-hour contact limit).
    CaseOpened,
    /// When its step becomes the current one.
    StepStarted,
}

/// One clock of a step. It stops when its step completes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockDef {
    /// Unique within its step: `step`, `contact`, `resolve` …
    pub code: String,
    pub kind: LimitKind,
    pub amount: Amount,
    pub starts: ClockStart,
    /// Where the limit comes from.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDef {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub clocks: Vec<ClockDef>,
}

/// The ordered steps of one business (kind × business type × customer class).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Process {
    pub steps: Vec<StepDef>,
}

impl ClockDef {
    /// A case-wide name for a step's clock: `scheme_reply.step`.
    pub fn key(step: &str, code: &str) -> String {
        format!("{step}.{code}")
    }
}

impl Process {
    /// Checks a (possibly hand-edited) process: at least one step, codes unique and simple.
    pub fn validate(&self) -> Result<(), String> {
        if self.steps.is_empty() {
            return Err("办理流程至少须有一个环节 a process needs at least one step".into());
        }
        let ok = |c: &str| {
            !c.is_empty()
                && c.len() <= 40
                && c.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        };
        let mut seen = std::collections::HashSet::new();
        for s in &self.steps {
            if !ok(&s.code) {
                return Err(format!(
                    "环节编码须为 1–40 位小写字母、数字或“_” step code {:?} must be 1–40 lowercase letters, digits or _",
                    s.code
                ));
            }
            if !seen.insert(s.code.as_str()) {
                return Err(format!("环节编码重复 step code {:?} appears twice", s.code));
            }
            if s.name_zh.trim().is_empty() {
                return Err(format!(
                    "请填写环节的中文名称 step {:?} needs a Chinese name",
                    s.code
                ));
            }
            if s.name_zh.chars().count() > 40 || s.name_en.chars().count() > 80 {
                return Err(format!(
                    "环节中文名称最多 40 字、英文名称最多 80 字 step {:?}: names are at most 40 (Chinese) and 80 (English) characters",
                    s.code
                ));
            }
            let mut clocks = std::collections::HashSet::new();
            for c in &s.clocks {
                if !ok(&c.code) || !clocks.insert(c.code.as_str()) {
                    return Err(format!(
                        "环节的时限编码须唯一，只能用小写字母、数字或“_” clock {:?} of step {:?} must be a unique code of lowercase letters, digits or _",
                        c.code, s.code
                    ));
                }
                if c.source.trim().is_empty() || c.source.chars().count() > 200 {
                    return Err(format!(
                        "请填写时限的依据（1–200 字）：时限出自哪条规定或承诺 clock {:?} of step {:?} needs its source (1–200 characters): the rule or commitment the limit comes from",
                        c.code, s.code
                    ));
                }
                if c.amount.n() > MAX_LIMIT {
                    return Err(format!(
                        "时限“{2}”过长（最多 {MAX_LIMIT}） clock {:?} of step {:?}: a limit of {} is too large (at most {MAX_LIMIT})",
                        c.code,
                        s.code,
                        c.amount.label_zh()
                    ));
                }
            }
        }
        Ok(())
    }

    pub fn step(&self, code: &str) -> Option<&StepDef> {
        self.steps.iter().find(|s| s.code == code)
    }
}
