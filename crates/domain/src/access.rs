//! Who may do what. People have a role; devices have a kind and are bound to one hall
//! (and, for evaluators and counter screens, to one counter).

use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Supervisor,
    HallManager,
    Clerk,
    Guide,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    Kiosk,
    Display,
    Evaluator,
    CounterScreen,
    Integration,
}

/// The things a caller can ask for; every route names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See halls, counters, business types, the queue.
    ViewHall,
    /// Issue a ticket (kiosk, guide, integrations).
    IssueTicket,
    /// Triage extras: green channel and proxy handling.
    Triage,
    /// Work a counter: open, call, serve, transfer.
    OperateCounter,
    /// Submit the evaluator's rating.
    Rate,
    /// Live events for screens.
    ViewEvents,
    /// The manager's figures: aggregates only (counts, rates, averages), never a case.
    ViewStats,
    /// Halls, counters, staff, business types, devices.
    Administer,
    /// Open and work cases (工单): steps, clocks, documents, hand-overs, callbacks.
    HandleCases,
    /// Read cases: lists, the case page with its trail and summary, document files (ID
    /// scans …), the hall's live case changes. People who work or supervise cases hold it;
    /// no device does (an integration token reads figures, not case files).
    ReadCases,
    /// Import external evaluations (外评) and review the anti-gaming flags: above the hall,
    /// so a hall does not judge its own counters.
    ReviewFeedback,
    /// Record observations (内查) of counters and clerks.
    Observe,
    /// Keep the risk register and its indicators (服务风险): hall managers for their hall,
    /// supervisors for their region, administrators everywhere.
    ManageRisks,
    /// Keep the customer register and its segments (客户与分群): hall managers for their
    /// hall, administrators everywhere. Supervisors see counts only, never persons.
    KeepCustomers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    Person(Role),
    Device(DeviceKind),
}

/// A signed-in person or an authenticated device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub kind: ActorKind,
    /// The hall the actor belongs to; `None` for administrators and supervisors above halls.
    pub hall_id: Option<i64>,
    /// The counter a device is bound to.
    pub counter_id: Option<i64>,
    pub staff_id: Option<i64>,
    /// For staff above halls limited to a region: the halls of that region's subtree.
    /// `None` means the whole deployment (or, for hall staff and devices, unused).
    pub region_halls: Option<Vec<i64>>,
}

impl Actor {
    /// True when the actor's kind allows `perm` at all.
    pub fn allows(&self, perm: Permission) -> bool {
        use DeviceKind as D;
        use Permission as P;
        use Role as R;
        match self.kind {
            ActorKind::Person(R::Admin) => true,
            ActorKind::Person(R::Supervisor) => {
                matches!(
                    perm,
                    P::ViewHall
                        | P::ViewEvents
                        | P::ViewStats
                        | P::ReviewFeedback
                        | P::Observe
                        | P::ReadCases
                        | P::ManageRisks
                )
            }
            ActorKind::Person(R::HallManager) => !matches!(perm, P::Rate | P::ReviewFeedback),
            ActorKind::Person(R::Clerk) => matches!(
                perm,
                P::ViewHall
                    | P::OperateCounter
                    | P::ViewEvents
                    | P::IssueTicket
                    | P::HandleCases
                    | P::ReadCases
            ),
            ActorKind::Person(R::Guide) => matches!(
                perm,
                P::ViewHall | P::IssueTicket | P::Triage | P::ViewEvents
            ),
            ActorKind::Device(D::Kiosk) => matches!(perm, P::ViewHall | P::IssueTicket),
            ActorKind::Device(D::Display | D::CounterScreen) => {
                matches!(perm, P::ViewHall | P::ViewEvents)
            }
            ActorKind::Device(D::Evaluator) => {
                matches!(perm, P::ViewHall | P::ViewEvents | P::Rate)
            }
            ActorKind::Device(D::Integration) => {
                matches!(
                    perm,
                    P::ViewHall | P::IssueTicket | P::Triage | P::ViewEvents | P::ViewStats
                )
            }
        }
    }

    /// True when the actor may act in `hall_id`: its own hall; when above halls, any hall of
    /// its region (or any hall at all when not limited to a region).
    pub fn in_hall(&self, hall_id: i64) -> bool {
        match self.hall_id {
            None => {
                matches!(self.kind, ActorKind::Person(Role::Admin | Role::Supervisor))
                    && self
                        .region_halls
                        .as_ref()
                        .is_none_or(|halls| halls.contains(&hall_id))
            }
            Some(h) => h == hall_id,
        }
    }

    /// True for staff above halls who are not limited to a region (they manage the region
    /// tree, the calendar and the deployment's halls).
    pub fn deployment_wide(&self) -> bool {
        self.hall_id.is_none()
            && self.region_halls.is_none()
            && matches!(self.kind, ActorKind::Person(Role::Admin | Role::Supervisor))
    }

    pub fn may(&self, perm: Permission, hall_id: i64) -> bool {
        self.allows(perm) && self.in_hall(hall_id)
    }
}

impl Role {
    pub const ALL: [Role; 5] = [
        Self::Admin,
        Self::Supervisor,
        Self::HallManager,
        Self::Clerk,
        Self::Guide,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Supervisor => "supervisor",
            Self::HallManager => "hall_manager",
            Self::Clerk => "clerk",
            Self::Guide => "guide",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Admin => "系统管理员",
            Self::Supervisor => "督查",
            Self::HallManager => "值班长",
            Self::Clerk => "柜员",
            Self::Guide => "引导员",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Admin => "administrator",
            Self::Supervisor => "supervisor",
            Self::HallManager => "hall manager",
            Self::Clerk => "clerk",
            Self::Guide => "lobby guide",
        }
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "没有这个岗位，请从岗位列表中选择 unknown role {s:?}; expected admin, supervisor, hall_manager, clerk or guide"
                )
            })
    }
}

impl DeviceKind {
    pub const ALL: [DeviceKind; 5] = [
        Self::Kiosk,
        Self::Display,
        Self::Evaluator,
        Self::CounterScreen,
        Self::Integration,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kiosk => "kiosk",
            Self::Display => "display",
            Self::Evaluator => "evaluator",
            Self::CounterScreen => "counter-screen",
            Self::Integration => "integration",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Kiosk => "取号机",
            Self::Display => "大厅显示屏",
            Self::Evaluator => "评价器",
            Self::CounterScreen => "窗口屏",
            Self::Integration => "系统集成",
        }
    }

    /// Evaluators and counter screens belong to one counter.
    pub fn needs_counter(self) -> bool {
        matches!(self, Self::Evaluator | Self::CounterScreen)
    }
}

impl FromStr for DeviceKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.replace('_', "-");
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| format!("没有这种设备类型，请选择取号机、大厅显示屏、评价器、窗口屏或系统集成 unknown device role {s:?}; expected kiosk, display, evaluator, counter-screen or integration"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(role: Role, hall: Option<i64>) -> Actor {
        Actor {
            kind: ActorKind::Person(role),
            hall_id: hall,
            counter_id: None,
            staff_id: Some(1),
            region_halls: None,
        }
    }

    fn device(kind: DeviceKind, hall: i64) -> Actor {
        Actor {
            kind: ActorKind::Device(kind),
            hall_id: Some(hall),
            counter_id: None,
            staff_id: None,
            region_halls: None,
        }
    }

    #[test]
    fn region_staff_act_only_in_the_halls_of_their_region() {
        let mut s = person(Role::Supervisor, None);
        assert!(s.in_hall(7) && s.deployment_wide());
        s.region_halls = Some(vec![1, 2]);
        assert!(s.may(Permission::ViewStats, 2));
        assert!(!s.may(Permission::ViewStats, 7));
        assert!(!s.deployment_wide());
        // A region does not widen hall staff: a clerk stays in their own hall.
        let mut c = person(Role::Clerk, Some(1));
        c.region_halls = Some(vec![1, 2]);
        assert!(!c.in_hall(2));
    }

    #[test]
    fn clerks_cannot_rate_or_administer() {
        let c = person(Role::Clerk, Some(1));
        assert!(c.may(Permission::OperateCounter, 1));
        assert!(!c.may(Permission::Rate, 1));
        assert!(!c.may(Permission::Administer, 1));
        assert!(!c.may(Permission::OperateCounter, 2), "other hall");
        assert!(
            c.may(Permission::HandleCases, 1),
            "clerks open cases (工单)"
        );
        assert!(!person(Role::Guide, Some(1)).may(Permission::HandleCases, 1));
        assert!(!person(Role::Supervisor, None).may(Permission::HandleCases, 1));
    }

    #[test]
    fn devices_are_bound_to_their_hall_and_purpose() {
        let k = device(DeviceKind::Kiosk, 1);
        assert!(k.may(Permission::IssueTicket, 1));
        assert!(!k.may(Permission::IssueTicket, 2));
        assert!(!k.may(Permission::OperateCounter, 1));
        assert!(
            !k.may(Permission::Triage, 1),
            "kiosks cannot mark green channel"
        );
        let e = device(DeviceKind::Evaluator, 1);
        assert!(e.may(Permission::Rate, 1));
        assert!(!e.may(Permission::IssueTicket, 1));
    }

    #[test]
    fn admins_reach_every_hall_supervisors_only_look() {
        assert!(person(Role::Admin, None).may(Permission::Administer, 7));
        let s = person(Role::Supervisor, None);
        assert!(s.may(Permission::ViewStats, 7));
        assert!(!s.may(Permission::OperateCounter, 7));
        // a hall-bound person with no hall reaches nothing
        assert!(!person(Role::Clerk, None).in_hall(7));
    }

    /// Case files (lists, summaries, trails, ID scans) are read by the people who work or
    /// supervise cases — never by a device, integrations included (issue 11, finding 6).
    #[test]
    fn only_case_people_read_cases() {
        for role in [Role::Admin, Role::HallManager, Role::Clerk] {
            assert!(
                person(role, Some(1)).may(Permission::ReadCases, 1),
                "{role:?}"
            );
        }
        let mut sup = person(Role::Supervisor, None);
        sup.region_halls = Some(vec![1]);
        assert!(sup.may(Permission::ReadCases, 1));
        assert!(!sup.may(Permission::ReadCases, 2), "outside the region");
        assert!(
            !sup.may(Permission::HandleCases, 1),
            "supervisors only read"
        );
        assert!(!person(Role::Guide, Some(1)).may(Permission::ReadCases, 1));
        for kind in DeviceKind::ALL {
            assert!(!device(kind, 1).may(Permission::ReadCases, 1), "{kind:?}");
        }
        assert!(device(DeviceKind::Integration, 1).may(Permission::ViewStats, 1));
    }

    #[test]
    fn names_parse() {
        assert_eq!(
            "counter_screen".parse::<DeviceKind>(),
            Ok(DeviceKind::CounterScreen)
        );
        assert_eq!("hall_manager".parse::<Role>(), Ok(Role::HallManager));
        assert!("boss".parse::<Role>().is_err());
    }
}
