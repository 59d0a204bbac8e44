//! The frame around every screen: title, top bar, navigation by role, CSRF token.

use crate::auth::Caller;
use servicehall_domain::Role;
use servicehall_domain::access::ActorKind;

#[derive(Debug, Clone, Default)]
pub struct Chrome {
    pub title: String,
    pub user: String,
    pub csrf: String,
    pub path: String,
    pub bar: bool,
    pub nav: Vec<NavGroup>,
    pub body_class: &'static str,
    pub main_class: &'static str,
}

impl Chrome {
    /// A staff screen with the top bar and the caller's navigation.
    pub fn staff(title: &str, path: &str, caller: Option<&Caller>) -> Self {
        Self {
            title: title.into(),
            user: caller.map(Caller::display_name).unwrap_or_default(),
            csrf: caller.map(|c| c.csrf.clone()).unwrap_or_default(),
            path: path.into(),
            bar: true,
            nav: caller.map(nav_groups).unwrap_or_default(),
            body_class: "staff",
            main_class: "page",
        }
    }

    /// A full-screen device or customer screen without the bar.
    pub fn bare(title: &str, csrf: &str, body_class: &'static str) -> Self {
        Self {
            title: title.into(),
            csrf: csrf.into(),
            bar: false,
            body_class,
            main_class: "bare",
            ..Default::default()
        }
    }
}

/// One entry of the top bar: a menu of screens, or a plain link when it holds one screen.
#[derive(Debug, Clone, PartialEq)]
pub struct NavGroup {
    pub label: &'static str,
    pub items: Vec<(&'static str, &'static str)>,
}

impl NavGroup {
    /// True when the screen at `path` is in this group (its menu is then marked).
    pub fn has(&self, path: &str) -> bool {
        self.items.iter().any(|(href, _)| *href == path)
    }
}

/// The menus of the top bar, so every role's screens fit on one row at 1366 px: the day's
/// screens, cases, standards, feedback and satisfaction, administration.
const GROUPS: &[(&str, &[&str])] = &[
    (
        "今日 Today",
        &[
            "/guide",
            "/appointments",
            "/counter",
            "/counter/manual",
            "/incidents",
            "/notice/new",
            "/manager",
            "/staffing",
            "/display/lobby",
            "/kiosk",
        ],
    ),
    ("工单 Cases", &["/cases", "/cases/on-time", "/customers"]),
    (
        "规范 Standards",
        &[
            "/standards",
            "/inspections",
            "/inspections/figures",
            "/layout-map",
            "/rectifications",
            "/risks",
            "/conformance",
            "/indicators",
            "/scorecards",
            "/ranking",
            "/appeals",
            "/reports",
        ],
    ),
    (
        "评价 Feedback",
        &[
            "/feedback/recovery",
            "/feedback/ratings",
            "/insight",
            "/observations",
            "/feedback/flags",
            "/feedback/import",
        ],
    ),
    (
        "管理 Admin",
        &[
            "/admin",
            "/admin/catalogue",
            "/admin/cases",
            "/admin/layout-map",
            "/admin/feedback-settings",
            "/admin/calendar",
            "/admin/regions",
            "/admin/scorecard-schemes",
            "/audit",
        ],
    ),
];

/// The caller's screens ([`nav_for`]) in the top bar's menus; a screen outside every menu
/// gets its own entry at the end.
pub fn nav_groups(caller: &Caller) -> Vec<NavGroup> {
    let screens = nav_for(caller);
    let mut groups: Vec<NavGroup> = GROUPS
        .iter()
        .map(|(label, hrefs)| NavGroup {
            label,
            items: screens
                .iter()
                .filter(|(href, _)| hrefs.contains(href))
                .copied()
                .collect(),
        })
        .filter(|g| !g.items.is_empty())
        .collect();
    for item in screens {
        if !GROUPS.iter().any(|(_, hrefs)| hrefs.contains(&item.0)) {
            groups.push(NavGroup {
                label: item.1,
                items: vec![item],
            });
        }
    }
    groups
}

/// The screens a role uses, in the order of its day.
pub fn nav_for(caller: &Caller) -> Vec<(&'static str, &'static str)> {
    match caller.actor.kind {
        ActorKind::Person(role) => screens_for(role, caller.actor.deployment_wide()),
        ActorKind::Device(_) => Vec::new(),
    }
}

/// The screens of one role (an administrator of the whole deployment has a few more), in
/// the order of its day.
fn screens_for(role: Role, deployment_wide: bool) -> Vec<(&'static str, &'static str)> {
    let mut nav = Vec::new();
    if matches!(role, Role::Guide | Role::HallManager | Role::Admin) {
        nav.push(("/guide", "导办台 Guide desk"));
        nav.push(("/appointments", "预约 Appointments"));
    }
    if matches!(role, Role::Clerk | Role::HallManager) {
        nav.push(("/counter", "柜台 Counter"));
    }
    if matches!(role, Role::Clerk | Role::HallManager) {
        nav.push(("/counter/manual", "人工登记 Manual entries"));
    }
    nav.push(("/incidents", "应急处置 Incidents"));
    if matches!(role, Role::Clerk | Role::Guide | Role::HallManager) {
        nav.push(("/notice/new", "一次性告知 Notice"));
    }
    if matches!(role, Role::HallManager | Role::Admin | Role::Supervisor) {
        nav.push(("/manager", "值班看板 Dashboard"));
        nav.push(("/staffing", "排班建议 Staffing"));
    }
    if matches!(
        role,
        Role::Clerk | Role::HallManager | Role::Admin | Role::Supervisor
    ) {
        nav.push(("/cases", "工单 Cases"));
    }
    if matches!(role, Role::HallManager | Role::Admin | Role::Supervisor) {
        nav.push(("/cases/on-time", "按时办结 On-time"));
        nav.push(("/customers", "客户与分群 Customers"));
    }
    nav.push(("/standards", "规章 Standards"));
    if matches!(role, Role::HallManager | Role::Admin | Role::Supervisor) {
        nav.push(("/feedback/recovery", "服务补救 Recovery"));
        nav.push(("/feedback/ratings", "评价明细 Ratings"));
        nav.push(("/insight", "满意度 Satisfaction"));
        nav.push(("/observations", "内查 Checks"));
        nav.push(("/inspections", "现场检查 Inspections"));
        nav.push(("/inspections/figures", "检查统计 Inspection figures"));
        nav.push(("/layout-map", "定置图 Layout map"));
        nav.push(("/rectifications", "整改 Rectification"));
        nav.push(("/risks", "服务风险 Risks"));
        nav.push(("/conformance", "标准达标 Conformance"));
        nav.push(("/indicators", "指标库 Indicators"));
        nav.push(("/reports", "月度报告 Reports"));
    }
    if matches!(
        role,
        Role::Clerk | Role::HallManager | Role::Admin | Role::Supervisor
    ) {
        nav.push(("/scorecards", "考核 Scorecards"));
    }
    if matches!(role, Role::Admin | Role::Supervisor) {
        nav.push(("/ranking", "红黑榜 Ranking"));
        nav.push(("/admin/scorecard-schemes", "考核方案 Scorecard schemes"));
    }
    if matches!(role, Role::HallManager | Role::Admin | Role::Supervisor) {
        nav.push(("/appeals", "考核申诉 Appeals"));
    }
    if matches!(role, Role::Admin | Role::Supervisor) {
        nav.push(("/feedback/flags", "评价异常 Flags"));
        nav.push(("/feedback/import", "外评 Import"));
    }
    nav.push(("/display/lobby", "大厅屏 Lobby display"));
    if matches!(role, Role::Admin | Role::HallManager | Role::Guide) {
        nav.push(("/kiosk", "取号机 Kiosk"));
    }
    if matches!(role, Role::Admin | Role::HallManager) {
        nav.push(("/admin", "管理 Admin"));
    }
    if matches!(role, Role::Admin | Role::HallManager) {
        nav.push(("/admin/catalogue", "业务目录 Catalogue"));
        nav.push(("/admin/cases", "时限配置 Case limits"));
        nav.push(("/admin/layout-map", "定置图编辑 Layout editor"));
    }
    if matches!(role, Role::Admin | Role::HallManager) {
        nav.push(("/admin/feedback-settings", "评价设置 Feedback settings"));
    }
    if matches!(role, Role::HallManager | Role::Admin | Role::Supervisor) {
        nav.push(("/audit", "防篡改记录 Audit record"));
    }
    if role == Role::Admin && deployment_wide {
        nav.push(("/admin/calendar", "工作日历 Calendar"));
        nav.push(("/admin/regions", "区域 Regions"));
    }
    nav
}

#[cfg(test)]
mod tests {
    use super::GROUPS;

    #[test]
    fn every_screen_is_in_one_menu_at_most() {
        let mut all: Vec<&str> = GROUPS.iter().flat_map(|(_, h)| h.iter().copied()).collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n, "a screen is listed in two menus");
    }

    /// A screen left out of every menu would get a top-level entry of its own and could
    /// push the bar onto a second row.
    #[test]
    fn every_screen_of_every_role_is_in_a_menu() {
        use servicehall_domain::Role;
        for role in [
            Role::Clerk,
            Role::Guide,
            Role::HallManager,
            Role::Admin,
            Role::Supervisor,
        ] {
            for (href, _) in [false, true]
                .into_iter()
                .flat_map(|wide| super::screens_for(role, wide))
            {
                assert!(
                    GROUPS.iter().any(|(_, h)| h.contains(&href)),
                    "{href} ({role:?}) is in no menu"
                );
            }
        }
    }
}
