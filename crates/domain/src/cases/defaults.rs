//! The shipped processes (工作流程程序化), one per kind of case and business, each limit
//! naming its published source: a hall's copy is seeded from [`default_process`].

use super::kinds::{CaseKind, CustomerClass};
use super::limits::{Amount, LimitKind};
use super::process::{ClockDef, ClockStart, Process, SRC_COMMITMENTS, SRC_SAMPLE, StepDef};

fn clock(
    code: &str,
    kind: LimitKind,
    amount: Amount,
    starts: ClockStart,
    source: &str,
) -> ClockDef {
    ClockDef {
        code: code.into(),
        kind,
        amount,
        starts,
        source: source.into(),
    }
}

fn step(code: &str, zh: &str, en: &str, clocks: Vec<ClockDef>) -> StepDef {
    StepDef {
        code: code.into(),
        name_zh: zh.into(),
        name_en: en.into(),
        clocks,
    }
}

/// A step with one promised working-days clock named `step`, running from the step's start.
fn wd_step(code: &str, zh: &str, en: &str, days: u32, source: &str) -> StepDef {
    step(
        code,
        zh,
        en,
        vec![clock(
            "step",
            LimitKind::Promised,
            Amount::WorkingDays(days),
            ClockStart::StepStarted,
            source,
        )],
    )
}

/// Business types that follow the connection process (业扩报装): new connections and
/// capacity increases.
pub fn is_connection_business(code: &str) -> bool {
    // 新装 (new_connection, new_residential, new_business …), 增容, and the connection
    // applications of rooftop solar (分布式光伏并网) and EV chargers (充电桩报装).
    code.starts_with("new_") || code.contains("capacity") || code == "solar" || code == "ev_charger"
}

/// A complaint: contact within 24 hours, reply within `reply_days` working days (both
/// counted from registration), then the callback (回访).
pub fn complaint_process(reply_days: u32) -> Process {
    Process {
        steps: vec![
            step(
                "contact",
                "联系客户",
                "Contact the customer",
                vec![clock(
                    "contact",
                    LimitKind::Promised,
                    Amount::Hours(24),
                    ClockStart::CaseOpened,
                    SRC_COMMITMENTS,
                )],
            ),
            step(
                "reply",
                "答复处理意见",
                "Reply with the outcome",
                vec![clock(
                    "resolve",
                    LimitKind::Promised,
                    Amount::WorkingDays(reply_days),
                    ClockStart::CaseOpened,
                    &format!("{SRC_COMMITMENTS}（答复时限可配置 · configurable）"),
                )],
            ),
            step("callback", "回访", "Call the customer back", vec![]),
        ],
    }
}

/// The process a hall starts with for a case of `kind`, business type `business_type`
/// (its code) and customer class `class`.
pub fn default_process(
    kind: CaseKind,
    business_type: Option<&str>,
    class: CustomerClass,
) -> Process {
    match kind {
        CaseKind::Complaint => complaint_process(5),
        CaseKind::Recovery => crate::feedback::recovery::recovery_process(
            &crate::feedback::FeedbackSettings::default(),
        ),
        CaseKind::Rectification => crate::inspections::rectification::rectification_process(false),
        CaseKind::IncidentAction => crate::incidents::action_process(7),
        CaseKind::Opinion => Process {
            steps: vec![wd_step(
                "reply",
                "答复意见建议",
                "Reply to the suggestion",
                10,
                SRC_SAMPLE,
            )],
        },
        CaseKind::InquiryFollowUp => Process {
            steps: vec![wd_step(
                "reply",
                "答复咨询",
                "Answer the inquiry",
                1,
                SRC_SAMPLE,
            )],
        },
        CaseKind::Application if business_type.is_some_and(is_connection_business) => {
            let scheme_days = match class {
                CustomerClass::Resident => 3,
                CustomerClass::LowVoltage => 7,
                CustomerClass::HvSingle => 15,
                CustomerClass::HvDual => 30,
            };
            let mut steps = vec![wd_step(
                "scheme_reply",
                "供电方案答复",
                "Supply scheme reply",
                scheme_days,
                SRC_COMMITMENTS,
            )];
            if class.is_high_voltage() {
                steps.push(wd_step(
                    "design_review",
                    "设计审核",
                    "Design review",
                    10,
                    SRC_COMMITMENTS,
                ));
                steps.push(wd_step(
                    "mid_inspection",
                    "中间检查",
                    "Intermediate inspection",
                    5,
                    SRC_COMMITMENTS,
                ));
                steps.push(wd_step(
                    "completion_inspection",
                    "竣工检验",
                    "Completion inspection",
                    5,
                    SRC_COMMITMENTS,
                ));
            }
            let connect_days = if class == CustomerClass::Resident {
                3
            } else {
                5
            };
            steps.push(wd_step(
                "connection",
                "装表接电",
                "Meter installation and connection",
                connect_days,
                SRC_COMMITMENTS,
            ));
            Process { steps }
        }
        CaseKind::Application => Process {
            steps: vec![wd_step("handle", "办理", "Handle", 5, SRC_SAMPLE)],
        },
    }
}

#[cfg(test)]
mod connection_tests {
    use super::is_connection_business;

    #[test]
    fn connection_businesses_are_recognised_by_their_codes() {
        for code in [
            "new_connection",
            "new_residential",
            "new_business",
            "capacity_increase",
            "solar",
            "ev_charger",
        ] {
            assert!(is_connection_business(code), "{code}");
        }
        for code in [
            "payment",
            "invoice",
            "transfer",
            "inquiry",
            "complaint",
            "repair",
        ] {
            assert!(!is_connection_business(code), "{code}");
        }
    }
}
