//! First-inquiry ownership (首问负责): a case always has an owner. A hand-over is requested
//! (from, to, reason) and takes effect only when the new owner accepts it; until then the
//! previous owner stays accountable. Cases stay inside their hall, except that
//! administrators above halls whose region includes the hall may take them over. A case goes
//! only to someone who can work it: never to a supervisor (who reads cases) or a guide, where
//! it would be stranded.

use crate::Role;
use crate::access::{Actor, ActorKind, Permission};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandoverError {
    #[error(
        "{name}已是本工单的负责人，请转交给其他人 {name} already owns this case; hand it to someone else"
    )]
    ToOwner { name: String },
    #[error(
        "{name}在其他营业厅工作，工单只能在本厅内（或向上级管理员）转交 · {name} works in another hall; a case is handed over within its hall (or to an administrator above it)"
    )]
    OutsideHall { name: String },
    #[error(
        "{name}的管辖区域不含本厅，请转交给管辖本厅的管理员 · {name} works above halls but outside this hall's region; hand the case to an administrator whose region includes the hall"
    )]
    OutsideRegion { name: String },
    #[error(
        "{name}是{role_zh}，不能办理工单，转交后工单将无人办理；请转交本厅的柜员、值班长或管理员 · {name} is a {role_en} and cannot work cases, so the case would be stranded; hand it to a clerk, hall manager or administrator of the hall"
    )]
    CannotWorkCases {
        name: String,
        role_zh: &'static str,
        role_en: &'static str,
    },
    #[error(
        "{name}已停用，请转交给员工名单中的在岗人员 {name} is not active; hand the case to someone on the staff list"
    )]
    Inactive { name: String },
    #[error("转办须填写转办原因 a hand-over needs a reason (转办原因)")]
    NoReason,
    #[error(
        "已有转给{name}的转办在等待签收 a hand-over to {name} is already waiting for acceptance"
    )]
    AlreadyPending { name: String },
    #[error("本工单没有等待签收的转办 no hand-over is waiting for acceptance on this case")]
    NonePending,
    #[error(
        "此转办转给{name}，只有本人可以签收 this hand-over is addressed to {name}; only they can accept it"
    )]
    NotTheRecipient { name: String },
}

/// The person a case would be handed to.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    pub id: i64,
    pub name: &'a str,
    pub hall_id: Option<i64>,
    pub role: Role,
    pub active: bool,
    /// For staff above halls: their region includes the case's hall (always true when they
    /// are not limited to a region).
    pub region_covers: bool,
}

/// Checks a hand-over request of a case in `case_hall` owned by `owner_id`.
pub fn check_handover_target(
    case_hall: i64,
    owner_id: i64,
    pending: Option<&str>,
    to: &Target<'_>,
    reason: &str,
) -> Result<(), HandoverError> {
    let name = || to.name.to_string();
    if let Some(p) = pending {
        return Err(HandoverError::AlreadyPending {
            name: p.to_string(),
        });
    }
    if reason.trim().is_empty() {
        return Err(HandoverError::NoReason);
    }
    if to.id == owner_id {
        return Err(HandoverError::ToOwner { name: name() });
    }
    if !to.active {
        return Err(HandoverError::Inactive { name: name() });
    }
    check_can_own(to.name, to.role)?;
    let region_staff = to.hall_id.is_none() && to.role == Role::Admin;
    if to.hall_id != Some(case_hall) {
        if !region_staff {
            return Err(HandoverError::OutsideHall { name: name() });
        }
        if !to.region_covers {
            return Err(HandoverError::OutsideRegion { name: name() });
        }
    }
    Ok(())
}

/// Whether a person of `role` can work cases (access.rs) and so own one: the owner is the
/// only non-manager who can work a case, so a case owned by a reader would be stranded.
pub fn can_own(role: Role) -> bool {
    Actor {
        kind: ActorKind::Person(role),
        hall_id: None,
        counter_id: None,
        staff_id: None,
        region_halls: None,
    }
    .allows(Permission::HandleCases)
}

/// Refuses `name` of `role` as a case's owner when they cannot work cases.
pub fn check_can_own(name: &str, role: Role) -> Result<(), HandoverError> {
    if can_own(role) {
        return Ok(());
    }
    Err(HandoverError::CannotWorkCases {
        name: name.to_string(),
        role_zh: role.label_zh(),
        role_en: role.label_en(),
    })
}

/// Checks that `by` may accept the pending hand-over to `pending` (id, name).
pub fn check_accept(pending: Option<(i64, &str)>, by: i64) -> Result<(), HandoverError> {
    match pending {
        None => Err(HandoverError::NonePending),
        Some((to, _)) if to == by => Ok(()),
        Some((_, name)) => Err(HandoverError::NotTheRecipient {
            name: name.to_string(),
        }),
    }
}
