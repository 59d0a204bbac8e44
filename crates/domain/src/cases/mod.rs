//! Cases (工单): business applications, complaints, opinions and inquiry follow-ups, each
//! carried through its defined steps (工作流程程序化) against time limits (限时办结), owned by
//! one person at a time (首问负责), and — for complaints — closed only after the customer's
//! reply is recorded (一站服务, 回访).
//!
//! Everything here is pure. Clocks are folded from a case's event log ([`clock`]) and
//! measured on a [`WorkClock`] ([`limits`]), so the figure a supervisor sees can be rebuilt
//! and checked from the log alone.

pub mod access_code;
pub mod calendar_clock;
pub mod clock;
pub mod defaults;
pub mod document;
pub mod kinds;
pub mod limits;
pub mod mask;
pub mod outbox;
pub mod owner;
pub mod process;
pub mod rules;
pub mod settings;
#[cfg(test)]
mod tests;
pub mod warn_at;
#[cfg(test)]
mod warn_at_tests;

pub use calendar_clock::{hall_clock, in_hall_zone};
pub use clock::{
    ClockError, ClockEvent, ClockLog, ClockPolicy, ClockState, ClockStatus, ClockView,
    WarningLevel, evaluate,
};
pub use defaults::default_process;
pub use document::{
    DocType, MAX_CASE_FILE_BYTES, MAX_CASE_FILES, MAX_DOCUMENT_BYTES, UploadError, check_quota,
    check_upload,
};
pub use kinds::{CaseKind, CaseStatus, CustomerClass};
pub use limits::{Amount, LimitKind, Measure, WeekdayClock, WorkClock};
pub use owner::{HandoverError, Target, check_accept, check_handover_target};
pub use process::{ClockDef, ClockStart, Process, StepDef};
pub use rules::{CALLBACK_STEP, CaseRuleError, check_callback_note, check_close, check_step_order};
pub use settings::CaseSettings;
pub use warn_at::{next_warning_at, warning_instants};
