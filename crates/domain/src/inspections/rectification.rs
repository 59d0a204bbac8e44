//! 整改 (rectification): every failed item of a submitted inspection opens a rectification
//! case — owned like any case, with a deadline clock, warnings and escalation. The case
//! closes only when someone has recorded the fix with new evidence (a photo or a note) and
//! a different person has verified it; the verifier may reopen it instead, and the fix is
//! then due again under the same deadline.

use crate::cases::{Amount, ClockDef, ClockStart, LimitKind, Process, StepDef};

/// The step that records the fix, and the one that verifies it (the case's clock).
pub const FIX_STEP: &str = "fix";
pub const VERIFY_STEP: &str = "verify";

/// Working days to put a critical item right, and any other item.
pub const CRITICAL_WORKING_DAYS: u32 = 1;
pub const OTHER_WORKING_DAYS: u32 = 3;

/// Source of the limits: our choice, named so a supervisor can check it.
pub const SRC_RECTIFICATION: &str =
    "our default: critical items 1 working day, others 3 (关键项 1 个工作日，其他 3 个工作日)";

/// The longest note a fix or a verdict may carry.
pub const MAX_NOTE: usize = 1000;

/// The longest limit a hall may set, in working days.
pub const MAX_WORKING_DAYS: u32 = 30;

/// A hall's rectification limits in working days (set with its inspection schedule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub critical_days: u32,
    pub other_days: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            critical_days: CRITICAL_WORKING_DAYS,
            other_days: OTHER_WORKING_DAYS,
        }
    }
}

impl Limits {
    /// Both limits within 1..=30 working days, or what to fix in both languages.
    pub fn validate(&self) -> Result<(), String> {
        for (zh, en, n) in [
            ("关键项", "critical items", self.critical_days),
            ("其他项", "other items", self.other_days),
        ] {
            if !(1..=MAX_WORKING_DAYS).contains(&n) {
                return Err(format!(
                    "{zh}整改期限须为 1–{MAX_WORKING_DAYS} 个工作日（现为 {n}） · the rectification limit for {en} must be 1–{MAX_WORKING_DAYS} working days (is {n})"
                ));
            }
        }
        Ok(())
    }

    /// The source named on the case: our default, or the hall's own setting.
    pub fn source(&self) -> String {
        if *self == Self::default() {
            SRC_RECTIFICATION.into()
        } else {
            format!(
                "hall setting: critical items {} working days, others {} (本厅设置：关键项 {} 个工作日，其他 {} 个工作日)",
                self.critical_days, self.other_days, self.critical_days, self.other_days
            )
        }
    }
}

/// The process of a rectification case on our default limits.
pub fn rectification_process(critical: bool) -> Process {
    rectification_process_with(&Limits::default(), critical)
}

/// The process of a rectification case on a hall's limits. One clock runs from the finding
/// until the fix is verified, so a reopened case stays due by the first deadline: a fix
/// that did not hold earns no extra time.
pub fn rectification_process_with(limits: &Limits, critical: bool) -> Process {
    let days = if critical {
        limits.critical_days
    } else {
        limits.other_days
    };
    Process {
        steps: vec![
            StepDef {
                code: FIX_STEP.into(),
                name_zh: "整改落实".into(),
                name_en: "Put it right".into(),
                clocks: vec![],
            },
            StepDef {
                code: VERIFY_STEP.into(),
                name_zh: "验证销号".into(),
                name_en: "Verify the fix".into(),
                clocks: vec![ClockDef {
                    code: "rectify".into(),
                    kind: LimitKind::Promised,
                    amount: Amount::WorkingDays(days),
                    starts: ClockStart::CaseOpened,
                    source: limits.source(),
                }],
            },
        ],
    }
}

/// What the verifier decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The fix holds: the case closes.
    Accept,
    /// The fix does not hold: the case goes back to its owner.
    Reopen,
}

/// Where a rectification stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Waiting for the fix (again, after a reopen).
    Open,
    /// Fixed, waiting for a different person to verify.
    Fixed,
    /// Verified and closed.
    Verified,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Fixed => "fixed",
            Self::Verified => "verified",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "待整改 · to fix",
            Self::Fixed => "待验证 · to verify",
            Self::Verified => "已销号 · verified",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RectificationError {
    #[error(
        "整改须有新的证据：请上传整改后的照片或写明整改情况 · a fix needs new evidence: upload a photo of the result or write what was done"
    )]
    NoEvidence,
    #[error("这项整改已记录，等待验证 · the fix is already recorded and waits for verification")]
    AlreadyFixed,
    #[error("这项整改已验证销号，不能再修改 · this rectification is verified and closed")]
    Closed,
    #[error("尚未记录整改，无法验证 · nothing to verify yet: the fix has not been recorded")]
    NotFixed,
    #[error(
        "整改人不能验证自己的整改，请由其他人验证 · the person who fixed it cannot verify it; someone else must"
    )]
    SamePerson,
    #[error("退回整改须写明原因 · reopening needs a note saying what is still wrong")]
    ReopenWithoutNote,
    #[error("说明最多 {MAX_NOTE} 字 · the note is at most {MAX_NOTE} characters")]
    NoteTooLong,
}

fn note_ok(note: &str) -> Result<(), RectificationError> {
    if note.trim().chars().count() > MAX_NOTE {
        return Err(RectificationError::NoteTooLong);
    }
    Ok(())
}

/// Whether a fix may be recorded: the case is waiting for it, and the fix carries new
/// evidence — a note, or photos taken since the case was opened or last reopened.
pub fn check_fix(stage: Stage, note: &str, new_photos: usize) -> Result<(), RectificationError> {
    match stage {
        Stage::Verified => return Err(RectificationError::Closed),
        Stage::Fixed => return Err(RectificationError::AlreadyFixed),
        Stage::Open => {}
    }
    note_ok(note)?;
    if note.trim().is_empty() && new_photos == 0 {
        return Err(RectificationError::NoEvidence);
    }
    Ok(())
}

/// Whether `verifier` may give `verdict`: the fix is recorded, the verifier is not who
/// recorded it, and a reopen says why.
pub fn check_verify(
    stage: Stage,
    fixed_by: Option<i64>,
    verifier: i64,
    verdict: Verdict,
    note: &str,
) -> Result<(), RectificationError> {
    match stage {
        Stage::Verified => return Err(RectificationError::Closed),
        Stage::Open => return Err(RectificationError::NotFixed),
        Stage::Fixed => {}
    }
    if fixed_by == Some(verifier) {
        return Err(RectificationError::SamePerson);
    }
    note_ok(note)?;
    if verdict == Verdict::Reopen && note.trim().is_empty() {
        return Err(RectificationError::ReopenWithoutNote);
    }
    Ok(())
}

/// The case summary: which check, which item, what the inspector wrote.
pub fn summary(template_zh: &str, item_zh: &str, critical: bool, finding: &str) -> String {
    let mut s = format!("{template_zh}不合格项：{item_zh}");
    if critical {
        s.push_str("（关键项）");
    }
    let finding = finding.trim();
    if !finding.is_empty() {
        s.push_str(&format!("；检查记录：{finding}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn critical_items_are_due_sooner_and_the_clock_runs_until_verified() {
        let p = rectification_process(true);
        assert!(p.validate().is_ok());
        assert_eq!(p.steps[0].code, FIX_STEP);
        assert!(p.steps[0].clocks.is_empty());
        assert_eq!(p.steps[1].code, VERIFY_STEP);
        assert_eq!(p.steps[1].clocks[0].amount, Amount::WorkingDays(1));
        assert_eq!(p.steps[1].clocks[0].starts, ClockStart::CaseOpened);
        let p = rectification_process(false);
        assert_eq!(p.steps[1].clocks[0].amount, Amount::WorkingDays(3));
    }

    #[test]
    fn a_halls_limits_set_the_clock_and_name_their_source() {
        let own = Limits {
            critical_days: 2,
            other_days: 10,
        };
        assert!(own.validate().is_ok());
        let p = rectification_process_with(&own, true);
        assert_eq!(p.steps[1].clocks[0].amount, Amount::WorkingDays(2));
        assert!(p.steps[1].clocks[0].source.contains("本厅设置"));
        let p = rectification_process_with(&own, false);
        assert_eq!(p.steps[1].clocks[0].amount, Amount::WorkingDays(10));
        assert_eq!(
            rectification_process(false).steps[1].clocks[0].source,
            SRC_RECTIFICATION
        );
        for (c, o) in [(0, 3), (1, 31), (31, 3)] {
            let e = Limits {
                critical_days: c,
                other_days: o,
            }
            .validate()
            .unwrap_err();
            assert!(
                e.contains("1–30 个工作日") && e.contains("1–30 working days"),
                "{e}"
            );
        }
        assert!(
            Limits {
                critical_days: 30,
                other_days: 1
            }
            .validate()
            .is_ok()
        );
    }

    #[test]
    fn a_fix_needs_new_evidence_and_an_open_case() {
        assert_eq!(
            check_fix(Stage::Open, "  ", 0),
            Err(RectificationError::NoEvidence)
        );
        assert!(check_fix(Stage::Open, "", 1).is_ok());
        assert!(check_fix(Stage::Open, "已更换", 0).is_ok());
        assert_eq!(
            check_fix(Stage::Fixed, "again", 1),
            Err(RectificationError::AlreadyFixed)
        );
        assert_eq!(
            check_fix(Stage::Verified, "again", 1),
            Err(RectificationError::Closed)
        );
        let long = "字".repeat(MAX_NOTE + 1);
        assert_eq!(
            check_fix(Stage::Open, &long, 0),
            Err(RectificationError::NoteTooLong)
        );
    }

    #[test]
    fn the_fixer_cannot_verify_and_a_reopen_says_why() {
        use Verdict::*;
        assert_eq!(
            check_verify(Stage::Fixed, Some(7), 7, Accept, ""),
            Err(RectificationError::SamePerson)
        );
        assert!(check_verify(Stage::Fixed, Some(7), 8, Accept, "").is_ok());
        assert_eq!(
            check_verify(Stage::Fixed, Some(7), 8, Reopen, " "),
            Err(RectificationError::ReopenWithoutNote)
        );
        assert!(check_verify(Stage::Fixed, Some(7), 8, Reopen, "仍有污渍").is_ok());
        assert_eq!(
            check_verify(Stage::Open, None, 8, Accept, ""),
            Err(RectificationError::NotFixed)
        );
        assert_eq!(
            check_verify(Stage::Verified, Some(7), 8, Accept, ""),
            Err(RectificationError::Closed)
        );
    }

    #[test]
    fn the_summary_names_the_check_the_item_and_the_finding() {
        assert_eq!(
            summary("营业前检查", "地面整洁", true, " 有水渍 "),
            "营业前检查不合格项：地面整洁（关键项）；检查记录：有水渍"
        );
        assert_eq!(summary("定妆", "工牌", false, ""), "定妆不合格项：工牌");
    }
}
