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
    pub nav: Vec<(&'static str, &'static str)>,
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
            nav: caller.map(nav_for).unwrap_or_default(),
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

/// The screens a role uses, in the order of its day.
pub fn nav_for(caller: &Caller) -> Vec<(&'static str, &'static str)> {
    let role = match caller.actor.kind {
        ActorKind::Person(r) => r,
        ActorKind::Device(_) => return Vec::new(),
    };
    let mut nav = Vec::new();
    if matches!(role, Role::Guide | Role::HallManager | Role::Admin) {
        nav.push(("/guide", "导办台 Guide desk"));
    }
    if matches!(role, Role::Clerk | Role::HallManager) {
        nav.push(("/counter", "柜台 Counter"));
    }
    if matches!(role, Role::Clerk | Role::Guide | Role::HallManager) {
        nav.push(("/notice/new", "一次性告知 Notice"));
    }
    if matches!(role, Role::HallManager | Role::Admin | Role::Supervisor) {
        nav.push(("/manager", "值班看板 Dashboard"));
    }
    if matches!(
        role,
        Role::Clerk | Role::HallManager | Role::Admin | Role::Supervisor
    ) {
        nav.push(("/cases", "工单 Cases"));
    }
    if matches!(role, Role::HallManager | Role::Admin | Role::Supervisor) {
        nav.push(("/cases/on-time", "按时办结 On-time"));
    }
    nav.push(("/standards", "规章 Standards"));
    if matches!(role, Role::HallManager | Role::Admin | Role::Supervisor) {
        nav.push(("/feedback/recovery", "服务补救 Recovery"));
        nav.push(("/insight", "满意度 Satisfaction"));
        nav.push(("/observations", "内查 Checks"));
        nav.push(("/inspections", "现场检查 Inspections"));
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
    }
    if matches!(role, Role::Admin | Role::HallManager) {
        nav.push(("/admin/feedback-settings", "评价设置 Feedback settings"));
    }
    if role == Role::Admin && caller.actor.deployment_wide() {
        nav.push(("/admin/calendar", "工作日历 Calendar"));
        nav.push(("/admin/regions", "区域 Regions"));
    }
    nav
}
