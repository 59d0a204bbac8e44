//! Who may call a route, declared once next to the route in `api::api_router`.
//!
//! The handlers enforce access themselves (`Caller::require`, `visible`, `workable` …); the
//! rule written here is what they check, stated once so that the OpenAPI description can
//! tell integrators (security scheme `caller`, scope = the rule's name) and the role-matrix
//! test (`crates/web/tests/http/role_matrix.rs`) can call every route as every role and
//! device and compare the answer with the rule.

use crate::AppState;
use servicehall_domain::access::{Actor, ActorKind, DeviceKind, Permission, Role};
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa_axum::router::UtoipaMethodRouter;

/// The name of the OpenAPI security scheme every operation's rule is written under.
pub const SCHEME: &str = "caller";

/// Who may call a route. "In the hall" is the hall the route touches: the `{hall}` in its
/// path, or the hall of the ticket, counter, case, document, standard or observation it
/// names (for the insight views: the halls of `?halls=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in person or authenticated device.
    SignedIn,
    /// Any signed-in person (no device).
    Staff,
    /// The permission in the hall (`Caller::require`).
    Perm(Permission),
    /// The permission anywhere (`Caller::require_any`); the answer is limited to the
    /// caller's halls.
    Any(Permission),
    /// The permission in the hall, by a signed-in person (no device or integration).
    StaffPerm(Permission),
    /// `OperateCounter` in the counter's hall, by a person; a clerk only at the counter they
    /// staff (any counter when opening one).
    CounterWork,
    /// `Rate` in the ticket's hall, from an evaluator pad (a device bound to a counter).
    EvaluatorPad,
    /// The clerk at a counter or the guide at the triage desk: a person with
    /// `OperateCounter` or `Triage` in the hall.
    FrontDesk,
    /// Reading a hall's cases and their files: `ReadCases` in the case's hall.
    CaseRead,
    /// The recovery list (bad ratings and their cases): `ViewStats` and `ReadCases` in the
    /// hall.
    RecoveryList,
    /// Changing a case: `HandleCases` in the case's hall, by a person who owns the case or
    /// is a hall manager or administrator.
    CaseWork,
    /// Accepting a hand-over: `CaseRead`, by the person the case is being handed over to.
    CaseHandoverTarget,
    /// Standards: read by people who may `ViewHall` in the document's hall (company-wide
    /// documents: any person).
    StandardRead,
    /// Standards: edited with `Administer` in the document's hall; company-wide documents by
    /// administrators only.
    StandardEdit,
    /// `Administer` in the hall, and the administrator role (not a hall manager).
    HallAdministrator,
    /// `ViewStats`, by staff above halls (administrators and supervisors, regional or not).
    AboveHalls,
    /// `Administer`, by an administrator not limited to a region.
    DeploymentAdmin,
    /// A clerk's scorecard: `ViewStats` in the hall, or the clerk themself (a person with
    /// `OperateCounter` there asking for their own).
    OwnScorecard,
    /// `ManageRisks` in the hall, by a supervisor or an administrator (the risk matrix).
    RiskMatrixEdit,
    /// A region's own risks, read: `ManageRisks` by staff above halls in the region, or by
    /// the manager of a hall that lies in the region (which region: a fact of the object).
    RegionRiskRead,
    /// A region's own risks, changed: `ManageRisks` by a supervisor or administrator above
    /// halls whose scope covers the region.
    RegionRiskEdit,
}

const PERMISSIONS: [Permission; 14] = [
    Permission::ViewHall,
    Permission::IssueTicket,
    Permission::Triage,
    Permission::OperateCounter,
    Permission::Rate,
    Permission::ViewEvents,
    Permission::ViewStats,
    Permission::Administer,
    Permission::HandleCases,
    Permission::ReviewFeedback,
    Permission::Observe,
    Permission::ReadCases,
    Permission::ManageRisks,
    Permission::KeepCustomers,
];

impl Access {
    /// Every rule without a permission, then `Perm` and `Any` of every permission.
    pub fn all() -> Vec<Access> {
        let mut all = vec![
            Self::Public,
            Self::SignedIn,
            Self::Staff,
            Self::CounterWork,
            Self::EvaluatorPad,
            Self::FrontDesk,
            Self::CaseRead,
            Self::RecoveryList,
            Self::CaseWork,
            Self::CaseHandoverTarget,
            Self::StandardRead,
            Self::StandardEdit,
            Self::HallAdministrator,
            Self::AboveHalls,
            Self::DeploymentAdmin,
            Self::OwnScorecard,
            Self::RiskMatrixEdit,
            Self::RegionRiskRead,
            Self::RegionRiskEdit,
        ];
        all.extend(PERMISSIONS.map(Self::Perm));
        all.extend(PERMISSIONS.map(Self::Any));
        all.extend(PERMISSIONS.map(Self::StaffPerm));
        all
    }

    /// The rule's name: the scope of the `caller` security requirement.
    pub fn name(&self) -> String {
        match self {
            Self::Perm(p) => format!("{p:?}"),
            Self::Any(p) => format!("{p:?}:any"),
            Self::StaffPerm(p) => format!("{p:?}:staff"),
            other => format!("{other:?}"),
        }
    }

    /// The rule named `name`.
    pub fn from_name(name: &str) -> Option<Access> {
        Self::all().into_iter().find(|a| a.name() == name)
    }

    /// Whether `actor` may call the route for `hall` (the hall the route touches; `None` for
    /// routes about no hall). Facts about the object itself are not known here: who owns a
    /// case (`CaseWork`), to whom it is handed over (`CaseHandoverTarget`), which counter a
    /// clerk staffs (`CounterWork`).
    pub fn allows(&self, actor: &Actor, hall: Option<i64>) -> bool {
        let person = matches!(actor.kind, ActorKind::Person(_));
        let may = |p: Permission| match hall {
            Some(h) => actor.may(p, h),
            None => actor.allows(p),
        };
        match self {
            Self::Public | Self::SignedIn => true,
            Self::Staff => person,
            Self::Perm(p) => may(*p),
            Self::Any(p) => actor.allows(*p),
            Self::StaffPerm(p) => person && may(*p),
            Self::CounterWork => person && may(Permission::OperateCounter),
            Self::EvaluatorPad => {
                actor.kind == ActorKind::Device(DeviceKind::Evaluator) && may(Permission::Rate)
            }
            Self::FrontDesk => {
                person && (may(Permission::OperateCounter) || may(Permission::Triage))
            }
            Self::CaseRead => may(Permission::ReadCases),
            Self::RecoveryList => may(Permission::ViewStats) && may(Permission::ReadCases),
            Self::CaseWork => person && may(Permission::HandleCases),
            Self::CaseHandoverTarget => person && Self::CaseRead.allows(actor, hall),
            Self::StandardRead => person && may(Permission::ViewHall),
            Self::StandardEdit => match hall {
                Some(h) => actor.may(Permission::Administer, h),
                None => actor.kind == ActorKind::Person(Role::Admin),
            },
            Self::HallAdministrator => {
                actor.kind == ActorKind::Person(Role::Admin) && may(Permission::Administer)
            }
            Self::AboveHalls => actor.allows(Permission::ViewStats) && actor.hall_id.is_none(),
            Self::DeploymentAdmin => {
                actor.allows(Permission::Administer) && actor.deployment_wide()
            }
            Self::OwnScorecard => {
                may(Permission::ViewStats) || (person && may(Permission::OperateCounter))
            }
            Self::RiskMatrixEdit => {
                matches!(
                    actor.kind,
                    ActorKind::Person(Role::Supervisor | Role::Admin)
                ) && may(Permission::ManageRisks)
            }
            Self::RegionRiskRead => {
                person
                    && match actor.hall_id {
                        None => may(Permission::ManageRisks),
                        Some(_) => {
                            matches!(
                                actor.kind,
                                ActorKind::Person(Role::HallManager | Role::Admin)
                            ) && actor.allows(Permission::ManageRisks)
                        }
                    }
            }
            Self::RegionRiskEdit => {
                actor.hall_id.is_none()
                    && matches!(
                        actor.kind,
                        ActorKind::Person(Role::Supervisor | Role::Admin)
                    )
                    && may(Permission::ManageRisks)
            }
        }
    }

    /// What the rule means, for the description of the `caller` scheme.
    pub fn meaning(&self) -> String {
        match self {
            Self::Public => "anyone, signed in or not".into(),
            Self::SignedIn => "any signed-in person or authenticated device".into(),
            Self::Staff => "any signed-in person (no device)".into(),
            Self::Perm(p) => format!("permission {p:?} in the hall the route touches"),
            Self::Any(p) => format!(
                "permission {p:?} in any hall; the answer covers the caller's halls"
            ),
            Self::StaffPerm(p) => format!(
                "permission {p:?} in the hall the route touches, by a signed-in person (no device)"
            ),
            Self::CounterWork => "OperateCounter in the counter's hall, by a person; a clerk only at the counter they staff (any counter to open one)".into(),
            Self::EvaluatorPad => "Rate in the ticket's hall, from an evaluator pad bound to a counter".into(),
            Self::FrontDesk => "a person with OperateCounter or Triage in the hall (clerk at a counter, guide at the desk)".into(),
            Self::CaseRead => "ReadCases in the case's hall".into(),
            Self::RecoveryList => "ViewStats and ReadCases in the hall".into(),
            Self::CaseWork => "HandleCases in the case's hall, by the case's owner, a hall manager or an administrator".into(),
            Self::CaseHandoverTarget => "CaseRead, by the person the case is being handed over to".into(),
            Self::StandardRead => "a person who may ViewHall in the document's hall (company-wide documents: any person)".into(),
            Self::StandardEdit => "Administer in the document's hall; company-wide documents: administrators only".into(),
            Self::HallAdministrator => "Administer in the hall, administrators only (not hall managers)".into(),
            Self::AboveHalls => "ViewStats, staff above halls (administrators, supervisors)".into(),
            Self::DeploymentAdmin => "Administer, by an administrator not limited to a region".into(),
            Self::OwnScorecard => "ViewStats in the hall, or the clerk themself (OperateCounter in the hall)".into(),
            Self::RiskMatrixEdit => "ManageRisks in the hall, by a supervisor or an administrator".into(),
            Self::RegionRiskRead => "a region's own risks, read: ManageRisks by staff above halls whose scope meets the region, or the manager of a hall in the region".into(),
            Self::RegionRiskEdit => "a region's own risks, changed: ManageRisks by a supervisor or administrator above halls whose scope covers the region".into(),
        }
    }

    /// The OpenAPI security requirements of an operation under this rule. A public route
    /// also lists the empty requirement (no authentication needed).
    fn requirements(&self) -> Vec<SecurityRequirement> {
        let named = SecurityRequirement::new(SCHEME, [self.name()]);
        match self {
            Self::Public => vec![SecurityRequirement::default(), named],
            _ => vec![named],
        }
    }
}

/// Declares who may call the routes of `routes`: writes `rule` into each of their
/// operations as the `caller` security requirement.
pub fn access(
    rule: Access,
    (schemas, mut paths, router): UtoipaMethodRouter<AppState>,
) -> UtoipaMethodRouter<AppState> {
    for item in paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
            &mut item.head,
            &mut item.options,
            &mut item.trace,
        ]
        .into_iter()
        .flatten()
        {
            op.security = Some(rule.requirements());
        }
    }
    (schemas, paths, router)
}

/// Adds the `caller` security scheme to the description: the session cookie (people) or a
/// device's bearer token, with every rule name and its meaning.
pub fn add_scheme(api: &mut OpenApi) {
    let mut text = String::from(
        "People sign in (POST /api/v1/session) and send the session cookie `sh_session`, echoing `X-CSRF-Token` on writes; devices send `Authorization: Bearer <device token>`. Each operation names the rule that decides who may call it as the scope of this scheme:\n",
    );
    for rule in Access::all() {
        text.push_str(&format!("\n- `{}`: {}", rule.name(), rule.meaning()));
    }
    let mut http = Http::new(HttpAuthScheme::Bearer);
    http.description = Some(text);
    api.components
        .get_or_insert_with(Default::default)
        .add_security_scheme(SCHEME, SecurityScheme::Http(http));
}
