//! 突发情况 · 应急预案: playbooks (one per kind of incident) and the incidents run on them.
//!
//! A playbook is versioned like the inspections' checklists: an incident names the version
//! it was declared on, so a later edit never changes a running or past checklist. Step
//! timing (due, overdue) is in [`timing`]; the playbooks the product ships are in [`shipped`].

pub mod by_hand;
pub mod kiosk;
pub mod shipped;
#[cfg(test)]
mod tests;
pub mod timing;

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Who does a step. The hall manager commands the incident and may tick any step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepRole {
    Manager,
    Clerk,
    Guide,
}

impl StepRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manager => "manager",
            Self::Clerk => "clerk",
            Self::Guide => "guide",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Manager => "值班长 · hall manager",
            Self::Clerk => "柜员 · clerk",
            Self::Guide => "引导员 · lobby guide",
        }
    }

    /// Whether a person of `role` is the one this step names.
    pub fn is(self, role: crate::Role) -> bool {
        use crate::Role as R;
        matches!(
            (self, role),
            (Self::Manager, R::HallManager) | (Self::Clerk, R::Clerk) | (Self::Guide, R::Guide)
        )
    }
}

/// What the kiosk does while the incident is active.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum KioskMode {
    /// Issues tickets as usual (the announcement shows above the tiles).
    #[default]
    Normal,
    /// Shows the announcement instead of the tiles: no tickets.
    Notice,
    /// Only the businesses in `kiosk_businesses` can be taken.
    Reduced,
}

/// Someone to call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub who_zh: String,
    pub who_en: String,
    pub phone: String,
}

/// One step of a playbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Stable within the playbook: lowercase letters, digits, `_`.
    pub key: String,
    pub role: StepRole,
    pub text_zh: String,
    pub text_en: String,
    /// Minutes after the declaration by which the step is due (0: at once).
    pub due_minutes: u32,
    /// What to read to customers, word for word.
    #[serde(default)]
    pub script_zh: Option<String>,
    #[serde(default)]
    pub script_en: Option<String>,
    #[serde(default)]
    pub call: Option<Contact>,
}

/// A playbook as a hall keeps it. `version` is assigned by the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Playbook {
    /// The incident kind's code, stable across versions: `outage`, `business_system` …
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Shown on the lobby display and the public page while the incident is active.
    pub announcement_zh: String,
    pub announcement_en: String,
    #[serde(default)]
    pub kiosk: KioskMode,
    /// Business type codes the kiosk still offers in `reduced` mode.
    #[serde(default)]
    pub kiosk_businesses: Vec<String>,
    /// Counters record visits by hand (人工登记) to back-enter later: the business system is
    /// not there to take them.
    #[serde(default)]
    pub manual_entries: bool,
    pub steps: Vec<Step>,
}

/// A playbook that cannot be kept, with what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PlaybookError(pub String);

/// The longest a step may be due after the declaration: a working day.
pub const MAX_DUE_MINUTES: u32 = 8 * 60;
/// Announcements are read from across the hall and spoken: short (characters of the
/// Chinese text; the English one may be twice as long).
pub const MAX_ANNOUNCEMENT: usize = 120;

fn key_ok(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 48
        && k.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn blank(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|t| t.trim().is_empty())
}

impl Playbook {
    pub fn step(&self, key: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.key == key)
    }

    /// Checks what a person can get wrong when writing a playbook.
    pub fn validate(&self) -> Result<(), PlaybookError> {
        let err = |zh: String, en: String| Err(PlaybookError(format!("{zh} · {en}")));
        if !key_ok(&self.code) {
            return err(
                format!("预案编码“{}”只能用小写字母、数字和下划线", self.code),
                format!(
                    "playbook code {:?} may use lowercase letters, digits and _ only",
                    self.code
                ),
            );
        }
        if self.name_zh.trim().is_empty() || self.name_en.trim().is_empty() {
            return err(
                "请填写预案的中英文名称".into(),
                "the playbook needs a name in Chinese and English".into(),
            );
        }
        for (text, max, zh, en) in [
            (
                &self.announcement_zh,
                MAX_ANNOUNCEMENT,
                "中文公告",
                "Chinese announcement",
            ),
            (
                &self.announcement_en,
                2 * MAX_ANNOUNCEMENT,
                "英文公告",
                "English announcement",
            ),
        ] {
            let n = text.trim().chars().count();
            if n == 0 || n > max {
                return err(
                    format!("{zh}须有 1–{max} 个字（现为 {n}）"),
                    format!("the {en} must be 1–{max} characters (is {n})"),
                );
            }
        }
        if self.kiosk == KioskMode::Reduced && self.kiosk_businesses.is_empty() {
            return err(
                "取号机只保留部分业务时，须列出保留哪些业务".into(),
                "a reduced kiosk needs the business codes it keeps".into(),
            );
        }
        if self.steps.is_empty() {
            return err(
                "预案至少要有一个步骤".into(),
                "a playbook needs at least one step".into(),
            );
        }
        let mut keys = HashSet::new();
        for s in &self.steps {
            if !key_ok(&s.key) || !keys.insert(s.key.as_str()) {
                return err(
                    format!("步骤编码“{}”无效或重复", s.key),
                    format!("step key {:?} is invalid or used twice", s.key),
                );
            }
            if s.text_zh.trim().is_empty() || s.text_en.trim().is_empty() {
                return err(
                    format!("步骤“{}”须有中文和英文说明", s.key),
                    format!("step {:?} needs its text in Chinese and English", s.key),
                );
            }
            if s.due_minutes > MAX_DUE_MINUTES {
                return err(
                    format!("步骤“{}”的时限不能超过 {MAX_DUE_MINUTES} 分钟", s.text_zh),
                    format!(
                        "step {:?} may be due at most {MAX_DUE_MINUTES} minutes after the declaration",
                        s.key
                    ),
                );
            }
            if blank(&s.script_zh) != blank(&s.script_en) {
                return err(
                    format!("步骤“{}”的告知话术须中英文都有", s.text_zh),
                    format!(
                        "step {:?} needs its script in both Chinese and English",
                        s.key
                    ),
                );
            }
            if let Some(c) = &s.call
                && (c.who_zh.trim().is_empty()
                    || c.phone.trim().is_empty()
                    || !c.phone.chars().all(|ch| ch.is_ascii_digit() || ch == '-'))
            {
                return err(
                    format!("步骤“{}”的联系人须有名称和电话（只含数字和 -）", s.text_zh),
                    format!(
                        "step {:?} needs whom to call and a phone number (digits and - only)",
                        s.key
                    ),
                );
            }
        }
        // Steps read in the order they fall due, so the checklist is also a timeline.
        if self
            .steps
            .windows(2)
            .any(|w| w[1].due_minutes < w[0].due_minutes)
        {
            return err(
                "步骤须按时限先后排列".into(),
                "steps must be listed in the order they fall due".into(),
            );
        }
        Ok(())
    }
}

/// Where an incident stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentState {
    Active,
    Closed,
    /// Closed and its post-incident review (复盘) recorded.
    Reviewed,
}

impl IncidentState {
    pub fn of(closed: bool, reviewed: bool) -> Self {
        match (closed, reviewed) {
            (false, _) => Self::Active,
            (true, false) => Self::Closed,
            (true, true) => Self::Reviewed,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "处置中 · active",
            Self::Closed => "已结束 · closed",
            Self::Reviewed => "已复盘 · reviewed",
        }
    }
}

/// One corrective action of a review: what, who owns it, by when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewAction {
    pub text: String,
    pub owner_id: i64,
    /// Milliseconds since the epoch.
    pub due_at: i64,
}

/// Checks a review before it is kept: a cause, at least one action, each due after the
/// incident closed and within a year, and a risk code that reads like one.
pub fn check_review(
    cause: &str,
    actions: &[ReviewAction],
    risk_code: Option<&str>,
    closed_at: i64,
) -> Result<(), PlaybookError> {
    let err = |s: &str| Err(PlaybookError(s.into()));
    if cause.trim().is_empty() {
        return err("请写明原因 · write down the cause");
    }
    if actions.is_empty() {
        return err("复盘至少要有一项整改措施 · a review needs at least one action");
    }
    const YEAR: i64 = 366 * 24 * 3600 * 1000;
    for a in actions {
        if a.text.trim().is_empty() {
            return err("每项整改措施都要写明内容 · every action needs its text");
        }
        if a.due_at <= closed_at || a.due_at > closed_at + YEAR {
            return err(
                "整改期限须在事件结束之后一年之内 · an action's deadline must fall after the incident closed and within a year",
            );
        }
    }
    if let Some(code) = risk_code
        && (code.is_empty()
            || code.len() > 32
            || !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    {
        return err(
            "风险编号只能用字母、数字、- 和 _（最多 32 位） · a risk code uses letters, digits, - and _ (up to 32)",
        );
    }
    Ok(())
}

/// The process of a review action's case: one step, "carry out the action", due in `days`
/// calendar days (the reviewer's deadline, rounded up to whole days).
pub fn action_process(days: u32) -> crate::cases::process::Process {
    use crate::cases::limits::{Amount, LimitKind};
    use crate::cases::process::{ClockDef, ClockStart, Process, StepDef};
    Process {
        steps: vec![StepDef {
            code: "act".into(),
            name_zh: "落实整改措施".into(),
            name_en: "Carry out the action".into(),
            clocks: vec![ClockDef {
                code: "act".into(),
                kind: LimitKind::Promised,
                amount: Amount::CalendarDays(days.clamp(1, crate::cases::process::MAX_LIMIT)),
                starts: ClockStart::CaseOpened,
                source: "突发事件复盘 · post-incident review".into(),
            }],
        }],
    }
}
