//! 服务补救: every 不满意 or 非常不满意 — pad, phone or external — opens a recovery case,
//! owned by the hall manager, with a call-back clock and a rectification clock. It closes
//! only after the call-back is on record (for an anonymous rating nobody can be called, so
//! the call-back is waived and the case says so).

use super::FeedbackSettings;
use crate::cases::{Amount, ClockDef, ClockStart, LimitKind, Process, StepDef};
use crate::cases::{CALLBACK_STEP, CaseKind};
use crate::queue::rating::{BAD_REASONS, RatingLevel};

/// Source of the default limits: our choice, modelled on 十项承诺's complaint limits
/// (contact within 24 hours, answer within 5 working days).
pub const SRC_RECOVERY: &str = "our default, modelled on 国家电网公司供电服务“十项承诺” complaint limits (configurable per hall)";

/// The recovery process with the hall's limits: call back, then put it right. Both clocks
/// run from the bad rating.
pub fn recovery_process(s: &FeedbackSettings) -> Process {
    let clock = |code: &str, amount| ClockDef {
        code: code.into(),
        kind: LimitKind::Promised,
        amount,
        starts: ClockStart::CaseOpened,
        source: SRC_RECOVERY.into(),
    };
    Process {
        steps: vec![
            StepDef {
                code: CALLBACK_STEP.into(),
                name_zh: "回访致歉".into(),
                name_en: "Call the customer back".into(),
                clocks: vec![clock(
                    "callback",
                    Amount::WorkingDays(s.callback_working_days),
                )],
            },
            StepDef {
                code: "rectify".into(),
                name_zh: "整改落实".into(),
                name_en: "Put the cause right".into(),
                clocks: vec![clock(
                    "rectify",
                    Amount::WorkingDays(s.rectify_working_days),
                )],
            },
        ],
    }
}

/// A rating opens a recovery case when its level is bad.
pub fn opens_case(level: RatingLevel) -> bool {
    level.is_bad()
}

/// Whether the case's call-back requirement is met: recorded, or waived because the
/// rating was anonymous (no phone to call).
pub fn callback_satisfied(kind: CaseKind, customer_phone: &str, recorded: bool) -> bool {
    recorded || (kind == CaseKind::Recovery && customer_phone.trim().is_empty())
}

/// Reason codes in Chinese, for the case summary.
pub fn reasons_zh(reasons: &[String]) -> String {
    reasons
        .iter()
        .map(|r| {
            BAD_REASONS
                .iter()
                .find(|(c, _, _)| c == r)
                .map(|(_, zh, _)| (*zh).to_string())
                .unwrap_or_else(|| r.clone())
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// The case summary: channel, level, reasons, visit.
pub fn summary(
    channel: super::Channel,
    level: RatingLevel,
    reasons: &[String],
    visit: &str,
    comment: &str,
) -> String {
    let mut s = format!(
        "{}差评：{}（{}）",
        channel.label_zh(),
        level.label_zh(),
        level.value()
    );
    if !reasons.is_empty() {
        s.push_str(&format!("；原因：{}", reasons_zh(reasons)));
    }
    if !visit.is_empty() {
        s.push_str(&format!("；{visit}"));
    }
    let comment = comment.trim();
    if !comment.is_empty() {
        s.push_str(&format!("；客户留言：{comment}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::{CaseStatus, check_close, check_step_order};

    #[test]
    fn process_has_callback_then_rectify_with_the_hall_limits() {
        let s = FeedbackSettings {
            callback_working_days: 2,
            rectify_working_days: 7,
            ..Default::default()
        };
        let p = recovery_process(&s);
        assert!(p.validate().is_ok());
        assert_eq!(p.steps[0].code, CALLBACK_STEP);
        assert_eq!(p.steps[0].clocks[0].amount, Amount::WorkingDays(2));
        assert_eq!(p.steps[1].clocks[0].amount, Amount::WorkingDays(7));
    }

    #[test]
    fn closes_only_after_callback_unless_anonymous() {
        let steps = [
            ("callback", "回访致歉", true),
            ("rectify", "整改落实", true),
        ];
        let k = CaseKind::Recovery;
        let ok = callback_satisfied(k, "13800001234", false);
        assert!(!ok);
        assert!(check_close(k, CaseStatus::Open, &steps, ok).is_err());
        assert!(check_close(k, CaseStatus::Open, &steps, true).is_ok());
        assert!(callback_satisfied(k, "", false));
        // The callback step itself needs the callback on record.
        let open = [
            ("callback", "回访致歉", false),
            ("rectify", "整改落实", false),
        ];
        assert!(check_step_order(k, CaseStatus::Open, &open, "callback", false).is_err());
        assert!(check_step_order(k, CaseStatus::Open, &open, "callback", true).is_ok());
    }

    #[test]
    fn summary_names_the_level_and_reasons() {
        let l = RatingLevel::new(1).unwrap();
        let s = summary(
            super::super::Channel::Phone,
            l,
            &["long_wait".into()],
            "票号 A012",
            "",
        );
        assert!(s.contains("非常不满意") && s.contains("等候时间长") && s.contains("A012"));
    }
}
