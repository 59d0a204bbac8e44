//! The rules a case's steps and closure follow.

use super::kinds::{CaseKind, CaseStatus};

/// The step every complaint ends with; it needs the customer's reply on record.
pub const CALLBACK_STEP: &str = "callback";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseRuleError {
    #[error(
        "本工单没有此环节，请从工单的环节中选择 this case has no step {code:?}; its steps are {known}"
    )]
    UnknownStep { code: String, known: String },
    #[error("环节“{name_zh}”已完成 step {code} is already complete")]
    StepDone { code: String, name_zh: String },
    #[error(
        "请先完成“{waiting_zh}”环节，各环节须按顺序完成 step {code} cannot complete before {waiting} ({waiting_zh}); steps complete in order"
    )]
    OutOfOrder {
        code: String,
        waiting: String,
        waiting_zh: String,
    },
    #[error(
        "请先记录客户回访结果，再完成回访环节 record the customer's callback (回访) before completing the callback step"
    )]
    CallbackMissing,
    #[error(
        "匿名评价无法回访，请在备注中写明如何处理 · nobody can be called back for an anonymous rating: write in the note what was done instead"
    )]
    CallbackNoteMissing,
    #[error(
        "投诉工单须先记录客户回访结果才能办结 a complaint cannot close before the customer's reply is recorded (回访)"
    )]
    ComplaintWithoutCallback,
    #[error(
        "服务补救工单须先记录客户回访结果才能办结 a service-recovery case (服务补救) cannot close before the customer's callback (回访) is recorded"
    )]
    RecoveryWithoutCallback,
    #[error(
        "环节“{name_zh}”尚未完成，请先完成各环节再办结工单 the case cannot close while step {code} ({name_zh}) is open; complete the steps first"
    )]
    StepsOpen { code: String, name_zh: String },
    #[error("工单已办结，不能再修改 the case is closed; nothing more can change")]
    Closed,
    #[error(
        "整改工单须在整改页面记录整改并由他人验证销号 · a rectification case is fixed and verified on its rectification screen"
    )]
    OwnWorkflow,
}

/// A step as the rules see it: code, Chinese name, completed?
pub type StepState<'a> = (&'a str, &'a str, bool);

/// The index of step `code` if it may complete now: it exists, is open, and every earlier
/// step is complete. A complaint's callback step also needs a recorded callback.
pub fn check_step_order(
    kind: CaseKind,
    status: CaseStatus,
    steps: &[StepState<'_>],
    code: &str,
    callback_recorded: bool,
) -> Result<usize, CaseRuleError> {
    if status == CaseStatus::Closed {
        return Err(CaseRuleError::Closed);
    }
    if kind.own_workflow() {
        return Err(CaseRuleError::OwnWorkflow);
    }
    let i = steps
        .iter()
        .position(|s| s.0 == code)
        .ok_or_else(|| CaseRuleError::UnknownStep {
            code: code.into(),
            known: steps.iter().map(|s| s.0).collect::<Vec<_>>().join(", "),
        })?;
    if steps[i].2 {
        return Err(CaseRuleError::StepDone {
            code: code.into(),
            name_zh: steps[i].1.into(),
        });
    }
    if let Some(w) = steps[..i].iter().find(|s| !s.2) {
        return Err(CaseRuleError::OutOfOrder {
            code: code.into(),
            waiting: w.0.into(),
            waiting_zh: w.1.into(),
        });
    }
    if kind.needs_callback() && code == CALLBACK_STEP && !callback_recorded {
        return Err(CaseRuleError::CallbackMissing);
    }
    Ok(i)
}

/// Completing a callback step without a call-back on record (an anonymous rating, nobody
/// to call) needs a note saying what was done instead, so the step is not closed with one
/// click.
pub fn check_callback_note(
    kind: CaseKind,
    code: &str,
    callback_recorded: bool,
    note: &str,
) -> Result<(), CaseRuleError> {
    if kind.needs_callback()
        && code == CALLBACK_STEP
        && !callback_recorded
        && note.trim().is_empty()
    {
        return Err(CaseRuleError::CallbackNoteMissing);
    }
    Ok(())
}

/// Whether a case may close: open, every step complete, and for complaints a callback
/// on record (一站服务: the customer's reply closes the loop).
pub fn check_close(
    kind: CaseKind,
    status: CaseStatus,
    steps: &[StepState<'_>],
    callback_recorded: bool,
) -> Result<(), CaseRuleError> {
    if status == CaseStatus::Closed {
        return Err(CaseRuleError::Closed);
    }
    if kind.own_workflow() {
        return Err(CaseRuleError::OwnWorkflow);
    }
    if kind.needs_callback() && !callback_recorded {
        return Err(if kind == CaseKind::Recovery {
            CaseRuleError::RecoveryWithoutCallback
        } else {
            CaseRuleError::ComplaintWithoutCallback
        });
    }
    if let Some(s) = steps.iter().find(|s| !s.2) {
        return Err(CaseRuleError::StepsOpen {
            code: s.0.into(),
            name_zh: s.1.into(),
        });
    }
    Ok(())
}
